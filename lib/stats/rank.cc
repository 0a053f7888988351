// Copyright 2026 The Sluice Authors.

#include "lib/stats/rank.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace sluice::internal {
namespace {

// Below this size std::sort beats the radix sort's fixed costs.
constexpr size_t kRadixThreshold = 4096;
constexpr int kDigitBits = 8;
constexpr int kPasses = 64 / kDigitBits;
constexpr size_t kBuckets = size_t{1} << kDigitBits;
constexpr uint64_t kSignBit = uint64_t{1} << 63;

// Maps a double (not NaN, not -0.0) to an unsigned key with the same order.
inline uint64_t ToKey(double d) {
  uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return (u & kSignBit) ? ~u : (u | kSignBit);
}

inline double FromKey(uint64_t k) {
  const uint64_t u = (k & kSignBit) ? (k & ~kSignBit) : ~k;
  double d;
  std::memcpy(&d, &u, sizeof d);
  return d;
}

}  // namespace

void SortKeys(absl::Span<const double> values, std::vector<uint64_t>* keys) {
  const size_t n = values.size();
  keys->resize(n);
  uint64_t* k = keys->data();
  if (n < kRadixThreshold) {
    for (size_t i = 0; i < n; ++i) k[i] = ToKey(values[i] + 0.0);
    std::sort(k, k + n);
    return;
  }
  std::vector<uint64_t> scratch(n);
  std::vector<uint32_t> histogram(kPasses * kBuckets, 0);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t key = ToKey(values[i] + 0.0);  // -0.0 + 0.0 == +0.0
    k[i] = key;
    for (int p = 0; p < kPasses; ++p) {
      ++histogram[p * kBuckets + ((key >> (p * kDigitBits)) & (kBuckets - 1))];
    }
  }
  uint64_t* src = k;
  uint64_t* dst = scratch.data();
  for (int p = 0; p < kPasses; ++p) {
    uint32_t* h = &histogram[p * kBuckets];
    // A digit shared by every key leaves the order unchanged: skip the pass.
    const uint64_t first_digit = (src[0] >> (p * kDigitBits)) & (kBuckets - 1);
    if (h[first_digit] == n) continue;
    uint32_t sum = 0;
    for (size_t b = 0; b < kBuckets; ++b) {
      const uint32_t count = h[b];
      h[b] = sum;
      sum += count;
    }
    const int shift = p * kDigitBits;
    for (size_t i = 0; i < n; ++i) {
      const uint64_t key = src[i];
      dst[h[(key >> shift) & (kBuckets - 1)]++] = key;
    }
    std::swap(src, dst);
  }
  if (src != k) std::copy(src, src + n, k);
}

void SortForRanking(std::vector<double>* values) {
  std::vector<uint64_t> keys;
  SortKeys(*values, &keys);
  for (size_t i = 0; i < keys.size(); ++i) (*values)[i] = FromKey(keys[i]);
}

RankSummary MergeRankKeys(absl::Span<const uint64_t> x,
                          absl::Span<const uint64_t> y) {
  const size_t nx = x.size();
  const size_t ny = y.size();
  size_t i = 0;
  size_t j = 0;
  uint64_t twice_u = 0;
  double tie_term = 0;
  bool has_ties = false;
  while (i < nx || j < ny) {
    const uint64_t v = j == ny ? x[i] : i == nx ? y[j] : std::min(x[i], y[j]);
    const size_t x_start = i;
    while (i < nx && x[i] == v) ++i;
    const size_t y_below = j;
    while (j < ny && y[j] == v) ++j;
    const uint64_t cx = i - x_start;
    const uint64_t cy = j - y_below;
    // Each x in the group beats y_below values and ties cy of them.
    twice_u += cx * (2 * static_cast<uint64_t>(y_below) + cy);
    const uint64_t t = cx + cy;
    if (t > 1) {
      has_ties = true;
      const double td = static_cast<double>(t);
      tie_term += td * td * td - td;
    }
  }
  RankSummary summary;
  summary.u_x = static_cast<double>(twice_u) / 2;
  summary.tie_term = tie_term;
  summary.has_ties = has_ties;
  return summary;
}

RankSummary MergeRank(absl::Span<const double> sorted_x,
                      absl::Span<const double> sorted_y, double shift) {
  const size_t nx = sorted_x.size();
  const size_t ny = sorted_y.size();
  size_t i = 0;
  size_t j = 0;
  uint64_t twice_u = 0;
  double tie_term = 0;
  bool has_ties = false;
  while (i < nx || j < ny) {
    double v;
    if (j == ny) {
      v = sorted_x[i] - shift;
    } else if (i == nx) {
      v = sorted_y[j];
    } else {
      v = std::min(sorted_x[i] - shift, sorted_y[j]);
    }
    uint64_t cx = 0;
    while (i < nx && sorted_x[i] - shift == v) {
      ++i;
      ++cx;
    }
    const size_t y_below = j;
    uint64_t cy = 0;
    while (j < ny && sorted_y[j] == v) {
      ++j;
      ++cy;
    }
    // Each x in the group beats y_below values and ties cy of them.
    twice_u += cx * (2 * static_cast<uint64_t>(y_below) + cy);
    const uint64_t t = cx + cy;
    if (t > 1) {
      has_ties = true;
      const double td = static_cast<double>(t);
      tie_term += td * td * td - td;
    }
  }
  RankSummary summary;
  summary.u_x = static_cast<double>(twice_u) / 2;
  summary.tie_term = tie_term;
  summary.has_ties = has_ties;
  return summary;
}

}  // namespace sluice::internal
