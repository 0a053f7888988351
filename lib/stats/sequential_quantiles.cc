// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_quantiles.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <ostream>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/stats/math.h"
#include "lib/stats/mixture.h"
#include "lib/stats/order_statistics.h"

namespace sluice::stats {

absl::Status SequentialQuantileOptions::Validate() const {
  if (!(quantile > 0 && quantile < 1)) {
    return internal::InvalidArgumentAt(
        "quantile", absl::StrCat("must be in (0, 1) (got ", quantile, ")"));
  }
  if (!(alpha > 0 && alpha < 1)) {
    return internal::InvalidArgumentAt(
        "alpha", absl::StrCat("must be in (0, 1) (got ", alpha, ")"));
  }
  if (!(tuning_observations >= 1) || !std::isfinite(tuning_observations)) {
    return internal::InvalidArgumentAt(
        "tuning_observations", absl::StrCat("must be finite and >= 1 (got ",
                                            tuning_observations, ")"));
  }
  return absl::OkStatus();
}

std::ostream& operator<<(std::ostream& os, const SequentialQuantileOptions& o) {
  return os << "{quantile: " << o.quantile << ", alpha: " << o.alpha
            << ", tuning_observations: " << o.tuning_observations << "}";
}

struct SequentialQuantileTest::Arm {
  internal::OrderStatistics values;
  int64_t t = 0;
  // The counts k with BF_t(k) < 2 / alpha: [k_lo, k_hi].
  int64_t k_lo = 0;
  int64_t k_hi = 0;
};

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// log BF_t(k) of the beta-binomial mixture against Bernoulli(p).
struct Boundary {
  double p;
  double a;  // c p
  double b;  // c (1 - p)
  double log_beta_ab;
  double log_p;
  double log_1mp;

  Boundary(double p_, double c)
      : p(p_),
        a(c * p_),
        b(c * (1 - p_)),
        log_beta_ab(internal::LogBeta(c * p_, c * (1 - p_))),
        log_p(std::log(p_)),
        log_1mp(std::log1p(-p_)) {}

  double LogBf(int64_t t, int64_t k) const {
    const double kd = static_cast<double>(k);
    const double rest = static_cast<double>(t - k);
    return internal::LogBeta(a + kd, b + rest) - log_beta_ab - kd * log_p -
           rest * log_1mp;
  }

  // The integer count nearest the minimum of LogBf(t, .).
  int64_t Center(int64_t t) const {
    int64_t m = std::clamp<int64_t>(
        static_cast<int64_t>(std::llround(static_cast<double>(t) * p)), 0, t);
    for (int i = 0; i < 2; ++i) {
      if (m > 0 && LogBf(t, m - 1) < LogBf(t, m)) --m;
      if (m < t && LogBf(t, m + 1) < LogBf(t, m)) ++m;
    }
    return m;
  }

  // [k_lo, k_hi] at the threshold by binary search; {0, t} if empty.
  std::pair<int64_t, int64_t> Interval(int64_t t, double log_threshold) const {
    const int64_t m = Center(t);
    if (!(LogBf(t, m) < log_threshold)) return {0, t};
    int64_t lo = 0, hi = m;  // first k in [0, m] inside
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      if (LogBf(t, mid) < log_threshold) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    const int64_t k_lo = lo;
    lo = m;
    hi = t;  // last k in [m, t] inside
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo + 1) / 2;
      if (LogBf(t, mid) < log_threshold) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return {k_lo, lo};
  }
};

// [X_(k_lo), X_(k_hi + 1)] of an arm, 1-based order statistics.
std::pair<double, double> Bounds(const internal::OrderStatistics& values,
                                 int64_t t, int64_t k_lo, int64_t k_hi) {
  const double lower = k_lo >= 1 ? values.Select(k_lo - 1) : -kInf;
  const double upper = k_hi + 1 <= t ? values.Select(k_hi) : kInf;
  return {lower, upper};
}

bool DifferenceExcludesZero(std::pair<double, double> c,
                            std::pair<double, double> b) {
  // [c.lo - b.hi, c.hi - b.lo] excludes 0.
  return c.first - b.second > 0 || c.second - b.first < 0;
}

}  // namespace

SequentialQuantileTest::SequentialQuantileTest(
    const SequentialQuantileOptions& options)
    : options_(options),
      concentration_(std::max(
          1.0, options.tuning_observations *
                       internal::OptimalMixtureRatio(options.alpha / 2) -
                   1)),
      log_threshold_(std::log(2 / options.alpha)),
      canary_(std::make_unique<Arm>()),
      baseline_(std::make_unique<Arm>()) {}

SequentialQuantileTest::SequentialQuantileTest(
    const SequentialQuantileTest& other)
    : options_(other.options_),
      concentration_(other.concentration_),
      log_threshold_(other.log_threshold_),
      canary_(std::make_unique<Arm>(*other.canary_)),
      baseline_(std::make_unique<Arm>(*other.baseline_)),
      ever_excluded_zero_(other.ever_excluded_zero_) {}

SequentialQuantileTest& SequentialQuantileTest::operator=(
    const SequentialQuantileTest& other) {
  if (this != &other) *this = SequentialQuantileTest(other);
  return *this;
}

SequentialQuantileTest::SequentialQuantileTest(
    SequentialQuantileTest&&) noexcept = default;
SequentialQuantileTest& SequentialQuantileTest::operator=(
    SequentialQuantileTest&&) noexcept = default;
SequentialQuantileTest::~SequentialQuantileTest() = default;

absl::StatusOr<SequentialQuantileTest> SequentialQuantileTest::Create(
    const SequentialQuantileOptions& options) {
  SLUICE_RETURN_IF_ERROR(options.Validate());
  return SequentialQuantileTest(options);
}

absl::Status SequentialQuantileTest::Add(Arm& arm, double value, double p,
                                         double c, double log_threshold) {
  if (std::isnan(value)) {
    return internal::InvalidArgumentAt("value", "must not be NaN");
  }
  arm.values.Insert(value);
  const int64_t t = ++arm.t;
  const Boundary boundary(p, c);
  auto inside = [&](int64_t k) {
    return k >= 0 && k <= t && boundary.LogBf(t, k) < log_threshold;
  };
  // Move the ends from their previous places: the interval drifts by about
  // p per observation, so this is a few evaluations.
  const int64_t m = boundary.Center(t);
  if (!inside(m)) {
    arm.k_lo = 0;
    arm.k_hi = t;
    return absl::OkStatus();
  }
  int64_t lo = std::min(arm.k_lo, m);
  if (inside(lo)) {
    while (inside(lo - 1)) --lo;
  } else {
    while (!inside(lo)) ++lo;
  }
  int64_t hi = std::max(std::min(arm.k_hi, t), m);
  if (inside(hi)) {
    while (inside(hi + 1)) ++hi;
  } else {
    while (!inside(hi)) --hi;
  }
  arm.k_lo = lo;
  arm.k_hi = hi;
  return absl::OkStatus();
}

absl::Status SequentialQuantileTest::AddCanary(double value) {
  SLUICE_RETURN_IF_ERROR(
      Add(*canary_, value, options_.quantile, concentration_, log_threshold_));
  if (!ever_excluded_zero_ && ExcludesZero()) ever_excluded_zero_ = true;
  return absl::OkStatus();
}

absl::Status SequentialQuantileTest::AddBaseline(double value) {
  SLUICE_RETURN_IF_ERROR(Add(*baseline_, value, options_.quantile,
                             concentration_, log_threshold_));
  if (!ever_excluded_zero_ && ExcludesZero()) ever_excluded_zero_ = true;
  return absl::OkStatus();
}

QuantileSequence SequentialQuantileTest::Sequence(const Arm& arm) const {
  QuantileSequence s;
  s.n = arm.t;
  if (arm.t == 0) {
    s.estimate = std::numeric_limits<double>::quiet_NaN();
    s.lower = -kInf;
    s.upper = kInf;
    return s;
  }
  const int64_t rank = std::max<int64_t>(
      1, static_cast<int64_t>(
             std::ceil(static_cast<double>(arm.t) * options_.quantile)));
  s.estimate = arm.values.Select(rank - 1);
  std::tie(s.lower, s.upper) = Bounds(arm.values, arm.t, arm.k_lo, arm.k_hi);
  return s;
}

QuantileSequence SequentialQuantileTest::canary() const {
  return Sequence(*canary_);
}

QuantileSequence SequentialQuantileTest::baseline() const {
  return Sequence(*baseline_);
}

bool SequentialQuantileTest::ExcludesZero() const {
  if (canary_->t == 0 || baseline_->t == 0) return false;
  return DifferenceExcludesZero(
      Bounds(canary_->values, canary_->t, canary_->k_lo, canary_->k_hi),
      Bounds(baseline_->values, baseline_->t, baseline_->k_lo,
             baseline_->k_hi));
}

SequentialResult SequentialQuantileTest::result() const {
  SequentialResult r;
  const QuantileSequence c = canary();
  const QuantileSequence b = baseline();
  r.n_canary = c.n;
  r.n_baseline = b.n;
  r.rejected = ever_excluded_zero_;
  if (c.n == 0 || b.n == 0) return r;
  r.estimate = c.estimate - b.estimate;
  r.lower = c.lower - b.upper;
  r.upper = c.upper - b.lower;
  // The p-value: the smallest alpha' whose sequence excludes 0 now.
  const Boundary boundary(options_.quantile, concentration_);
  auto excludes_at = [&](double log_alpha) {
    const double threshold = std::log(2.0) - log_alpha;
    const auto [cl, ch] = boundary.Interval(canary_->t, threshold);
    const auto [bl, bh] = boundary.Interval(baseline_->t, threshold);
    return DifferenceExcludesZero(
        Bounds(canary_->values, canary_->t, cl, ch),
        Bounds(baseline_->values, baseline_->t, bl, bh));
  };
  double p = 1;
  if (excludes_at(0.0)) {
    double hi = 0;     // log alpha' that excludes
    double lo = -700;  // log alpha' small enough not to (or the floor)
    if (excludes_at(lo)) {
      p = 0;
    } else {
      for (int i = 0; i < 60; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (excludes_at(mid)) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      p = std::exp(hi);
    }
  }
  if (ever_excluded_zero_) p = std::min(p, options_.alpha);
  r.p_value = std::min(1.0, p);
  return r;
}

}  // namespace sluice::stats
