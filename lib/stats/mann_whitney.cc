// Copyright 2026 The Sluice Authors.

#include "sluice/stats/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/types/span.h"
#include "lib/core/status_macros.h"
#include "lib/stats/bucket_rank.h"
#include "lib/stats/math.h"
#include "lib/stats/rank.h"
#include "lib/stats/wilcoxon.h"

namespace sluice::stats {

absl::string_view AlternativeName(Alternative alternative) {
  switch (alternative) {
    case Alternative::kTwoSided:
      return "two-sided";
    case Alternative::kLess:
      return "less";
    case Alternative::kGreater:
      return "greater";
  }
  return "unknown";
}

absl::string_view MannWhitneyMethodName(MannWhitneyMethod method) {
  switch (method) {
    case MannWhitneyMethod::kAuto:
      return "auto";
    case MannWhitneyMethod::kExact:
      return "exact";
    case MannWhitneyMethod::kAsymptotic:
      return "asymptotic";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, MannWhitneyMethod method) {
  return os << MannWhitneyMethodName(method);
}

std::ostream& operator<<(std::ostream& os, const MannWhitneyOptions& options) {
  return os << "{alternative: " << options.alternative
            << ", method: " << options.method << ", continuity_correction: "
            << (options.continuity_correction ? "true" : "false") << "}";
}

bool operator==(const MannWhitneyResult& a, const MannWhitneyResult& b) {
  auto same = [](double p, double q) {
    return p == q || (std::isnan(p) && std::isnan(q));
  };
  return same(a.u, b.u) && same(a.p_value, b.p_value) && a.method == b.method &&
         same(a.z, b.z) && a.has_ties == b.has_ties && a.n_x == b.n_x &&
         a.n_y == b.n_y;
}

std::ostream& operator<<(std::ostream& os, const MannWhitneyResult& result) {
  return os << absl::StrFormat(
             "{u: %.17g, p_value: %.17g, method: %s, z: %.17g, has_ties: %s, "
             "n_x: %d, n_y: %d}",
             result.u, result.p_value, MannWhitneyMethodName(result.method),
             result.z, result.has_ties ? "true" : "false", result.n_x,
             result.n_y);
}

namespace {

constexpr int64_t kMaxSampleSize = (int64_t{1} << 31) - 1;

// Whether ValidateSample's size checks pass.
bool SizeOk(absl::Span<const double> sample) {
  return !sample.empty() &&
         static_cast<int64_t>(sample.size()) <= kMaxSampleSize;
}

absl::Status ValidateSample(absl::Span<const double> sample,
                            absl::string_view name) {
  if (sample.empty()) {
    return internal::InvalidArgumentAt(name, "must not be empty");
  }
  if (static_cast<int64_t>(sample.size()) > kMaxSampleSize) {
    return internal::InvalidArgumentAt(
        name, absl::StrCat("must have fewer than 2^31 values (got ",
                           sample.size(), ")"));
  }
  for (size_t i = 0; i < sample.size(); ++i) {
    if (std::isnan(sample[i])) {
      return internal::InvalidArgumentAt(absl::StrCat(name, "[", i, "]"),
                                         "must not be NaN");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<MannWhitneyResult> FromRanks(int64_t n_x, int64_t n_y,
                                            const internal::RankSummary& ranks,
                                            const MannWhitneyOptions& options);

}  // namespace

absl::StatusOr<MannWhitneyResult> MannWhitneyU(
    absl::Span<const double> x, absl::Span<const double> y,
    const MannWhitneyOptions& options) {
  // The NaN check is fused with the pass that finds the range; only when it
  // fails (or a size is out of bounds) are the samples validated one by one,
  // which names the first bad field as before.
  double lo;
  double hi;
  if (!SizeOk(x) || !SizeOk(y) || !internal::FiniteRange(x, y, &lo, &hi)) {
    SLUICE_RETURN_IF_ERROR(ValidateSample(x, "x"));
    SLUICE_RETURN_IF_ERROR(ValidateSample(y, "y"));
    return absl::InternalError("MannWhitneyU: a sample failed validation");
  }

  std::optional<internal::RankSummary> bucketed =
      internal::BucketRank(x, y, lo, hi);
  if (!bucketed.has_value()) {
    // No finite positive range (one distinct finite value, or a range that
    // overflows): sort.
    std::vector<uint64_t> kx;
    std::vector<uint64_t> ky;
    internal::SortKeys(x, &kx);
    internal::SortKeys(y, &ky);
    bucketed = internal::MergeRankKeys(kx, ky);
  }
  const internal::RankSummary& ranks = *bucketed;

  return FromRanks(static_cast<int64_t>(x.size()),
                   static_cast<int64_t>(y.size()), ranks, options);
}

absl::StatusOr<MannWhitneyResult> MannWhitneyUHistograms(
    const Histogram& x, const Histogram& y, const MannWhitneyOptions& options) {
  SLUICE_RETURN_IF_ERROR(internal::NestStatus(x.Validate(), "x"));
  SLUICE_RETURN_IF_ERROR(internal::NestStatus(y.Validate(), "y"));
  if (x.upper_bounds != y.upper_bounds) {
    return internal::InvalidArgumentAt(
        "y.upper_bounds", "must equal x.upper_bounds (the same buckets)");
  }
  for (const auto& [h, name] :
       {std::make_pair(&x, "x"), std::make_pair(&y, "y")}) {
    if (h->total() == 0) {
      return internal::InvalidArgumentAt(name, "must not be empty");
    }
    if (h->total() > static_cast<uint64_t>(kMaxSampleSize)) {
      return internal::InvalidArgumentAt(
          name, absl::StrCat("must have fewer than 2^31 values (got ",
                             h->total(), ")"));
    }
  }
  // Every value of a bucket ties: the bucket is one group of the merge.
  const std::vector<uint64_t> cx = x.BucketCounts();
  const std::vector<uint64_t> cy = y.BucketCounts();
  uint64_t twice_u = 0;
  uint64_t y_below = 0;
  internal::RankSummary ranks;
  for (size_t b = 0; b < cx.size(); ++b) {
    twice_u += cx[b] * (2 * y_below + cy[b]);
    y_below += cy[b];
    const uint64_t t = cx[b] + cy[b];
    if (t > 1) {
      ranks.has_ties = true;
      const double td = static_cast<double>(t);
      ranks.tie_term += td * td * td - td;
    }
  }
  ranks.u_x = static_cast<double>(twice_u) / 2;
  return FromRanks(static_cast<int64_t>(x.total()),
                   static_cast<int64_t>(y.total()), ranks, options);
}

namespace {

absl::StatusOr<MannWhitneyResult> FromRanks(int64_t n_x, int64_t n_y,
                                            const internal::RankSummary& ranks,
                                            const MannWhitneyOptions& options) {
  MannWhitneyResult result;
  result.n_x = n_x;
  result.n_y = n_y;
  result.u = ranks.u_x;
  result.has_ties = ranks.has_ties;

  const double n1 = static_cast<double>(result.n_x);
  const double n2 = static_cast<double>(result.n_y);
  const double u1 = ranks.u_x;
  const double u2 = n1 * n2 - u1;
  // As SciPy: the statistic whose upper tail is the p-value, and the factor.
  double u;
  double factor = 1;
  switch (options.alternative) {
    case Alternative::kGreater:
      u = u1;
      break;
    case Alternative::kLess:
      u = u2;
      break;
    case Alternative::kTwoSided:
    default:
      u = std::max(u1, u2);
      factor = 2;
      break;
  }

  MannWhitneyMethod method = options.method;
  // With ties U is a half-integer; the exact distribution is over integers
  // (SciPy truncates with astype(int), and so does Sluice).
  const int64_t u_int = static_cast<int64_t>(u);
  if (method == MannWhitneyMethod::kAuto) {
    const bool small = result.n_x <= 8 || result.n_y <= 8;
    method = (small && !ranks.has_ties &&
              internal::WilcoxonSfCells(result.n_x, result.n_y, u_int) <=
                  kMaxExactCells)
                 ? MannWhitneyMethod::kExact
                 : MannWhitneyMethod::kAsymptotic;
  } else if (method == MannWhitneyMethod::kExact &&
             internal::WilcoxonSfCells(result.n_x, result.n_y, u_int) >
                 kMaxExactCells) {
    return internal::InvalidArgumentAt(
        "method", absl::StrCat("the exact distribution of U for sample sizes ",
                               result.n_x, " and ", result.n_y,
                               " is too large to compute; use kAsymptotic"));
  }
  result.method = method;

  double p;
  if (method == MannWhitneyMethod::kExact) {
    p = internal::WilcoxonSf(result.n_x, result.n_y, u_int);
  } else {
    const double mu = n1 * n2 / 2;
    const double n = n1 + n2;
    const double s =
        std::sqrt(n1 * n2 / 12 * ((n + 1) - ranks.tie_term / (n * (n - 1))));
    double numerator = u - mu;
    if (options.continuity_correction) numerator -= 0.5;
    if (!(s > 0)) {
      // Every value is the same: no evidence either way.
      result.z = std::numeric_limits<double>::quiet_NaN();
      p = 1.0;
      factor = 1;
    } else {
      result.z = numerator / s;
      p = internal::NormalSf(result.z);
    }
  }
  result.p_value = std::clamp(p * factor, 0.0, 1.0);
  return result;
}

}  // namespace

}  // namespace sluice::stats
