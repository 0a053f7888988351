// Copyright 2026 The Sluice Authors.
//
// MockAlarmSource: a gMock mock of sluice::AlarmSource (sluice/
// metric_source.h). Tests that need scripted alarm states over time use
// FakeAlarmSource (sluice/testing/fake_metric_source.h).

#ifndef SLUICE_TESTING_MOCK_ALARM_SOURCE_H_
#define SLUICE_TESTING_MOCK_ALARM_SOURCE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "sluice/metric_source.h"

namespace sluice::testing {

// A gMock mock of AlarmSource. Thread-safe as gMock mocks are
// (expectations are set before the calls).
class MockAlarmSource : public AlarmSource {
 public:
  MOCK_METHOD(absl::StatusOr<std::vector<AlarmStatus>>, QueryAlarms,
              (const AlarmQuery& query), (override));
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_MOCK_ALARM_SOURCE_H_
