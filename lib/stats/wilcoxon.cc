// Copyright 2026 The Sluice Authors.

#include "lib/stats/wilcoxon.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace sluice::internal {

std::vector<double> WilcoxonPmf(int64_t m, int64_t n, int64_t k_max) {
  const int64_t small = std::min(m, n);
  const int64_t large = std::max(m, n);
  k_max = std::max<int64_t>(0, std::min(k_max, m * n));
  std::vector<double> c(static_cast<size_t>(k_max + 1), 0.0);
  c[0] = 1.0;  // [large choose 0]_q = 1
  for (int64_t j = 1; j <= small; ++j) {
    // Divide by (1 - q^j): running sums with stride j.
    for (int64_t k = j; k <= k_max; ++k) c[k] += c[k - j];
    // Multiply by (1 - q^(large + j)).
    const int64_t d = large + j;
    for (int64_t k = k_max; k >= d; --k) c[k] -= c[k - d];
    // Renormalize: the total mass grew by (large + j) / j.
    const double scale =
        static_cast<double>(j) / static_cast<double>(large + j);
    for (int64_t k = 0; k <= k_max; ++k) c[k] *= scale;
  }
  return c;
}

namespace {

// Returns {k, upper}: the cdf index to sum to, and whether the answer is
// P(U <= k) (upper = true, by symmetry P(U >= u) = P(U <= mn - u)) or
// 1 - P(U <= k).
struct TailPlan {
  int64_t k;
  bool direct;
};

TailPlan PlanTail(int64_t m, int64_t n, int64_t u) {
  const int64_t mn = m * n;
  const int64_t mirrored = mn - u;  // P(U >= u) == P(U <= mn - u)
  if (mirrored <= u - 1) return {mirrored, true};
  return {u - 1, false};  // 1 - P(U <= u - 1)
}

}  // namespace

int64_t WilcoxonSfCells(int64_t m, int64_t n, int64_t u) {
  if (u <= 0 || u > m * n) return 0;
  const TailPlan plan = PlanTail(m, n, u);
  return std::min(m, n) * (plan.k + 1);
}

double WilcoxonSf(int64_t m, int64_t n, int64_t u) {
  if (u <= 0) return 1.0;
  if (u > m * n) return 0.0;
  const TailPlan plan = PlanTail(m, n, u);
  const std::vector<double> pmf = WilcoxonPmf(m, n, plan.k);
  double cdf = 0;
  for (int64_t k = 0; k <= plan.k; ++k) cdf += pmf[k];
  if (plan.direct) return std::min(1.0, cdf);
  return std::max(0.0, 1.0 - cdf);
}

}  // namespace sluice::internal
