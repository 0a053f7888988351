// Copyright 2026 The Sluice Authors.
//
// The bucketed rank summary (lib/stats/bucket_rank.h) is exactly the merge
// of the sorted samples (internal::MergeRankKeys), on one and two levels of
// bucketing, with ties, infinities, signed zeros, clusters and heavy tails.

#include "lib/stats/bucket_rank.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "gtest/gtest.h"
#include "lib/stats/rank.h"
#include "tests/stats/stats_test_random.h"

namespace sluice::internal {
namespace {

using ::sluice::stats::testing::TestRandom;

RankSummary Sorted(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<uint64_t> kx, ky;
  SortKeys(x, &kx);
  SortKeys(y, &ky);
  return MergeRankKeys(kx, ky);
}

void ExpectSame(const std::vector<double>& x, const std::vector<double>& y,
                const char* what) {
  const std::optional<RankSummary> got = BucketRank(x, y);
  ASSERT_TRUE(got.has_value()) << what;
  const RankSummary want = Sorted(x, y);
  EXPECT_EQ(got->u_x, want.u_x) << what;
  EXPECT_EQ(got->tie_term, want.tie_term) << what;
  EXPECT_EQ(got->has_ties, want.has_ties) << what;
}

TEST(BucketRankTest, IsTheMergeOfTheSortedSamples) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  TestRandom random(51);
  for (size_t n :
       {size_t{3}, size_t{50}, size_t{1500}, size_t{3000}, size_t{20000}}) {
    for (size_t m : {size_t{1}, n / 3 + 1, n}) {
      std::vector<double> x(n), y(m);
      for (double& v : x) v = random.Normal() + 0.1;
      for (double& v : y) v = random.Normal();
      ExpectSame(x, y, "normal");
      // Ties: rounded values, signed zeros.
      std::vector<double> rx = x, ry = y;
      for (double& v : rx) v = std::round(v * 4) / 4;
      for (double& v : ry) v = std::round(v * 4) / 4;
      rx[0] = -0.0;
      ry[0] = 0.0;
      ExpectSame(rx, ry, "rounded");
      // Heavy tails and a tight cluster: log-normal with sigma 4, and most
      // values equal.
      std::vector<double> hx = x, hy = y;
      for (double& v : hx) v = std::exp(4 * v);
      for (double& v : hy) v = random.Bernoulli(0.8) ? 1.0 : random.Normal();
      ExpectSame(hx, hy, "heavy tails and a cluster");
      // Infinities at both ends.
      hx[n / 2] = kInf;
      hy[0] = -kInf;
      if (m > 1) hy[m - 1] = kInf;
      ExpectSame(hx, hy, "infinities");
    }
  }
}

// Clusters too big for one level: a narrow one (split by deeper levels) and
// one of equal values (no level splits it; it is sorted).
TEST(BucketRankTest, ClustersAcrossLevels) {
  TestRandom random(52);
  std::vector<double> x(30000), y(30000);
  for (double& v : x) {
    v = random.Bernoulli(0.95) ? 1 + 1e-9 * random.Uniform() : random.Normal();
  }
  for (double& v : y) {
    v = random.Bernoulli(0.95) ? 1 + 1e-9 * random.Uniform() : random.Normal();
  }
  ExpectSame(x, y, "narrow cluster");
  for (double& v : x) v = v > 0.999 && v < 1.001 ? 1.0 : v;
  for (double& v : y) v = v > 0.999 && v < 1.001 ? 1.0 : v;
  ExpectSame(x, y, "equal values");
}

// A cluster that no coarse level splits, with more than 65,535 values of
// each sample in the last level: its bucket positions need 32 bits (smaller
// last levels use 16). Called twice, so the second call reuses the thread's
// workspace.
TEST(BucketRankTest, LastLevelTooBigForShortPositions) {
  TestRandom random(53);
  std::vector<double> x(70000), y(70000);
  for (double& v : x) v = 1 + 1e-12 * random.Uniform();
  for (double& v : y) v = 1 + 1e-12 * random.Uniform();
  x[0] = -1;
  y[1] = 1;
  y[2] = 3;
  ExpectSame(x, y, "wide cluster");
  ExpectSame(x, y, "wide cluster, again");
  // Then a small call after the big one: the workspace is reused, not read.
  ExpectSame({1, 2, 3, 3}, {2, 3, 0.5}, "small after big");
}

// FiniteRange finds the range and any NaN in one pass: a NaN at every
// position of either sample (inside the blocks of four and in the tail).
TEST(BucketRankTest, FiniteRangeFindsEveryNaN) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> x = {3, -2, 5, 0.5, 7, 1, -0.0, 2, 9, 4, 6};
  std::vector<double> y = {1.5, 8, -3, 2.5, kInf, 0, 11, -kInf, 2};
  double lo = 0;
  double hi = 0;
  ASSERT_TRUE(FiniteRange(x, y, &lo, &hi));
  EXPECT_EQ(lo, -3);
  EXPECT_EQ(hi, 11);
  for (std::vector<double>* s : {&x, &y}) {
    for (size_t i = 0; i < s->size(); ++i) {
      const double saved = (*s)[i];
      (*s)[i] = kNaN;
      lo = hi = 0;
      EXPECT_FALSE(FiniteRange(x, y, &lo, &hi))
          << (s == &x ? "x" : "y") << "[" << i << "]";
      EXPECT_EQ(lo, 0);
      EXPECT_EQ(hi, 0);
      EXPECT_FALSE(BucketRank(x, y).has_value());
      (*s)[i] = saved;
    }
  }
}

TEST(BucketRankTest, DeclinesWithoutAFiniteRange) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(BucketRank(std::vector<double>{1, 1}, std::vector<double>{1})
                   .has_value());
  EXPECT_FALSE(
      BucketRank(std::vector<double>{-1e308, 1e308}, std::vector<double>{0})
          .has_value());
  EXPECT_FALSE(BucketRank(std::vector<double>{kInf}, std::vector<double>{-kInf})
                   .has_value());
}

}  // namespace
}  // namespace sluice::internal
