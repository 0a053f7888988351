// Copyright 2026 The Sluice Authors.

#include "lib/sim/sim_random.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace sluice::internal {

double SimNormalQuantile(double p) {
  // Wichura, M. J. (1988). Algorithm AS 241: The percentage points of the
  // normal distribution. Applied Statistics 37, 477-484.
  if (!(p > 0.0)) return -INFINITY;
  if (!(p < 1.0)) return INFINITY;
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q *
           (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r +
                 67265.770927008700853) *
                    r +
                45921.953931549871457) *
                   r +
               13731.693765509461125) *
                  r +
              1971.5909503065514427) *
                 r +
             133.14166789178437745) *
                r +
            3.387132872796366608) /
           (((((((r * 5226.495278852545925 + 28729.085735721942674) * r +
                 39307.89580009271061) *
                    r +
                21213.794301586595867) *
                   r +
               5394.1960214247511077) *
                  r +
              687.1870074920579083) *
                 r +
             42.313330701600911252) *
                r +
            1.0);
  }
  double r = q < 0 ? p : 1.0 - p;
  r = std::sqrt(-std::log(r));
  double value;
  if (r <= 5.0) {
    r -= 1.6;
    value =
        (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r +
              0.24178072517745061177) *
                 r +
             1.27045825245236838258) *
                r +
            3.64784832476320460504) *
               r +
           5.7694972214606914055) *
              r +
          4.6303378461565452959) *
             r +
         1.42343711074968357734) /
        (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r +
              0.0151986665636164571966) *
                 r +
             0.14810397642748007459) *
                r +
            0.68976733498510000455) *
               r +
           1.6763848301838038494) *
              r +
          2.05319162663775882187) *
             r +
         1.0);
  } else {
    r -= 5.0;
    value =
        (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r +
              0.0012426609473880784386) *
                 r +
             0.026532189526576123093) *
                r +
            0.29656057182850489123) *
               r +
           1.7848265399172913358) *
              r +
          5.4637849111641143699) *
             r +
         6.6579046435011037772) /
        (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r +
              1.8463183175100546818e-5) *
                 r +
             7.868691311456132591e-4) *
                r +
            0.0148753612908506148525) *
               r +
           0.13692988092273580531) *
              r +
          0.59983220655588793769) *
             r +
         1.0);
  }
  return q < 0 ? -value : value;
}

double SimNormalCdf(double x) {
  return 0.5 * std::erfc(-x * 0.70710678118654752440);
}

double PoissonFromBits(double lambda, uint64_t bits) {
  if (!(lambda > 0)) return 0;
  const double u = UnitFromBits(bits);
  if (lambda < 40) {
    // Inversion: walk the CDF.
    double p = std::exp(-lambda);
    double cdf = p;
    double k = 0;
    while (u > cdf && k < 1000) {
      k += 1;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }
  const double x =
      std::floor(lambda + std::sqrt(lambda) * SimNormalQuantile(u) + 0.5);
  return x < 0 ? 0 : x;
}

double ParetoFromBits(double scale, double shape, uint64_t bits) {
  return scale * std::pow(UnitFromBits(bits), -1.0 / shape);
}

double GammaFromKey(double shape, uint64_t key) {
  if (!(shape > 0)) return 0;
  if (shape < 1) {
    // Gamma(a) = Gamma(a + 1) * U^(1/a).
    const double u = UnitFromBits(HashWords({key, 0xffffffffULL}));
    return GammaFromKey(shape + 1, key) * std::pow(u, 1.0 / shape);
  }
  // Marsaglia and Tsang (2000), "A simple method for generating gamma
  // variables", ACM TOMS 26(3).
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (uint64_t i = 0; i < 1000; ++i) {
    const double x = NormalFromBits(HashWords({key, 2 * i}));
    double v = 1.0 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const double u = UnitFromBits(HashWords({key, 2 * i + 1}));
    if (u < 1.0 - 0.0331 * x * x * x * x ||
        std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) {
      return d * v;
    }
  }
  return shape;  // unreachable in practice (acceptance is > 95%)
}

double BinomialFromBits(double n, double p, uint64_t bits) {
  n = std::floor(n);
  if (!(n > 0) || !(p > 0)) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - BinomialFromBits(n, 1 - p, bits);
  const double mean = n * p;
  const double u = UnitFromBits(bits);
  if (mean < 30) {
    // Inversion: walk the probability mass function from 0.
    double pmf = std::exp(n * std::log1p(-p));
    double cdf = pmf;
    double k = 0;
    const double ratio = p / (1 - p);
    while (u > cdf && k < n) {
      pmf *= (n - k) / (k + 1) * ratio;
      k += 1;
      cdf += pmf;
      if (pmf < 1e-300 && k > mean) break;
    }
    return k;
  }
  const double x =
      std::floor(mean + std::sqrt(mean * (1 - p)) * SimNormalQuantile(u) + 0.5);
  return std::clamp(x, 0.0, n);
}

}  // namespace sluice::internal
