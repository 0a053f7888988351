// Copyright 2026 The Sluice Authors.
//
// MockHealthGate: a gMock mock of sluice::HealthGate (sluice/
// health_gate.h), e.g. as the child of a combinator or the gate of a
// rollout under test.
//
// Example:
//
//   auto gate = std::make_shared<sluice::testing::MockHealthGate>();
//   ON_CALL(*gate, name()).WillByDefault(::testing::Return("errors"));
//   EXPECT_CALL(*gate, Evaluate).WillOnce(::testing::Return(
//       sluice::Verdict::Fail("errors", "error rate 7% > 1%")));

#ifndef SLUICE_TESTING_MOCK_HEALTH_GATE_H_
#define SLUICE_TESTING_MOCK_HEALTH_GATE_H_

#include <string>

#include "gmock/gmock.h"
#include "sluice/health_gate.h"
#include "sluice/verdict.h"

namespace sluice::testing {

// A gMock mock of HealthGate. Thread-safe as gMock mocks are (expectations
// are set before the calls).
class MockHealthGate : public HealthGate {
 public:
  MOCK_METHOD(std::string, name, (), (const, override));
  MOCK_METHOD(Verdict, Evaluate, (const GateContext& context, GateState& state),
              (const, override));
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_MOCK_HEALTH_GATE_H_
