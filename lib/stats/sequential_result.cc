// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_result.h"

#include <cmath>
#include <ostream>

#include "absl/strings/str_format.h"

namespace sluice::stats {

bool operator==(const SequentialResult& a, const SequentialResult& b) {
  auto same = [](double p, double q) {
    return p == q || (std::isnan(p) && std::isnan(q));
  };
  return same(a.e_value, b.e_value) && same(a.p_value, b.p_value) &&
         same(a.estimate, b.estimate) && same(a.lower, b.lower) &&
         same(a.upper, b.upper) && a.n_canary == b.n_canary &&
         a.n_baseline == b.n_baseline && a.rejected == b.rejected;
}

std::ostream& operator<<(std::ostream& os, const SequentialResult& r) {
  return os << absl::StrFormat(
             "{e_value: %.6g, p_value: %.6g, estimate: %.6g, lower: %.6g, "
             "upper: %.6g, n_canary: %d, n_baseline: %d, rejected: %s}",
             r.e_value, r.p_value, r.estimate, r.lower, r.upper, r.n_canary,
             r.n_baseline, r.rejected ? "true" : "false");
}

}  // namespace sluice::stats
