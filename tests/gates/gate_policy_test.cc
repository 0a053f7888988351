// Copyright 2026 The Sluice Authors.
//
// GatePolicy built in code: default gates, per-stage overrides.

#include "sluice/gate_policy.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/gates.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

// 2023-11-14T22:13:20Z, a Tuesday.
absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::unique_ptr<HealthGate> Threshold(const std::string& name, double max) {
  ThresholdCheck c;
  c.metric.name = "m";
  c.max = max;
  return *NewThresholdGate(name, c);
}

TEST(GatePolicyTest, DefaultAndOverrides) {
  std::vector<std::unique_ptr<HealthGate>> defaults;
  defaults.push_back(Threshold("strict", 5));
  std::map<std::string, std::vector<std::unique_ptr<HealthGate>>> stages;
  stages["one-box"].push_back(Threshold("lenient", 50));
  stages["region-wave"];  // no gates at all
  SLUICE_ASSERT_OK_AND_ASSIGN(
      GatePolicy policy,
      GatePolicy::Create(std::move(defaults), std::move(stages)));
  EXPECT_THAT(policy.OverriddenStages(), ElementsAre("one-box", "region-wave"));
  EXPECT_TRUE(policy.HasOverride("one-box"));
  EXPECT_FALSE(policy.HasOverride("zone"));
  EXPECT_EQ(policy.ForStage("zone").name(), "default");
  EXPECT_EQ(policy.ForStage("one-box").name(), "stage one-box");

  Harness h;
  h.metrics.SetAggregate("m", Cohort::kWave, T0(), 10);
  GateState s1, s2, s3;
  Verdict zone = policy.ForStage("zone").Evaluate(h.Context(T0()), s1);
  EXPECT_EQ(zone.outcome, Outcome::kFail);
  ASSERT_EQ(zone.details.size(), 1u);
  EXPECT_EQ(zone.details[0].gate, "strict");
  Verdict box = policy.ForStage("one-box").Evaluate(h.Context(T0()), s2);
  EXPECT_EQ(box.outcome, Outcome::kPass);
  Verdict region = policy.ForStage("region-wave").Evaluate(h.Context(T0()), s3);
  EXPECT_EQ(region.outcome, Outcome::kPass);
  EXPECT_EQ(region.reason, "no gates");
}

TEST(GatePolicyTest, CopiesShareTheGates) {
  std::vector<std::unique_ptr<HealthGate>> defaults;
  defaults.push_back(Threshold("strict", 5));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy policy,
                              GatePolicy::Create(std::move(defaults)));
  GatePolicy copy = policy;
  EXPECT_EQ(&copy.ForStage("x"), &policy.ForStage("y"));
}

TEST(GatePolicyTest, EmptyPolicyPasses) {
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy policy, GatePolicy::Create({}));
  Harness h;
  GateState state;
  EXPECT_EQ(policy.ForStage("zone").Evaluate(h.Context(T0()), state).outcome,
            Outcome::kPass);
}

TEST(GatePolicyTest, DuplicateNamesAreRejected) {
  std::vector<std::unique_ptr<HealthGate>> defaults;
  defaults.push_back(Threshold("same", 5));
  defaults.push_back(Threshold("same", 6));
  EXPECT_THAT(GatePolicy::Create(std::move(defaults)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("default.gates[1]: duplicate gate name "
                                 "\"same\"")));
  std::map<std::string, std::vector<std::unique_ptr<HealthGate>>> stages;
  stages["zone"].push_back(nullptr);
  EXPECT_THAT(
      GatePolicy::Create({}, std::move(stages)),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("stages[\"zone\"].gates[0]: must not be null")));
}

}  // namespace
}  // namespace sluice
