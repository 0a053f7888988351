// Copyright 2026 The Sluice Authors.

#include "lib/stats/math.h"

#include <cfloat>
#include <cmath>
#include <limits>

namespace sluice::internal {
namespace {

constexpr double kSqrtHalf = 0.70710678118654752440;
constexpr double kSqrt2Pi = 2.50662827463100050242;

}  // namespace

double NormalCdf(double z) {
  if (std::isnan(z)) return z;
  const double x = z * kSqrtHalf;
  const double ax = std::fabs(x);
  if (ax < kSqrtHalf) return 0.5 + 0.5 * std::erf(x);
  const double tail = 0.5 * std::erfc(ax);
  return x > 0 ? 1.0 - tail : tail;
}

double NormalSf(double z) { return NormalCdf(-z); }

double NormalQuantile(double p) {
  if (std::isnan(p) || p < 0 || p > 1) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (p == 0) return -std::numeric_limits<double>::infinity();
  if (p == 1) return std::numeric_limits<double>::infinity();
  if (p == 0.5) return 0.0;
  // Work in the lower half; the upper half by symmetry.
  const bool upper = p > 0.5;
  const double q = upper ? 1.0 - p : p;
  // Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4) as the first guess.
  const double t = std::sqrt(-2.0 * std::log(q));
  double x =
      -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  // Halley's method on Phi(x) - q; the tail form of Phi keeps the relative
  // precision of q, so a few steps reach full double precision.
  for (int i = 0; i < 4; ++i) {
    const double e = NormalCdf(x) - q;
    const double u = e * kSqrt2Pi * std::exp(0.5 * x * x);
    const double step = u / (1.0 + 0.5 * x * u);
    x -= step;
    if (std::fabs(step) <= 1e-17 * std::fabs(x)) break;
  }
  return upper ? -x : x;
}

double LogBeta(double a, double b) {
#if defined(__GLIBC__)
  // lgamma() writes the global signgam; lgamma_r keeps this thread-safe.
  int sign;
  return lgamma_r(a, &sign) + lgamma_r(b, &sign) - lgamma_r(a + b, &sign);
#else
  return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
#endif
}

double Zeroin(absl::FunctionRef<double(double)> f, double ax, double bx,
              double fa, double fb, double tol, int max_iterations) {
  double a = ax;
  double b = bx;
  double c = a;
  double fc = fa;
  if (fa == 0.0) return a;
  if (fb == 0.0) return b;
  for (int iteration = 0; iteration <= max_iterations; ++iteration) {
    const double prev_step = b - a;
    if (std::fabs(fc) < std::fabs(fb)) {
      // Make b the best approximation so far.
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const double tol_act = 2 * DBL_EPSILON * std::fabs(b) + tol / 2;
    double new_step = (c - b) / 2;
    if (std::fabs(new_step) <= tol_act || fb == 0.0) return b;

    // Try interpolation when the previous step was large enough and went the
    // right way.
    if (std::fabs(prev_step) >= tol_act && std::fabs(fa) > std::fabs(fb)) {
      const double cb = c - b;
      double p;
      double q;
      if (a == c) {
        // Two distinct points: linear (secant) interpolation.
        const double t1 = fb / fa;
        p = cb * t1;
        q = 1.0 - t1;
      } else {
        // Inverse quadratic interpolation.
        const double qa = fa / fc;
        const double t1 = fb / fc;
        const double t2 = fb / fa;
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1.0));
        q = (qa - 1.0) * (t1 - 1.0) * (t2 - 1.0);
      }
      if (p > 0) {
        q = -q;
      } else {
        p = -p;
      }
      if (p < (0.75 * cb * q - std::fabs(tol_act * q) / 2) &&
          p < std::fabs(prev_step * q / 2)) {
        new_step = p / q;
      }
    }
    if (std::fabs(new_step) < tol_act) {
      new_step = new_step > 0 ? tol_act : -tol_act;
    }
    a = b;
    fa = fb;
    b += new_step;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return b;  // Not converged within max_iterations; R returns b as well.
}

}  // namespace sluice::internal
