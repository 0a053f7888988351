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

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "sluice/rollout_event.h"
#include "sluice/rollout_proto.h"
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

int RunTimeline(CommandContext& context) {
  absl::StatusOr<ParsedArgs> args = ParseArgs(context.args, {}, {});
  if (!args.ok()) {
    return UsageError(context, "timeline", args.status().message());
  }
  if (args->positional.size() != 1) {
    return UsageError(context, "timeline", "expects exactly one EVENTS file");
  }
  absl::StatusOr<std::vector<RolloutEvent>> read =
      ReadEventsFile(args->positional[0]);
  if (!read.ok()) return Fail(context, "", read.status());
  std::vector<RolloutEvent> events = *std::move(read);
  std::stable_sort(events.begin(), events.end(),
                   [](const RolloutEvent& a, const RolloutEvent& b) {
                     return a.sequence < b.sequence;
                   });
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time start = events.front().time;
  const absl::Time end = events.back().time;
  const std::string name =
      events.front().rollout.empty() ? "rollout" : events.front().rollout;
  context.out << "Timeline of " << name << ": " << events.size() << " events, "
              << absl::FormatTime("%Y-%m-%d %H:%M:%S", start, utc) << " to "
              << absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", end, utc) << " ("
              << absl::FormatDuration(end - start) << ")\n\n";
  int64_t expected = events.front().sequence;
  int failures = 0, escalations = 0;
  std::vector<std::string> commands;
  std::string outcome = "unfinished";
  for (const RolloutEvent& e : events) {
    if (e.sequence != expected) {
      context.out << "   (events " << expected << " to " << e.sequence - 1
                  << " missing)\n";
    }
    expected = e.sequence + 1;
    const std::string wave =
        e.wave >= 0 ? absl::StrCat("wave ", e.wave) : std::string();
    context.out << Marker(e) << " " << absl::FormatTime("%H:%M:%S", e.time, utc)
                << "  "
                << absl::StrFormat("%-8s %-7s %-26s ", Offset(e.time - start),
                                   wave, What(e))
                << Detail(e) << "\n";
    if (e.kind == EventKind::kWaveFailed) ++failures;
    if (e.kind == EventKind::kEscalated) ++escalations;
    if (e.kind == EventKind::kOperatorCommand) {
      commands.push_back(absl::StrCat(e.command, " by ", e.who, " at ",
                                      Offset(e.time - start)));
    }
    if (e.kind == EventKind::kRolloutFinished) outcome = e.status;
  }
  context.out << "\nOutcome: " << outcome << "; " << failures
              << " wave failure(s); " << escalations << " escalation(s)";
  if (!commands.empty()) {
    context.out << "; operator commands: " << absl::StrJoin(commands, ", ");
  }
  context.out << "\n";
  return kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(timeline, "timeline", "EVENTS",
                   "Print a rollout's events (JSON lines) as a timeline.",
                   RunTimeline);

}  // namespace sluice::cli
