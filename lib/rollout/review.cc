// Copyright 2026 The Sluice Authors.
//
// ReviewDraft: a post-incident review draft from a rollout's events
// (sluice/review.h).

#include "sluice/review.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "sluice/rollback_policy.h"
#include "sluice/verdict.h"

namespace sluice {
namespace {

bool IsFailing(const RolloutEvent& e) {
  return e.kind == EventKind::kGateVerdict && e.verdict.has_value() &&
         (e.verdict->outcome == Outcome::kFail ||
          e.verdict->outcome == Outcome::kError);
}

template <typename T>
void SetFirst(std::optional<T>& slot, T value) {
  if (!slot.has_value()) slot = value;
}

std::string Utc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

std::string Span(absl::Duration d) {
  return absl::FormatDuration(absl::Trunc(d, absl::Seconds(1)));
}

// A Markdown table cell: no pipes or newlines.
std::string Cell(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"|", "\\|"}, {"\n", " "}});
}

// The innermost verdict with the same outcome (the decisive gate of a
// combinator's verdict).
const Verdict& Decisive(const Verdict& v) {
  for (const Verdict& d : v.details) {
    if (d.outcome == v.outcome) return Decisive(d);
  }
  return v;
}

// The verdict of gate `name` in `v`'s tree, or null.
const Verdict* FindGate(const Verdict& v, absl::string_view name) {
  if (v.gate == name) return &v;
  for (const Verdict& d : v.details) {
    if (const Verdict* found = FindGate(d, name)) return found;
  }
  return nullptr;
}

// At most 160 characters of `text`, for timeline rows.
std::string Short(absl::string_view text) {
  if (text.size() <= 160) return std::string(text);
  return absl::StrCat(text.substr(0, 157), "...");
}

// "error_rate=7.5%, n=300".
std::string Numbers(const Verdict& v) {
  std::vector<std::string> parts;
  for (const Observation& o : v.observations) {
    parts.push_back(absl::StrCat(o.name, "=", o.value, o.unit));
  }
  const bool has_n =
      std::any_of(v.observations.begin(), v.observations.end(),
                  [](const Observation& o) { return o.name == "n"; });
  if (v.sample_count.has_value() && !has_n) {
    parts.push_back(absl::StrCat("n=", *v.sample_count));
  }
  return absl::StrJoin(parts, ", ");
}

// The errors a failing verdict's window saw: an error-rate observation in
// percent times the verdict's sample count; nullopt when it has neither.
std::optional<double> ErrorsSeen(const Verdict& v) {
  if (!v.sample_count.has_value()) return std::nullopt;
  for (const Observation& o : v.observations) {
    if (o.unit == "%" &&
        absl::AsciiStrToLower(o.name).find("error") != std::string::npos &&
        std::isfinite(o.value) && o.value >= 0) {
      return o.value / 100.0 * static_cast<double>(*v.sample_count);
    }
  }
  return std::nullopt;
}

// Where a wave is: "stage one-box; zone us-east-1/use1-az1" (with the plan
// and fleet) or "".
std::string WherePlanned(const ReviewInput& in, int wave) {
  if (in.plan == nullptr || wave < 0 ||
      wave >= static_cast<int>(in.plan->waves.size())) {
    return "";
  }
  const Wave& w = in.plan->waves[static_cast<size_t>(wave)];
  std::set<std::string> zones;
  for (Fleet::TargetIndex t : w.targets) {
    const Topology& topo = in.fleet->target(t).topology;
    zones.insert(absl::StrCat(topo.region, "/", topo.zone));
  }
  std::string out =
      absl::StrCat("\"", w.name, "\", stage ", w.stage.empty() ? "-" : w.stage,
                   ", ", w.targets.size(), " target(s)");
  if (!zones.empty() && zones.size() <= 3) {
    absl::StrAppend(&out, " in ", absl::StrJoin(zones, ", "));
  } else if (!zones.empty()) {
    absl::StrAppend(&out, " in ", zones.size(), " zones");
  }
  return out;
}

std::string WaveLabel(const ReviewInput& in, int wave) {
  if (wave < 0) return "-";
  std::string where = WherePlanned(in, wave);
  return where.empty() ? absl::StrCat("wave ", wave)
                       : absl::StrCat("wave ", wave, " (", where, ")");
}

}  // namespace

ReviewMoments FindReviewMoments(const std::vector<RolloutEvent>& events) {
  std::vector<const RolloutEvent*> sorted;
  for (const RolloutEvent& e : events) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const RolloutEvent* a, const RolloutEvent* b) {
                     return a->sequence < b->sequence;
                   });
  ReviewMoments m;
  for (const RolloutEvent* e : sorted) {
    switch (e->kind) {
      case EventKind::kWaveStarted:
        SetFirst(m.first_deploy, e->time);
        break;
      case EventKind::kGateVerdict:
        if (IsFailing(*e)) SetFirst(m.first_failing_check, e->time);
        break;
      case EventKind::kWaveFailed:
        SetFirst(m.detection, e->time);
        break;
      case EventKind::kPolicyDecision:
        SetFirst(m.decision, e->time);
        break;
      case EventKind::kRollbackStarted:
        SetFirst(m.rollback_started, e->time);
        break;
      case EventKind::kRollbackCompleted:
        SetFirst(m.rollback_done, e->time);
        break;
      case EventKind::kRolloutFinished:
        SetFirst(m.finished, e->time);
        break;
      default:
        break;
    }
  }
  return m;
}

absl::StatusOr<std::string> ReviewDraft(const ReviewInput& in) {
  if (in.events.empty()) return absl::InvalidArgumentError("events: none");
  if ((in.fleet == nullptr) != (in.plan == nullptr)) {
    return absl::InvalidArgumentError(in.fleet == nullptr
                                          ? "plan: given without fleet"
                                          : "fleet: given without plan");
  }
  std::vector<RolloutEvent> events = in.events;
  std::stable_sort(events.begin(), events.end(),
                   [](const RolloutEvent& a, const RolloutEvent& b) {
                     return a.sequence < b.sequence;
                   });
  std::set<std::string> names;
  for (const RolloutEvent& e : events) names.insert(e.rollout);
  if (names.size() > 1) {
    std::vector<std::string> quoted;
    for (const std::string& n : names)
      quoted.push_back(absl::StrCat("\"", n, "\""));
    return absl::InvalidArgumentError(absl::StrCat(
        "events: more than one rollout (", absl::StrJoin(quoted, ", "), ")"));
  }
  if (in.plan != nullptr) {
    const int waves = static_cast<int>(in.plan->waves.size());
    for (const RolloutEvent& e : events) {
      // The engine numbers the end of a completed rollout as one past the
      // last wave.
      if (e.kind == EventKind::kRolloutFinished && e.wave == waves) continue;
      if (e.wave >= waves) {
        return absl::InvalidArgumentError(absl::StrCat(
            "plan: wave ", e.wave, " of event ", e.sequence,
            " is not in the plan (", in.plan->waves.size(), " waves)"));
      }
      if (e.wave < 0) continue;
      for (Fleet::TargetIndex t : in.plan->waves[e.wave].targets) {
        if (t >= in.fleet->size()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "plan: wave ", e.wave, " names target ", t, " beyond the fleet (",
              in.fleet->size(), " targets)"));
        }
      }
    }
  }

  const ReviewMoments m = FindReviewMoments(events);
  const RolloutEvent* failed = nullptr;    // the first wave failure
  const RolloutEvent* failing = nullptr;   // the first failing verdict
  const RolloutEvent* decision = nullptr;  // the first policy decision
  const RolloutEvent* finished = nullptr;  // the last terminal event
  const RolloutEvent* started = nullptr;   // the first wave started
  const RolloutEvent* rolling = nullptr;   // the first rollback issued
  int escalations = 0;
  std::vector<const RolloutEvent*> commands;
  std::map<int, int64_t> deployed;  // wave -> most targets deployed at once
  for (const RolloutEvent& e : events) {
    if (e.kind == EventKind::kWaveFailed && failed == nullptr) failed = &e;
    if (IsFailing(e) && failing == nullptr) failing = &e;
    if (e.kind == EventKind::kPolicyDecision && decision == nullptr) {
      decision = &e;
    }
    if (e.kind == EventKind::kRolloutFinished) finished = &e;
    if (e.kind == EventKind::kWaveStarted && started == nullptr) started = &e;
    if (e.kind == EventKind::kRollbackStarted && rolling == nullptr) {
      rolling = &e;
    }
    if (e.kind == EventKind::kEscalated) ++escalations;
    if (e.kind == EventKind::kOperatorCommand) commands.push_back(&e);
    if (e.kind == EventKind::kWaveDeployed && e.wave >= 0) {
      int64_t& n = deployed[e.wave];
      n = std::max(n, e.succeeded_targets);
    }
  }
  const std::string status =
      finished != nullptr ? finished->status : events.back().status;
  // The decisive gate's verdict of the first failing check.
  const Verdict* decisive =
      failing != nullptr ? &Decisive(*failing->verdict) : nullptr;
  if (failed == nullptr && !m.rollback_started.has_value() &&
      escalations == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "events: rollout \"", *names.begin(), "\" had no wave failure, ",
        "rollback or escalation (status ", status.empty() ? "?" : status,
        "): nothing to review"));
  }

  const std::string name =
      names.begin()->empty() ? std::string("rollout") : *names.begin();
  const int detect_wave = failed != nullptr ? failed->wave : -1;
  std::string md =
      absl::StrCat("# Post-incident review (draft): ", name, "\n\n");
  absl::StrAppend(
      &md, "_Drafted by Sluice from ", events.size(), " events",
      in.source.empty() ? std::string() : absl::StrCat(" of `", in.source, "`"),
      ". Every number below comes from the events",
      in.plan != nullptr ? ", the fleet and the plan" : "",
      in.known.bad_requests.has_value() ? " and the simulator" : "",
      "; check them, then fill in the causes and the actions._\n\n");

  // Summary.
  absl::StrAppend(&md, "## Summary\n\n");
  std::string summary = absl::StrCat("Rollout `", name, "`");
  if (m.first_deploy.has_value()) {
    absl::StrAppend(&summary, " started deploying at ", Utc(*m.first_deploy));
  }
  if (failed != nullptr) {
    absl::StrAppend(&summary, "; ", WaveLabel(in, failed->wave), " failed at ",
                    Utc(failed->time));
    if (failed->trigger.has_value()) {
      absl::StrAppend(&summary, " (", FailureTriggerName(*failed->trigger),
                      ")");
    }
    if (decisive != nullptr) {
      absl::StrAppend(&summary, ": gate `", decisive->gate,
                      "`: ", decisive->reason);
    } else if (!failed->message.empty()) {
      absl::StrAppend(&summary, ": ", failed->message);
    }
  }
  if (decision != nullptr && decision->decision.has_value()) {
    absl::StrAppend(&summary, ". The rollback policy decided ",
                    DecisionKindName(decision->decision->kind));
  }
  if (m.rollback_done.has_value()) {
    absl::StrAppend(&summary, "; the rollback completed at ",
                    Utc(*m.rollback_done));
  }
  absl::StrAppend(&summary,
                  ". Final status: ", status.empty() ? "unfinished" : status,
                  ".");
  absl::StrAppend(&md, summary, "\n\n");

  // Impact.
  absl::StrAppend(&md, "## Impact\n\n| measure | value |\n| --- | --- |\n");
  int64_t exposed = 0;
  double weight = 0;
  for (const auto& [wave, n] : deployed) {
    exposed += n;
    if (in.plan != nullptr) {
      const Wave& w = in.plan->waves[static_cast<size_t>(wave)];
      double share = 0;
      for (Fleet::TargetIndex t : w.targets) share += in.fleet->weight_share(t);
      if (!w.targets.empty()) {
        share *=
            std::min<double>(1.0, static_cast<double>(n) /
                                      static_cast<double>(w.targets.size()));
      }
      weight += share;
    }
  }
  absl::StrAppend(&md, "| waves deployed | ", deployed.size(), " |\n");
  absl::StrAppend(&md, "| targets that ran the new version | ", exposed,
                  in.fleet != nullptr ? absl::StrCat(" of ", in.fleet->size())
                                      : std::string(),
                  " |\n");
  if (in.plan != nullptr) {
    absl::StrAppend(&md, "| fleet weight on the new version (at most) | ",
                    absl::StrFormat("%.1f%%", 100 * weight), " |\n");
  }
  if (m.first_deploy.has_value()) {
    const std::optional<absl::Time> end =
        m.rollback_done.has_value() ? m.rollback_done : m.finished;
    absl::StrAppend(&md, "| exposed for | ",
                    end.has_value()
                        ? absl::StrCat(Span(*end - *m.first_deploy),
                                       m.rollback_done.has_value()
                                           ? " (first deploy to rollback done)"
                                           : " (first deploy to the end)")
                        : std::string("until now (no rollback completed)"),
                    " |\n");
  }
  if (in.known.bad_requests.has_value()) {
    absl::StrAppend(&md, "| bad requests | ", *in.known.bad_requests,
                    " (known to the simulator) |\n");
  } else if (decisive != nullptr && ErrorsSeen(*decisive).has_value()) {
    absl::StrAppend(&md, "| errors seen by the failing gate | about ",
                    static_cast<int64_t>(std::llround(*ErrorsSeen(*decisive))),
                    " in its window (", Numbers(*decisive),
                    "); the whole exposure is more |\n");
  } else {
    absl::StrAppend(&md,
                    "| bad requests | unknown from the events (fill in from "
                    "the service's metrics) |\n");
  }
  if (!in.known.fault.empty()) {
    absl::StrAppend(&md, "| the fault | ", Cell(in.known.fault), " |\n");
  }
  absl::StrAppend(&md, "\n");

  // Timeline.
  absl::StrAppend(&md,
                  "## Timeline (UTC)\n\n| time | offset | moment | "
                  "wave | detail |\n| --- | --- | --- | --- | --- |\n");
  const absl::Time t0 =
      m.first_deploy.has_value() ? *m.first_deploy : events.front().time;
  // Rows in time order (stable: events keep their sequence order).
  std::vector<std::pair<absl::Time, std::string>> rows;
  auto row = [&](absl::Time t, absl::string_view moment, int wave,
                 absl::string_view detail) {
    rows.emplace_back(
        t,
        absl::StrCat("| ", absl::FormatTime("%H:%M:%S", t, absl::UTCTimeZone()),
                     " | ",
                     t >= t0 ? absl::StrCat("+", Span(t - t0))
                             : absl::StrCat("-", Span(t0 - t)),
                     " | ", moment, " | ", wave >= 0 ? absl::StrCat(wave) : "-",
                     " | ", Cell(detail), " |\n"));
  };
  if (in.known.first_harm.has_value()) {
    row(*in.known.first_harm, "first request harmed", -1,
        "known to the simulator");
  }
  for (const RolloutEvent& e : events) {
    if (&e == started) {
      row(e.time, "first deploy of the new version", e.wave, Short(e.message));
    } else if (&e == failing) {
      row(e.time, "first failing check", e.wave,
          absl::StrCat(decisive->gate, ": ", decisive->reason,
                       Numbers(*decisive).empty()
                           ? std::string()
                           : absl::StrCat(" [", Numbers(*decisive), "]")));
    } else if (&e == failed) {
      row(e.time, "detection: the wave failed", e.wave, Short(e.message));
    } else if (&e == decision) {
      row(e.time, "decision", e.wave,
          e.decision.has_value()
              ? Short(
                    absl::StrCat(DecisionKindName(e.decision->kind),
                                 e.decision->reason.empty()
                                     ? std::string()
                                     : absl::StrCat(": ", e.decision->reason)))
              : Short(e.message));
    } else if (&e == rolling) {
      row(e.time, "rollback started", e.wave, Short(e.message));
    } else if (e.kind == EventKind::kRollbackCompleted) {
      row(e.time, "rollback done", e.wave, Short(e.message));
    } else if (e.kind == EventKind::kEscalated) {
      row(e.time, "escalated (a person paged)", e.wave, Short(e.message));
    } else if (e.kind == EventKind::kOperatorCommand) {
      row(e.time, absl::StrCat("operator: ", e.command), e.wave,
          absl::StrCat("by ", e.who.empty() ? "?" : e.who));
    } else if (e.kind == EventKind::kRolloutFinished) {
      row(e.time, "all clear: the rollout ended", e.wave,
          absl::StrCat("status ", e.status));
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
  });
  for (const auto& r : rows) absl::StrAppend(&md, r.second);
  absl::StrAppend(&md,
                  "\nThe whole sequence: `sluice timeline` on the same "
                  "events.\n\n");

  // Detection and mitigation.
  absl::StrAppend(&md, "## Detection and mitigation\n\n");
  if (failed != nullptr) {
    absl::StrAppend(
        &md, "- **Detected by**: ",
        decisive != nullptr
            ? absl::StrCat(
                  "gate `", decisive->gate, "`",
                  decisive != &*failing->verdict
                      ? absl::StrCat(" (in `", failing->verdict->gate, "`)")
                      : std::string())
            : std::string(failed->trigger.has_value()
                              ? FailureTriggerName(*failed->trigger)
                              : "the engine"),
        " on ", WaveLabel(in, failed->wave), ".\n");
  } else {
    absl::StrAppend(&md,
                    "- **Detected by**: no wave failed; a person or the "
                    "policy stopped the rollout (see the timeline).\n");
  }
  if (m.first_deploy.has_value() && m.detection.has_value()) {
    absl::StrAppend(
        &md, "- **Time to detect**: ", Span(*m.detection - *m.first_deploy),
        " from the first deploy");
    if (in.known.first_harm.has_value()) {
      absl::StrAppend(&md, "; ",
                      Span(std::max(absl::ZeroDuration(),
                                    *m.detection - *in.known.first_harm)),
                      " from the first harmed request");
    }
    absl::StrAppend(&md, ".\n");
  }
  if (m.detection.has_value() && m.rollback_done.has_value()) {
    absl::StrAppend(
        &md, "- **Time to mitigate**: ", Span(*m.rollback_done - *m.detection),
        " from detection to rollback done",
        m.first_deploy.has_value()
            ? absl::StrCat(" (", Span(*m.rollback_done - *m.first_deploy),
                           " from the first deploy)")
            : std::string(),
        ".\n");
  } else if (m.detection.has_value()) {
    absl::StrAppend(&md, "- **Time to mitigate**: no rollback completed.\n");
  }
  if (escalations > 0) {
    absl::StrAppend(&md, "- **People paged**: ", escalations, ".\n");
  }

  // What could have caught it sooner.
  absl::StrAppend(&md, "\n### Could it have been caught sooner?\n\n");
  std::vector<std::string> sooner;
  if (failing != nullptr && m.detection.has_value() &&
      failing->time < *m.detection) {
    sooner.push_back(absl::StrCat(
        "The first failing check came ", Span(*m.detection - failing->time),
        " before the wave failed (retries or consecutive failures the gate "
        "requires): fewer would stop sooner, at more false rollbacks."));
  }
  if (detect_wave > 0) {
    // Earlier verdicts of the gate whose verdict failed the wave.
    const std::string gate =
        failing != nullptr ? failing->verdict->gate : std::string();
    std::map<int, const RolloutEvent*> earlier;  // wave -> last verdict
    for (const RolloutEvent& e : events) {
      if (e.kind == EventKind::kGateVerdict && e.verdict.has_value() &&
          e.wave >= 0 && e.wave < detect_wave &&
          (gate.empty() || e.verdict->gate == gate)) {
        earlier[e.wave] = &e;
      }
    }
    if (!gate.empty() && earlier.empty()) {
      sooner.push_back(absl::StrCat(
          "Gate `", gate, "` did not judge waves 0 to ", detect_wave - 1,
          ": the same check on the first wave (one box or one zone) would "
          "have judged the new version ",
          deployed.count(0) != 0 ? absl::StrCat(deployed.at(0), " target(s)")
                                 : std::string("earlier"),
          " in."));
    }
    if (!earlier.empty()) {
      std::string table = absl::StrCat(
          "The earlier waves' verdicts of `",
          decisive != nullptr ? decisive->gate : gate,
          "` (was the fault already there, below the gate's threshold or its "
          "power at that wave's traffic?):\n\n"
          "  | wave | when | verdict | numbers | the fault there? |\n"
          "  | --- | --- | --- | --- | --- |\n");
      for (const auto& [wave, e] : earlier) {
        // The decisive gate's own verdict in that wave, when it ran there.
        const Verdict* v = decisive != nullptr
                               ? FindGate(*e->verdict, decisive->gate)
                               : nullptr;
        if (v == nullptr) v = &*e->verdict;
        std::string there = "unknown";
        if (in.known.first_harm.has_value()) {
          there = e->time < *in.known.first_harm
                      ? "no: judged before the first harmed request"
                      : "harm had begun";
        }
        absl::StrAppend(&table, "  | ", WaveLabel(in, wave), " | +",
                        Span(e->time - t0), " | ", OutcomeName(v->outcome),
                        " | ", Cell(Numbers(*v)), " | ", there, " |\n");
      }
      sooner.push_back(table);
    }
    int64_t before = 0;
    for (const auto& [wave, n] : deployed) {
      if (wave < detect_wave) before += n;
    }
    sooner.push_back(absl::StrCat(
        "The fault was detected on wave ", detect_wave, ", after ", before,
        " target(s) of earlier waves had passed: if it was on them too, the "
        "earlier waves' gates missed it."));
  }
  if (sooner.empty()) {
    sooner.push_back("The fault was caught on the rollout's first wave.");
  }
  for (const std::string& s : sooner) absl::StrAppend(&md, "- ", s, "\n");

  // Operator commands.
  if (!commands.empty()) {
    absl::StrAppend(&md, "\n### Operator commands\n\n");
    for (const RolloutEvent* e : commands) {
      absl::StrAppend(&md, "- ", Utc(e->time), ": ", e->command, " by ",
                      e->who.empty() ? "?" : e->who, "\n");
    }
  }

  absl::StrAppend(
      &md,
      "\n## Causes\n\n_To fill in: what in the change caused the fault, and "
      "why it was not caught before the rollout (tests, review, canary)._\n\n"
      "## Actions\n\n| action | owner | due | tracking |\n"
      "| --- | --- | --- | --- |\n|  |  |  |  |\n");
  return md;
}

}  // namespace sluice
