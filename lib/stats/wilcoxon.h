// Copyright 2026 The Sluice Authors.
//
// Private: the exact null distribution of the Mann-Whitney U statistic (R's
// dwilcox/pwilcox), shared by the test's exact p-value and the exact
// Hodges-Lehmann interval.

#ifndef SLUICE_LIB_STATS_WILCOXON_H_
#define SLUICE_LIB_STATS_WILCOXON_H_

#include <cstdint>
#include <vector>

namespace sluice::internal {

// Returns P(U = k) for k = 0..k_max under H0 for samples of sizes m and n
// (k_max <= m * n), from the q-binomial generating function
// prod_{j=1..min(m,n)} (1 - q^{max(m,n)+j}) / (1 - q^j), renormalized at each
// step so values stay probabilities. O(min(m, n) * k_max) time and
// O(k_max) memory.
std::vector<double> WilcoxonPmf(int64_t m, int64_t n, int64_t k_max);

// P(U >= u) for integer u under H0, using the shorter tail of the symmetric
// distribution. The cost is that of WilcoxonPmf up to min(u - 1, m*n - u).
double WilcoxonSf(int64_t m, int64_t n, int64_t u);

// The number of cells WilcoxonSf(m, n, u) computes (min(m, n) * (k + 1));
// callers compare it with kMaxExactCells before calling.
int64_t WilcoxonSfCells(int64_t m, int64_t n, int64_t u);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_STATS_WILCOXON_H_
