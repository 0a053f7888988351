// Copyright 2026 The Sluice Authors.
//
// All-at-once, one-at-a-time, half-at-a-time, batches, minimum healthy hosts
// (CodeDeploy) and rolling updates (Kubernetes).

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/fleets.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using ::sluice::testing::Budgets;
using ::sluice::testing::FlatFleet;
using ::sluice::testing::StatusIs;
using ::sluice::testing::WaveSizes;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

WavePlan PlanOrDie(const absl::StatusOr<std::unique_ptr<WaveScheduler>>& s,
                   const Fleet& fleet) {
  EXPECT_TRUE(s.ok()) << s.status();
  absl::StatusOr<WavePlan> plan = (*s)->Plan(fleet);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return *plan;
}

// CodeDeploy's predefined configurations, for a few fleet sizes (the table
// in docs/waves.md).
struct PredefinedCase {
  const char* config;
  int n;
  std::vector<size_t> sizes;
  std::vector<int64_t> budgets;
};

TEST(CodeDeployPredefinedTest, MatchesTheDocumentedBehaviour) {
  const PredefinedCase cases[] = {
      {"AllAtOnce", 1, {1}, {0}},
      {"AllAtOnce", 9, {9}, {8}},  // succeeds if any instance succeeds
      {"OneAtATime", 1, {1}, {0}},
      {"OneAtATime", 4, {1, 1, 1, 1}, {0, 0, 0, 1}},  // the last may fail
      {"HalfAtATime", 1, {1}, {0}},                   // Sluice's one-box case
      {"HalfAtATime", 2, {1, 1}, {0, 1}},
      {"HalfAtATime", 9, {4, 4, 1}, {0, 3, 1}},  // at least 5 must succeed
      {"HalfAtATime", 10, {5, 5}, {0, 5}},
  };
  for (const PredefinedCase& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.config, " n=", c.n));
    absl::StatusOr<std::unique_ptr<WaveScheduler>> s =
        std::string(c.config) == "AllAtOnce"    ? NewAllAtOnceScheduler()
        : std::string(c.config) == "OneAtATime" ? NewOneAtATimeScheduler()
                                                : NewHalfAtATimeScheduler();
    const WavePlan plan = PlanOrDie(s, FlatFleet(c.n));
    EXPECT_THAT(WaveSizes(plan), ElementsAreArray(c.sizes));
    EXPECT_THAT(Budgets(plan), ElementsAreArray(c.budgets));
  }
}

TEST(AllAtOnceTest, OneWaveWithBakeAndOptionalStrictBudget) {
  AllAtOnceOptions options;
  options.bake = absl::Minutes(10);
  options.max_failed_targets = 0;
  const WavePlan plan = PlanOrDie(NewAllAtOnceScheduler(options), FlatFleet(3));
  ASSERT_EQ(plan.waves.size(), 1u);
  EXPECT_THAT(plan.waves[0].targets, ElementsAre(0, 1, 2));
  EXPECT_EQ(plan.waves[0].bake, absl::Minutes(10));
  EXPECT_EQ(plan.waves[0].max_failed_targets, 0);
  EXPECT_EQ(plan.waves[0].cumulative_count_fraction, 1.0);
  EXPECT_EQ(plan.strategy, "all-at-once");
  options.max_failed_targets = -1;
  EXPECT_THAT(NewAllAtOnceScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("all_at_once.max_failed_targets: must be >= "
                                 "0 (got -1)")));
}

TEST(MinHealthyTest, CodeDeployDocumentedExamples) {
  // "In an example of nine instances, if a HOST_COUNT of six is specified,
  // deploy to up to three instances at a time."
  MinHealthyOptions options;
  options.min_healthy = CountOrPercent::Count(6);
  options.bake = absl::Minutes(2);
  WavePlan plan = PlanOrDie(NewMinHealthyScheduler(options), FlatFleet(9));
  EXPECT_THAT(WaveSizes(plan), ElementsAre(3, 3, 3));
  EXPECT_THAT(Budgets(plan), ElementsAre(0, 0, 3));
  EXPECT_EQ(plan.strategy, "min-healthy(HOST_COUNT 6)");
  EXPECT_EQ(plan.waves[1].bake, absl::Minutes(2));
  EXPECT_EQ(plan.waves[1].name, "batch 2/3");
  // "If a FLEET_PERCENT of 40 is specified, deploy to up to five instances at
  // a time."
  options.min_healthy = CountOrPercent::Percent(40);
  plan = PlanOrDie(NewMinHealthyScheduler(options), FlatFleet(9));
  EXPECT_THAT(WaveSizes(plan), ElementsAre(5, 4));
  EXPECT_THAT(Budgets(plan), ElementsAre(1, 4));
  // HOST_COUNT 0 deploys everything at once.
  options.min_healthy = CountOrPercent::Count(0);
  plan = PlanOrDie(NewMinHealthyScheduler(options), FlatFleet(5));
  EXPECT_THAT(WaveSizes(plan), ElementsAre(5));
  EXPECT_THAT(Budgets(plan), ElementsAre(4));
}

TEST(MinHealthyTest, UnsatisfiableMinimumNamesTheParameter) {
  MinHealthyOptions options;
  options.min_healthy = CountOrPercent::Count(9);
  absl::StatusOr<std::unique_ptr<WaveScheduler>> s =
      NewMinHealthyScheduler(options);
  ASSERT_TRUE(s.ok());
  EXPECT_THAT((*s)->Plan(FlatFleet(9)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("min_healthy.host_count: 9 of 9 targets must "
                                 "stay healthy, so no batch can deploy")));
  options.min_healthy = CountOrPercent::Percent(95);  // ceil(9.5) = 10
  s = NewMinHealthyScheduler(options);
  EXPECT_THAT((*s)->Plan(FlatFleet(10)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("min_healthy.fleet_percent: 95% of 10 targets "
                                 "rounds up to 10")));
}

TEST(MinHealthyTest, BadOptions) {
  MinHealthyOptions options;
  options.min_healthy = CountOrPercent::Count(-1);
  EXPECT_THAT(NewMinHealthyScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("min_healthy.host_count: must be a whole "
                                 "number >= 0 (got -1)")));
  options.min_healthy = CountOrPercent::Percent(120);
  EXPECT_THAT(NewMinHealthyScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("min_healthy.fleet_percent: must be in "
                                 "[0, 100] (got 120)")));
  options.min_healthy = CountOrPercent::Count(1);
  options.bake = absl::Seconds(-1);
  EXPECT_THAT(NewMinHealthyScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("min_healthy.bake: must be finite and >= 0")));
  EXPECT_THAT(NewOneAtATimeScheduler({absl::InfiniteDuration()}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("one_at_a_time.bake")));
}

TEST(BatchTest, CountAndPercentSizes) {
  BatchOptions options;
  options.size = CountOrPercent::Count(4);
  EXPECT_THAT(WaveSizes(PlanOrDie(NewBatchScheduler(options), FlatFleet(10))),
              ElementsAre(4, 4, 2));
  options.size = CountOrPercent::Percent(30);  // 3 of 10
  EXPECT_THAT(WaveSizes(PlanOrDie(NewBatchScheduler(options), FlatFleet(10))),
              ElementsAre(3, 3, 3, 1));
  options.size = CountOrPercent::Percent(1);  // rounds up to 1
  EXPECT_EQ(PlanOrDie(NewBatchScheduler(options), FlatFleet(10)).waves.size(),
            10u);
  options.size = CountOrPercent::Count(4);
  options.max_failed_per_batch = CountOrPercent::Percent(50);  // rounds down
  EXPECT_THAT(Budgets(PlanOrDie(NewBatchScheduler(options), FlatFleet(10))),
              ElementsAre(2, 2, 1));
}

TEST(BatchTest, BadSizesNameTheParameter) {
  BatchOptions options;
  options.size = CountOrPercent::Count(0);
  EXPECT_THAT(NewBatchScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("batches.size.count: must be a whole number "
                                 ">= 1 (got 0)")));
  options.size = CountOrPercent::Percent(0);
  EXPECT_THAT(NewBatchScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("batches.size.percent: must be in (0, 100] "
                                 "(got 0)")));
  options.size = CountOrPercent::Percent(100.5);
  EXPECT_THAT(NewBatchScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("batches.size.percent")));
  options.size = CountOrPercent::Count(2);
  options.max_failed_per_batch = CountOrPercent::Count(-3);
  EXPECT_THAT(NewBatchScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("batches.max_failed_per_batch.count")));
}

struct RollingCase {
  int n;
  CountOrPercent surge;
  CountOrPercent unavailable;
  std::vector<size_t> sizes;
  std::vector<int64_t> budgets;
};

TEST(RollingTest, KubernetesFenceposts) {
  using C = CountOrPercent;
  const RollingCase cases[] = {
      // Defaults 25%/25% on 10: surge ceil(2.5) = 3, unavailable
      // floor(2.5) = 2: 5 at a time, 8 stay available.
      {10, C::Percent(25), C::Percent(25), {5, 5}, {0, 2}},
      // 1 desired, max unavailable 25%, surge 1%: surge 1, unavailable 0.
      {1, C::Percent(1), C::Percent(25), {1}, {0}},
      // Both round to 0: unavailable becomes 1.
      {3, C::Count(0), C::Percent(25), {1, 1, 1}, {0, 0, 1}},
      // 2 desired, max unavailable 1%, surge 0%: old(-1), new(+1), twice.
      {2, C::Percent(0), C::Percent(1), {1, 1}, {0, 1}},
      {4, C::Count(1), C::Count(0), {1, 1, 1, 1}, {0, 0, 0, 0}},
      {10, C::Count(0), C::Percent(100), {10}, {9}},
  };
  for (const RollingCase& c : cases) {
    RollingOptions options;
    options.max_surge = c.surge;
    options.max_unavailable = c.unavailable;
    const WavePlan plan =
        PlanOrDie(NewRollingScheduler(options), FlatFleet(c.n));
    EXPECT_THAT(WaveSizes(plan), ElementsAreArray(c.sizes)) << c.n;
    EXPECT_THAT(Budgets(plan), ElementsAreArray(c.budgets)) << c.n;
  }
  EXPECT_EQ(PlanOrDie(NewRollingScheduler(), FlatFleet(4)).strategy,
            "rolling(maxSurge 25%, maxUnavailable 25%)");
}

TEST(RollingTest, BadOptions) {
  RollingOptions options;
  options.max_surge = CountOrPercent::Count(0);
  options.max_unavailable = CountOrPercent::Percent(0);
  EXPECT_THAT(NewRollingScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rolling.max_unavailable: may not be 0 when "
                                 "max_surge is 0")));
  options.max_surge = CountOrPercent::Percent(-5);
  EXPECT_THAT(NewRollingScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rolling.max_surge.percent: must be in "
                                 "[0, 100] (got -5)")));
}

TEST(PlanSubsetTest, SizesAreRelativeToTheSubset) {
  const Fleet fleet = FlatFleet(10);
  absl::StatusOr<std::unique_ptr<WaveScheduler>> half =
      NewHalfAtATimeScheduler();
  ASSERT_TRUE(half.ok());
  const std::vector<Fleet::TargetIndex> subset = {9, 7, 5, 3};
  absl::StatusOr<WavePlan> plan = (*half)->PlanSubset(fleet, subset);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->waves.size(), 2u);
  EXPECT_THAT(plan->waves[0].targets, ElementsAre(9, 7));
  EXPECT_THAT(plan->waves[1].targets, ElementsAre(5, 3));
  // Fractions are of the whole fleet.
  EXPECT_DOUBLE_EQ(plan->waves[1].cumulative_count_fraction, 0.4);
}

TEST(PlanSubsetTest, BadSubsets) {
  const Fleet fleet = FlatFleet(3);
  absl::StatusOr<std::unique_ptr<WaveScheduler>> s = NewOneAtATimeScheduler();
  EXPECT_THAT((*s)->PlanSubset(fleet, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("subset: must not be empty")));
  const std::vector<Fleet::TargetIndex> out_of_range = {0, 3};
  EXPECT_THAT((*s)->PlanSubset(fleet, out_of_range),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("subset[1]: index 3 is not in the fleet")));
  const std::vector<Fleet::TargetIndex> repeated = {1, 1};
  EXPECT_THAT((*s)->PlanSubset(fleet, repeated),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("subset[1]: index 1 is repeated")));
}

// A host-implemented scheduler gets PlanSubset() from the base class.
class ReverseScheduler : public WaveScheduler {
 public:
  std::string name() const override { return "reverse"; }
  absl::StatusOr<WavePlan> Plan(const Fleet& fleet) const override {
    WavePlan plan;
    plan.strategy = name();
    for (size_t i = fleet.size(); i > 0; --i) {
      Wave w;
      w.name = fleet.target(i - 1).id;
      w.targets = {static_cast<Fleet::TargetIndex>(i - 1)};
      plan.waves.push_back(w);
    }
    return plan;
  }
};

TEST(PlanSubsetTest, DefaultImplementationMapsIndicesBack) {
  const Fleet fleet = FlatFleet(5);
  ReverseScheduler reverse;
  const std::vector<Fleet::TargetIndex> subset = {1, 4, 2};
  absl::StatusOr<WavePlan> plan = reverse.PlanSubset(fleet, subset);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->waves.size(), 3u);
  EXPECT_THAT(plan->waves[0].targets, ElementsAre(2));
  EXPECT_THAT(plan->waves[2].targets, ElementsAre(1));
  EXPECT_EQ(plan->waves[0].name, "h2");
  EXPECT_DOUBLE_EQ(plan->waves[2].cumulative_count_fraction, 0.6);
  const std::vector<Fleet::TargetIndex> repeated = {1, 1};
  EXPECT_THAT(
      reverse.PlanSubset(fleet, repeated),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate id")));
}

}  // namespace
}  // namespace sluice
