// Copyright 2026 The Sluice Authors.

#include "sluice/sim/outcome.h"

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace sluice::sim {

Exposure ComputeExposure(const MetricModel& model,
                         const VersionHistory& versions, absl::Time end) {
  Exposure exposure;
  const Fleet& fleet = model.fleet();
  const Scenario& scenario = model.scenario();
  // (time, order, target delta, weight delta): removals sort before
  // additions at the same time.
  std::vector<std::tuple<absl::Time, int, int, double>> changes;
  std::vector<uint32_t> touched;
  absl::Time first_new = absl::InfiniteFuture();
  absl::Time first_onset = absl::InfiniteFuture();
  for (uint32_t t = 0; t < versions.size(); ++t) {
    const double share = fleet.weight_share(t);
    bool any = false;
    for (const TimeInterval& interval : versions.intervals(t)) {
      if (interval.from >= end) continue;
      any = true;
      first_new = std::min(first_new, interval.from);
      changes.emplace_back(interval.from, 1, 1, share);
      if (interval.to < end) changes.emplace_back(interval.to, 0, -1, -share);
      if (model.hurts(t)) {
        absl::Time onset = interval.from + scenario.fault.onset_delay;
        if (model.crashes(t)) {
          onset = std::min(onset, interval.from + scenario.fault.crash.after);
        }
        if (onset < std::min(interval.to, end)) {
          first_onset = std::min(first_onset, onset);
        }
      }
    }
    if (any) touched.push_back(t);
  }
  std::sort(changes.begin(), changes.end());
  int64_t targets = 0;
  double weight = 0;
  for (const auto& [time, order, dt, dw] : changes) {
    targets += dt;
    weight += dw;
    exposure.max_targets = std::max(exposure.max_targets, targets);
    exposure.max_weight_share = std::max(exposure.max_weight_share, weight);
  }
  exposure.max_weight_share = std::min(exposure.max_weight_share, 1.0);
  if (model.hurt_count() == 0 || first_onset == absl::InfiniteFuture()) {
    return exposure;
  }
  // Minute by minute from the first onset, expected values only.
  std::vector<CohortMinute> minutes;
  model.CohortMinutes(
      touched, versions,
      model.MinuteStart(model.MinuteIndex(std::max(first_new, first_onset))),
      end, &minutes, /*draw=*/false);
  for (const CohortMinute& m : minutes) {
    if (m.time + absl::Seconds(30) >= end) break;
    exposure.hurt_requests += m.harmed_requests;
    exposure.excess_errors += m.excess_errors;
    if (!exposure.first_harm.has_value() && m.harmed_requests > 0) {
      exposure.first_harm = std::max(m.time, first_onset);
    }
  }
  return exposure;
}

bool operator==(const RunOutcome& a, const RunOutcome& b) {
  return a.run == b.run && a.seed == b.seed && a.bad_release == b.bad_release &&
         a.rolled_back == b.rolled_back && a.stopped == b.stopped &&
         a.stop_trigger == b.stop_trigger && a.stop_wave == b.stop_wave &&
         a.stop_stage == b.stop_stage && a.decisive_gate == b.decisive_gate &&
         a.zones_reached == b.zones_reached &&
         a.regions_reached == b.regions_reached &&
         a.stopped_in_first_zone == b.stopped_in_first_zone &&
         a.stopped_before_region_complete == b.stopped_before_region_complete &&
         a.detected == b.detected && a.stopped_by_fault == b.stopped_by_fault &&
         a.escaped == b.escaped && a.time_to_detect == b.time_to_detect &&
         a.time_to_detect_from_harm == b.time_to_detect_from_harm &&
         a.first_harm == b.first_harm && a.excess_errors == b.excess_errors &&
         a.max_bad_targets == b.max_bad_targets &&
         a.max_bad_weight_share == b.max_bad_weight_share &&
         a.bad_requests == b.bad_requests &&
         a.time_to_full_rollout == b.time_to_full_rollout &&
         a.false_rollback == b.false_rollback && a.final_state == b.final_state;
}

std::ostream& operator<<(std::ostream& os, const RunOutcome& o) {
  os << "run " << o.run << ": " << (o.bad_release ? "bad" : "good");
  if (o.bad_release) {
    if (o.detected) {
      os << ", detected after "
         << absl::FormatDuration(
                o.time_to_detect.value_or(absl::ZeroDuration()));
      if (o.stop_wave >= 0) {
        os << " in wave " << o.stop_wave;
        if (!o.stop_stage.empty()) os << " (" << o.stop_stage << ")";
      }
      if (!o.decisive_gate.empty()) os << " by " << o.decisive_gate;
      if (o.stopped_by_fault) os << " by its deploy failures";
    } else if (o.stopped) {
      os << ", stopped but not detected ("
         << (o.stop_trigger.has_value() ? FailureTriggerName(*o.stop_trigger)
                                        : "unknown")
         << ")";
    } else if (o.escaped) {
      os << ", escaped";
    } else {
      os << ", not detected";
    }
    os << ", max " << o.max_bad_targets << " targets ("
       << absl::StrFormat("%.1f%%", 100 * o.max_bad_weight_share) << "), "
       << absl::StrFormat("%.4g", o.bad_requests) << " bad requests";
  } else if (o.false_rollback) {
    os << ", falsely stopped ("
       << (o.stop_trigger.has_value() ? FailureTriggerName(*o.stop_trigger)
                                      : "unknown")
       << ")";
  }
  if (o.time_to_full_rollout.has_value()) {
    os << ", full rollout after "
       << absl::FormatDuration(*o.time_to_full_rollout);
  }
  return os << ", " << (o.final_state.empty() ? "unknown" : o.final_state);
}

const char* TimelineEventKindName(TimelineEvent::Kind kind) {
  switch (kind) {
    case TimelineEvent::Kind::kWaveStarted:
      return "wave_started";
    case TimelineEvent::Kind::kWaveDeployed:
      return "wave_deployed";
    case TimelineEvent::Kind::kGate:
      return "gate";
    case TimelineEvent::Kind::kRollbackStarted:
      return "rollback_started";
    case TimelineEvent::Kind::kRollbackDone:
      return "rollback_done";
    case TimelineEvent::Kind::kPaused:
      return "paused";
    case TimelineEvent::Kind::kCompleted:
      return "completed";
    case TimelineEvent::Kind::kNote:
      return "note";
  }
  return "note";
}

}  // namespace sluice::sim
