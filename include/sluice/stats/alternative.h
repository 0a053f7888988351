// Copyright 2026 The Sluice Authors.
//
// The alternative hypothesis of a two-sample test or interval: which
// direction of difference between the first sample `x` (for Sluice, usually
// the canary) and the second sample `y` (the baseline) the test looks for.
// SciPy calls it `alternative=`, R `alternative =`; the names match.
//
// Example:
//
//   #include "sluice/stats/alternative.h"
//
//   sluice::stats::Alternative alt = sluice::stats::Alternative::kGreater;
//   std::cout << alt;  // prints "greater"

#ifndef SLUICE_STATS_ALTERNATIVE_H_
#define SLUICE_STATS_ALTERNATIVE_H_

#include <ostream>

#include "absl/strings/string_view.h"

namespace sluice::stats {

// The alternative hypothesis. A plain enum value; pass by value.
enum class Alternative {
  // The distributions differ (x is stochastically smaller or larger than y).
  kTwoSided,
  // x is stochastically smaller than y (F_x(u) > F_y(u)).
  kLess,
  // x is stochastically larger than y (F_x(u) < F_y(u)).
  kGreater,
};

// Returns "two-sided", "less" or "greater". (Abseil 20220623 has no
// AbslStringify, so Sluice's value types print through operator<<.)
absl::string_view AlternativeName(Alternative alternative);

inline std::ostream& operator<<(std::ostream& os, Alternative alternative) {
  return os << AlternativeName(alternative);
}

}  // namespace sluice::stats

#endif  // SLUICE_STATS_ALTERNATIVE_H_
