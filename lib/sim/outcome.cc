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
  // Hurt weight changes (time, fleet weight units).
  std::vector<std::pair<absl::Time, double>> hurt;
  for (uint32_t t = 0; t < versions.size(); ++t) {
    const double share = fleet.weight_share(t);
    for (const TimeInterval& interval : versions.intervals(t)) {
      if (interval.from >= end) continue;
      changes.emplace_back(interval.from, 1, 1, share);
      if (interval.to < end) changes.emplace_back(interval.to, 0, -1, -share);
      if (model.hurts(t)) {
        const absl::Time onset = interval.from + scenario.fault.onset_delay;
        const absl::Time until = std::min(interval.to, end);
        if (onset < until) {
          hurt.emplace_back(onset, fleet.target(t).weight);
          hurt.emplace_back(until, -fleet.target(t).weight);
        }
      }
    }
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
  if (hurt.empty()) return exposure;
  std::sort(hurt.begin(), hurt.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  // Integrate minute by minute from the first onset (at minute mids).
  int64_t minute = model.MinuteIndex(hurt.front().first);
  const int64_t last = model.MinuteIndex(end);
  size_t next = 0;
  double hurt_weight = 0;
  for (; minute <= last; ++minute) {
    const absl::Time mid = model.MinuteStart(minute) + absl::Seconds(30);
    if (mid >= end) break;
    while (next < hurt.size() && hurt[next].first <= mid) {
      hurt_weight += hurt[next].second;
      ++next;
    }
    if (hurt_weight > 1e-12) {
      exposure.hurt_requests += 60.0 * model.BaseRate(mid) * hurt_weight;
    } else if (next == hurt.size()) {
      break;
    }
  }
  return exposure;
}

bool operator==(const RunOutcome& a, const RunOutcome& b) {
  return a.run == b.run && a.seed == b.seed && a.bad_release == b.bad_release &&
         a.rolled_back == b.rolled_back && a.detected == b.detected &&
         a.time_to_detect == b.time_to_detect &&
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
    } else {
      os << ", not detected";
    }
    os << ", max " << o.max_bad_targets << " targets ("
       << absl::StrFormat("%.1f%%", 100 * o.max_bad_weight_share) << "), "
       << absl::StrFormat("%.4g", o.bad_requests) << " bad requests";
  } else if (o.false_rollback) {
    os << ", falsely rolled back";
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
