// Copyright 2026 The Sluice Authors.

#include "sluice/stats/histogram.h"

#include <cmath>
#include <cstdint>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"

namespace sluice::stats {

absl::Status Histogram::Validate() const {
  if (cumulative_counts.size() != upper_bounds.size()) {
    return internal::InvalidArgumentAt(
        "cumulative_counts",
        absl::StrCat("must have one count per upper bound (got ",
                     cumulative_counts.size(), " counts for ",
                     upper_bounds.size(), " bounds)"));
  }
  for (size_t i = 0; i < upper_bounds.size(); ++i) {
    if (std::isnan(upper_bounds[i])) {
      return internal::FieldPath("upper_bounds")
          .Index(static_cast<int>(i))
          .Invalid("must not be NaN");
    }
    if (i > 0 && !(upper_bounds[i] > upper_bounds[i - 1])) {
      return internal::FieldPath("upper_bounds")
          .Index(static_cast<int>(i))
          .Invalid(absl::StrCat("must be greater than upper_bounds[", i - 1,
                                "] (got ", upper_bounds[i],
                                " <= ", upper_bounds[i - 1], ")"));
    }
    if (i > 0 && cumulative_counts[i] < cumulative_counts[i - 1]) {
      return internal::FieldPath("cumulative_counts")
          .Index(static_cast<int>(i))
          .Invalid(absl::StrCat("must not be less than cumulative_counts[",
                                i - 1, "] (got ", cumulative_counts[i], " < ",
                                cumulative_counts[i - 1], ")"));
    }
  }
  if (total() > (uint64_t{1} << 53)) {
    return internal::InvalidArgumentAt(
        "cumulative_counts",
        absl::StrCat("the total must not exceed 2^53 (got ", total(), ")"));
  }
  return absl::OkStatus();
}

std::vector<uint64_t> Histogram::BucketCounts() const {
  std::vector<uint64_t> counts(cumulative_counts.size());
  uint64_t previous = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    counts[i] = cumulative_counts[i] - previous;
    previous = cumulative_counts[i];
  }
  return counts;
}

std::ostream& operator<<(std::ostream& os, const Histogram& h) {
  os << "{";
  for (size_t i = 0; i < h.upper_bounds.size(); ++i) {
    if (i > 0) os << ", ";
    os << "le " << h.upper_bounds[i] << ": "
       << (i < h.cumulative_counts.size() ? h.cumulative_counts[i] : 0);
  }
  return os << "}";
}

}  // namespace sluice::stats
