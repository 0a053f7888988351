// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_means.h"

#include <cmath>
#include <limits>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/stats/boundaries.h"

namespace sluice::stats {

absl::Status SequentialMeanOptions::Validate() const {
  if (!(sigma_canary > 0) || !std::isfinite(sigma_canary)) {
    return internal::InvalidArgumentAt(
        "sigma_canary",
        absl::StrCat("must be finite and > 0 (got ", sigma_canary, ")"));
  }
  if (!(sigma_baseline > 0) || !std::isfinite(sigma_baseline)) {
    return internal::InvalidArgumentAt(
        "sigma_baseline",
        absl::StrCat("must be finite and > 0 (got ", sigma_baseline, ")"));
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

std::ostream& operator<<(std::ostream& os, const SequentialMeanOptions& o) {
  return os << "{sigma_canary: " << o.sigma_canary
            << ", sigma_baseline: " << o.sigma_baseline
            << ", alpha: " << o.alpha
            << ", tuning_observations: " << o.tuning_observations
            << ", alternative: " << o.alternative << "}";
}

SequentialMeanTest::SequentialMeanTest(const SequentialMeanOptions& options)
    : options_(options),
      var_c_(options.sigma_canary * options.sigma_canary),
      var_b_(options.sigma_baseline * options.sigma_baseline) {
  // V after `tuning_observations` one-and-one blocks.
  const double v_opt = options.tuning_observations / (var_c_ + var_b_);
  rho_ = options.alternative == Alternative::kTwoSided
             ? internal::TwoSidedBestRho(v_opt, options.alpha)
             : internal::OneSidedBestRho(v_opt, options.alpha);
}

absl::StatusOr<SequentialMeanTest> SequentialMeanTest::Create(
    const SequentialMeanOptions& options) {
  SLUICE_RETURN_IF_ERROR(options.Validate());
  return SequentialMeanTest(options);
}

absl::Status SequentialMeanTest::AddCanary(double value) {
  if (!std::isfinite(value)) {
    return internal::InvalidArgumentAt(
        "value", absl::StrCat("must be finite (got ", value, ")"));
  }
  ++block_c_;
  ++n_c_;
  block_sum_c_ += value;
  MaybeCloseBlock();
  return absl::OkStatus();
}

absl::Status SequentialMeanTest::AddBaseline(double value) {
  if (!std::isfinite(value)) {
    return internal::InvalidArgumentAt(
        "value", absl::StrCat("must be finite (got ", value, ")"));
  }
  ++block_b_;
  ++n_b_;
  block_sum_b_ += value;
  MaybeCloseBlock();
  return absl::OkStatus();
}

void SequentialMeanTest::MaybeCloseBlock() {
  if (block_c_ == 0 || block_b_ == 0) return;
  const double a = static_cast<double>(block_c_);
  const double b = static_cast<double>(block_b_);
  const double d = block_sum_c_ / a - block_sum_b_ / b;
  const double w = 1 / (var_c_ / a + var_b_ / b);
  sum_wd_ += w * d;
  sum_w_ += w;
  block_c_ = block_b_ = 0;
  block_sum_c_ = block_sum_b_ = 0;
  const double log_e = log_e_value();
  if (log_e > max_log_e_) max_log_e_ = log_e;
}

double SequentialMeanTest::log_e_value() const {
  switch (options_.alternative) {
    case Alternative::kGreater:
      return internal::NormalLogMixture(sum_wd_, sum_w_, rho_, true);
    case Alternative::kLess:
      return internal::NormalLogMixture(-sum_wd_, sum_w_, rho_, true);
    case Alternative::kTwoSided:
    default:
      return internal::NormalLogMixture(sum_wd_, sum_w_, rho_, false);
  }
}

SequentialResult SequentialMeanTest::result() const {
  SequentialResult r;
  r.n_canary = n_c_;
  r.n_baseline = n_b_;
  r.e_value = std::exp(log_e_value());
  r.p_value = std::min(1.0, std::exp(-max_log_e_));
  r.rejected = max_log_e_ >= -std::log(options_.alpha);
  if (sum_w_ == 0) return r;
  const bool one_sided = options_.alternative != Alternative::kTwoSided;
  const double u = internal::NormalMixtureBound(
      sum_w_, -std::log(options_.alpha), rho_, one_sided);
  r.estimate = sum_wd_ / sum_w_;
  r.lower = options_.alternative == Alternative::kLess
                ? -std::numeric_limits<double>::infinity()
                : (sum_wd_ - u) / sum_w_;
  r.upper = options_.alternative == Alternative::kGreater
                ? std::numeric_limits<double>::infinity()
                : (sum_wd_ + u) / sum_w_;
  return r;
}

std::vector<double> SequentialMeanTest::SaveState() const {
  return {static_cast<double>(block_c_),
          static_cast<double>(block_b_),
          block_sum_c_,
          block_sum_b_,
          sum_wd_,
          sum_w_,
          max_log_e_,
          static_cast<double>(n_c_),
          static_cast<double>(n_b_)};
}

absl::StatusOr<SequentialMeanTest> SequentialMeanTest::Restore(
    const SequentialMeanOptions& options, absl::Span<const double> state) {
  SLUICE_ASSIGN_OR_RETURN(SequentialMeanTest test, Create(options));
  if (state.size() != 9) {
    return internal::InvalidArgumentAt(
        "state", absl::StrCat("must hold 9 numbers (got ", state.size(), ")"));
  }
  for (size_t i : {size_t{0}, size_t{1}, size_t{7}, size_t{8}}) {
    if (!(state[i] >= 0 && state[i] <= 9007199254740992.0 &&
          std::floor(state[i]) == state[i])) {
      return internal::InvalidArgumentAt(
          "state", "counts must be whole numbers in [0, 2^53]");
    }
  }
  for (size_t i = 2; i < 7; ++i) {
    if (!std::isfinite(state[i])) {
      return internal::InvalidArgumentAt("state", "sums must be finite");
    }
  }
  test.block_c_ = static_cast<int64_t>(state[0]);
  test.block_b_ = static_cast<int64_t>(state[1]);
  test.block_sum_c_ = state[2];
  test.block_sum_b_ = state[3];
  test.sum_wd_ = state[4];
  test.sum_w_ = state[5];
  test.max_log_e_ = state[6];
  test.n_c_ = static_cast<int64_t>(state[7]);
  test.n_b_ = static_cast<int64_t>(state[8]);
  return test;
}

bool operator==(const SequentialMeanTest& a, const SequentialMeanTest& b) {
  return a.options_ == b.options_ && a.block_c_ == b.block_c_ &&
         a.block_b_ == b.block_b_ && a.block_sum_c_ == b.block_sum_c_ &&
         a.block_sum_b_ == b.block_sum_b_ && a.sum_wd_ == b.sum_wd_ &&
         a.sum_w_ == b.sum_w_ && a.max_log_e_ == b.max_log_e_ &&
         a.n_c_ == b.n_c_ && a.n_b_ == b.n_b_;
}

}  // namespace sluice::stats
