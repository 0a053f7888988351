// Copyright 2026 The Sluice Authors.
//
// The testing kit in one include: fakes, gMock mocks of every interface a
// host may implement (MetricSource, AlarmSource, HealthGate, RollbackPolicy,
// WaveScheduler, EventSink, Clock), the manual clock, the rollout driver,
// the gate harness, small fleets and status matchers. Link
// sluice::sluice_testing (CMake) or @sluice//:sluice_testing (Bazel).
//
// Example:
//
//   #include "sluice/testing/testing.h"
//
//   TEST(MyPolicy, RollsBackOnGateFailure) {
//     sluice::testing::FakeClock clock(absl::FromUnixSeconds(1'700'000'000));
//     ...
//   }

#ifndef SLUICE_TESTING_TESTING_H_
#define SLUICE_TESTING_TESTING_H_

#include "sluice/testing/fake_clock.h"            // IWYU pragma: export
#include "sluice/testing/fake_metric_source.h"    // IWYU pragma: export
#include "sluice/testing/fleets.h"                // IWYU pragma: export
#include "sluice/testing/gate_harness.h"          // IWYU pragma: export
#include "sluice/testing/mock_alarm_source.h"     // IWYU pragma: export
#include "sluice/testing/mock_clock.h"            // IWYU pragma: export
#include "sluice/testing/mock_event_sink.h"       // IWYU pragma: export
#include "sluice/testing/mock_health_gate.h"      // IWYU pragma: export
#include "sluice/testing/mock_metric_source.h"    // IWYU pragma: export
#include "sluice/testing/mock_rollback_policy.h"  // IWYU pragma: export
#include "sluice/testing/mock_wave_scheduler.h"   // IWYU pragma: export
#include "sluice/testing/rollout_testing.h"       // IWYU pragma: export
#include "sluice/testing/status_matchers.h"       // IWYU pragma: export

#endif  // SLUICE_TESTING_TESTING_H_
