// Copyright 2026 The Sluice Authors.
//
// MockWaveScheduler: a gMock mock of sluice::WaveScheduler (sluice/
// wave_scheduler.h), e.g. as a stage of a composite scheduler or the
// scheduler handed to Replan().

#ifndef SLUICE_TESTING_MOCK_WAVE_SCHEDULER_H_
#define SLUICE_TESTING_MOCK_WAVE_SCHEDULER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "sluice/fleet.h"
#include "sluice/wave_plan.h"
#include "sluice/wave_scheduler.h"

namespace sluice::testing {

// A gMock mock of WaveScheduler. PlanSubset() is mocked too; to keep the
// interface's default (plan a fleet of the subset with Plan()), delegate to
// CallDefaultPlanSubset():
//
//   ON_CALL(scheduler, PlanSubset)
//       .WillByDefault([&](const Fleet& f, auto subset) {
//         return scheduler.CallDefaultPlanSubset(f, subset);
//       });
//
// Thread-safe as gMock mocks are (expectations are set before the calls).
class MockWaveScheduler : public WaveScheduler {
 public:
  MOCK_METHOD(std::string, name, (), (const, override));
  MOCK_METHOD(absl::StatusOr<WavePlan>, Plan, (const Fleet& fleet),
              (const, override));
  MOCK_METHOD(absl::StatusOr<WavePlan>, PlanSubset,
              (const Fleet& fleet, absl::Span<const Fleet::TargetIndex> subset),
              (const, override));

  // The interface's own PlanSubset(), for ON_CALL delegation.
  absl::StatusOr<WavePlan> CallDefaultPlanSubset(
      const Fleet& fleet, absl::Span<const Fleet::TargetIndex> subset) const {
    return WaveScheduler::PlanSubset(fleet, subset);
  }
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_MOCK_WAVE_SCHEDULER_H_
