// Copyright 2026 The Sluice Authors.

#include "sluice/stats/hodges_lehmann.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/stats/shift.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::stats {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> ParseValues(absl::string_view text) {
  std::vector<double> values;
  for (absl::string_view token :
       absl::StrSplit(text, ' ', absl::SkipWhitespace())) {
    double v;
    EXPECT_TRUE(absl::SimpleAtod(token, &v)) << token;
    values.push_back(v);
  }
  return values;
}

double ParseR(absl::string_view token) {
  if (token == "Inf") return kInf;
  if (token == "-Inf") return -kInf;
  double v;
  EXPECT_TRUE(absl::SimpleAtod(token, &v)) << token;
  return v;
}

double Error(double got, double want) {
  if (got == want) return 0;
  return std::fabs(got - want) / std::max(1.0, std::fabs(want));
}

// Every estimate and interval R's wilcox.test computed
// (tests/stats/make_reference_r.R) is reproduced.
TEST(HodgesLehmannTest, AgreesWithR) {
  std::ifstream in("tests/stats/testdata/hodges_lehmann_r.txt");
  ASSERT_TRUE(in.is_open()) << "run from the source root";
  std::string line, name;
  std::vector<double> x, y;
  int checked = 0;
  double max_error = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (absl::StartsWith(line, "data ")) {
      name = line.substr(5);
    } else if (absl::StartsWith(line, "x ")) {
      x = ParseValues(absl::string_view(line).substr(2));
    } else if (absl::StartsWith(line, "y ")) {
      y = ParseValues(absl::string_view(line).substr(2));
    } else if (absl::StartsWith(line, "expect ")) {
      std::vector<std::string> f = absl::StrSplit(line, ' ');
      ASSERT_EQ(f.size(), 8u) << line;
      HodgesLehmannOptions options;
      options.alternative = f[1] == "two.sided" ? Alternative::kTwoSided
                            : f[1] == "less"    ? Alternative::kLess
                                                : Alternative::kGreater;
      ASSERT_TRUE(absl::SimpleAtod(f[2], &options.confidence));
      options.method = f[3] == "auto" ? ShiftIntervalMethod::kAuto
                                      : ShiftIntervalMethod::kAsymptotic;
      options.continuity_correction = f[4] == "1";
      SLUICE_ASSERT_OK_AND_ASSIGN(ShiftEstimate s,
                                  HodgesLehmann(x, y, options));
      const double e = std::max({Error(s.estimate, ParseR(f[5])),
                                 Error(s.lower, ParseR(f[6])),
                                 Error(s.upper, ParseR(f[7]))});
      max_error = std::max(max_error, e);
      EXPECT_LE(e, 1e-9) << name << " " << options << "\n got " << s
                         << "\n R   " << f[5] << " " << f[6] << " " << f[7];
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000);
  std::cout << "checked " << checked
            << " R intervals, max error (relative, absolute below 1) "
            << max_error << "\n";
}

TEST(HodgesLehmannTest, ExactIntervalIsOrderStatisticsOfDifferences) {
  // No ties, small: the estimate is the median of the 12 differences.
  const std::vector<double> x = {1.1, 2.3, 3.6};
  const std::vector<double> y = {0.2, 0.9, 1.5, 2.0};
  SLUICE_ASSERT_OK_AND_ASSIGN(ShiftEstimate s, HodgesLehmann(x, y));
  EXPECT_EQ(s.method, ShiftIntervalMethod::kExact);
  std::vector<double> d;
  for (double a : x) {
    for (double b : y) d.push_back(a - b);
  }
  std::sort(d.begin(), d.end());
  EXPECT_DOUBLE_EQ(s.estimate, (d[5] + d[6]) / 2);
  // qwilcox(0.025, 3, 4) = 0 -> 1: the interval is [min, max] of d.
  EXPECT_EQ(s.lower, d.front());
  EXPECT_EQ(s.upper, d.back());
}

TEST(HodgesLehmannTest, OneSidedIntervalsAreOpenOnOneSide) {
  std::vector<double> x, y;
  for (int i = 0; i < 60; ++i) {
    x.push_back(std::sin(i) + 1);
    y.push_back(std::cos(i));
  }
  HodgesLehmannOptions options;
  options.alternative = Alternative::kGreater;
  SLUICE_ASSERT_OK_AND_ASSIGN(ShiftEstimate s, HodgesLehmann(x, y, options));
  EXPECT_EQ(s.upper, kInf);
  EXPECT_LT(s.lower, s.estimate);
  options.alternative = Alternative::kLess;
  SLUICE_ASSERT_OK_AND_ASSIGN(s, HodgesLehmann(x, y, options));
  EXPECT_EQ(s.lower, -kInf);
  EXPECT_GT(s.upper, s.estimate);
}

TEST(HodgesLehmannTest, RelativeEffectSizes) {
  const std::vector<double> x = {110, 112, 114, 116, 118};
  const std::vector<double> y = {100, 101, 102, 103, 104};
  SLUICE_ASSERT_OK_AND_ASSIGN(ShiftEstimate s, HodgesLehmann(x, y));
  EXPECT_DOUBLE_EQ(s.estimate, 12);
  EXPECT_DOUBLE_EQ(s.relative_shift, 12.0 / 102);
  EXPECT_EQ(s.common_language_effect, 1.0);
  SLUICE_ASSERT_OK_AND_ASSIGN(s, HodgesLehmann(x, {0, 0, 0, 1, -1}));
  EXPECT_TRUE(std::isnan(s.relative_shift));
}

TEST(HodgesLehmannTest, ConstantSamplesGiveAPointInterval) {
  SLUICE_ASSERT_OK_AND_ASSIGN(ShiftEstimate s,
                              HodgesLehmann({10, 10, 10}, {1, 1}));
  EXPECT_EQ(s.estimate, 9);
  EXPECT_EQ(s.lower, 9);
  EXPECT_EQ(s.upper, 9);
}

TEST(HodgesLehmannTest, ExactTooLargeIsAnError) {
  std::vector<double> x(5000), y(5000);
  for (int i = 0; i < 5000; ++i) {
    x[i] = i * 1.5;
    y[i] = i * 1.25 + 0.1;
  }
  HodgesLehmannOptions options;
  options.method = ShiftIntervalMethod::kExact;
  EXPECT_THAT(HodgesLehmann(x, y, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("method: the exact interval")));
}

TEST(HodgesLehmannTest, BadInputIsAnErrorNamingTheField) {
  HodgesLehmannOptions options;
  options.confidence = 1.5;
  EXPECT_THAT(HodgesLehmann({1}, {2}, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("confidence: must be in (0, 1) (got 1.5)")));
  options.confidence = 0;
  EXPECT_THAT(HodgesLehmann({1}, {2}, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("confidence: must be in (0, 1)")));
  options.confidence = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(
      HodgesLehmann({1}, {2}, options),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("confidence")));
  EXPECT_THAT(HodgesLehmann({}, {2}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("x: must not be empty")));
  EXPECT_THAT(HodgesLehmann({1, kInf}, {2}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("x[1]: must be finite (got inf)")));
  EXPECT_THAT(HodgesLehmann({1}, {std::numeric_limits<double>::quiet_NaN()}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("y[0]")));
  HodgesLehmannOptions tol;
  tol.root_tolerance = 0;
  EXPECT_THAT(HodgesLehmann({1}, {2}, tol),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("root_tolerance: must be > 0")));
}

// Reads the x and y lines of tests/stats/testdata/kayenta_large_input.txt.
void ReadKayentaLargeInput(std::vector<double>* x, std::vector<double>* y) {
  std::ifstream in("tests/stats/testdata/kayenta_large_input.txt");
  ASSERT_TRUE(in.is_open()) << "run from the source root";
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 2 || line[0] == '#') continue;
    std::vector<double>* out = line[0] == 'x' ? x : y;
    for (absl::string_view token :
         absl::StrSplit(absl::string_view(line).substr(2), ", ")) {
      double v;
      ASSERT_TRUE(absl::SimpleAtod(token, &v)) << token;
      out->push_back(v);
    }
  }
  ASSERT_EQ(x->size(), 210u);
  ASSERT_EQ(y->size(), 210u);
}

// Kayenta's MannWhitneySuite "Intermediate Values / Variables": the
// statistic at the range ends in R's and Kayenta's W(d) - zq form, and the
// interval and estimate (Kayenta keeps the continuity correction when
// solving for the estimate; R does not).
TEST(HodgesLehmannTest, KayentaIntermediateValues) {
  std::vector<double> x, y;
  ReadKayentaLargeInput(&x, &y);
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  const double mu_min = x.front() - y.back();
  const double mu_max = x.back() - y.front();
  EXPECT_NEAR(mu_min, -3.124999999999986, 1e-6);
  EXPECT_NEAR(mu_max, 5.555555555555557, 1e-6);
  const double zq = 1.9599639845400536;
  auto wdiff = [&](double d, double q) {
    return internal::ShiftStatistic(x, y, d, true, Alternative::kTwoSided) - q;
  };
  EXPECT_NEAR(wdiff(mu_min, zq), 17.090968923762254, 1e-6);
  EXPECT_NEAR(wdiff(mu_max, zq), -20.997687930433106, 1e-6);
  EXPECT_NEAR(wdiff(mu_min, -zq), 21.01089689284236, 1e-6);
  EXPECT_NEAR(wdiff(mu_max, -zq), -17.077759961353, 1e-6);

  internal::InversionOptions kayenta;
  kayenta.confidence = 0.95;
  kayenta.correct_estimate = true;
  const internal::InvertedShift k = internal::InvertRankSum(x, y, kayenta);
  EXPECT_NEAR(k.lower, 3.521755377702165e-5, 1e-6);
  EXPECT_NEAR(k.upper, 2.02456461662334e-5, 1e-6);
  EXPECT_NEAR(k.estimate, 2.6279243045155653e-5, 1e-6);
}

TEST(HodgesLehmannTest, ValueTypesCompareAndPrint) {
  HodgesLehmannOptions a, b;
  EXPECT_EQ(a, b);
  b.confidence = 0.9;
  EXPECT_NE(a, b);
  SLUICE_ASSERT_OK_AND_ASSIGN(ShiftEstimate s, HodgesLehmann({3, 4}, {1, 2}));
  SLUICE_ASSERT_OK_AND_ASSIGN(ShiftEstimate t, HodgesLehmann({3, 4}, {1, 2}));
  EXPECT_EQ(s, t);
  std::ostringstream os;
  os << s;
  EXPECT_THAT(os.str(), HasSubstr("estimate: 2"));
}

}  // namespace
}  // namespace sluice::stats
