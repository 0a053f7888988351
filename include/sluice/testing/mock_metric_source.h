// Copyright 2026 The Sluice Authors.
//
// MockMetricSource: a gMock mock of sluice::MetricSource (sluice/
// metric_source.h), for tests of gates that check the queries they make.
// Tests that need answers rather than expectations use FakeMetricSource
// (sluice/testing/fake_metric_source.h).
//
// Example:
//
//   sluice::testing::MockMetricSource metrics;
//   EXPECT_CALL(metrics, Query(::testing::Field(&sluice::MetricQuery::metric,
//                                               "error_rate")))
//       .WillOnce(::testing::Return(sluice::MetricResult::FromAggregate(0.2)));

#ifndef SLUICE_TESTING_MOCK_METRIC_SOURCE_H_
#define SLUICE_TESTING_MOCK_METRIC_SOURCE_H_

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "sluice/metric_source.h"

namespace sluice::testing {

// A gMock mock of MetricSource. Thread-safe as gMock mocks are
// (expectations are set before the calls).
class MockMetricSource : public MetricSource {
 public:
  MOCK_METHOD(absl::StatusOr<MetricResult>, Query, (const MetricQuery& query),
              (override));
  MOCK_METHOD(absl::StatusOr<MetricDistribution>, QueryDistribution,
              (const MetricQuery& query), (override));
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_MOCK_METRIC_SOURCE_H_
