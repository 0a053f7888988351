// Copyright 2026 The Sluice Authors.
//
// Helpers shared by the gate tests: a context builder over fake sources and
// a driver that follows a gate's holds in virtual time.

#ifndef SLUICE_TESTS_GATES_GATE_TEST_UTIL_H_
#define SLUICE_TESTS_GATES_GATE_TEST_UTIL_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "sluice/health_gate.h"
#include "sluice/testing/fake_metric_source.h"
#include "sluice/verdict.h"

namespace sluice::gates_test {

// 2023-11-14T22:13:20Z, a Tuesday.
inline absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

// Fake sources, cohorts and signals, and contexts over them.
struct Harness {
  testing::FakeMetricSource metrics;
  testing::FakeAlarmSource alarms;
  std::vector<std::string> wave = {"web-1", "web-2"};
  std::vector<std::string> baseline = {"web-9"};
  std::vector<OperatorSignal> signals;
  int wave_index = 2;
  std::string stage = "zone";
  absl::Time deployed_at = absl::InfinitePast();

  GateContext Context(absl::Time now) {
    GateContext c;
    c.now = now;
    c.wave_index = wave_index;
    c.wave_name = "wave 2";
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

// The result of driving a gate to a decision.
struct Run {
  Verdict verdict;
  // The times Evaluate() was called.
  std::vector<absl::Time> evaluations;
};

// Evaluates `gate` at `start`, then at each hold_until, until it decides or
// `max_steps` evaluations were made (the last verdict is then a hold).
inline Run Drive(const HealthGate& gate, Harness& h, GateState& state,
                 absl::Time start, int max_steps = 1000) {
  Run run;
  absl::Time now = start;
  for (int i = 0; i < max_steps; ++i) {
    run.evaluations.push_back(now);
    run.verdict = gate.Evaluate(h.Context(now), state);
    if (run.verdict.outcome != Outcome::kHold) break;
    if (run.verdict.hold_until == absl::InfiniteFuture()) break;
    EXPECT_GE(run.verdict.hold_until, now) << run.verdict;
    // A hold at `now` would loop; step at least a nanosecond.
    now = std::max(run.verdict.hold_until, now + absl::Nanoseconds(1));
  }
  return run;
}

// The query times recorded by the fake metric source.
inline std::vector<absl::Time> QueryTimes(const testing::FakeMetricSource& m) {
  std::vector<absl::Time> out;
  for (const testing::RecordedMetricQuery& q : m.queries()) {
    out.push_back(q.end);
  }
  return out;
}

}  // namespace sluice::gates_test

#endif  // SLUICE_TESTS_GATES_GATE_TEST_UTIL_H_
