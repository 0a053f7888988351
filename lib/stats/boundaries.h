// Copyright 2026 The Sluice Authors.
//
// Private: the uniform boundaries of Howard, Ramdas, McAuliffe & Sekhon,
// "Time-uniform, nonparametric, nonasymptotic confidence sequences" (Ann.
// Statist. 2021), and of Howard & Ramdas, "Sequential estimation of
// quantiles" (Bernoulli 2022), as the authors' confseq library defines them
// (src/confseq/uniform_boundaries.h): conjugate mixture supermartingales
// (normal, beta-binomial, gamma-Poisson; one- and two-sided), the boundary
// each crosses at log(1/alpha), their tuning, and the double-stitched
// boundary of the quantile paper.
// tests/stats/boundaries_test.cc checks every function against confseq's
// values (tests/stats/testdata/confseq_boundaries.txt).
//
// Notation: S is the centred sum (e.g. #{X_i <= q} - p t), V its intrinsic
// time (variance process, e.g. p (1 - p) t). A mixture's log value
// log M(S, V) is the log of a nonnegative supermartingale with M = 1 at
// V = 0, so P(exists t: log M >= log(1/alpha)) <= alpha (Ville).
// Namespace sluice::internal.

#ifndef SLUICE_LIB_STATS_BOUNDARIES_H_
#define SLUICE_LIB_STATS_BOUNDARIES_H_

#include "absl/functional/function_ref.h"

namespace sluice::internal {

// --- Special functions. ---

// log I_x(a, b) + log B(a, b): the log of the (unregularized) incomplete
// beta function; log B(a, b) at x = 1. a, b > 0, x in (0, 1].
double LogIncompleteBeta(double a, double b, double x);

// The regularized upper incomplete gamma function Q(a, x) =
// Gamma(a, x) / Gamma(a), a > 0, x >= 0, and its log (full precision when Q
// is tiny).
double LogGammaQ(double a, double x);

// The Riemann zeta function for s > 1.
double RiemannZeta(double s);

// The minimizer of `f` on [lo, hi] by Brent's method (golden section with
// parabolic steps) to an absolute tolerance `tol` in x.
double MinimizeBrent(absl::FunctionRef<double(double)> f, double lo, double hi,
                     double tol);

// --- Tuning. ---

// confseq's best_rho: the normal mixture's rho for which the two-sided
// boundary is (nearly) smallest at intrinsic time v for crossing
// probability alpha: v / (2 log(1/alpha) + log(1 + 2 log(1/alpha))). The
// one-sided mixture uses TwoSidedBestRho(v, 2 alpha).
double TwoSidedBestRho(double v, double alpha);
double OneSidedBestRho(double v, double alpha);

// --- Mixtures. ---

// The normal mixture (sub-Gaussian increments) with precision rho:
// two-sided  log M = 1/2 log(rho / (v + rho)) + s^2 / (2 (v + rho)),
// one-sided  log M = 1/2 log(4 rho / (v + rho)) + s^2 / (2 (v + rho))
//                    + log Phi(s / sqrt(v + rho)).
double NormalLogMixture(double s, double v, double rho, bool one_sided);

// The smallest s > 0 at which the normal mixture reaches log_threshold:
// closed form two-sided, bisection one-sided.
double NormalMixtureBound(double v, double log_threshold, double rho,
                          bool one_sided);

// The beta-binomial mixture for increments in [-g, h] (sub-Bernoulli; for
// the count of values below a quantile p: g = p, h = 1 - p, v = p (1 - p) t),
// tuned as confseq: r = max(rho - g h, 1e-3 g h) with rho the normal
// mixture's best rho at v_opt (one- or two-sided) and alpha_opt. One-sided
// mixes only over the positive tilts, so M grows only with s > 0.
class BetaBinomialMixture {
 public:
  BetaBinomialMixture(double v_opt, double alpha_opt, double g, double h,
                      bool one_sided);

  double LogValue(double s, double v) const;
  // The largest s the increments allow at intrinsic time v: v / g.
  double SUpperBound(double v) const { return v / g_; }
  // The smallest s > 0 at which LogValue reaches log_threshold (or
  // SUpperBound(v) if it never does).
  double Bound(double v, double log_threshold) const;

  double r() const { return r_; }

 private:
  double r_;
  double g_;
  double h_;
  bool one_sided_;
  double normalizer_;
};

// The one-sided gamma-Poisson mixture for sub-Poisson increments with scale
// c (e.g. centred counts: increments <= c, variance process v), tuned with
// the one-sided normal mixture's best rho at v_opt.
class GammaPoissonMixture {
 public:
  GammaPoissonMixture(double v_opt, double alpha_opt, double c);

  double LogValue(double s, double v) const;
  double Bound(double v, double log_threshold) const;

  double rho() const { return rho_; }

 private:
  double rho_;
  double c_;
  double leading_constant_;
};

// The smallest s in (0, s_max] with log_mixture(s) >= log_threshold, by
// bisection to double precision, for a log_mixture increasing in s > 0;
// s_max when it is never reached below s_max. s_max may be +inf: then it is
// found by doubling from `start`.
double MixtureBound(absl::FunctionRef<double(double)> log_mixture,
                    double log_threshold, double start, double s_max);

// --- Stitched boundaries. ---

// Double stitching (Howard & Ramdas 2022, Theorem 3): a bound on
// t (F_t(x) - F(x)) over the p-quantile valid for all times and all
// quantiles at once; the p-quantile's upper radius is
// DoubleStitchingBound(p, t, ...) / t, its lower radius
// DoubleStitchingBound(1 - p, t, ...) / t. Defaults delta = 0.5, s = 1.4,
// eta = 2 as in confseq.
double DoubleStitchingBound(double p, double t, double alpha, double t_opt,
                            double delta, double s, double eta);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_STATS_BOUNDARIES_H_
