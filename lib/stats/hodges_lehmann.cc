// Copyright 2026 The Sluice Authors.

#include "sluice/stats/hodges_lehmann.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/core/status_macros.h"
#include "lib/stats/math.h"
#include "lib/stats/rank.h"
#include "lib/stats/shift.h"
#include "lib/stats/wilcoxon.h"
#include "sluice/stats/mann_whitney.h"

namespace sluice::internal {

double ShiftStatistic(absl::Span<const double> sorted_x,
                      absl::Span<const double> sorted_y, double d, bool correct,
                      stats::Alternative alternative) {
  const double nx = static_cast<double>(sorted_x.size());
  const double ny = static_cast<double>(sorted_y.size());
  const RankSummary ranks = MergeRank(sorted_x, sorted_y, d);
  const double dz = ranks.u_x - nx * ny / 2;
  double correction = 0;
  if (correct) {
    switch (alternative) {
      case stats::Alternative::kTwoSided:
        correction = dz > 0 ? 0.5 : (dz < 0 ? -0.5 : 0.0);
        break;
      case stats::Alternative::kGreater:
        correction = 0.5;
        break;
      case stats::Alternative::kLess:
        correction = -0.5;
        break;
    }
  }
  const double sigma =
      std::sqrt((nx * ny / 12) *
                ((nx + ny + 1) - ranks.tie_term / ((nx + ny) * (nx + ny - 1))));
  return (dz - correction) / sigma;
}

InvertedShift InvertRankSum(absl::Span<const double> sorted_x,
                            absl::Span<const double> sorted_y,
                            const InversionOptions& options) {
  const double alpha = 1 - options.confidence;
  const double mu_min = sorted_x.front() - sorted_y.back();
  const double mu_max = sorted_x.back() - sorted_y.front();
  auto w = [&](double d, bool correct) {
    return ShiftStatistic(sorted_x, sorted_y, d, correct, options.alternative);
  };
  const bool correct = options.continuity_correction;
  const double w_min = w(mu_min, correct);
  const double w_max = w(mu_max, correct);
  // R's root(): the end of the range when the statistic does not cross zq.
  auto root = [&](double zq) {
    const double f_lower = w_min - zq;
    if (f_lower <= 0) return mu_min;
    const double f_upper = w_max - zq;
    if (f_upper >= 0) return mu_max;
    return Zeroin([&](double d) { return w(d, correct) - zq; }, mu_min, mu_max,
                  f_lower, f_upper, options.tolerance, 1000);
  };
  InvertedShift out;
  switch (options.alternative) {
    case stats::Alternative::kTwoSided:
      out.lower = root(NormalQuantile(1 - alpha / 2));
      out.upper = root(NormalQuantile(alpha / 2));
      break;
    case stats::Alternative::kGreater:
      out.lower = root(NormalQuantile(1 - alpha));
      out.upper = std::numeric_limits<double>::infinity();
      break;
    case stats::Alternative::kLess:
      out.lower = -std::numeric_limits<double>::infinity();
      out.upper = root(NormalQuantile(alpha));
      break;
  }
  // The estimate: uniroot(W, mumin, mumax) with R's correction switched off
  // (or on, for Kayenta).
  const bool ce = options.correct_estimate && correct;
  const double e_min = ce == correct ? w_min : w(mu_min, ce);
  const double e_max = ce == correct ? w_max : w(mu_max, ce);
  out.estimate = Zeroin([&](double d) { return w(d, ce); }, mu_min, mu_max,
                        e_min, e_max, options.tolerance, 1000);
  return out;
}

}  // namespace sluice::internal

namespace sluice::stats {

absl::string_view ShiftIntervalMethodName(ShiftIntervalMethod method) {
  switch (method) {
    case ShiftIntervalMethod::kAuto:
      return "auto";
    case ShiftIntervalMethod::kExact:
      return "exact";
    case ShiftIntervalMethod::kAsymptotic:
      return "asymptotic";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, ShiftIntervalMethod method) {
  return os << ShiftIntervalMethodName(method);
}

std::ostream& operator<<(std::ostream& os,
                         const HodgesLehmannOptions& options) {
  return os << "{confidence: " << options.confidence
            << ", alternative: " << options.alternative
            << ", method: " << options.method << ", continuity_correction: "
            << (options.continuity_correction ? "true" : "false")
            << ", root_tolerance: " << options.root_tolerance << "}";
}

bool operator==(const ShiftEstimate& a, const ShiftEstimate& b) {
  auto same = [](double p, double q) {
    return p == q || (std::isnan(p) && std::isnan(q));
  };
  return same(a.estimate, b.estimate) && same(a.lower, b.lower) &&
         same(a.upper, b.upper) && same(a.confidence, b.confidence) &&
         a.method == b.method && same(a.relative_shift, b.relative_shift) &&
         same(a.common_language_effect, b.common_language_effect);
}

std::ostream& operator<<(std::ostream& os, const ShiftEstimate& e) {
  return os << absl::StrFormat(
             "{estimate: %.17g, lower: %.17g, upper: %.17g, confidence: %g, "
             "method: %s, relative_shift: %.17g, common_language_effect: "
             "%.17g}",
             e.estimate, e.lower, e.upper, e.confidence,
             ShiftIntervalMethodName(e.method), e.relative_shift,
             e.common_language_effect);
}

namespace {

absl::Status ValidateFinite(absl::Span<const double> sample,
                            absl::string_view name) {
  if (sample.empty()) {
    return internal::InvalidArgumentAt(name, "must not be empty");
  }
  for (size_t i = 0; i < sample.size(); ++i) {
    if (!std::isfinite(sample[i])) {
      return internal::InvalidArgumentAt(
          absl::StrCat(name, "[", i, "]"),
          absl::StrCat("must be finite (got ", sample[i], ")"));
    }
  }
  return absl::OkStatus();
}

// R's qwilcox(p, m, n) for the lower tail: the smallest q with
// P(U <= q) >= p, with R's 10 * DBL_EPSILON fuzz.
int64_t QWilcox(double p, int64_t m, int64_t n,
                const std::vector<double>& pmf) {
  double cumulative = 0;
  int64_t q = 0;
  const int64_t last = static_cast<int64_t>(pmf.size()) - 1;
  if (p <= 0.5) {
    const double target = p - 10 * DBL_EPSILON;
    for (;; ++q) {
      cumulative += pmf[std::min(q, last)];
      if (cumulative >= target || q >= m * n) break;
    }
    return q;
  }
  const double target = 1 - p + 10 * DBL_EPSILON;
  for (;; ++q) {
    cumulative += pmf[std::min(q, last)];
    if (cumulative > target || q >= m * n) break;
  }
  return m * n - q;
}

double Median(std::vector<double> v) {
  const size_t n = v.size();
  const size_t half = n / 2;
  std::nth_element(v.begin(), v.begin() + half, v.end());
  const double hi = v[half];
  if (n % 2 == 1) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + half);
  // As R's mean(): accumulate in long double.
  return static_cast<double>((static_cast<long double>(lo) + hi) / 2);
}

}  // namespace

absl::StatusOr<ShiftEstimate> HodgesLehmann(
    absl::Span<const double> x, absl::Span<const double> y,
    const HodgesLehmannOptions& options) {
  if (!(options.confidence > 0 && options.confidence < 1)) {
    return internal::InvalidArgumentAt(
        "confidence",
        absl::StrCat("must be in (0, 1) (got ", options.confidence, ")"));
  }
  if (!(options.root_tolerance > 0)) {
    return internal::InvalidArgumentAt(
        "root_tolerance",
        absl::StrCat("must be > 0 (got ", options.root_tolerance, ")"));
  }
  SLUICE_RETURN_IF_ERROR(ValidateFinite(x, "x"));
  SLUICE_RETURN_IF_ERROR(ValidateFinite(y, "y"));

  std::vector<double> sx(x.begin(), x.end());
  std::vector<double> sy(y.begin(), y.end());
  internal::SortForRanking(&sx);
  internal::SortForRanking(&sy);
  const int64_t m = static_cast<int64_t>(sx.size());
  const int64_t n = static_cast<int64_t>(sy.size());
  const internal::RankSummary ranks = internal::MergeRank(sx, sy);

  ShiftEstimate out;
  out.confidence = options.confidence;
  out.common_language_effect =
      ranks.u_x / (static_cast<double>(m) * static_cast<double>(n));
  const double median_y = Median(sy);
  const double alpha = 1 - options.confidence;

  ShiftIntervalMethod method = options.method;
  if (method == ShiftIntervalMethod::kAuto) {
    method = (m < 50 && n < 50) ? ShiftIntervalMethod::kExact
                                : ShiftIntervalMethod::kAsymptotic;
  }
  if (ranks.has_ties) method = ShiftIntervalMethod::kAsymptotic;

  if (sx.front() == sx.back() && sy.front() == sy.back()) {
    // Both samples constant: every difference is the same number.
    const double d = sx.front() - sy.front();
    out.estimate = d;
    out.lower = options.alternative == Alternative::kLess
                    ? -std::numeric_limits<double>::infinity()
                    : d;
    out.upper = options.alternative == Alternative::kGreater
                    ? std::numeric_limits<double>::infinity()
                    : d;
    out.method = method;
  } else if (method == ShiftIntervalMethod::kExact) {
    const int64_t small = std::min(m, n);
    if (m * n > kMaxPairwiseDifferences ||
        small * (m * n / 2 + 2) > kMaxExactCells) {
      return internal::InvalidArgumentAt(
          "method",
          absl::StrCat("the exact interval for sample sizes ", m, " and ", n,
                       " is too large to compute; use kAsymptotic"));
    }
    std::vector<double> diffs;
    diffs.reserve(static_cast<size_t>(m * n));
    for (double a : x) {
      for (double b : y) diffs.push_back(a - b);
    }
    std::sort(diffs.begin(), diffs.end());
    const std::vector<double> pmf = internal::WilcoxonPmf(m, n, m * n / 2 + 1);
    const int64_t mn = m * n;
    auto lower_at = [&](int64_t qu) {
      return diffs[std::max<int64_t>(qu, 1) - 1];
    };
    auto upper_at = [&](int64_t qu) {
      const int64_t ql = mn - std::max<int64_t>(qu, 1);
      return diffs[std::min(ql, mn - 1)];
    };
    switch (options.alternative) {
      case Alternative::kTwoSided: {
        const int64_t qu = QWilcox(alpha / 2, m, n, pmf);
        out.lower = lower_at(qu);
        out.upper = upper_at(qu);
        break;
      }
      case Alternative::kGreater:
        out.lower = lower_at(QWilcox(alpha, m, n, pmf));
        out.upper = std::numeric_limits<double>::infinity();
        break;
      case Alternative::kLess:
        out.lower = -std::numeric_limits<double>::infinity();
        out.upper = upper_at(QWilcox(alpha, m, n, pmf));
        break;
    }
    out.estimate = Median(std::move(diffs));
    out.method = ShiftIntervalMethod::kExact;
  } else {
    internal::InversionOptions inversion;
    inversion.confidence = options.confidence;
    inversion.alternative = options.alternative;
    inversion.continuity_correction = options.continuity_correction;
    inversion.correct_estimate = false;
    inversion.tolerance = options.root_tolerance;
    const internal::InvertedShift inverted =
        internal::InvertRankSum(sx, sy, inversion);
    out.estimate = inverted.estimate;
    out.lower = inverted.lower;
    out.upper = inverted.upper;
    out.method = ShiftIntervalMethod::kAsymptotic;
  }
  out.relative_shift = median_y == 0 ? std::numeric_limits<double>::quiet_NaN()
                                     : out.estimate / std::fabs(median_y);
  return out;
}

}  // namespace sluice::stats
