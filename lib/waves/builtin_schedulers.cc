// Copyright 2026 The Sluice Authors.
//
// Shared pieces of the built-in schedulers (lib/waves/builtin_schedulers.h).

#include "lib/waves/builtin_schedulers.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/core/status_macros.h"

namespace sluice::internal {
namespace {

// n * percent / 100, with values within a relative 1e-9 of an integer
// snapped to it, so that 30 * 10% is 3 and not 3.0000000000000004.
double Scaled(int64_t n, double percent) {
  const double x = static_cast<double>(n) * percent / 100.0;
  const double r = std::round(x);
  if (std::fabs(x - r) <= 1e-9 * std::max(1.0, std::fabs(x))) return r;
  return x;
}

}  // namespace

absl::StatusOr<WavePlan> BuiltinScheduler::Plan(const Fleet& fleet) const {
  std::vector<Fleet::TargetIndex> all(fleet.size());
  for (size_t i = 0; i < all.size(); ++i) {
    all[i] = static_cast<Fleet::TargetIndex>(i);
  }
  SLUICE_ASSIGN_OR_RETURN(WavePlan plan, PlanTargets(fleet, all));
  plan.strategy = name();
  FillCumulativeFractions(fleet, plan);
  return plan;
}

absl::StatusOr<WavePlan> BuiltinScheduler::PlanSubset(
    const Fleet& fleet, absl::Span<const Fleet::TargetIndex> subset) const {
  if (subset.empty()) {
    return absl::InvalidArgumentError("subset: must not be empty");
  }
  std::vector<bool> seen(fleet.size(), false);
  for (size_t i = 0; i < subset.size(); ++i) {
    const Fleet::TargetIndex t = subset[i];
    if (t >= fleet.size()) {
      return InvalidArgumentAt(
          absl::StrCat("subset[", i, "]"),
          absl::StrCat("index ", t, " is not in the fleet (size ", fleet.size(),
                       ")"));
    }
    if (seen[t]) {
      return InvalidArgumentAt(absl::StrCat("subset[", i, "]"),
                               absl::StrCat("index ", t, " is repeated"));
    }
    seen[t] = true;
  }
  SLUICE_ASSIGN_OR_RETURN(WavePlan plan, PlanTargets(fleet, subset));
  plan.strategy = name();
  FillCumulativeFractions(fleet, plan);
  return plan;
}

int64_t CeilPercentOf(int64_t n, double percent) {
  return static_cast<int64_t>(std::ceil(Scaled(n, percent)));
}

int64_t FloorPercentOf(int64_t n, double percent) {
  return static_cast<int64_t>(std::floor(Scaled(n, percent)));
}

int64_t ArgoWeightToCount(int64_t n, double percent) {
  if (percent >= 100) return n;
  if (percent <= 0) return 0;
  const double x = Scaled(n, percent);
  const double lower = std::floor(x);
  // Nearest, ties up.
  int64_t count = static_cast<int64_t>(x - lower >= 0.5 ? lower + 1 : lower);
  if (n >= 2) count = std::clamp<int64_t>(count, 1, n - 1);
  return count;
}

int64_t RoundPercentOf(int64_t n, double percent, PercentRounding rounding) {
  if (n <= 0 || percent <= 0) return 0;
  if (percent >= 100) return n;
  const double x = Scaled(n, percent);
  int64_t count;
  switch (rounding) {
    case PercentRounding::kDown:
      count = static_cast<int64_t>(std::floor(x));
      break;
    case PercentRounding::kNearest:
      count = static_cast<int64_t>(std::floor(x + 0.5));
      break;
    case PercentRounding::kDefault:
    case PercentRounding::kUp:
    default:
      count = static_cast<int64_t>(std::ceil(x));
      break;
  }
  return std::clamp<int64_t>(count, 1, n);
}

absl::Status CheckRounding(PercentRounding rounding, absl::string_view path,
                           bool traffic_routed, bool rounds_a_percent,
                           absl::string_view what) {
  const int v = static_cast<int>(rounding);
  if (v < static_cast<int>(PercentRounding::kDefault) ||
      v > static_cast<int>(PercentRounding::kNearest)) {
    return InvalidArgumentAt(
        path,
        absl::StrCat("must be default, up, down or nearest (got ", v, ")"));
  }
  if (traffic_routed && rounding != PercentRounding::kDefault) {
    return InvalidArgumentAt(
        path, absl::StrCat("is ", PercentRoundingName(rounding),
                           ", but traffic waves set exact percents and round "
                           "nothing (unset it, or plan target waves)"));
  }
  if (!rounds_a_percent && rounding != PercentRounding::kDefault) {
    return InvalidArgumentAt(path,
                             absl::StrCat("is ", PercentRoundingName(rounding),
                                          ", but it applies to ", what,
                                          " only and there is none to round"));
  }
  return absl::OkStatus();
}

std::string RoundingLabel(PercentRounding rounding) {
  if (rounding == PercentRounding::kDefault) return "";
  return absl::StrCat(", rounding ", PercentRoundingName(rounding));
}

int64_t BatchCount(const CountOrPercent& size, int64_t n,
                   PercentRounding rounding) {
  if (size.unit == CountOrPercent::Unit::kCount) {
    return static_cast<int64_t>(size.value);
  }
  return RoundPercentOf(n, size.value, rounding);
}

int64_t Resolve(const CountOrPercent& value, int64_t n, bool round_up) {
  if (value.unit == CountOrPercent::Unit::kCount) {
    return static_cast<int64_t>(value.value);
  }
  return round_up ? CeilPercentOf(n, value.value)
                  : FloorPercentOf(n, value.value);
}

void AssignFailureBudgets(int64_t n, int64_t min_healthy, int64_t surge,
                          std::vector<Wave>& waves) {
  int64_t used = 0;
  for (size_t w = 0; w < waves.size(); ++w) {
    const int64_t size = static_cast<int64_t>(waves[w].targets.size());
    int64_t budget;
    if (w + 1 < waves.size()) {
      const int64_t next = static_cast<int64_t>(waves[w + 1].targets.size());
      // The surge room is gone once the rollout ends, so the total may
      // never exceed n - min_healthy either.
      budget = std::min(n + surge - min_healthy - next - used,
                        n - min_healthy - used);
    } else {
      budget = std::min(n - min_healthy - used, n - 1 - used);
    }
    budget = std::clamp<int64_t>(budget, 0, size);
    waves[w].max_failed_targets = budget;
    used += budget;
  }
}

absl::Status CheckBake(absl::Duration d, absl::string_view path) {
  if (d == absl::InfiniteDuration() || d == -absl::InfiniteDuration() ||
      d < absl::ZeroDuration()) {
    return InvalidArgumentAt(path, absl::StrCat("must be finite and >= 0 (got ",
                                                absl::FormatDuration(d), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckPercent(double p, absl::string_view path, bool allow_zero) {
  const bool ok = allow_zero ? (p >= 0 && p <= 100) : (p > 0 && p <= 100);
  if (!ok) {
    return InvalidArgumentAt(
        path, absl::StrCat("must be in ", allow_zero ? "[0, 100]" : "(0, 100]",
                           " (got ", p, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckCountOrPercent(const CountOrPercent& v,
                                 absl::string_view path, int64_t min_count) {
  if (v.unit == CountOrPercent::Unit::kPercent) {
    return CheckPercent(v.value, absl::StrCat(path, ".percent"),
                        /*allow_zero=*/min_count == 0);
  }
  if (!std::isfinite(v.value) || v.value != std::floor(v.value) ||
      v.value < static_cast<double>(min_count) || v.value > 4294967295.0) {
    return InvalidArgumentAt(absl::StrCat(path, ".count"),
                             absl::StrCat("must be a whole number >= ",
                                          min_count, " (got ", v.value, ")"));
  }
  return absl::OkStatus();
}

std::string FormatCountOrPercent(const CountOrPercent& v) {
  if (v.unit == CountOrPercent::Unit::kPercent) {
    return absl::StrFormat("%g%%", v.value);
  }
  return absl::StrFormat("%.0f", v.value);
}

std::string FormatDurationShort(absl::Duration d) {
  return absl::FormatDuration(d);
}

}  // namespace sluice::internal
