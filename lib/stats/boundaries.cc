// Copyright 2026 The Sluice Authors.

#include "lib/stats/boundaries.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/functional/function_ref.h"
#include "lib/stats/math.h"

namespace sluice::internal {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEpsilon = 1e-16;
constexpr double kTiny = 1e-300;
constexpr int kMaxIterations = 10000000;

double LogGammaFn(double x) {
#if defined(__GLIBC__)
  int sign;
  return lgamma_r(x, &sign);
#else
  return std::lgamma(x);
#endif
}

// The continued fraction of the regularized incomplete beta function,
// I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) * BetaFraction(a, b, x), evaluated
// by the modified Lentz method; converges fast for x < (a + 1) / (a + b + 2).
double BetaFraction(double a, double b, double x) {
  double c = 1;
  double d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double f = d;
  for (int m = 1; m < kMaxIterations; ++m) {
    const double md = m;
    // Even step.
    double num = md * (b - md) * x / ((a + 2 * md - 1) * (a + 2 * md));
    d = 1 + num * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + num / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    f *= d * c;
    // Odd step.
    num = -(a + md) * (a + b + md) * x / ((a + 2 * md) * (a + 2 * md + 1));
    d = 1 + num * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + num / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double step = d * c;
    f *= step;
    if (std::fabs(step - 1) < kEpsilon) break;
  }
  return f;
}

// log Phi(z), accurate far into the lower tail.
double LogNormalCdf(double z) {
  if (z > -30) return std::log(NormalCdf(z));
  // Asymptotic series of Mills' ratio.
  const double z2 = z * z;
  return -0.5 * z2 - std::log(-z) - 0.91893853320467274178 +
         std::log1p(-1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2));
}

}  // namespace

double LogIncompleteBeta(double a, double b, double x) {
  const double log_beta = LogGammaFn(a) + LogGammaFn(b) - LogGammaFn(a + b);
  if (x >= 1) return log_beta;
  if (x <= 0) return -kInf;
  if (x < (a + 1) / (a + b + 2)) {
    // log I + log B = a log x + b log(1 - x) - log a + log(fraction).
    return a * std::log(x) + b * std::log1p(-x) - std::log(a) +
           std::log(BetaFraction(a, b, x));
  }
  // I_x(a, b) = 1 - I_{1-x}(b, a).
  const double log_complement = b * std::log1p(-x) + a * std::log(x) -
                                std::log(b) - log_beta +
                                std::log(BetaFraction(b, a, 1 - x));
  return std::log1p(-std::exp(log_complement)) + log_beta;
}

double LogGammaQ(double a, double x) {
  if (x <= 0) return 0;
  const double log_prefix = -x + a * std::log(x) - LogGammaFn(a);
  if (x < a + 1) {
    // P(a, x) by its series; Q = 1 - P (P < ~1/2 here, so no cancellation).
    double term = 1 / a;
    double sum = term;
    for (int n = 1; n < kMaxIterations; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::fabs(term) < std::fabs(sum) * kEpsilon) break;
    }
    return std::log1p(-std::exp(log_prefix + std::log(sum)));
  }
  // Q(a, x) by its continued fraction (modified Lentz).
  double b = x + 1 - a;
  double c = 1 / kTiny;
  double d = 1 / b;
  double h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < kEpsilon) break;
  }
  return log_prefix + std::log(h);
}

double RiemannZeta(double s) {
  // Euler-Maclaurin summation with N = 10 and six Bernoulli terms.
  constexpr int kN = 10;
  double sum = 0;
  for (int n = 1; n < kN; ++n) sum += std::pow(n, -s);
  const double n = kN;
  sum += std::pow(n, 1 - s) / (s - 1) + 0.5 * std::pow(n, -s);
  // B_2k / (2k)!
  static constexpr double kCoefficients[] = {
      1.0 / 12,       -1.0 / 720,     1.0 / 30240,
      -1.0 / 1209600, 1.0 / 47900160, -691.0 / 1307674368000};
  double rising = s;  // s (s + 1) ... (s + 2k - 2)
  double power = std::pow(n, -s - 1);
  for (int k = 0; k < 6; ++k) {
    sum += kCoefficients[k] * rising * power;
    rising *= (s + 2 * k + 1) * (s + 2 * k + 2);
    power /= n * n;
  }
  return sum;
}

double MinimizeBrent(absl::FunctionRef<double(double)> f, double lo, double hi,
                     double tol) {
  constexpr double kGolden = 0.3819660112501051;  // (3 - sqrt(5)) / 2
  double a = lo;
  double b = hi;
  double x = a + kGolden * (b - a);
  double w = x;
  double v = x;
  double fx = f(x);
  double fw = fx;
  double fv = fx;
  double d = 0;
  double e = 0;
  for (int iteration = 0; iteration < 500; ++iteration) {
    const double m = 0.5 * (a + b);
    const double tol1 = tol + 1e-12 * std::fabs(x);
    const double tol2 = 2 * tol1;
    if (std::fabs(x - m) <= tol2 - 0.5 * (b - a)) break;
    bool golden = true;
    if (std::fabs(e) > tol1) {
      // Try a parabola through x, w, v.
      double r = (x - w) * (fx - fv);
      double q = (x - v) * (fx - fw);
      double p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = std::fabs(q);
      const double previous = e;
      if (std::fabs(p) < std::fabs(0.5 * q * previous) && p > q * (a - x) &&
          p < q * (b - x)) {
        e = d;
        d = p / q;
        const double u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < m ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = (x < m ? b : a) - x;
      d = kGolden * e;
    }
    const double u = std::fabs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const double fu = f(u);
    if (fu <= fx) {
      (u < x ? b : a) = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      (u < x ? a : b) = u;
      if (fu <= fw || w == x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v == x || v == w) {
        v = u;
        fv = fu;
      }
    }
  }
  return x;
}

double TwoSidedBestRho(double v, double alpha) {
  const double l = 2 * std::log(1 / alpha);
  return v / (l + std::log1p(l));
}

double OneSidedBestRho(double v, double alpha) {
  return TwoSidedBestRho(v, 2 * alpha);
}

double NormalLogMixture(double s, double v, double rho, bool one_sided) {
  const double vr = v + rho;
  if (!one_sided) return 0.5 * std::log(rho / vr) + s * s / (2 * vr);
  return 0.5 * std::log(4 * rho / vr) + s * s / (2 * vr) +
         LogNormalCdf(s / std::sqrt(vr));
}

double NormalMixtureBound(double v, double log_threshold, double rho,
                          bool one_sided) {
  if (!one_sided) {
    return std::sqrt((v + rho) * (std::log1p(v / rho) + 2 * log_threshold));
  }
  return MixtureBound(
      [&](double s) { return NormalLogMixture(s, v, rho, true); },
      log_threshold, std::max(v, 1e-300), kInf);
}

BetaBinomialMixture::BetaBinomialMixture(double v_opt, double alpha_opt,
                                         double g, double h, bool one_sided)
    : g_(g), h_(h), one_sided_(one_sided) {
  const double rho = one_sided ? OneSidedBestRho(v_opt, alpha_opt)
                               : TwoSidedBestRho(v_opt, alpha_opt);
  r_ = std::max(rho - g * h, 1e-3 * g * h);
  normalizer_ = LogIncompleteBeta(r_ / (g * (g + h)), r_ / (h * (g + h)),
                                  one_sided ? h / (g + h) : 1);
}

double BetaBinomialMixture::LogValue(double s, double v) const {
  const double g = g_;
  const double h = h_;
  const double x = one_sided_ ? h / (g + h) : 1;
  return v / (g * h) * std::log(g + h) -
         (v + h * s) / (h * (g + h)) * std::log(g) -
         (v - g * s) / (g * (g + h)) * std::log(h) +
         LogIncompleteBeta((r_ + v - g * s) / (g * (g + h)),
                           (r_ + v + h * s) / (h * (g + h)), x) -
         normalizer_;
}

double BetaBinomialMixture::Bound(double v, double log_threshold) const {
  return MixtureBound([&](double s) { return LogValue(s, v); }, log_threshold,
                      v, SUpperBound(v));
}

GammaPoissonMixture::GammaPoissonMixture(double v_opt, double alpha_opt,
                                         double c)
    : rho_(OneSidedBestRho(v_opt, alpha_opt)), c_(c) {
  const double rho_c2 = rho_ / (c * c);
  leading_constant_ = rho_c2 * std::log(rho_c2) - LogGammaFn(rho_c2) -
                      LogGammaQ(rho_c2, rho_c2);
}

double GammaPoissonMixture::LogValue(double s, double v) const {
  const double c2 = c_ * c_;
  const double v_rho = (v + rho_) / c2;
  const double a = s / c_ + v_rho;
  // The mixture's closed form needs a > 0; below (a large negative s) the
  // value is negligible and -inf is a lower bound that keeps the ordering.
  if (!(a > 0)) return -std::numeric_limits<double>::infinity();
  return leading_constant_ + LogGammaFn(a) + LogGammaQ(a, v_rho) -
         a * std::log(v_rho) + v / c2;
}

double GammaPoissonMixture::Bound(double v, double log_threshold) const {
  return MixtureBound([&](double s) { return LogValue(s, v); }, log_threshold,
                      std::max(v, 1e-300), kInf);
}

double MixtureBound(absl::FunctionRef<double(double)> log_mixture,
                    double log_threshold, double start, double s_max) {
  double hi = s_max;
  if (std::isinf(s_max)) {
    hi = start;
    for (int i = 0; i < 2000 && !(log_mixture(hi) > log_threshold); ++i) {
      hi *= 2;
    }
  } else if (log_mixture(s_max) < log_threshold) {
    return s_max;
  }
  double lo = 0;
  for (int i = 0; i < 2000; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (log_mixture(mid) < log_threshold) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

double DoubleStitchingBound(double p, double t, double alpha, double t_opt,
                            double delta, double s, double eta) {
  const double k1 = (std::pow(eta, 0.25) + std::pow(eta, -0.25)) / std::sqrt(2);
  const double k2 = (std::sqrt(eta) + 1) / 2;
  const double t_max = std::max(t, t_opt);
  const double logit_p = std::log(p / (1 - p));
  const double r =
      p >= 0.5
          ? p
          : std::min(0.5,
                     1 / (1 + std::exp(-(logit_p +
                                         2 * delta *
                                             std::sqrt(t_opt * eta / t_max)))));
  const double sigma2 = r * (1 - r);
  const double j =
      std::sqrt(t_max / t_opt) * std::fabs(logit_p) / (2 * delta) + 1;
  const double zeta_s = RiemannZeta(s);
  const double ell = s * std::log(std::log(eta * t_max / t_opt)) +
                     s * std::log(j) +
                     std::log(2 * zeta_s * (2 * zeta_s + 1) /
                              (alpha * std::pow(std::log(eta), s)));
  const double cp = (1 - 2 * p) / 3;
  const double term2 = k2 * cp * ell;
  return delta * std::sqrt(eta * t_max * sigma2 / t_opt) +
         std::sqrt(k1 * k1 * sigma2 * t_max * ell + term2 * term2) + term2;
}

}  // namespace sluice::internal
