// Copyright 2026 The Sluice Authors.
//
// Every ranking path of the Mann-Whitney test (the bucketed ranks, the two
// sorts and merge, and MannWhitneyU itself) against
// a straightforward reference: pool the values, sort them, give each group
// of equal values its midrank, sum the ranks of x. Random data with many
// ties, negative zeros and infinities; the results must agree bit for bit.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "lib/stats/bucket_rank.h"
#include "lib/stats/rank.h"
#include "sluice/stats/mann_whitney.h"
#include "tests/stats/stats_test_random.h"

namespace sluice::internal {
namespace {

using ::sluice::stats::testing::TestRandom;

constexpr double kInf = std::numeric_limits<double>::infinity();

// The textbook ranking: U of x = (sum of x's midranks) - nx (nx + 1) / 2,
// kept doubled so it stays an integer.
RankSummary Reference(const std::vector<double>& x,
                      const std::vector<double>& y) {
  std::vector<std::pair<double, bool>> pooled;  // (value, is x)
  for (double v : x) pooled.push_back({v, true});
  for (double v : y) pooled.push_back({v, false});
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  uint64_t twice_rank_sum = 0;
  RankSummary r;
  for (size_t i = 0; i < pooled.size();) {
    size_t j = i;
    uint64_t in_x = 0;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) {
      in_x += pooled[j].second;
      ++j;
    }
    // Ranks i+1 .. j: twice the midrank is i + 1 + j.
    twice_rank_sum += in_x * (i + 1 + j);
    const uint64_t t = j - i;
    if (t > 1) {
      r.has_ties = true;
      const double td = static_cast<double>(t);
      r.tie_term += td * td * td - td;
    }
    i = j;
  }
  const uint64_t nx = x.size();
  r.u_x = static_cast<double>(twice_rank_sum - nx * (nx + 1)) / 2;
  return r;
}

void ExpectAllAgree(const std::vector<double>& x, const std::vector<double>& y,
                    const char* what) {
  const RankSummary want = Reference(x, y);
  auto same = [&](const RankSummary& got, const char* path) {
    EXPECT_EQ(got.u_x, want.u_x) << what << " " << path;
    EXPECT_EQ(got.tie_term, want.tie_term) << what << " " << path;
    EXPECT_EQ(got.has_ties, want.has_ties) << what << " " << path;
  };
  std::vector<uint64_t> kx, ky;
  SortKeys(x, &kx);
  SortKeys(y, &ky);
  same(MergeRankKeys(kx, ky), "sorted keys merged");
  const std::optional<RankSummary> bucketed = BucketRank(x, y);
  if (bucketed.has_value()) same(*bucketed, "bucketed");
  // The public test: U, and so the p-value, from the same summary.
  absl::StatusOr<stats::MannWhitneyResult> r = stats::MannWhitneyU(x, y);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->u, want.u_x) << what;
  EXPECT_EQ(r->has_ties, want.has_ties) << what;
}

TEST(RankReferenceTest, EveryPathMatchesTheTextbookRanking) {
  TestRandom random(20261203);
  for (size_t n :
       {size_t{1}, size_t{7}, size_t{300}, size_t{5000}, size_t{40000}}) {
    for (size_t m : {size_t{1}, n / 2 + 1, 2 * n + 3}) {
      std::vector<double> x(n), y(m);
      for (double& v : x) v = random.Normal() + 0.05;
      for (double& v : y) v = random.Normal();
      ExpectAllAgree(x, y, "continuous");
      // Many ties: values on a grid of 0.25, and whole clusters.
      for (double& v : x) v = std::round(v * 4) / 4;
      for (double& v : y) v = std::round(v * 4) / 4;
      ExpectAllAgree(x, y, "grid");
      // Negative and positive zeros tie; infinities at both ends; negative
      // values of every magnitude.
      for (double& v : x) {
        const double u = random.Uniform();
        if (u < 0.1)
          v = -0.0;
        else if (u < 0.2)
          v = 0.0;
        else if (u < 0.25)
          v = kInf;
        else if (u < 0.3)
          v = -kInf;
        else if (u < 0.35)
          v = -std::exp(40 * random.Normal());
      }
      for (double& v : y) {
        const double u = random.Uniform();
        if (u < 0.1)
          v = 0.0;
        else if (u < 0.15)
          v = -0.0;
        else if (u < 0.2)
          v = -kInf;
        else if (u < 0.25)
          v = kInf;
        else if (u < 0.3)
          v = std::exp(40 * random.Normal());
      }
      ExpectAllAgree(x, y, "zeros and infinities");
    }
  }
}

TEST(RankReferenceTest, DegenerateSamples) {
  // All equal (one group of ties), one distinct value per side, the
  // extremes of the doubles, denormals.
  const double tiny = std::numeric_limits<double>::denorm_min();
  const double big = std::numeric_limits<double>::max();
  ExpectAllAgree({1, 1, 1}, {1, 1}, "all equal");
  ExpectAllAgree({-0.0, -0.0}, {0.0}, "zeros only");
  ExpectAllAgree({kInf, kInf}, {-kInf}, "infinities only");
  ExpectAllAgree({-big, big, tiny}, {-tiny, 0.0, big}, "extremes");
  std::vector<double> x(6000, 2.0), y(7000, 2.0);
  x[17] = -tiny;
  y[4000] = tiny;
  ExpectAllAgree(x, y, "one value and two outliers");
}

}  // namespace
}  // namespace sluice::internal
