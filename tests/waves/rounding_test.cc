// Copyright 2026 The Sluice Authors.
//
// The peers' rounding rules, as tables taken from their code and docs.

#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/waves/builtin_schedulers.h"

namespace sluice::internal {
namespace {

using ::testing::ElementsAre;

TEST(PercentOfTest, RoundsWithoutFloatingPointNoise) {
  EXPECT_EQ(CeilPercentOf(30, 10), 3);  // 30 * 10 / 100 is not 3.0000...4
  EXPECT_EQ(FloorPercentOf(30, 10), 3);
  EXPECT_EQ(CeilPercentOf(9, 40), 4);  // CodeDeploy: FLEET_PERCENT 40 of 9
  EXPECT_EQ(CeilPercentOf(9, 50), 5);
  EXPECT_EQ(FloorPercentOf(9, 50), 4);
  EXPECT_EQ(CeilPercentOf(3, 100.0 / 3), 1);
  EXPECT_EQ(FloorPercentOf(7, 0), 0);
  EXPECT_EQ(CeilPercentOf(1000000, 0.0001), 1);
}

struct ArgoCase {
  int64_t n;
  double weight;
  int64_t canary;
};

// Argo Rollouts, utils/replicaset/canary.go,
// approximateWeightedCanaryStableReplicaCounts with maxSurge 0.
TEST(ArgoWeightToCountTest, MatchesArgoBasicCanary) {
  const ArgoCase cases[] = {
      {10, 10, 1}, {10, 15, 2},                // 1.5 ties: the larger
      {10, 14, 1}, {10, 16, 2},   {3, 50, 2},  // 1.5: tie up (Argo's example)
      {10, 1, 1},                              // never 0 for 1..99 with n >= 2
      {10, 99, 9},                             // never n for 1..99 with n >= 2
      {2, 99, 1},  {5, 20, 1},    {5, 40, 2},
      {5, 60, 3},  {5, 80, 4},    {4, 37.5, 2},  // 1.5 ties up
      {1, 5, 0},   {1, 49, 0},    {1, 50, 1},    // n = 1: nearest of 0 and 1
      {1, 95, 1},  {10, 100, 10}, {7, 0, 0},
  };
  for (const ArgoCase& c : cases) {
    EXPECT_EQ(ArgoWeightToCount(c.n, c.weight), c.canary)
        << "n=" << c.n << " weight=" << c.weight;
  }
}

TEST(ArgoWeightToCountTest, DiffersFromArgoOnlyWhereArgoGivesZero) {
  // Argo returns canary 0 for 2 replicas at 75% with maxSurge 0 (its ceil,
  // 2, equals spec.replicas and its floor ties). Sluice clamps to n - 1.
  EXPECT_EQ(ArgoWeightToCount(2, 75), 1);
}

TEST(ArgoWeightToCountTest, IsMonotone) {
  for (int64_t n = 1; n <= 40; ++n) {
    int64_t last = 0;
    for (double w = 0; w <= 100; w += 0.25) {
      const int64_t c = ArgoWeightToCount(n, w);
      EXPECT_GE(c, last) << n << " " << w;
      last = c;
    }
  }
}

TEST(ResolveTest, CountsAndPercents) {
  EXPECT_EQ(Resolve(CountOrPercent::Count(6), 9, true), 6);
  EXPECT_EQ(Resolve(CountOrPercent::Percent(25), 10, true), 3);
  EXPECT_EQ(Resolve(CountOrPercent::Percent(25), 10, false), 2);
}

std::vector<int64_t> BudgetsFor(std::vector<int> sizes, int64_t n,
                                int64_t min_healthy, int64_t surge) {
  std::vector<Wave> waves(sizes.size());
  Fleet::TargetIndex next = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    for (int j = 0; j < sizes[i]; ++j) waves[i].targets.push_back(next++);
  }
  AssignFailureBudgets(n, min_healthy, surge, waves);
  std::vector<int64_t> out;
  for (const Wave& w : waves) out.push_back(w.max_failed_targets);
  return out;
}

TEST(FailureBudgetTest, CodeDeployMinimumHealthy) {
  // 9 hosts, HOST_COUNT 6: 3 at a time; succeeds if 6 succeed.
  EXPECT_THAT(BudgetsFor({3, 3, 3}, 9, 6, 0), ElementsAre(0, 0, 3));
  // 9 hosts, FLEET_PERCENT 40 (4): 5 then 4; succeeds if 4 succeed.
  EXPECT_THAT(BudgetsFor({5, 4}, 9, 4, 0), ElementsAre(1, 4));
  // OneAtATime: only the last instance may fail.
  EXPECT_THAT(BudgetsFor({1, 1, 1, 1}, 4, 3, 0), ElementsAre(0, 0, 0, 1));
  // AllAtOnce (0): at least one must succeed.
  EXPECT_THAT(BudgetsFor({5}, 5, 0, 0), ElementsAre(4));
  EXPECT_THAT(BudgetsFor({1}, 1, 0, 0), ElementsAre(0));
}

TEST(FailureBudgetTest, KubernetesSurgeAddsRoom) {
  // 10 pods, maxUnavailable 2, maxSurge 3: waves of 5; availability >= 8.
  EXPECT_THAT(BudgetsFor({5, 5}, 10, 8, 3), ElementsAre(0, 2));
  EXPECT_THAT(BudgetsFor({5, 3}, 8, 6, 3), ElementsAre(2, 0));
}

TEST(ValidationTest, MessagesNameTheParameter) {
  EXPECT_EQ(CheckPercent(0, "x.p").message(),
            "x.p: must be in (0, 100] (got 0)");
  EXPECT_TRUE(CheckPercent(0, "x.p", /*allow_zero=*/true).ok());
  EXPECT_EQ(CheckPercent(100.5, "x.p").message(),
            "x.p: must be in (0, 100] (got 100.5)");
  EXPECT_EQ(CheckBake(absl::Seconds(-1), "x.bake").message(),
            "x.bake: must be finite and >= 0 (got -1s)");
  EXPECT_EQ(
      CheckCountOrPercent(CountOrPercent::Count(0), "b.size", 1).message(),
      "b.size.count: must be a whole number >= 1 (got 0)");
  EXPECT_EQ(
      CheckCountOrPercent(CountOrPercent::Percent(0), "b.size", 1).message(),
      "b.size.percent: must be in (0, 100] (got 0)");
  EXPECT_EQ(FormatCountOrPercent(CountOrPercent::Percent(12.5)), "12.5%");
  EXPECT_EQ(FormatCountOrPercent(CountOrPercent::Count(7)), "7");
}

}  // namespace
}  // namespace sluice::internal
