// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_proportion.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/stats/boundaries.h"

namespace sluice::stats {
namespace {

constexpr uint64_t kMaxCount = uint64_t{1} << 53;

// log M_p for k events in t trials: the beta-binomial mixture at p, tuned at
// p (1 - p) t_opt. `sign` +1 for the mixture growing with excess events,
// -1 for the one growing with a shortfall (g and h swapped, S negated).
double LogMixture(double p, double k, double t, double t_opt, double alpha,
                  bool one_sided, int sign) {
  const double v = p * (1 - p) * t;
  const double v_opt = p * (1 - p) * t_opt;
  const double s = k - p * t;
  if (sign > 0) {
    return internal::BetaBinomialMixture(v_opt, alpha, p, 1 - p, one_sided)
        .LogValue(s, v);
  }
  return internal::BetaBinomialMixture(v_opt, alpha, 1 - p, p, one_sided)
      .LogValue(-s, v);
}

// The end of {p : objective(p) < 0} between `inside` (objective < 0) and
// `outside` (objective >= 0), by bisection to double precision.
template <typename F>
double Bisect(F objective, double inside, double outside) {
  for (int i = 0; i < 2000; ++i) {
    const double mid = 0.5 * (inside + outside);
    if (mid == inside || mid == outside) break;
    (objective(mid) < 0 ? inside : outside) = mid;
  }
  return 0.5 * (inside + outside);
}

}  // namespace

absl::Status SequentialProportionOptions::Validate() const {
  if (!(limit > 0 && limit < 1)) {
    return internal::InvalidArgumentAt(
        "limit", absl::StrCat("must be in (0, 1) (got ", limit, ")"));
  }
  if (!(alpha > 0 && alpha < 1)) {
    return internal::InvalidArgumentAt(
        "alpha", absl::StrCat("must be in (0, 1) (got ", alpha, ")"));
  }
  if (!(tuning_trials >= 1) || !std::isfinite(tuning_trials)) {
    return internal::InvalidArgumentAt(
        "tuning_trials",
        absl::StrCat("must be finite and >= 1 (got ", tuning_trials, ")"));
  }
  return absl::OkStatus();
}

std::ostream& operator<<(std::ostream& os,
                         const SequentialProportionOptions& o) {
  return os << "{limit: " << o.limit << ", alpha: " << o.alpha
            << ", tuning_trials: " << o.tuning_trials
            << ", alternative: " << o.alternative << "}";
}

SequentialProportionTest::SequentialProportionTest(
    const SequentialProportionOptions& options)
    : options_(options) {}

absl::StatusOr<SequentialProportionTest> SequentialProportionTest::Create(
    const SequentialProportionOptions& options) {
  SLUICE_RETURN_IF_ERROR(options.Validate());
  return SequentialProportionTest(options);
}

double SequentialProportionTest::LogE() const {
  if (trials_ == 0) return 0;
  const double k = static_cast<double>(events_);
  const double t = static_cast<double>(trials_);
  const double p = options_.limit;
  const double t_opt = options_.tuning_trials;
  const double alpha = options_.alpha;
  switch (options_.alternative) {
    case Alternative::kGreater:
      return LogMixture(p, k, t, t_opt, alpha, true, +1);
    case Alternative::kLess:
      return LogMixture(p, k, t, t_opt, alpha, true, -1);
    case Alternative::kTwoSided:
    default:
      return LogMixture(p, k, t, t_opt, alpha, false, +1);
  }
}

absl::Status SequentialProportionTest::Update(uint64_t events,
                                              uint64_t trials) {
  if (events > trials) {
    return internal::InvalidArgumentAt(
        "events", absl::StrCat("must not exceed trials (got ", events, " > ",
                               trials, ")"));
  }
  if (trials > kMaxCount - trials_) {
    return internal::InvalidArgumentAt("trials",
                                       "total trials would exceed 2^53");
  }
  events_ += events;
  trials_ += trials;
  log_e_ = LogE();
  max_log_e_ = std::max(max_log_e_, log_e_);
  return absl::OkStatus();
}

SequentialResult SequentialProportionTest::result() const {
  SequentialResult r;
  r.n_canary = static_cast<int64_t>(trials_);
  r.e_value = std::exp(log_e_);
  r.p_value = std::min(1.0, std::exp(-max_log_e_));
  r.rejected = max_log_e_ >= std::log(1 / options_.alpha);
  r.lower = 0;
  r.upper = 1;
  if (trials_ == 0) return r;
  const double k = static_cast<double>(events_);
  const double t = static_cast<double>(trials_);
  const double p_hat = k / t;
  r.estimate = p_hat;
  const double threshold = std::log(1 / options_.alpha);
  const double t_opt = options_.tuning_trials;
  const double alpha = options_.alpha;
  const Alternative alt = options_.alternative;
  const bool one_sided = alt != Alternative::kTwoSided;
  if (alt != Alternative::kLess && events_ > 0) {
    // Rates below p_hat that the events rule out.
    r.lower = Bisect(
        [&](double p) {
          return LogMixture(p, k, t, t_opt, alpha, one_sided, +1) - threshold;
        },
        p_hat, 0.0);
  }
  if (alt != Alternative::kGreater && events_ < trials_) {
    r.upper = Bisect(
        [&](double p) {
          return LogMixture(p, k, t, t_opt, alpha, one_sided,
                            one_sided ? -1 : +1) -
                 threshold;
        },
        p_hat, 1.0);
  }
  return r;
}

std::vector<double> SequentialProportionTest::SaveState() const {
  return {static_cast<double>(events_), static_cast<double>(trials_),
          max_log_e_};
}

absl::StatusOr<SequentialProportionTest> SequentialProportionTest::Restore(
    const SequentialProportionOptions& options,
    absl::Span<const double> state) {
  SLUICE_ASSIGN_OR_RETURN(SequentialProportionTest test, Create(options));
  if (state.size() != 3) {
    return internal::InvalidArgumentAt(
        "state", absl::StrCat("must hold 3 numbers (got ", state.size(), ")"));
  }
  for (size_t i : {size_t{0}, size_t{1}}) {
    if (!(state[i] >= 0 && state[i] <= static_cast<double>(kMaxCount)) ||
        std::floor(state[i]) != state[i]) {
      return internal::InvalidArgumentAt(
          "state", "counts must be whole numbers in [0, 2^53]");
    }
  }
  if (state[0] > state[1] || std::isnan(state[2])) {
    return internal::InvalidArgumentAt(
        "state", "events must not exceed trials, the e-value not NaN");
  }
  test.events_ = static_cast<uint64_t>(state[0]);
  test.trials_ = static_cast<uint64_t>(state[1]);
  test.log_e_ = test.LogE();
  test.max_log_e_ = state[2];
  return test;
}

bool operator==(const SequentialProportionTest& a,
                const SequentialProportionTest& b) {
  return a.options_ == b.options_ && a.events_ == b.events_ &&
         a.trials_ == b.trials_ && a.log_e_ == b.log_e_ &&
         a.max_log_e_ == b.max_log_e_;
}

}  // namespace sluice::stats
