// Copyright 2026 The Sluice Authors.
//
// The private uniform boundaries (lib/stats/boundaries.h) against the values
// of the authors' confseq library (tests/stats/testdata/README.md says how
// they were produced).

#include "lib/stats/boundaries.h"

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sluice::internal {
namespace {

struct Line {
  std::string function;
  std::vector<double> numbers;
  std::string text;
};

std::vector<Line> ReadReference() {
  std::ifstream in("tests/stats/testdata/confseq_boundaries.txt");
  std::vector<Line> lines;
  std::string text;
  while (std::getline(in, text)) {
    if (text.empty() || text[0] == '#') continue;
    std::istringstream fields(text);
    Line line;
    line.text = text;
    fields >> line.function;
    std::string number;
    while (fields >> number) line.numbers.push_back(std::stod(number));
    lines.push_back(std::move(line));
  }
  return lines;
}

// |got - want| <= tolerance * max(1, |want|).
::testing::AssertionResult Near(double got, double want, double tolerance) {
  if (std::fabs(got - want) <= tolerance * std::max(1.0, std::fabs(want))) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "got " << got << ", confseq " << want
                                       << " (difference " << got - want << ")";
}

TEST(BoundariesTest, MatchConfseq) {
  const std::vector<Line> lines = ReadReference();
  ASSERT_EQ(lines.size(), 1046u);
  int checked = 0;
  double worst = 0;
  for (const Line& line : lines) {
    const std::vector<double>& n = line.numbers;
    double got = 0;
    double want = 0;
    if (line.function == "normal_log_mixture") {
      const double rho =
          n[4] != 0 ? OneSidedBestRho(n[2], n[3]) : TwoSidedBestRho(n[2], n[3]);
      got = NormalLogMixture(n[0], n[1], rho, n[4] != 0);
      want = n[5];
    } else if (line.function == "normal_mixture_bound") {
      const double rho =
          n[4] != 0 ? OneSidedBestRho(n[2], n[3]) : TwoSidedBestRho(n[2], n[3]);
      got = NormalMixtureBound(n[0], std::log(1 / n[1]), rho, n[4] != 0);
      want = n[5];
    } else if (line.function == "beta_binomial_log_mixture") {
      const BetaBinomialMixture m(n[2], n[5], n[3], n[4], n[6] != 0);
      got = m.LogValue(n[0], n[1]);
      want = n[7];
    } else if (line.function == "beta_binomial_mixture_bound") {
      const BetaBinomialMixture m(n[2], n[5], n[3], n[4], n[6] != 0);
      got = m.Bound(n[0], std::log(1 / n[1]));
      want = n[7];
    } else if (line.function == "gamma_poisson_log_mixture") {
      const GammaPoissonMixture m(n[2], n[4], n[3]);
      got = m.LogValue(n[0], n[1]);
      want = n[5];
    } else if (line.function == "gamma_poisson_mixture_bound") {
      const GammaPoissonMixture m(n[2], n[4], n[3]);
      got = m.Bound(n[0], std::log(1 / n[1]));
      want = n[5];
    } else if (line.function == "double_stitching_bound") {
      got = DoubleStitchingBound(n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
      want = n[7];
    } else {
      continue;  // checked elsewhere (bernoulli_confidence_interval)
    }
    ++checked;
    worst =
        std::max(worst, std::fabs(got - want) / std::max(1.0, std::fabs(want)));
    EXPECT_TRUE(Near(got, want, 1e-7)) << line.text;
  }
  EXPECT_EQ(checked, 982);
  std::cout << checked << " values, worst relative difference " << worst
            << "\n";
}

TEST(BoundariesTest, SpecialFunctions) {
  // Reference values: zeta(2) = pi^2 / 6, zeta(1.4) (Mathematica).
  EXPECT_NEAR(RiemannZeta(2), 1.6449340668482264, 1e-14);
  EXPECT_NEAR(RiemannZeta(1.4), 3.1055472779775787, 1e-12);
  // Q(1, x) = exp(-x); Q(a, 0) = 1.
  EXPECT_NEAR(LogGammaQ(1, 3), -3, 1e-13);
  EXPECT_NEAR(LogGammaQ(1, 0.25), -0.25, 1e-13);
  EXPECT_EQ(LogGammaQ(2.5, 0), 0);
  // I_x(1, 1) = x: log(x B(1, 1)) = log x.
  EXPECT_NEAR(LogIncompleteBeta(1, 1, 0.3), std::log(0.3), 1e-13);
  EXPECT_NEAR(LogIncompleteBeta(1, 1, 0.9), std::log(0.9), 1e-13);
  // I_x(a, 1) = x^a: log B(a, 1) = -log a.
  EXPECT_NEAR(LogIncompleteBeta(3, 1, 0.5), 3 * std::log(0.5) - std::log(3),
              1e-13);
  const double m = MinimizeBrent([](double x) { return (x - 0.3) * (x - 0.3); },
                                 0, 1, 1e-12);
  EXPECT_NEAR(m, 0.3, 1e-9);
}

}  // namespace
}  // namespace sluice::internal
