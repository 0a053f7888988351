// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_counts.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/stats/math.h"

namespace sluice::stats {

absl::Status SequentialCountOptions::Validate() const {
  if (!(canary_share > 0 && canary_share < 1)) {
    return internal::InvalidArgumentAt(
        "canary_share",
        absl::StrCat("must be in (0, 1) (got ", canary_share, ")"));
  }
  if (!(alpha > 0 && alpha < 1)) {
    return internal::InvalidArgumentAt(
        "alpha", absl::StrCat("must be in (0, 1) (got ", alpha, ")"));
  }
  if (!(prior_concentration > 0) || !std::isfinite(prior_concentration)) {
    return internal::InvalidArgumentAt(
        "prior_concentration",
        absl::StrCat("must be finite and > 0 (got ", prior_concentration, ")"));
  }
  return absl::OkStatus();
}

std::ostream& operator<<(std::ostream& os, const SequentialCountOptions& o) {
  return os << "{canary_share: " << o.canary_share << ", alpha: " << o.alpha
            << ", prior_concentration: " << o.prior_concentration << "}";
}

SequentialCountTest::SequentialCountTest(const SequentialCountOptions& options)
    : options_(options),
      a_(options.prior_concentration * options.canary_share),
      b_(options.prior_concentration * (1 - options.canary_share)),
      log_share_(std::log(options.canary_share)),
      log_1m_share_(std::log1p(-options.canary_share)),
      log_beta_ab_(internal::LogBeta(a_, b_)) {}

absl::StatusOr<SequentialCountTest> SequentialCountTest::Create(
    const SequentialCountOptions& options) {
  SLUICE_RETURN_IF_ERROR(options.Validate());
  return SequentialCountTest(options);
}

absl::Status SequentialCountTest::Update(uint64_t canary_events,
                                         uint64_t baseline_events) {
  constexpr uint64_t kMaxCount = uint64_t{1} << 53;
  if (canary_events > kMaxCount - n_canary_ ||
      baseline_events > kMaxCount - n_baseline_) {
    return internal::InvalidArgumentAt(canary_events > kMaxCount - n_canary_
                                           ? "canary_events"
                                           : "baseline_events",
                                       "total events would exceed 2^53");
  }
  if (canary_events + baseline_events == 1) {
    // One event: the Bayes factor's ratio update, two logs.
    const double n = static_cast<double>(n_canary_ + n_baseline_);
    if (canary_events == 1) {
      log_bf_ +=
          std::log((a_ + static_cast<double>(n_canary_)) / (a_ + b_ + n)) -
          log_share_;
      ++n_canary_;
    } else {
      log_bf_ +=
          std::log((b_ + static_cast<double>(n_baseline_)) / (a_ + b_ + n)) -
          log_1m_share_;
      ++n_baseline_;
    }
  } else if (canary_events + baseline_events > 1) {
    n_canary_ += canary_events;
    n_baseline_ += baseline_events;
    const double nc = static_cast<double>(n_canary_);
    const double nb = static_cast<double>(n_baseline_);
    log_bf_ = internal::LogBeta(a_ + nc, b_ + nb) - log_beta_ab_ -
              nc * log_share_ - nb * log_1m_share_;
  }
  if (log_bf_ > max_log_bf_) max_log_bf_ = log_bf_;
  return absl::OkStatus();
}

SequentialResult SequentialCountTest::result() const {
  SequentialResult r;
  r.n_canary = static_cast<int64_t>(n_canary_);
  r.n_baseline = static_cast<int64_t>(n_baseline_);
  r.e_value = std::exp(log_bf_);
  r.p_value = std::min(1.0, std::exp(-max_log_bf_));
  r.rejected = max_log_bf_ >= -std::log(options_.alpha);
  const double rho = options_.canary_share;
  auto ratio = [rho](double theta) {
    if (theta <= 0) return 0.0;
    if (theta >= 1) return std::numeric_limits<double>::infinity();
    return theta * (1 - rho) / (rho * (1 - theta));
  };
  const double nc = static_cast<double>(n_canary_);
  const double nb = static_cast<double>(n_baseline_);
  if (n_canary_ + n_baseline_ == 0) {
    r.lower = 0;
    r.upper = std::numeric_limits<double>::infinity();
    return r;
  }
  const double theta_hat = nc / (nc + nb);
  r.estimate = ratio(theta_hat);
  // The confidence sequence for theta: {theta : nc log(theta) +
  // nb log(1 - theta) > kappa}, an interval around theta_hat (the log
  // likelihood is concave), then mapped to the rate ratio.
  const double kappa = internal::LogBeta(a_ + nc, b_ + nb) - log_beta_ab_ +
                       std::log(options_.alpha);
  auto g = [nc, nb, kappa](double theta) {
    const double lt = nc > 0 ? nc * std::log(theta) : 0.0;
    const double l1 = nb > 0 ? nb * std::log1p(-theta) : 0.0;
    return lt + l1 - kappa;
  };
  auto solve = [&g](double inside, double outside) {
    // g(inside) > 0 >= g(outside); bisect to double precision.
    for (int i = 0; i < 200; ++i) {
      const double mid = 0.5 * (inside + outside);
      if (mid == inside || mid == outside) break;
      if (g(mid) > 0) {
        inside = mid;
      } else {
        outside = mid;
      }
    }
    return inside;
  };
  const double lower_theta = n_canary_ == 0 ? 0.0 : solve(theta_hat, 0.0);
  const double upper_theta = n_baseline_ == 0 ? 1.0 : solve(theta_hat, 1.0);
  r.lower = ratio(lower_theta);
  r.upper = ratio(upper_theta);
  return r;
}

namespace {

// A count stored as a double: a whole number in [0, 2^53].
bool ValidCount(double v) {
  return v >= 0 && v <= 9007199254740992.0 && std::floor(v) == v;
}

}  // namespace

std::vector<double> SequentialCountTest::SaveState() const {
  return {static_cast<double>(n_canary_), static_cast<double>(n_baseline_),
          log_bf_, max_log_bf_};
}

absl::StatusOr<SequentialCountTest> SequentialCountTest::Restore(
    const SequentialCountOptions& options, absl::Span<const double> state) {
  SLUICE_ASSIGN_OR_RETURN(SequentialCountTest test, Create(options));
  if (state.size() != 4) {
    return internal::InvalidArgumentAt(
        "state", absl::StrCat("must hold 4 numbers (got ", state.size(), ")"));
  }
  if (!ValidCount(state[0]) || !ValidCount(state[1]) || std::isnan(state[2]) ||
      std::isnan(state[3])) {
    return internal::InvalidArgumentAt("state",
                                       "counts must be whole numbers in "
                                       "[0, 2^53] and Bayes factors not NaN");
  }
  test.n_canary_ = static_cast<uint64_t>(state[0]);
  test.n_baseline_ = static_cast<uint64_t>(state[1]);
  test.log_bf_ = state[2];
  test.max_log_bf_ = state[3];
  return test;
}

bool operator==(const SequentialCountTest& a, const SequentialCountTest& b) {
  return a.options_ == b.options_ && a.n_canary_ == b.n_canary_ &&
         a.n_baseline_ == b.n_baseline_ && a.log_bf_ == b.log_bf_ &&
         a.max_log_bf_ == b.max_log_bf_;
}

}  // namespace sluice::stats
