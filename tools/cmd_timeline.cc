// Copyright 2026 The Sluice Authors.
//
// `sluice timeline EVENTS`: prints a rollout's events as a timeline for
// people, the start of a post-incident review.
//
// EVENTS is a file of JSON lines, one sluice.v1.Event per line (the proto3
// JSON mapping, as sluice::EventToJsonLine() writes it; field names in
// either snake_case or lowerCamelCase). Blank lines and lines starting with
// '#' are skipped. Events are printed in sequence order, one line each, with
// the time, the offset from the first event, the wave and what happened;
// failures, escalations and operator commands are marked. A summary follows.
// Events of several rollouts (by rollout_id, else by name) get a timeline
// each; an event whose (rollout, sequence) was already read (a host that
// replayed its log) is dropped and counted. EVENTS may instead be a
// snapshot's bytes (Rollout::Snapshot()): its action ledger is printed.

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "sluice/rollout_event.h"
#include "sluice/rollout_proto.h"
#include "sluice/v1/rollout.pb.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

// "+1h5m", "+35m", "+12s".
std::string Offset(absl::Duration d) {
  if (d < absl::ZeroDuration()) return absl::StrCat("-", Offset(-d).substr(1));
  return absl::StrCat("+",
                      absl::FormatDuration(absl::Trunc(d, absl::Seconds(1))));
}

// The marker in the first column: what a reviewer looks for first.
const char* Marker(const RolloutEvent& e) {
  switch (e.kind) {
    case EventKind::kWaveFailed:
    case EventKind::kRollbackFailed:
    case EventKind::kEscalated:
      return "!!";
    case EventKind::kOperatorCommand:
      return "**";
    case EventKind::kRolloutFinished:
      return "==";
    default:
      return "  ";
  }
}

std::string What(const RolloutEvent& e) {
  switch (e.kind) {
    case EventKind::kGateVerdict:
      return e.verdict.has_value()
                 ? absl::StrCat("gate ", OutcomeName(e.verdict->outcome))
                 : "gate";
    case EventKind::kWaveFailed:
      return e.trigger.has_value()
                 ? absl::StrCat("FAILED (", FailureTriggerName(*e.trigger), ")")
                 : "FAILED";
    case EventKind::kPolicyDecision:
      return e.decision.has_value()
                 ? absl::StrCat("policy: ", DecisionKindName(e.decision->kind))
                 : "policy";
    case EventKind::kOperatorCommand:
      return absl::StrCat(e.command, " by ", e.who.empty() ? "?" : e.who);
    case EventKind::kRolloutFinished:
      return absl::StrCat("finished: ", e.status);
    default:
      return std::string(EventKindName(e.kind));
  }
}

std::string Detail(const RolloutEvent& e) {
  std::string out = e.message;
  if (e.kind == EventKind::kGateVerdict && e.verdict.has_value()) {
    out = absl::StrCat(e.verdict->gate, ": ", e.verdict->reason);
    std::vector<std::string> numbers;
    for (const Observation& o : e.verdict->observations) {
      numbers.push_back(absl::StrCat(o.name, "=", o.value, o.unit));
    }
    if (e.verdict->sample_count.has_value()) {
      numbers.push_back(absl::StrCat("n=", *e.verdict->sample_count));
    }
    if (!numbers.empty()) {
      absl::StrAppend(&out, " [", absl::StrJoin(numbers, ", "), "]");
    }
  }
  return out;
}

// Prints one rollout's events (sorted by sequence, duplicates dropped).
void PrintRollout(std::vector<RolloutEvent> events, std::ostream& out) {
  std::stable_sort(events.begin(), events.end(),
                   [](const RolloutEvent& a, const RolloutEvent& b) {
                     return a.sequence < b.sequence;
                   });
  // A host that replays its log after a crash writes some events twice:
  // keep the first of each sequence number.
  size_t duplicates = 0;
  std::vector<RolloutEvent> unique;
  for (RolloutEvent& e : events) {
    if (!unique.empty() && unique.back().sequence == e.sequence) {
      ++duplicates;
      continue;
    }
    unique.push_back(std::move(e));
  }
  events = std::move(unique);
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time start = events.front().time;
  const absl::Time end = events.back().time;
  const std::string name =
      events.front().rollout.empty() ? "rollout" : events.front().rollout;
  out << "Timeline of " << name << ": " << events.size() << " events, "
      << absl::FormatTime("%Y-%m-%d %H:%M:%S", start, utc) << " to "
      << absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", end, utc) << " ("
      << absl::FormatDuration(end - start) << ")";
  if (!events.front().rollout_id.empty()) {
    out << "; rollout id " << events.front().rollout_id;
  }
  if (duplicates > 0) {
    out << "; " << duplicates << " replayed duplicate(s) dropped";
  }
  out << "\n\n";
  int64_t expected = events.front().sequence;
  int failures = 0, escalations = 0;
  std::vector<std::string> commands;
  std::string outcome = "unfinished";
  for (const RolloutEvent& e : events) {
    if (e.sequence > expected) {
      out << "   (events " << expected << " to " << e.sequence - 1
          << " missing)\n";
    }
    expected = e.sequence < INT64_MAX ? e.sequence + 1 : e.sequence;
    const std::string wave =
        e.wave >= 0 ? absl::StrCat("wave ", e.wave) : std::string();
    out << Marker(e) << " " << absl::FormatTime("%H:%M:%S", e.time, utc) << "  "
        << absl::StrFormat("%-8s %-7s %-26s ", Offset(e.time - start), wave,
                           What(e))
        << Detail(e) << "\n";
    if (e.kind == EventKind::kWaveFailed) ++failures;
    if (e.kind == EventKind::kEscalated) ++escalations;
    if (e.kind == EventKind::kOperatorCommand) {
      commands.push_back(absl::StrCat(e.command, " by ", e.who, " at ",
                                      Offset(e.time - start)));
    }
    if (e.kind == EventKind::kRolloutFinished) outcome = e.status;
  }
  out << "\nOutcome: " << outcome << "; " << failures << " wave failure(s); "
      << escalations << " escalation(s)";
  if (!commands.empty()) {
    out << "; operator commands: " << absl::StrJoin(commands, ", ");
  }
  out << "\n";
}

// Prints the action ledger of a snapshot (Rollout::Snapshot() bytes).
int PrintLedger(const v1::RolloutState& state, std::ostream& out) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  out << "Ledger of " << (state.name().empty() ? "rollout" : state.name());
  if (!state.rollout_id().empty()) out << " (" << state.rollout_id() << ")";
  out << " from a snapshot: " << state.version() << " (rollback to "
      << state.previous_version() << "), status " << state.status() << ", wave "
      << state.current_wave() << " " << state.phase() << ", "
      << state.actions_size() << " actions, " << state.event_sequence()
      << " events emitted\n\n";
  for (const v1::ActionRecord& a : state.actions()) {
    const absl::Time at = absl::FromUnixSeconds(a.issued_at().seconds());
    const char* st = a.state() == 0   ? "open"
                     : a.state() == 2 ? "cancelled"
                                      : "done";
    std::string detail = a.message();
    if (a.kind() == "deploy" || a.kind() == "roll-back" ||
        a.kind() == "set-traffic") {
      detail = absl::StrCat(a.version(), ": ", a.succeeded(), " ok, ",
                            a.failed(), " failed of ", a.total(),
                            a.first_failure().empty()
                                ? std::string()
                                : absl::StrCat("; first: ", a.first_failure()));
    }
    out << absl::StrFormat("%s  %-9s %-22s %-16s %s\n",
                           absl::FormatTime("%Y-%m-%d %H:%M:%S", at, utc), st,
                           a.id(), a.kind(), detail);
  }
  return kExitOk;
}

int RunTimeline(CommandContext& context) {
  absl::StatusOr<ParsedArgs> args = ParseArgs(context.args, {}, {});
  if (!args.ok()) {
    return UsageError(context, "timeline", args.status().message());
  }
  if (args->positional.size() != 1) {
    return UsageError(context, "timeline", "expects exactly one EVENTS file");
  }
  const std::string& path = args->positional[0];
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    context.err << "error: " << path << ": cannot open\n";
    return kExitFailure;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string bytes = buffer.str();
  const absl::string_view head = absl::StripLeadingAsciiWhitespace(bytes);
  if (!head.empty() && head.front() != '{' && head.front() != '#') {
    // Not JSON lines: perhaps a snapshot's bytes.
    v1::RolloutState state;
    if (state.ParseFromString(bytes) && state.schema_version() > 0 &&
        !state.version().empty()) {
      return PrintLedger(state, context.out);
    }
  }
  // Events by rollout (rollout_id, else the name), in order of appearance.
  std::vector<std::string> order;
  std::map<std::string, std::vector<RolloutEvent>> by_rollout;
  std::istringstream lines(bytes);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || absl::StartsWith(text, "#")) continue;
    absl::StatusOr<RolloutEvent> event = EventFromJsonLine(text);
    if (!event.ok()) {
      context.err << "error: " << path << ": line " << number << ": "
                  << event.status().message() << "\n";
      return kExitFailure;
    }
    const std::string key = event->rollout_id.empty()
                                ? absl::StrCat("name:", event->rollout)
                                : absl::StrCat("id:", event->rollout_id);
    auto [it, inserted] = by_rollout.try_emplace(key);
    if (inserted) order.push_back(key);
    it->second.push_back(*std::move(event));
  }
  if (order.empty()) {
    context.err << "error: " << path << ": no events\n";
    return kExitFailure;
  }
  for (size_t i = 0; i < order.size(); ++i) {
    if (i > 0) context.out << "\n";
    PrintRollout(std::move(by_rollout[order[i]]), context.out);
  }
  return kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(timeline, "timeline", "EVENTS",
                   "Print rollouts' events (JSON lines) as timelines, or a "
                   "snapshot's action ledger.",
                   RunTimeline);

}  // namespace sluice::cli
