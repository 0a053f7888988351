// Copyright 2026 The Sluice Authors.
//
// Private: the asymptotic Hodges-Lehmann interval by inversion of the
// rank-sum test, shared by the public HodgesLehmann (R's rules) and the
// Kayenta classifier (Kayenta's variant, which keeps the continuity
// correction when solving for the estimate).

#ifndef SLUICE_LIB_STATS_SHIFT_H_
#define SLUICE_LIB_STATS_SHIFT_H_

#include "absl/types/span.h"
#include "sluice/stats/alternative.h"

namespace sluice::internal {

struct InvertedShift {
  double estimate = 0;
  double lower = 0;
  double upper = 0;
};

struct InversionOptions {
  double confidence = 0.95;
  stats::Alternative alternative = stats::Alternative::kTwoSided;
  bool continuity_correction = true;
  // R solves for the estimate without the correction; Kayenta with it.
  bool correct_estimate = false;
  double tolerance = 1e-4;
};

// The standardized rank-sum statistic of (x - d, y) minus nothing: R's W(d)
// inside wilcox.test, with the correction when `correct` (two-sided: the
// sign of the centred statistic times 1/2). Inputs sorted ascending.
double ShiftStatistic(absl::Span<const double> sorted_x,
                      absl::Span<const double> sorted_y, double d, bool correct,
                      stats::Alternative alternative);

// The interval and estimate by inversion, as R's wilcox.test (asymptotic
// branch). Inputs sorted ascending, finite, not both constant.
InvertedShift InvertRankSum(absl::Span<const double> sorted_x,
                            absl::Span<const double> sorted_y,
                            const InversionOptions& options);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_STATS_SHIFT_H_
