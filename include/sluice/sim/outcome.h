// Copyright 2026 The Sluice Authors.
//
// The measures of one simulated rollout (RunOutcome) and what the simulator
// records along the way (the timeline, metric curves, gate verdicts).
//
//   - stopped: a wave failed (any trigger: a gate verdict, deploy failures,
//     a deadline) and the rollout did not complete: it rolled back or waits
//     for a person. For a good release every stop is a false rollback;
//   - detected: a bad release stopped by its own symptoms: a gate verdict
//     (fail, inconclusive or error), or deploy failures of targets the
//     fault crashed. A bad release stopped by something else (a transient
//     deploy failure) was stopped, not detected; one that completed
//     escaped;
//   - where: the failed wave (index and stage), the zones and regions the
//     new version had reached by then, and whether it was still within one
//     zone and before any region ran it on every target;
//   - time to detect: from the first target serving the bad version, and
//     from the first request the fault harmed (0 when detection came
//     first), to the stop;
//   - blast radius: the most targets and the largest share of fleet weight
//     serving the bad version at once, the requests served by targets the
//     fault hurt while it showed ("bad requests") and the failed requests
//     it added ("excess errors");
//   - the decisive gate: the innermost failing gate of the verdict that
//     failed the wave;
//   - time to full rollout: from the start to the rollout's success (its
//     final bake included).
//
// ComputeExposure() computes the blast radius from a VersionHistory.
//
// Example:
//
//   sluice::sim::Exposure exposure = sluice::sim::ComputeExposure(
//       model, versions, scenario.start + scenario.duration);
//   outcome.max_bad_targets = exposure.max_targets;

#ifndef SLUICE_SIM_OUTCOME_H_
#define SLUICE_SIM_OUTCOME_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout_event.h"
#include "sluice/sim/metric_model.h"

namespace sluice::sim {

// How far a release spread. Value type; thread-compatible.
struct Exposure {
  // Most targets on the new version at once.
  int64_t max_targets = 0;
  // Largest share of fleet weight on the new version at once, in [0, 1].
  double max_weight_share = 0;
  // Expected requests served by targets the fault hurt while it showed, or
  // by crashed targets (0 for a good release).
  double hurt_requests = 0;
  // Expected failed requests the fault added.
  double excess_errors = 0;
  // When the fault first harmed a request (minute resolution, not before
  // the first onset); unset if it never did.
  std::optional<absl::Time> first_harm;

  friend bool operator==(const Exposure& a, const Exposure& b) {
    return a.max_targets == b.max_targets &&
           a.max_weight_share == b.max_weight_share &&
           a.hurt_requests == b.hurt_requests &&
           a.excess_errors == b.excess_errors && a.first_harm == b.first_harm;
  }
};

// The exposure of the new version over [model.scenario().start, end):
// counts every target of the history, hurt requests by minute (the expected
// traffic, without noise, as MetricModel::CohortMinutes() with draw false
// gives it). O(targets log targets + minutes x zones).
Exposure ComputeExposure(const MetricModel& model,
                         const VersionHistory& versions, absl::Time end);

// The measures of one run (see the header comment). Value type;
// thread-compatible.
struct RunOutcome {
  // The run's index and seed.
  int64_t run = 0;
  uint64_t seed = 0;
  // The scenario's release was bad.
  bool bad_release = false;
  // The rollout ended rolled back.
  bool rolled_back = false;
  // A wave failed and the rollout did not complete.
  bool stopped = false;
  // Why: the first failed wave's trigger. Default: unset.
  std::optional<FailureTrigger> stop_trigger;
  // The first failed wave's index (-1 when none) and its stage (or name).
  int stop_wave = -1;
  std::string stop_stage;
  // For a gate trigger: the innermost failing gate's name. Default: empty.
  std::string decisive_gate;
  // Zones and regions with a target that had served the new version by the
  // stop (by the end when not stopped).
  int64_t zones_reached = 0;
  int64_t regions_reached = 0;
  // Stopped while the new version had reached at most one zone; stopped
  // before any region ran the new version on every target.
  bool stopped_in_first_zone = false;
  bool stopped_before_region_complete = false;
  // A bad release was stopped by its own symptoms (see the header comment).
  bool detected = false;
  // Of those: through deploy failures of crash-looping targets.
  bool stopped_by_fault = false;
  // A bad release completed its rollout.
  bool escaped = false;
  // From the first bad deployment to detection; nullopt if not detected.
  std::optional<absl::Duration> time_to_detect;
  // From the first harmed request to detection (zero when detection came
  // first); nullopt if not detected.
  std::optional<absl::Duration> time_to_detect_from_harm;
  // From the start to the first harmed request; nullopt if none.
  std::optional<absl::Duration> first_harm;
  // Expected failed requests the fault added.
  double excess_errors = 0;
  // Most targets on the bad version at once (0 for a good release).
  int64_t max_bad_targets = 0;
  // Largest weight share on the bad version at once (0 for a good release).
  double max_bad_weight_share = 0;
  // Requests served by hurt targets while the fault showed.
  double bad_requests = 0;
  // From the start to the rollout's success; nullopt when it did not
  // succeed within the scenario.
  std::optional<absl::Duration> time_to_full_rollout;
  // A good release was stopped (any trigger).
  bool false_rollback = false;
  // The rollout's final status, e.g. "succeeded", "rolled-back", "running".
  std::string final_state;

  friend bool operator==(const RunOutcome& a, const RunOutcome& b);
  friend bool operator!=(const RunOutcome& a, const RunOutcome& b) {
    return !(a == b);
  }
};

// Prints e.g. "run 3: bad, detected after 12m, max 41 targets (0.4%),
// 1.2e+04 bad requests, rolled_back".
std::ostream& operator<<(std::ostream& os, const RunOutcome& outcome);

// One event of a run's timeline. Value type; thread-compatible.
struct TimelineEvent {
  // The kinds of events.
  enum class Kind {
    // A wave started deploying.
    kWaveStarted,
    // Every target of a wave has a deploy outcome.
    kWaveDeployed,
    // A gate's final verdict on a wave (see `passed`).
    kGate,
    // The first rollback action was issued.
    kRollbackStarted,
    // Every touched target runs the old version again.
    kRollbackDone,
    // The rollout paused for a person.
    kPaused,
    // The rollout reached a terminal state.
    kCompleted,
    // Anything else: a wave's failure, a policy decision, an escalation.
    kNote,
  };
  // Virtual time.
  absl::Time time;
  // Default: kNote.
  Kind kind = Kind::kNote;
  // The wave, or -1. Default: -1.
  int wave = -1;
  // For kGate: whether the verdict allows going on. Default: true.
  bool passed = true;
  // Free text, e.g. "error-rate: fail (0.021 > 0.01)". Default: empty.
  std::string detail;

  friend bool operator==(const TimelineEvent& a, const TimelineEvent& b) {
    return a.time == b.time && a.kind == b.kind && a.wave == b.wave &&
           a.passed == b.passed && a.detail == b.detail;
  }
};

// "wave_started", "wave_deployed", "gate", "rollback_started",
// "rollback_done", "paused", "completed", "note".
const char* TimelineEventKindName(TimelineEvent::Kind kind);

// A metric curve of one cohort, for reports. Value type; thread-compatible.
struct MetricCurve {
  // The metric's name.
  std::string metric;
  // "canary" or "baseline" (or any label).
  std::string cohort;
  // The points, in time order.
  std::vector<Sample> points;

  friend bool operator==(const MetricCurve& a, const MetricCurve& b) {
    return a.metric == b.metric && a.cohort == b.cohort && a.points == b.points;
  }
};

// One wave on the timeline, for reports. Value type; thread-compatible.
struct WaveSpan {
  // The wave's index and label (e.g. its stage).
  int index = 0;
  std::string label;
  // When deployment started and when the wave was done (deployed and
  // judged, or stopped).
  absl::Time start;
  absl::Time end;
  // The number of targets.
  int64_t targets = 0;
  // "passed", "failed", "rolled_back", "running".
  std::string status;

  friend bool operator==(const WaveSpan& a, const WaveSpan& b) {
    return a.index == b.index && a.label == b.label && a.start == b.start &&
           a.end == b.end && a.targets == b.targets && a.status == b.status;
  }
};

// What a run recorded, for reports and the JSON timeline. Value type;
// thread-compatible.
struct RunTrace {
  // The run's measures.
  RunOutcome outcome;
  // Events in time order.
  std::vector<TimelineEvent> events;
  // Waves in order.
  std::vector<WaveSpan> waves;
  // Canary and baseline curves of the gated metrics.
  std::vector<MetricCurve> curves;
  // The engine's own events of the run, in sequence order, as a host's
  // EventSink would have received them (for `sluice timeline` and
  // ReviewDraft()).
  std::vector<RolloutEvent> rollout_events;
  // The virtual span of the run.
  absl::Time start;
  absl::Time end;
};

}  // namespace sluice::sim

#endif  // SLUICE_SIM_OUTCOME_H_
