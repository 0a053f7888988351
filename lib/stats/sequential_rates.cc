// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_rates.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/stats/boundaries.h"

namespace sluice::stats {
namespace {

constexpr uint64_t kMaxCount = uint64_t{1} << 53;
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

absl::Status SequentialRateOptions::Validate() const {
  if (!(alpha > 0 && alpha < 1)) {
    return internal::InvalidArgumentAt(
        "alpha", absl::StrCat("must be in (0, 1) (got ", alpha, ")"));
  }
  if (!(null_ratio > 0) || !std::isfinite(null_ratio)) {
    return internal::InvalidArgumentAt(
        "null_ratio",
        absl::StrCat("must be finite and > 0 (got ", null_ratio, ")"));
  }
  if (!(tuning_events > 0) || !std::isfinite(tuning_events)) {
    return internal::InvalidArgumentAt(
        "tuning_events",
        absl::StrCat("must be finite and > 0 (got ", tuning_events, ")"));
  }
  return absl::OkStatus();
}

std::ostream& operator<<(std::ostream& os, const SequentialRateOptions& o) {
  return os << "{alpha: " << o.alpha << ", null_ratio: " << o.null_ratio
            << ", tuning_events: " << o.tuning_events
            << ", alternative: " << o.alternative << "}";
}

SequentialRateTest::SequentialRateTest(const SequentialRateOptions& options)
    : options_(options) {}

absl::StatusOr<SequentialRateTest> SequentialRateTest::Create(
    const SequentialRateOptions& options) {
  SLUICE_RETURN_IF_ERROR(options.Validate());
  return SequentialRateTest(options);
}

double SequentialRateTest::LogMixture(double r, bool up) const {
  double s = 0;
  double v = 0;
  for (const Window& w : windows_) {
    const double theta = w.share * r / (w.share * r + 1 - w.share);
    s += w.canary_errors - theta * w.errors;
    v += theta * (1 - theta) * w.errors;
  }
  // Each side at its own level: alpha for a one-sided test, alpha / 2 for
  // either side of a two-sided one.
  const double alpha = options_.alternative == Alternative::kTwoSided
                           ? options_.alpha / 2
                           : options_.alpha;
  const internal::GammaPoissonMixture mixture(options_.tuning_events, alpha, 1);
  return mixture.LogValue(up ? s : -s, v);
}

double SequentialRateTest::LogE() const {
  if (windows_.empty()) return 0;
  const double r0 = options_.null_ratio;
  switch (options_.alternative) {
    case Alternative::kGreater:
      return LogMixture(r0, true);
    case Alternative::kLess:
      return LogMixture(r0, false);
    case Alternative::kTwoSided:
    default: {
      // The average of the two one-sided e-values, in logs.
      const double a = LogMixture(r0, true);
      const double b = LogMixture(r0, false);
      const double m = std::max(a, b);
      return m + std::log(0.5 * (std::exp(a - m) + std::exp(b - m)));
    }
  }
}

absl::Status SequentialRateTest::Update(CohortCounts canary,
                                        CohortCounts baseline) {
  for (const auto& [counts, name] : {std::make_pair(canary, "canary"),
                                     std::make_pair(baseline, "baseline")}) {
    if (counts.errors > counts.requests) {
      return internal::InvalidArgumentAt(
          absl::StrCat(name, ".errors"),
          absl::StrCat("must not exceed ", name, ".requests (got ",
                       counts.errors, " > ", counts.requests, ")"));
    }
  }
  if (canary.requests > kMaxCount - requests_c_ ||
      baseline.requests > kMaxCount - requests_b_) {
    return internal::InvalidArgumentAt("requests", "totals would exceed 2^53");
  }
  errors_c_ += canary.errors;
  requests_c_ += canary.requests;
  errors_b_ += baseline.errors;
  requests_b_ += baseline.requests;
  const uint64_t errors = canary.errors + baseline.errors;
  if (canary.requests > 0 && baseline.requests > 0 && errors > 0) {
    const double share = static_cast<double>(canary.requests) /
                         (static_cast<double>(canary.requests) +
                          static_cast<double>(baseline.requests));
    if (!windows_.empty() && windows_.back().share == share) {
      windows_.back().errors += static_cast<double>(errors);
      windows_.back().canary_errors += static_cast<double>(canary.errors);
    } else {
      windows_.push_back({share, static_cast<double>(errors),
                          static_cast<double>(canary.errors)});
    }
  }
  log_e_ = LogE();
  max_log_e_ = std::max(max_log_e_, log_e_);
  return absl::OkStatus();
}

SequentialResult SequentialRateTest::result() const {
  SequentialResult r;
  r.n_canary = static_cast<int64_t>(errors_c_);
  r.n_baseline = static_cast<int64_t>(errors_b_);
  r.e_value = std::exp(log_e_);
  r.p_value = std::min(1.0, std::exp(-max_log_e_));
  r.rejected = max_log_e_ >= std::log(1 / options_.alpha);
  r.lower = 0;
  r.upper = kInf;
  if (requests_c_ > 0 && requests_b_ > 0) {
    const double rate_c =
        static_cast<double>(errors_c_) / static_cast<double>(requests_c_);
    const double rate_b =
        static_cast<double>(errors_b_) / static_cast<double>(requests_b_);
    r.estimate = rate_b > 0 ? rate_c / rate_b : (rate_c > 0 ? kInf : 1.0);
  }
  if (windows_.empty()) return r;
  const Alternative alt = options_.alternative;
  const double alpha =
      alt == Alternative::kTwoSided ? options_.alpha / 2 : options_.alpha;
  const double threshold = std::log(1 / alpha);
  // The set of r the test at r does not reject is an interval in log r:
  // the up-test's statistic falls as r grows, the down-test's rises.
  auto bisect = [&](bool up) {
    // up: the smallest r with LogMixture(r, true) < threshold.
    double inside = 0;  // log r
    double outside = 0;
    auto rejects = [&](double log_r) {
      return LogMixture(std::exp(log_r), up) >= threshold;
    };
    const double step = up ? -1 : 1;
    if (rejects(0)) {
      outside = 0;
      inside = -step;
      for (int i = 0; i < 200 && rejects(inside); ++i)
        inside -= step * (1 << std::min(i, 20));
    } else {
      inside = 0;
      outside = step;
      for (int i = 0; i < 200 && !rejects(outside); ++i) {
        outside += step * (1 << std::min(i, 20));
        if (std::fabs(outside) > 700) return up ? 0.0 : kInf;
      }
    }
    for (int i = 0; i < 200; ++i) {
      const double mid = 0.5 * (inside + outside);
      if (mid == inside || mid == outside) break;
      (rejects(mid) ? outside : inside) = mid;
    }
    return std::exp(0.5 * (inside + outside));
  };
  if (alt != Alternative::kLess) r.lower = bisect(true);
  if (alt != Alternative::kGreater) r.upper = bisect(false);
  return r;
}

std::vector<double> SequentialRateTest::SaveState() const {
  std::vector<double> state = {static_cast<double>(errors_c_),
                               static_cast<double>(requests_c_),
                               static_cast<double>(errors_b_),
                               static_cast<double>(requests_b_), max_log_e_};
  for (const Window& w : windows_) {
    state.push_back(w.share);
    state.push_back(w.errors);
    state.push_back(w.canary_errors);
  }
  return state;
}

absl::StatusOr<SequentialRateTest> SequentialRateTest::Restore(
    const SequentialRateOptions& options, absl::Span<const double> state) {
  SLUICE_ASSIGN_OR_RETURN(SequentialRateTest test, Create(options));
  if (state.size() < 5 || (state.size() - 5) % 3 != 0) {
    return internal::InvalidArgumentAt(
        "state",
        absl::StrCat("must hold 5 + 3 k numbers (got ", state.size(), ")"));
  }
  auto whole = [](double v) {
    return v >= 0 && v <= static_cast<double>(kMaxCount) && std::floor(v) == v;
  };
  for (size_t i = 0; i < 4; ++i) {
    if (!whole(state[i])) {
      return internal::InvalidArgumentAt(
          "state", "counts must be whole numbers in [0, 2^53]");
    }
  }
  if (state[0] > state[1] || state[2] > state[3] || std::isnan(state[4])) {
    return internal::InvalidArgumentAt(
        "state", "errors must not exceed requests, the e-value not NaN");
  }
  test.errors_c_ = static_cast<uint64_t>(state[0]);
  test.requests_c_ = static_cast<uint64_t>(state[1]);
  test.errors_b_ = static_cast<uint64_t>(state[2]);
  test.requests_b_ = static_cast<uint64_t>(state[3]);
  for (size_t i = 5; i < state.size(); i += 3) {
    const Window w{state[i], state[i + 1], state[i + 2]};
    if (!(w.share > 0 && w.share < 1) || !whole(w.errors) ||
        !whole(w.canary_errors) || w.canary_errors > w.errors) {
      return internal::InvalidArgumentAt("state",
                                         absl::StrCat("bad window at ", i));
    }
    test.windows_.push_back(w);
  }
  test.log_e_ = test.LogE();
  test.max_log_e_ = state[4];
  return test;
}

bool operator==(const SequentialRateTest& a, const SequentialRateTest& b) {
  return a.options_ == b.options_ && a.windows_ == b.windows_ &&
         a.errors_c_ == b.errors_c_ && a.requests_c_ == b.requests_c_ &&
         a.errors_b_ == b.errors_b_ && a.requests_b_ == b.requests_b_ &&
         a.log_e_ == b.log_e_ && a.max_log_e_ == b.max_log_e_;
}

}  // namespace sluice::stats
