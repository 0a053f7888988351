// Copyright 2026 The Sluice Authors.
//
// HealthGate: decides, after a wave, whether it is safe to go on.
//
// A gate is a long-lived, const policy object, built once from the spec (or
// by host code) and reused across waves and rollouts. Everything that changes
// is passed in: the GateContext (the time, the wave, its cohorts, the host's
// MetricSource and AlarmSource, operator signals) and a GateState the caller
// owns. The gate reads and updates the state (measurement counts, when a bake
// or an approval wait started) and returns a Verdict (sluice/verdict.h).
//
// The caller's loop, which the rollout engine runs after each wave:
//
//   sluice::GateState state;  // fresh for each wave
//   for (;;) {
//     sluice::GateContext context;
//     context.now = clock.Now();
//     context.wave_index = 2;
//     context.stage = "zone";
//     context.wave_deployed_at = deployed_at;
//     context.wave_targets = wave_ids;
//     context.baseline_targets = baseline_ids;
//     context.metric_source = &metrics;
//     context.alarm_source = &alarms;
//     sluice::Verdict v = gate.Evaluate(context, state);
//     if (v.outcome != sluice::Outcome::kHold) break;  // decided
//     SleepUntil(v.hold_until);  // or persist `state` and come back later
//   }
//
// Gates never read the wall clock: `context.now` is the time. Given the same
// context, state and answers from the sources, a gate returns the same
// verdict and leaves the same state.
//
// Built-in gates (threshold, relative-to-baseline, alarm, analysis, bake,
// deploy windows, manual approval, combinators) are made by the validating
// factories in sluice/gates.h; sluice/gate_policy.h builds them from a spec.

#ifndef SLUICE_HEALTH_GATE_H_
#define SLUICE_HEALTH_GATE_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/metric_source.h"
#include "sluice/verdict.h"

namespace sluice {

class Fleet;  // sluice/fleet.h

// An operator's decision for a manual-approval gate, as the engine received
// it. Value type; thread-compatible.
struct OperatorSignal {
  // Approve or reject.
  enum class Kind {
    kApprove,
    kReject,
  };

  // Default: kApprove.
  Kind kind = Kind::kApprove;
  // The approval gate it is meant for (its name); empty means every approval
  // gate of the wave. Default: empty.
  std::string gate;
  // Who decided, e.g. "alice@example.com". Default: empty.
  std::string who;
  // When. Default: the epoch.
  absl::Time at = absl::UnixEpoch();
  // Free text, e.g. a ticket. Default: empty.
  std::string comment;

  friend bool operator==(const OperatorSignal& a, const OperatorSignal& b);
  friend bool operator!=(const OperatorSignal& a, const OperatorSignal& b) {
    return !(a == b);
  }
};

// Everything a gate may look at during one evaluation. The spans and
// pointers borrow the caller's data and must stay valid during the call.
// Thread-compatible.
struct GateContext {
  // The current time. Default: the epoch.
  absl::Time now = absl::UnixEpoch();
  // The index of the wave being judged (0-based), or -1 when none.
  // Default: -1.
  int wave_index = -1;
  // The wave's name, e.g. "wave 2 (us-east-1a)". Default: empty.
  std::string wave_name;
  // The wave's stage, e.g. "one-box", "first-zone", "zone", "region-wave";
  // the gate policy picks gates by it. Default: empty.
  std::string stage;
  // When the wave finished deploying: a bake starts here. Default:
  // absl::InfinitePast(), meaning "unknown": gates then use the time they
  // were first evaluated for this wave.
  absl::Time wave_deployed_at = absl::InfinitePast();
  // The ids of the wave's targets (the canary cohort). Borrowed.
  absl::Span<const std::string> wave_targets;
  // The ids of the baseline (or stable) targets. Borrowed.
  absl::Span<const std::string> baseline_targets;
  // The ids of the targets that earlier waves of this rollout moved to the
  // new version and that still run it (settled: deployed and judged before
  // this wave), in plan order. Gates may use those of the wave's zones as a
  // control when no old-version target is left there. Borrowed. Default:
  // empty (none, or the host does not say).
  absl::Span<const std::string> settled_targets;
  // The fleet the ids name, for gates that need a target's zone or region
  // (a control group in the canary's zone). Borrowed; may be null, in which
  // case such gates fall back to the whole baseline and say so.
  // Default: null.
  const Fleet* fleet = nullptr;
  // The host's metrics. Borrowed; may be null, in which case gates that need
  // metrics return kError. Default: null.
  MetricSource* metric_source = nullptr;
  // The host's alarms. Borrowed; may be null, in which case alarm gates
  // return kError. Default: null.
  AlarmSource* alarm_source = nullptr;
  // Approvals and rejections received for this wave, oldest first. Borrowed.
  absl::Span<const OperatorSignal> signals;
};

// One measurement of a repeated analysis, as Argo Rollouts records it.
// Value type; thread-compatible.
struct Measurement {
  // When it was taken.
  absl::Time at = absl::UnixEpoch();
  // kPass, kFail, kInconclusive or kError (never kHold).
  Outcome phase = Outcome::kPass;
  // True when the metric had no data and its missing-data policy is
  // "ignore": the measurement used up the count but counts as nothing else.
  bool ignored = false;
  // The measured value, if there was one.
  std::optional<double> value;
  // What happened, e.g. "p99_latency 412 ms > max 300 ms ..." or the
  // source's error message.
  std::string message;
  // The numbers behind it (value, bounds, baseline, n).
  std::vector<Observation> observations;
  // How many data points it rests on, if known.
  std::optional<int64_t> sample_count;

  friend bool operator==(const Measurement& a, const Measurement& b);
  friend bool operator!=(const Measurement& a, const Measurement& b) {
    return !(a == b);
  }
};

// The counters of one metric of a repeated analysis (Argo's MetricResult).
// Value type; thread-compatible.
struct MeasurementCounts {
  // Measurements that completed with a result (pass, fail, inconclusive, or
  // ignored no-data); errors do not count.
  int32_t count = 0;
  int32_t successful = 0;
  int32_t failed = 0;
  int32_t inconclusive = 0;
  int32_t error = 0;
  // Errors in a row; reset by any non-error measurement.
  int32_t consecutive_error = 0;
  // Successes in a row; reset by a failure, an inconclusive or an error.
  int32_t consecutive_success = 0;
  // The data points behind all measurements (the sum of their known
  // sample_count).
  int64_t samples = 0;

  friend bool operator==(const MeasurementCounts& a,
                         const MeasurementCounts& b);
  friend bool operator!=(const MeasurementCounts& a,
                         const MeasurementCounts& b) {
    return !(a == b);
  }
};

// A gate's state for one wave of one rollout: explicit, copyable,
// comparable, and convertible to the sluice.v1.GateState message
// (sluice/gate_state_proto.h) so the engine can snapshot it for crash-resume.
//
// Start each wave with a fresh, default-constructed GateState. A gate owns
// the fields of its node; combinators (and analysis gates, one child per
// metric) keep their children's states in `children`, in the children's
// order. A gate handed a state it did not write (a different spec) keeps
// working but may start its measurements over.
// Thread-compatible.
struct GateState {
  // When the gate was first evaluated for this wave (an analysis run's start,
  // the start of an approval wait). Default: absl::InfinitePast() (never).
  absl::Time started_at = absl::InfinitePast();
  // Counters of the repeated measurement this node runs, if any.
  MeasurementCounts counts;
  // The latest measurements, oldest first; at most kMaxMeasurements are kept
  // (Argo's measurement history limit). Counts are kept in full.
  std::vector<Measurement> measurements;
  // Set once the node has decided for good (a completed analysis metric, a
  // finished bake); the gate then returns this outcome without measuring
  // again. Default: not decided.
  std::optional<Outcome> completed;
  // A short explanation of `completed`, e.g. "failed (2) > failure_limit (1)".
  std::string message;
  // The children's states.
  std::vector<GateState> children;

  // How many measurements are kept. Default: 10 (Argo Rollouts' default).
  static constexpr size_t kMaxMeasurements = 10;

  // The state of child `i`, created (default) if missing.
  GateState& Child(size_t i);

  friend bool operator==(const GateState& a, const GateState& b);
  friend bool operator!=(const GateState& a, const GateState& b) {
    return !(a == b);
  }
};

// Prints a one-line summary of the state tree, e.g.
// "GateState(started 2026-01-01T00:00:00+00:00, count 3, 2 children)".
std::ostream& operator<<(std::ostream& os, const GateState& state);

// A health gate. Implement it to add a check of your own; it composes with
// the built-ins (sluice/gates.h).
//
// Implementations must not read the wall clock (use context.now), must keep
// everything that changes in `state`, and must return kHold with a
// `hold_until` after context.now when they want to be asked again.
// Thread-safe: Evaluate() is const and may be called concurrently for
// different rollouts (each with its own GateState and context).
class HealthGate {
 public:
  virtual ~HealthGate() = default;

  // A short name for verdicts and logs, e.g. "p99-latency". Unique within a
  // gate policy.
  virtual std::string name() const = 0;

  // Evaluates the gate at context.now, reading and updating `state`. Returns
  // a final verdict or kHold; never throws. Host errors become kError (or a
  // kHold retry for retryable ones), not a Status.
  virtual Verdict Evaluate(const GateContext& context,
                           GateState& state) const = 0;
};

}  // namespace sluice

#endif  // SLUICE_HEALTH_GATE_H_
