// Copyright 2026 The Sluice Authors.
//
// Private numerical helpers of the statistics code: the normal distribution,
// R's root finder, log-beta. Namespace sluice::internal.

#ifndef SLUICE_LIB_STATS_MATH_H_
#define SLUICE_LIB_STATS_MATH_H_

#include "absl/functional/function_ref.h"

namespace sluice::internal {

// The standard normal CDF Phi(z), computed as Cephes' ndtr (which SciPy
// uses): erf near 0, erfc in the tails, so tail values keep full relative
// precision.
double NormalCdf(double z);

// The standard normal survival function 1 - Phi(z) = Phi(-z), with full
// relative precision in the upper tail (SciPy's norm.sf).
double NormalSf(double z);

// The standard normal quantile Phi^{-1}(p) for p in (0, 1); -inf at 0, +inf
// at 1, NaN outside [0, 1]. A rational first guess refined by Halley steps on
// NormalCdf, accurate to a few ulps.
double NormalQuantile(double p);

// log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b) for a, b > 0.
double LogBeta(double a, double b);

// R's zeroin2 (src/library/stats/src/zeroin.c, the Brent-Dekker method as
// written by Oleg Keselyov), which uniroot() calls: a root of `f` in
// [ax, bx] given fa = f(ax) and fb = f(bx) of opposite signs, to the
// tolerance `tol`, in at most `max_iterations` steps. Sluice reproduces R's
// and Kayenta's Hodges-Lehmann intervals with it, so it follows R's code
// step by step, including its tolerance rule.
double Zeroin(absl::FunctionRef<double(double)> f, double ax, double bx,
              double fa, double fb, double tol, int max_iterations);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_STATS_MATH_H_
