// Copyright 2026 The Sluice Authors.

#include "sluice/stats/rate_did.h"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/stats/math.h"

namespace sluice::stats {
namespace {

absl::Status ValidateCell(const CountCell& cell, const std::string& name) {
  if (!std::isfinite(cell.events) || cell.events < 0) {
    return internal::InvalidArgumentAt(
        absl::StrCat(name, ".events"),
        absl::StrCat("must be finite and >= 0 (got ", cell.events, ")"));
  }
  if (!std::isfinite(cell.exposure) || !(cell.exposure > 0)) {
    return internal::InvalidArgumentAt(
        absl::StrCat(name, ".exposure"),
        absl::StrCat("must be finite and > 0 (got ", cell.exposure, ")"));
  }
  if (!std::isfinite(cell.dispersion) || !(cell.dispersion >= 1)) {
    return internal::InvalidArgumentAt(
        absl::StrCat(name, ".dispersion"),
        absl::StrCat("must be finite and >= 1 (got ", cell.dispersion, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const CountCell& cell) {
  return os << cell.events << "/" << cell.exposure << " (phi "
            << cell.dispersion << ")";
}

absl::StatusOr<double> PearsonDispersion(absl::Span<const double> events,
                                         absl::Span<const double> exposure,
                                         absl::Span<const int> groups) {
  if (events.size() != exposure.size()) {
    return internal::InvalidArgumentAt(
        "events", absl::StrCat("has ", events.size(), " values, exposure ",
                               exposure.size()));
  }
  if (!groups.empty() && groups.size() != events.size()) {
    return internal::InvalidArgumentAt(
        "groups",
        absl::StrCat("has ", groups.size(), " values, events ", events.size()));
  }
  int group_count = 1;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (groups[i] < 0) {
      return internal::FieldPath("groups")
          .Index(static_cast<int>(i))
          .Invalid(absl::StrCat("must be >= 0 (got ", groups[i], ")"));
    }
    group_count = std::max(group_count, groups[i] + 1);
  }
  std::vector<double> e(group_count, 0.0), n(group_count, 0.0);
  std::vector<int> m(group_count, 0);
  for (size_t i = 0; i < events.size(); ++i) {
    if (!std::isfinite(events[i]) || events[i] < 0) {
      return internal::FieldPath("events")
          .Index(static_cast<int>(i))
          .Invalid(
              internal::MustBe(internal::kMustBeNonNegativeFinite, events[i]));
    }
    if (!std::isfinite(exposure[i]) || exposure[i] < 0) {
      return internal::FieldPath("exposure")
          .Index(static_cast<int>(i))
          .Invalid(internal::MustBe(internal::kMustBeNonNegativeFinite,
                                    exposure[i]));
    }
    const int g = groups.empty() ? 0 : groups[i];
    if (exposure[i] > 0) {
      e[g] += events[i];
      n[g] += exposure[i];
      ++m[g];
    }
  }
  int df = 0;
  for (int g = 0; g < group_count; ++g) df += std::max(0, m[g] - 1);
  if (df < 1) return 1.0;
  double x2 = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const int g = groups.empty() ? 0 : groups[i];
    if (!(exposure[i] > 0) || !(e[g] > 0)) continue;
    const double mu = exposure[i] * e[g] / n[g];
    x2 += (events[i] - mu) * (events[i] - mu) / mu;
  }
  return std::max(1.0, x2 / df);
}

namespace {

// The one code path of both tests: log_ratio = sum over the cells of
// sign_i log(E_i / N_i), its variance the sum of phi_i / E_i (0.5 added to
// every cell's errors when one has none), and the one-sided test against
// log null_ratio. `names` name the cells in errors.
absl::StatusOr<DidResult> LogRateContrastTest(
    absl::Span<const CountCell* const> cells, absl::Span<const double> signs,
    absl::Span<const char* const> names, double null_ratio) {
  for (size_t i = 0; i < cells.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(ValidateCell(*cells[i], names[i]));
  }
  if (!std::isfinite(null_ratio) || !(null_ratio > 0)) {
    return internal::InvalidArgumentAt(
        "null_ratio",
        absl::StrCat("must be finite and > 0 (got ", null_ratio, ")"));
  }
  bool zero = false;
  for (const CountCell* c : cells) zero = zero || c->events == 0;
  const double add = zero ? 0.5 : 0.0;  // Haldane-Anscombe
  double log_ratio = 0, variance = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    const double e = cells[i]->events + add;
    log_ratio += signs[i] * std::log(e / cells[i]->exposure);
    variance += cells[i]->dispersion / e;
  }
  DidResult r;
  r.log_ratio = log_ratio;
  r.ratio = std::exp(r.log_ratio);
  r.standard_error = std::sqrt(variance);
  r.z = (r.log_ratio - std::log(null_ratio)) / r.standard_error;
  r.p_value = internal::NormalSf(r.z);
  return r;
}

}  // namespace

absl::StatusOr<DidResult> RatioOfRatiosTest(const CountCell& treated_after,
                                            const CountCell& treated_before,
                                            const CountCell& control_after,
                                            const CountCell& control_before,
                                            double null_ratio) {
  const CountCell* cells[4] = {&treated_after, &treated_before, &control_after,
                               &control_before};
  static constexpr double kSigns[4] = {1, -1, -1, 1};
  static const char* const kNames[4] = {"treated_after", "treated_before",
                                        "control_after", "control_before"};
  return LogRateContrastTest(cells, kSigns, kNames, null_ratio);
}

absl::StatusOr<DidResult> RateRatioTest(const CountCell& treated_after,
                                        const CountCell& treated_before,
                                        double null_ratio) {
  const CountCell* cells[2] = {&treated_after, &treated_before};
  static constexpr double kSigns[2] = {1, -1};
  static const char* const kNames[2] = {"treated_after", "treated_before"};
  return LogRateContrastTest(cells, kSigns, kNames, null_ratio);
}

}  // namespace sluice::stats
