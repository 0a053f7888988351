// Copyright 2026 The Sluice Authors.

#include "sluice/stats/mann_whitney.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::stats {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::DoubleNear;
using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> ParseValues(absl::string_view text) {
  std::vector<double> values;
  for (absl::string_view token :
       absl::StrSplit(text, ' ', absl::SkipWhitespace())) {
    double v;
    if (token == "inf") {
      v = kInf;
    } else if (token == "-inf") {
      v = -kInf;
    } else {
      EXPECT_TRUE(absl::SimpleAtod(token, &v)) << token;
    }
    values.push_back(v);
  }
  return values;
}

bool ParseAlternative(absl::string_view s, Alternative* alternative) {
  if (s == "two-sided")
    *alternative = Alternative::kTwoSided;
  else if (s == "less")
    *alternative = Alternative::kLess;
  else if (s == "greater")
    *alternative = Alternative::kGreater;
  else
    return false;
  return true;
}

bool ParseMethod(absl::string_view s, MannWhitneyMethod* method) {
  if (s == "auto")
    *method = MannWhitneyMethod::kAuto;
  else if (s == "exact")
    *method = MannWhitneyMethod::kExact;
  else if (s == "asymptotic")
    *method = MannWhitneyMethod::kAsymptotic;
  else
    return false;
  return true;
}

// Every expectation SciPy computed (tests/stats/make_reference.py) holds: U
// exactly, the p-value to 1e-9 relative.
TEST(MannWhitneyTest, AgreesWithScipy) {
  std::ifstream in("tests/stats/testdata/mann_whitney_scipy.txt");
  ASSERT_TRUE(in.is_open()) << "run from the source root";
  std::string line;
  std::string name;
  std::vector<double> x;
  std::vector<double> y;
  int checked = 0;
  double max_relative_error = 0;
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
      ASSERT_EQ(f.size(), 6u) << line;
      MannWhitneyOptions options;
      ASSERT_TRUE(ParseAlternative(f[1], &options.alternative)) << line;
      ASSERT_TRUE(ParseMethod(f[2], &options.method)) << line;
      options.continuity_correction = f[3] == "1";
      double want_u, want_p;
      ASSERT_TRUE(absl::SimpleAtod(f[4], &want_u));
      ASSERT_TRUE(absl::SimpleAtod(f[5], &want_p));
      SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r,
                                  MannWhitneyU(x, y, options));
      EXPECT_EQ(r.u, want_u) << name << " " << options;
      const double err = want_p == 0 ? std::fabs(r.p_value)
                                     : std::fabs(r.p_value - want_p) / want_p;
      max_relative_error = std::max(max_relative_error, err);
      EXPECT_LE(err, 1e-9) << name << " " << options << ": got " << r
                           << ", SciPy " << want_p;
      ++checked;
    }
  }
  EXPECT_GT(checked, 1500);
  RecordProperty("max_relative_error", std::to_string(max_relative_error));
  std::cout << "checked " << checked << " SciPy p-values, max relative error "
            << max_relative_error << "\n";
}

TEST(MannWhitneyTest, ScipyDocumentationExample) {
  const std::vector<double> males = {19, 22, 16, 29, 24};
  const std::vector<double> females = {20, 11, 17, 12};
  SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult exact,
                              MannWhitneyU(males, females));
  EXPECT_EQ(exact.u, 17);
  EXPECT_EQ(exact.method, MannWhitneyMethod::kExact);
  EXPECT_NEAR(exact.p_value, 0.1111111111111111, 1e-15);
  EXPECT_TRUE(std::isnan(exact.z));

  MannWhitneyOptions asymptotic;
  asymptotic.method = MannWhitneyMethod::kAsymptotic;
  SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r,
                              MannWhitneyU(males, females, asymptotic));
  EXPECT_NEAR(r.p_value, 0.11134688653314041, 1e-15);
  asymptotic.continuity_correction = false;
  SLUICE_ASSERT_OK_AND_ASSIGN(r, MannWhitneyU(males, females, asymptotic));
  EXPECT_NEAR(r.p_value, 0.0864107329737, 1e-12);
}

// SciPy 1.10's `auto` rule, from its code: exact when either sample has at
// most 8 values and there are no ties.
TEST(MannWhitneyTest, AutoChoosesExactUpToEightValuesWithoutTies) {
  std::vector<double> eight = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<double> nine = {1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5};
  std::vector<double> many(50);
  for (int i = 0; i < 50; ++i) many[i] = 0.25 + i;
  SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r, MannWhitneyU(eight, many));
  EXPECT_EQ(r.method, MannWhitneyMethod::kExact);
  SLUICE_ASSERT_OK_AND_ASSIGN(r, MannWhitneyU(many, eight));
  EXPECT_EQ(r.method, MannWhitneyMethod::kExact);
  SLUICE_ASSERT_OK_AND_ASSIGN(r, MannWhitneyU(nine, many));
  EXPECT_EQ(r.method, MannWhitneyMethod::kAsymptotic);
  std::vector<double> tied = {1, 1, 2};
  SLUICE_ASSERT_OK_AND_ASSIGN(r, MannWhitneyU(tied, eight));
  EXPECT_EQ(r.method, MannWhitneyMethod::kAsymptotic);
  EXPECT_TRUE(r.has_ties);
}

TEST(MannWhitneyTest, AutoFallsBackToAsymptoticWhenExactIsTooLarge) {
  // Values spread over the same range, so U is near its mean n*m/2 and the
  // exact tail needs min(n, m) * k ~ 8 * 1e7 > kMaxExactCells = 2^26.
  std::vector<double> small = {100.0005,  400.0005,  700.0005,  1000.0005,
                               1300.0005, 1600.0005, 1900.0005, 2200.0005};
  std::vector<double> huge(20'000'000 / 8);
  for (size_t i = 0; i < huge.size(); ++i) huge[i] = 1e-3 * i;
  SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r, MannWhitneyU(small, huge));
  EXPECT_EQ(r.method, MannWhitneyMethod::kAsymptotic);
  MannWhitneyOptions exact;
  exact.method = MannWhitneyMethod::kExact;
  EXPECT_THAT(MannWhitneyU(small, huge, exact),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("method: the exact distribution")));
}

TEST(MannWhitneyTest, UCountsPairsAndHalfTies) {
  // x > y pairs: (3,1),(3,2),(2,1); ties (2,2): U = 3 + 0.5.
  SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r,
                              MannWhitneyU({2, 3}, {1, 2}));
  EXPECT_EQ(r.u, 3.5);
  EXPECT_DOUBLE_EQ(r.common_language_effect(), 3.5 / 4);
}

TEST(MannWhitneyTest, SignedZerosTie) {
  SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r, MannWhitneyU({-0.0}, {0.0}));
  EXPECT_EQ(r.u, 0.5);
  EXPECT_TRUE(r.has_ties);
}

TEST(MannWhitneyTest, AllValuesEqualGivesPValueOne) {
  for (bool continuity : {true, false}) {
    MannWhitneyOptions options;
    options.continuity_correction = continuity;
    SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r,
                                MannWhitneyU({3, 3, 3}, {3, 3}, options));
    EXPECT_EQ(r.p_value, 1.0);
    EXPECT_EQ(r.u, 3.0);
  }
}

TEST(MannWhitneyTest, LargeSamplesUseTheRadixPathConsistently) {
  // The same data through the radix sort (large) and std::sort (small
  // chunks) give the same U as a direct O(n*m) count on a subsample.
  std::vector<double> x, y;
  uint64_t state = 12345;
  auto next = [&state]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(static_cast<int64_t>(state >> 33) % 2001 -
                               1000) /
           7.0;
  };
  for (int i = 0; i < 5000; ++i) x.push_back(next());
  for (int i = 0; i < 4000; ++i) y.push_back(i % 3 == 0 ? -next() : next());
  double twice_u = 0;
  for (double a : x) {
    for (double b : y) twice_u += a > b ? 2 : (a == b ? 1 : 0);
  }
  SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r, MannWhitneyU(x, y));
  EXPECT_EQ(r.u, twice_u / 2);
  EXPECT_TRUE(r.has_ties);
}

TEST(MannWhitneyTest, BadInputIsAnErrorNamingTheField) {
  EXPECT_THAT(MannWhitneyU({}, {1.0}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("x: must not be empty")));
  EXPECT_THAT(MannWhitneyU({1.0}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("y: must not be empty")));
  EXPECT_THAT(MannWhitneyU({1.0, 2.0}, {1.0, 2.0, 3.0, kNaN}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("y[3]: must not be NaN")));
  EXPECT_THAT(MannWhitneyU({kNaN}, {1.0}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("x[0]: must not be NaN")));
}

TEST(MannWhitneyTest, InfinitiesAreExtremeValues) {
  SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r,
                              MannWhitneyU({kInf, kInf}, {-kInf, 0.0}));
  EXPECT_EQ(r.u, 4);
}

TEST(MannWhitneyTest, ValueTypesCompareAndPrint) {
  MannWhitneyOptions a;
  MannWhitneyOptions b;
  EXPECT_EQ(a, b);
  b.alternative = Alternative::kLess;
  EXPECT_NE(a, b);
  std::ostringstream os;
  os << b;
  EXPECT_EQ(os.str(),
            "{alternative: less, method: auto, continuity_correction: true}");
  SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r, MannWhitneyU({1}, {2}));
  SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult r2, MannWhitneyU({1}, {2}));
  EXPECT_EQ(r, r2);
  std::ostringstream os2;
  os2 << r;
  EXPECT_THAT(os2.str(), HasSubstr("method: exact"));
}

}  // namespace
}  // namespace sluice::stats
