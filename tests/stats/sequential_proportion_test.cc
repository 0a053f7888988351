// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_proportion.h"

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"
#include "tests/stats/stats_test_random.h"

namespace sluice::stats {
namespace {

using ::sluice::stats::testing::TestRandom;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

// confseq's bernoulli_confidence_interval(k, n, alpha, t_opt, alpha_opt) is
// the two-sided sequence (with alpha_opt = alpha in Sluice; the reference
// uses alpha_opt 0.05, so only its alpha = 0.05 lines apply).
TEST(SequentialProportionTest, TwoSidedSequenceMatchesConfseq) {
  std::ifstream in("tests/stats/testdata/confseq_boundaries.txt");
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string function;
    fields >> function;
    if (function != "bernoulli_confidence_interval") continue;
    double k, n, alpha, t_opt, alpha_opt, lower, upper;
    fields >> k >> n >> alpha >> t_opt >> alpha_opt >> lower >> upper;
    if (alpha != alpha_opt) continue;
    SequentialProportionOptions options;
    options.limit = 0.5;
    options.alpha = alpha;
    options.tuning_trials = t_opt;
    options.alternative = Alternative::kTwoSided;
    SLUICE_ASSERT_OK_AND_ASSIGN(SequentialProportionTest test,
                                SequentialProportionTest::Create(options));
    ASSERT_TRUE(
        test.Update(static_cast<uint64_t>(k), static_cast<uint64_t>(n)).ok());
    const SequentialResult r = test.result();
    EXPECT_NEAR(r.lower, lower, 1e-9) << line;
    EXPECT_NEAR(r.upper, upper, 1e-9) << line;
    ++checked;
  }
  EXPECT_EQ(checked, 32);
}

// The one-sided test rejects exactly when the limit leaves its sequence,
// and an error rate at the limit is not rejected (Monte Carlo below).
TEST(SequentialProportionTest, OneSidedTestAndSequenceAgree) {
  SequentialProportionOptions options;
  options.limit = 0.01;
  options.tuning_trials = 20000;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialProportionTest test,
                              SequentialProportionTest::Create(options));
  TestRandom random(41);
  bool rejected = false;
  for (int window = 0; window < 60 && !rejected; ++window) {
    uint64_t errors = 0;
    for (int i = 0; i < 1000; ++i) errors += random.Bernoulli(0.013);
    ASSERT_TRUE(test.Update(errors, 1000).ok());
    const SequentialResult r = test.result();
    EXPECT_EQ(r.upper, 1);
    const double margin = test.log_e_value() + std::log(0.05);
    if (std::fabs(margin) > 1e-9) {
      EXPECT_EQ(r.lower > 0.01, margin > 0);
    }
    rejected = r.rejected;
  }
  EXPECT_TRUE(rejected);
  // The one-sided lower end is above the two-sided one on the same counts.
  options.alternative = Alternative::kTwoSided;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialProportionTest two_sided,
                              SequentialProportionTest::Create(options));
  ASSERT_TRUE(two_sided.Update(test.events(), test.trials()).ok());
  EXPECT_GT(test.result().lower, two_sided.result().lower);
}

TEST(SequentialProportionTest, StateRoundTripsAndBadInputIsRejected) {
  SequentialProportionOptions options;
  options.limit = 0.02;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialProportionTest test,
                              SequentialProportionTest::Create(options));
  ASSERT_TRUE(test.Update(3, 100).ok());
  ASSERT_TRUE(test.Update(9, 200).ok());
  SLUICE_ASSERT_OK_AND_ASSIGN(
      SequentialProportionTest resumed,
      SequentialProportionTest::Restore(options, test.SaveState()));
  EXPECT_EQ(resumed, test);
  EXPECT_EQ(resumed.result(), test.result());
  EXPECT_THAT(
      test.Update(5, 4),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("events: must not exceed trials (got 5 > 4)")));
  EXPECT_EQ(test.trials(), 300u);
  EXPECT_THAT(SequentialProportionTest::Restore(options, {4, 3, 0}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("state")));
  options.limit = 0;
  EXPECT_THAT(SequentialProportionTest::Create(options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("limit: must be in (0, 1) (got 0)")));
}

}  // namespace
}  // namespace sluice::stats
