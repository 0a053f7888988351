// Copyright 2026 The Sluice Authors.
//
// MockRollbackPolicy: a gMock mock of sluice::RollbackPolicy (sluice/
// rollback_policy.h), for tests that check what a rollout asks its policy
// (the FailureContext) and how it carries out the Decision returned.
//
// Example:
//
//   auto policy = std::make_shared<sluice::testing::MockRollbackPolicy>();
//   EXPECT_CALL(*policy, Decide).WillOnce(::testing::Return(
//       sluice::Decision::PauseAndEscalate("looked bad")));
//   options.rollback_policy = policy;

#ifndef SLUICE_TESTING_MOCK_ROLLBACK_POLICY_H_
#define SLUICE_TESTING_MOCK_ROLLBACK_POLICY_H_

#include <string>

#include "gmock/gmock.h"
#include "sluice/rollback_policy.h"

namespace sluice::testing {

// A gMock mock of RollbackPolicy. Thread-safe as gMock mocks are
// (expectations are set before the calls).
class MockRollbackPolicy : public RollbackPolicy {
 public:
  MOCK_METHOD(std::string, name, (), (const, override));
  MOCK_METHOD(Decision, Decide, (const FailureContext& context),
              (const, override));
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_MOCK_ROLLBACK_POLICY_H_
