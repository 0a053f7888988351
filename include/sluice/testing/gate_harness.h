// Copyright 2026 The Sluice Authors.
//
// GateHarness and DriveGate: test a health gate over virtual time.
//
// A GateHarness holds fake metric and alarm sources, the wave's cohorts and
// operator signals, and builds GateContexts over them. DriveGate() evaluates
// a gate, then evaluates it again at each hold_until, until it decides; no
// test sleeps or reads the clock.
//
// Example:
//
//   sluice::testing::GateHarness h;
//   const absl::Time t0 = absl::FromUnixSeconds(1'700'000'000);
//   h.deployed_at = t0;
//   h.metrics.SetAggregate("error_rate", sluice::Cohort::kWave, t0, 0.001,
//   500); sluice::GateState state; sluice::testing::GateRun run =
//   sluice::testing::DriveGate(*gate, h, state, t0);
//   EXPECT_EQ(run.verdict.outcome, sluice::Outcome::kPass);
//   EXPECT_EQ(run.evaluations.back(), t0 + absl::Hours(1));

#ifndef SLUICE_TESTING_GATE_HARNESS_H_
#define SLUICE_TESTING_GATE_HARNESS_H_

#include <algorithm>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "sluice/health_gate.h"
#include "sluice/testing/fake_metric_source.h"
#include "sluice/verdict.h"

namespace sluice::testing {

// Fake sources, a wave and its cohorts, and signals; Context() builds a
// GateContext over them (valid while the harness lives and is unchanged).
// Not thread-safe.
struct GateHarness {
  // The metric source contexts point to.
  FakeMetricSource metrics;
  // The alarm source contexts point to.
  FakeAlarmSource alarms;
  // The wave's targets. Default: web-1, web-2.
  std::vector<std::string> wave = {"web-1", "web-2"};
  // The baseline targets. Default: web-9.
  std::vector<std::string> baseline = {"web-9"};
  // Operator signals. Default: none.
  std::vector<OperatorSignal> signals;
  // Default: 2.
  int wave_index = 2;
  // Default: "wave 2".
  std::string wave_name = "wave 2";
  // Default: "zone".
  std::string stage = "zone";
  // Default: unknown (absl::InfinitePast()).
  absl::Time deployed_at = absl::InfinitePast();

  // A context at `now` over the fields above.
  GateContext Context(absl::Time now) {
    GateContext c;
    c.now = now;
    c.wave_index = wave_index;
    c.wave_name = wave_name;
    c.stage = stage;
    c.wave_deployed_at = deployed_at;
    c.wave_targets = wave;
    c.baseline_targets = baseline;
    c.metric_source = &metrics;
    c.alarm_source = &alarms;
    c.signals = signals;
    return c;
  }
};

// The result of DriveGate(). Value type.
struct GateRun {
  // The last verdict: final, or a hold when DriveGate stopped early.
  Verdict verdict;
  // The times Evaluate() was called, in order.
  std::vector<absl::Time> evaluations;
};

// Evaluates `gate` at `start`, then at each hold_until, until it decides, it
// holds until absl::InfiniteFuture() (waiting for a signal), or `max_steps`
// evaluations were made. A hold at or before the current time is retried a
// nanosecond later.
inline GateRun DriveGate(const HealthGate& gate, GateHarness& harness,
                         GateState& state, absl::Time start,
                         int max_steps = 1000) {
  GateRun run;
  absl::Time now = start;
  for (int i = 0; i < max_steps; ++i) {
    run.evaluations.push_back(now);
    run.verdict = gate.Evaluate(harness.Context(now), state);
    if (run.verdict.outcome != Outcome::kHold) break;
    if (run.verdict.hold_until == absl::InfiniteFuture()) break;
    now = std::max(run.verdict.hold_until, now + absl::Nanoseconds(1));
  }
  return run;
}

// The window ends (evaluation times) of the queries `metrics` recorded.
inline std::vector<absl::Time> QueryTimes(const FakeMetricSource& metrics) {
  std::vector<absl::Time> out;
  for (const RecordedMetricQuery& q : metrics.queries()) out.push_back(q.end);
  return out;
}

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_GATE_HARNESS_H_
