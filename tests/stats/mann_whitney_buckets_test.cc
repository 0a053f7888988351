// Copyright 2026 The Sluice Authors.
//
// The Mann-Whitney test on histogram buckets against SciPy on the expanded
// samples (tests/stats/testdata/mann_whitney_buckets_scipy.txt, written by
// tests/stats/make_reference.py --buckets).

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/stats/histogram.h"
#include "sluice/stats/mann_whitney.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::stats {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(MannWhitneyBucketsTest, MatchesScipyOnTheExpandedSamples) {
  std::ifstream in("tests/stats/testdata/mann_whitney_buckets_scipy.txt");
  ASSERT_TRUE(in.good());
  std::string line, name;
  Histogram x, y;
  int checked = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    if (kind == "histogram") {
      fields >> name;
      x = Histogram();
      y = Histogram();
    } else if (kind == "bounds") {
      std::string v;
      while (fields >> v) {
        x.upper_bounds.push_back(v == "inf" ? kInf : std::stod(v));
      }
      y.upper_bounds = x.upper_bounds;
    } else if (kind == "x" || kind == "y") {
      uint64_t c;
      while (fields >> c) (kind == "x" ? x : y).cumulative_counts.push_back(c);
    } else if (kind == "expect") {
      std::string alt, method;
      int continuity;
      double u, p;
      fields >> alt >> method >> continuity >> u >> p;
      MannWhitneyOptions options;
      options.alternative = alt == "two-sided" ? Alternative::kTwoSided
                            : alt == "less"    ? Alternative::kLess
                                               : Alternative::kGreater;
      options.continuity_correction = continuity != 0;
      SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r,
                                  MannWhitneyUHistograms(x, y, options));
      EXPECT_EQ(r.u, u) << name << " " << line;
      EXPECT_NEAR(r.p_value, p, 1e-9 * std::max(p, 1e-300))
          << name << " " << line;
      // The same as the test on the expanded samples.
      std::vector<double> sx, sy;
      const std::vector<uint64_t> bx = x.BucketCounts(), by = y.BucketCounts();
      for (size_t b = 0; b < bx.size(); ++b) {
        sx.insert(sx.end(), bx[b], x.upper_bounds[b]);
        sy.insert(sy.end(), by[b], y.upper_bounds[b]);
      }
      SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult expanded,
                                  MannWhitneyU(sx, sy, options));
      EXPECT_EQ(r, expanded) << name;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 96);
}

TEST(MannWhitneyBucketsTest, BadHistogramsAreErrorsNamingTheField) {
  Histogram x;
  x.upper_bounds = {1, 2, kInf};
  x.cumulative_counts = {1, 3, 3};
  Histogram y = x;
  y.upper_bounds = {1, 5, kInf};
  EXPECT_THAT(MannWhitneyUHistograms(x, y),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("y.upper_bounds: must equal x.upper_bounds")));
  y = x;
  y.cumulative_counts = {0, 0, 0};
  EXPECT_THAT(MannWhitneyUHistograms(x, y),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("y: must not be empty")));
  y = x;
  y.upper_bounds = {1, 1, kInf};
  EXPECT_THAT(MannWhitneyUHistograms(y, x),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("x.upper_bounds[1]: must be greater than "
                                 "upper_bounds[0] (got 1 <= 1)")));
  y = x;
  y.cumulative_counts = {1, 3};
  EXPECT_THAT(
      MannWhitneyUHistograms(x, y),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("y.cumulative_counts: must have one count "
                         "per upper bound (got 2 counts for 3 bounds)")));
}

}  // namespace
}  // namespace sluice::stats
