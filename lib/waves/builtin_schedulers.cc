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
#include "absl/strings/str_join.h"
#include "lib/core/field_path.h"
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
    return FieldPath("subset").Invalid(kMustNotBeEmpty);
  }
  std::vector<bool> seen(fleet.size(), false);
  for (size_t i = 0; i < subset.size(); ++i) {
    const Fleet::TargetIndex t = subset[i];
    if (t >= fleet.size()) {
      return FieldPath("subset")
          .Index(static_cast<int>(i))
          .Invalid(absl::StrCat("index ", t, " is not in the fleet (size ",
                                fleet.size(), ")"));
    }
    if (seen[t]) {
      return FieldPath("subset")
          .Index(static_cast<int>(i))
          .Invalid(absl::StrCat("index ", t, " is repeated"));
    }
    seen[t] = true;
  }
  SLUICE_ASSIGN_OR_RETURN(WavePlan plan, PlanTargets(fleet, subset));
  plan.strategy = name();
  FillCumulativeFractions(fleet, plan);
  return plan;
}

absl::StatusOr<WavePlan> PlanSpanningTargetsAfterTheirZones(
    const Fleet& fleet, absl::Span<const Fleet::TargetIndex> targets,
    absl::Duration fallback_bake, int64_t max_failed,
    absl::FunctionRef<
        absl::StatusOr<WavePlan>(absl::Span<const Fleet::TargetIndex>)>
        plan_one_zone) {
  std::vector<Fleet::TargetIndex> one_zone;
  std::vector<Fleet::TargetIndex> spanning;
  one_zone.reserve(targets.size());
  for (Fleet::TargetIndex t : targets) {
    (fleet.spans_several(t) ? spanning : one_zone).push_back(t);
  }
  WavePlan plan;
  if (!one_zone.empty()) {
    SLUICE_ASSIGN_OR_RETURN(plan, plan_one_zone(one_zone));
  }
  if (spanning.empty()) return plan;

  // The last wave deploying each zone.
  std::vector<int64_t> last_wave_of_zone(fleet.zones().size(), -1);
  for (size_t w = 0; w < plan.waves.size(); ++w) {
    for (Fleet::TargetIndex t : plan.waves[w].targets) {
      last_wave_of_zone[fleet.zone_of(t)] = static_cast<int64_t>(w);
    }
  }
  struct Placed {
    int64_t after;   // wave index in `plan`, or the number of waves (last)
    size_t covered;  // zones covered
    size_t order;    // position in `spanning`
    Fleet::TargetIndex target;
    std::string what;  // "us-east-1 / a + b + c" or "us-east-1 + eu-west-1"
    bool regions;      // spans several regions
    bool placed_after_zones;  // some wave deploys one of its zones
  };
  std::vector<Placed> placed;
  placed.reserve(spanning.size());
  const int64_t end = static_cast<int64_t>(plan.waves.size());
  for (size_t k = 0; k < spanning.size(); ++k) {
    const Fleet::TargetIndex t = spanning[k];
    absl::Span<const uint32_t> regions = fleet.regions_spanned(t);
    std::vector<bool> covered(fleet.zones().size(), false);
    for (uint32_t z : fleet.zones_spanned(t)) covered[z] = true;
    std::vector<std::string> names;
    if (regions.size() > 1) {
      for (uint32_t z = 0; z < fleet.zones().size(); ++z) {
        if (std::binary_search(regions.begin(), regions.end(),
                               fleet.zones()[z].region)) {
          covered[z] = true;
        }
      }
      for (uint32_t r : regions) names.push_back(fleet.regions()[r]);
    } else {
      for (uint32_t z : fleet.zones_spanned(t)) {
        names.push_back(fleet.zones()[z].name);
      }
    }
    int64_t after = -1;
    size_t count = 0;
    for (uint32_t z = 0; z < covered.size(); ++z) {
      if (!covered[z]) continue;
      ++count;
      after = std::max(after, last_wave_of_zone[z]);
    }
    std::string what = regions.size() > 1
                           ? absl::StrJoin(names, " + ")
                           : absl::StrCat(fleet.regions()[fleet.region_of(t)],
                                          " / ", absl::StrJoin(names, " + "));
    placed.push_back(Placed{after < 0 ? end : after, count, k, t,
                            std::move(what), regions.size() > 1, after >= 0});
  }
  std::stable_sort(placed.begin(), placed.end(),
                   [](const Placed& a, const Placed& b) {
                     if (a.after != b.after) return a.after < b.after;
                     if (a.covered != b.covered) return a.covered < b.covered;
                     return a.order < b.order;
                   });

  std::vector<Wave> waves;
  waves.reserve(plan.waves.size() + placed.size());
  size_t p = 0;
  auto emit_spanning = [&](int64_t after, absl::Duration bake) {
    for (; p < placed.size() && placed[p].after == after; ++p) {
      const Placed& s = placed[p];
      const Target& target = fleet.target(s.target);
      Wave wave;
      wave.name = absl::StrCat(s.what, ": ", target.id);
      wave.stage = "spanning";
      wave.targets = {s.target};
      wave.bake = bake;
      wave.max_failed_targets = std::clamp<int64_t>(max_failed, 0, 1);
      const char* unit = s.regions ? "region" : "zone";
      std::string why = absl::StrCat(
          target.id,
          target.kind.empty() ? "" : absl::StrCat(" (", target.kind, ")"),
          " spans ", s.what, ", so it cannot be in a one-", unit,
          " wave: it deploys alone");
      if (s.placed_after_zones) {
        absl::StrAppend(&why, " after wave ", waves.size() - 1, ", once every ",
                        unit, " it spans has been deployed and baked");
      } else {
        absl::StrAppend(&why, ", last: no other wave of this plan deploys the ",
                        unit, "s it spans");
      }
      wave.note = std::move(why);
      waves.push_back(std::move(wave));
    }
  };
  for (int64_t w = 0; w < end; ++w) {
    const absl::Duration bake = plan.waves[w].bake;
    waves.push_back(std::move(plan.waves[w]));
    emit_spanning(w, bake);
  }
  emit_spanning(end, fallback_bake);
  plan.waves = std::move(waves);
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
    return InvalidArgumentAt(path, MustBe(kMustBeNonNegativeFinite, d));
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
    return CheckPercent(v.value, FieldPath(path).Field("percent").str(),
                        /*allow_zero=*/min_count == 0);
  }
  if (!std::isfinite(v.value) || v.value != std::floor(v.value) ||
      v.value < static_cast<double>(min_count) || v.value > 4294967295.0) {
    return FieldPath(path).Field("count").Invalid(absl::StrCat(
        "must be a whole number >= ", min_count, " (got ", v.value, ")"));
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
