// Copyright 2026 The Sluice Authors.
//
// The ratio of rate ratios (sluice/stats/rate_did.h) against SciPy: a
// log-linear Poisson model fitted by maximum likelihood with a
// quasi-likelihood covariance (tests/stats/make_rate_did_reference.py,
// testdata/rate_did_scipy.txt).

#include "sluice/stats/rate_did.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::stats {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

struct ReferenceCase {
  std::string name;
  double null_ratio = 1;
  std::vector<double> events[4], exposure[4];
  double expect[8] = {};
  double pooled[6] = {};
};

std::vector<ReferenceCase> LoadReference() {
  std::ifstream in("tests/stats/testdata/rate_did_scipy.txt");
  std::vector<ReferenceCase> cases;
  std::string line;
  int cell = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    std::string kind;
    s >> kind;
    if (kind == "case") {
      cases.emplace_back();
      s >> cases.back().name >> cases.back().null_ratio;
      cell = 0;
    } else if (kind == "cell") {
      int m = 0;
      s >> m;
      ReferenceCase& c = cases.back();
      c.events[cell].resize(m);
      c.exposure[cell].resize(m);
      for (double& v : c.events[cell]) s >> v;
      for (double& v : c.exposure[cell]) s >> v;
      ++cell;
    } else if (kind == "expect") {
      for (double& v : cases.back().expect) s >> v;
    } else if (kind == "pooled") {
      for (double& v : cases.back().pooled) s >> v;
    }
  }
  return cases;
}

void ExpectNear(double got, double want, const std::string& what) {
  EXPECT_NEAR(got, want, 1e-9 * std::max(1.0, std::abs(want))) << what;
}

TEST(RateDidTest, MatchesScipyLogLinearPoissonQuasiLikelihood) {
  const std::vector<ReferenceCase> cases = LoadReference();
  ASSERT_EQ(cases.size(), 8u) << "tests/stats/testdata/rate_did_scipy.txt";
  for (const ReferenceCase& c : cases) {
    SCOPED_TRACE(c.name);
    CountCell cells[4];
    for (int i = 0; i < 4; ++i) {
      SLUICE_ASSERT_OK_AND_ASSIGN(
          double phi, PearsonDispersion(c.events[i], c.exposure[i]));
      ExpectNear(phi, c.expect[i], "dispersion");
      for (size_t m = 0; m < c.events[i].size(); ++m) {
        cells[i].events += c.events[i][m];
        cells[i].exposure += c.exposure[i][m];
      }
      cells[i].dispersion = phi;
    }
    SLUICE_ASSERT_OK_AND_ASSIGN(
        DidResult r, RatioOfRatiosTest(cells[0], cells[1], cells[2], cells[3],
                                       c.null_ratio));
    ExpectNear(r.log_ratio, c.expect[4], "log_ratio");
    ExpectNear(r.standard_error, c.expect[5], "standard_error");
    ExpectNear(r.z, c.expect[6], "z");
    ExpectNear(r.p_value, c.expect[7], "p_value");
    ExpectNear(r.ratio, std::exp(c.expect[4]), "ratio");

    // One dispersion per cohort, pooled over its two windows.
    for (int cohort = 0; cohort < 2; ++cohort) {
      std::vector<double> e, n;
      std::vector<int> g;
      for (int w = 0; w < 2; ++w) {
        const int i = 2 * cohort + w;
        e.insert(e.end(), c.events[i].begin(), c.events[i].end());
        n.insert(n.end(), c.exposure[i].begin(), c.exposure[i].end());
        g.insert(g.end(), c.events[i].size(), w);
      }
      SLUICE_ASSERT_OK_AND_ASSIGN(double phi, PearsonDispersion(e, n, g));
      ExpectNear(phi, c.pooled[cohort], "pooled dispersion");
      cells[2 * cohort].dispersion = phi;
      cells[2 * cohort + 1].dispersion = phi;
    }
    SLUICE_ASSERT_OK_AND_ASSIGN(
        r, RatioOfRatiosTest(cells[0], cells[1], cells[2], cells[3],
                             c.null_ratio));
    ExpectNear(r.log_ratio, c.pooled[2], "pooled log_ratio");
    ExpectNear(r.standard_error, c.pooled[3], "pooled standard_error");
    ExpectNear(r.z, c.pooled[4], "pooled z");
    ExpectNear(r.p_value, c.pooled[5], "pooled p_value");
  }
}

TEST(RateDidTest, PerTargetAndCommonFactorsCancel) {
  // The treated targets err 3x the control's, and the zone's rate doubles
  // between the windows for both: no change is attributed to the release.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      DidResult r,
      RatioOfRatiosTest({120, 20000}, {60, 20000}, {80, 40000}, {40, 40000}));
  EXPECT_DOUBLE_EQ(r.log_ratio, 0.0);
  EXPECT_DOUBLE_EQ(r.p_value, 0.5);
  EXPECT_DOUBLE_EQ(r.standard_error,
                   std::sqrt(1.0 / 120 + 1.0 / 60 + 1.0 / 80 + 1.0 / 40));
}

TEST(RateDidTest, DispersionWidensTheStandardError) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      DidResult poisson,
      RatioOfRatiosTest({100, 1e4}, {50, 1e4}, {50, 1e4}, {50, 1e4}));
  SLUICE_ASSERT_OK_AND_ASSIGN(DidResult quasi,
                              RatioOfRatiosTest({100, 1e4, 4}, {50, 1e4, 4},
                                                {50, 1e4, 4}, {50, 1e4, 4}));
  EXPECT_DOUBLE_EQ(quasi.standard_error, 2 * poisson.standard_error);
  EXPECT_DOUBLE_EQ(quasi.z, poisson.z / 2);
  EXPECT_LT(poisson.p_value, quasi.p_value);
}

TEST(RateDidTest, NullRatioShiftsTheTest) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      DidResult r, RatioOfRatiosTest({100, 1e4}, {50, 1e4}, {50, 1e4},
                                     {50, 1e4}, /*null_ratio=*/2.0));
  EXPECT_DOUBLE_EQ(r.ratio, 2.0);
  EXPECT_NEAR(r.z, 0.0, 1e-12);
  EXPECT_NEAR(r.p_value, 0.5, 1e-12);
}

TEST(RateDidTest, ZeroCellUsesHaldaneAnscombe) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      DidResult r,
      RatioOfRatiosTest({10, 1000}, {0, 1000}, {5, 1000}, {5, 1000}));
  EXPECT_NEAR(r.log_ratio, std::log(10.5 / 0.5) - std::log(5.5 / 5.5), 1e-12);
  EXPECT_NEAR(r.standard_error,
              std::sqrt(1 / 10.5 + 1 / 0.5 + 1 / 5.5 + 1 / 5.5), 1e-12);
}

TEST(RateDidTest, WithoutAControlIsTheCohortsOwnRateRatio) {
  // The documented formula, computed here: R = (E_a / N_a) / (E_b / N_b),
  // se^2 = phi_a / E_a + phi_b / E_b, z = (log R - log null) / se,
  // p = 1 - Phi(z) = erfc(z / sqrt 2) / 2.
  const double ea = 90, na = 30000, pa = 1.7, eb = 120, nb = 120000, pb = 1.7;
  const double null_ratio = 1.5;
  const double log_r = std::log((ea / na) / (eb / nb));
  const double se = std::sqrt(pa / ea + pb / eb);
  const double z = (log_r - std::log(null_ratio)) / se;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      DidResult r, RateRatioTest({ea, na, pa}, {eb, nb, pb}, null_ratio));
  EXPECT_NEAR(r.ratio, 3.0, 1e-12);
  EXPECT_NEAR(r.log_ratio, log_r, 1e-12);
  EXPECT_NEAR(r.standard_error, se, 1e-12);
  EXPECT_NEAR(r.z, z, 1e-12);
  EXPECT_NEAR(r.p_value, 0.5 * std::erfc(z / std::sqrt(2.0)), 1e-12);
  // A cell without errors: 0.5 added to both.
  SLUICE_ASSERT_OK_AND_ASSIGN(DidResult h, RateRatioTest({7, 1000}, {0, 2000}));
  EXPECT_NEAR(h.log_ratio, std::log((7.5 / 1000) / (0.5 / 2000)), 1e-12);
  EXPECT_NEAR(h.standard_error, std::sqrt(1 / 7.5 + 1 / 0.5), 1e-12);
  EXPECT_THAT(RateRatioTest({1, 1}, {1, 0}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("treated_before.exposure: must be")));
  EXPECT_THAT(
      RateRatioTest({1, 1}, {1, 1}, -1),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("null_ratio")));
}

TEST(RateDidTest, PearsonDispersionEdgeCases) {
  SLUICE_ASSERT_OK_AND_ASSIGN(double one, PearsonDispersion({3}, {100}));
  EXPECT_EQ(one, 1.0);
  SLUICE_ASSERT_OK_AND_ASSIGN(double none, PearsonDispersion({0, 0}, {5, 5}));
  EXPECT_EQ(none, 1.0);
  // Below Poisson's variance: floored at 1.
  SLUICE_ASSERT_OK_AND_ASSIGN(double under,
                              PearsonDispersion({5, 5, 5}, {100, 100, 100}));
  EXPECT_EQ(under, 1.0);
  // (0 - 5)^2 / 5 + (10 - 5)^2 / 5 = 10, over m - 1 = 1; the minute
  // without requests does not count.
  SLUICE_ASSERT_OK_AND_ASSIGN(double over,
                              PearsonDispersion({0, 10, 0}, {100, 100, 0}));
  EXPECT_DOUBLE_EQ(over, 10.0);
  // Two groups, each around its own rate: group 0 fits exactly (rate 0.05),
  // group 1 is (0 - 5)^2 / 5 + (10 - 5)^2 / 5 = 10; df = 1 + 1.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      double grouped,
      PearsonDispersion({5, 5, 0, 10}, {100, 100, 100, 100}, {0, 0, 1, 1}));
  EXPECT_DOUBLE_EQ(grouped, 5.0);
}

TEST(RateDidTest, BadInputNamesTheField) {
  EXPECT_THAT(RatioOfRatiosTest({1, 0}, {1, 1}, {1, 1}, {1, 1}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("treated_after.exposure: must be")));
  EXPECT_THAT(RatioOfRatiosTest({1, 1}, {1, 1}, {-1, 1}, {1, 1}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("control_after.events")));
  EXPECT_THAT(RatioOfRatiosTest({1, 1}, {1, 1}, {1, 1}, {1, 1, 0.5}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("control_before.dispersion")));
  EXPECT_THAT(
      RatioOfRatiosTest({1, 1}, {1, 1}, {1, 1}, {1, 1}, 0),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("null_ratio")));
  EXPECT_THAT(PearsonDispersion({1, 2}, {1}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("events: has 2 values")));
  EXPECT_THAT(
      PearsonDispersion({1, NAN}, {1, 1}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("events[1]")));
}

}  // namespace
}  // namespace sluice::stats
