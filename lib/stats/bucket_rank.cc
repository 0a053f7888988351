// Copyright 2026 The Sluice Authors.

#include "lib/stats/bucket_rank.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "absl/types/span.h"
#include "lib/internal/stats_rank.h"

namespace sluice::internal {
namespace {

// Sorts a bucket's few values.
inline void SortSmall(double* first, double* last) {
  if (last - first > 24) {
    std::sort(first, last);
    return;
  }
  for (double* i = first + 1; i < last; ++i) {
    const double v = *i;
    double* j = i;
    while (j > first && *(j - 1) > v) {
      *j = *(j - 1);
      --j;
    }
    *j = v;
  }
}

// The smallest and largest finite values of x and y (lo > hi if none).
void FiniteRange(absl::Span<const double> x, absl::Span<const double> y,
                 double* lo, double* hi) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Four independent accumulators: no loop-carried dependency per value.
  double l[4] = {kInf, kInf, kInf, kInf};
  double h[4] = {-kInf, -kInf, -kInf, -kInf};
  for (absl::Span<const double> s : {x, y}) {
    size_t i = 0;
    for (; i + 4 <= s.size(); i += 4) {
      for (int k = 0; k < 4; ++k) {
        l[k] = std::min(l[k], s[i + k]);
        h[k] = std::max(h[k], s[i + k]);
      }
    }
    for (; i < s.size(); ++i) {
      l[0] = std::min(l[0], s[i]);
      h[0] = std::max(h[0], s[i]);
    }
  }
  *lo = std::min(std::min(l[0], l[1]), std::min(l[2], l[3]));
  *hi = std::max(std::max(h[0], h[1]), std::max(h[2], h[3]));
  if (std::isinf(*lo) || std::isinf(*hi)) {
    // Rare: infinities present; the range of the finite values.
    *lo = kInf;
    *hi = -kInf;
    for (absl::Span<const double> s : {x, y}) {
      for (const double v : s) {
        if (std::isinf(v)) continue;
        *lo = std::min(*lo, v);
        *hi = std::max(*hi, v);
      }
    }
  }
}

struct Accumulator {
  uint64_t twice_u = 0;
  double tie_term = 0;
  bool has_ties = false;
};

// Scratch reused across the coarse buckets.
struct Scratch {
  std::vector<uint32_t> end;
  std::vector<double> values;
};

// Adds the rank statistics of x[0, nx) against y[0, ny) to `acc`, every y
// count also counting `y_base` smaller y values. One level of bucketing:
// about one bucket per value over the finite range of these values.
void RankOneLevel(const double* x, size_t nx, const double* y, size_t ny,
                  uint64_t y_base, Scratch& scratch, Accumulator& acc) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double lo;
  double hi;
  FiniteRange(absl::MakeConstSpan(x, nx), absl::MakeConstSpan(y, ny), &lo, &hi);
  double range = hi - lo;
  size_t buckets = std::max<size_t>(2, nx + ny);
  if (!(range > 0) || !std::isfinite(range)) {
    // One distinct finite value (or none): a single bucket, sorted.
    buckets = 1;
    range = 1;
  }
  const double scale = static_cast<double>(buckets - 1) / range;
  const uint32_t last = static_cast<uint32_t>(buckets - 1);
  auto bucket_of = [&](double v) -> uint32_t {
    if (!(v < kInf)) return last;
    const double b = (v - lo) * scale;
    return b > 0 ? std::min(last, static_cast<uint32_t>(b)) : 0;
  };
  // end[2 b] and end[2 b + 1]: where bucket b's x and y values end in bx and
  // by. Counted, made exclusive prefix sums (the starts), then advanced by
  // the scatter to the ends.
  std::vector<uint32_t>& end = scratch.end;
  end.assign(2 * buckets, 0);
  for (size_t i = 0; i < nx; ++i) ++end[2 * bucket_of(x[i])];
  for (size_t i = 0; i < ny; ++i) ++end[2 * bucket_of(y[i]) + 1];
  uint32_t sum_x = 0;
  uint32_t sum_y = 0;
  for (size_t b = 0; b < buckets; ++b) {
    const uint32_t cx = end[2 * b];
    const uint32_t cy = end[2 * b + 1];
    end[2 * b] = sum_x;
    end[2 * b + 1] = sum_y;
    sum_x += cx;
    sum_y += cy;
  }
  scratch.values.resize(nx + ny);
  double* const bx = scratch.values.data();
  double* const by = bx + nx;
  for (size_t i = 0; i < nx; ++i) bx[end[2 * bucket_of(x[i])]++] = x[i] + 0.0;
  for (size_t i = 0; i < ny; ++i) {
    by[end[2 * bucket_of(y[i]) + 1]++] = y[i] + 0.0;
  }
  for (size_t b = 0; b < buckets; ++b) {
    double* xs = bx + (b == 0 ? 0 : end[2 * b - 2]);
    double* xe = bx + end[2 * b];
    double* ys = by + (b == 0 ? 0 : end[2 * b - 1]);
    double* ye = by + end[2 * b + 1];
    const uint64_t y_before = y_base + static_cast<uint64_t>(ys - by);
    const size_t a = static_cast<size_t>(xe - xs);
    const size_t c = static_cast<size_t>(ye - ys);
    if (a + c <= 1) {
      // One value: it beats every y of the lower buckets, ties nothing.
      acc.twice_u += a * 2 * y_before;
      continue;
    }
    if (a + c == 2) {
      // Two values (the commonest collision), without branches.
      const double u = a == 0 ? ys[0] : xs[0];
      const double w = a == 2 ? xs[1] : ys[c - 1];
      const uint64_t same = u == w;
      // (1, 1): the x beats the y if greater, ties it if equal.
      const uint64_t one_each = a == 1;
      acc.twice_u += a * 2 * y_before +
                     one_each * (2 * static_cast<uint64_t>(w < u) + same);
      acc.has_ties |= same != 0;
      acc.tie_term += 6.0 * static_cast<double>(same);  // 2^3 - 2
      continue;
    }
    if (a + c <= 16) {
      // A few values: count pairs directly (branch-free compares). Each
      // value's count of equal values in the bucket, squared minus one,
      // summed, is the tie term sum of (t^3 - t) over the groups.
      uint64_t tie_sum = 0;
      for (const double* i = xs; i < xe; ++i) {
        uint64_t less = 0, equal = 0;
        for (const double* j = ys; j < ye; ++j) {
          less += *j < *i;
          equal += *j == *i;
        }
        acc.twice_u += 2 * (y_before + less) + equal;
        uint64_t same = equal;
        for (const double* k = xs; k < xe; ++k) same += *k == *i;
        tie_sum += same * same - 1;
      }
      for (const double* j = ys; j < ye; ++j) {
        uint64_t same = 0;
        for (const double* i = xs; i < xe; ++i) same += *i == *j;
        for (const double* k = ys; k < ye; ++k) same += *k == *j;
        tie_sum += same * same - 1;
      }
      if (tie_sum > 0) {
        acc.has_ties = true;
        acc.tie_term += static_cast<double>(tie_sum);
      }
      continue;
    }
    SortSmall(xs, xe);
    SortSmall(ys, ye);
    // Merge the bucket as MergeRank does, y_below counting lower buckets.
    const double* i = xs;
    const double* j = ys;
    while (i < xe || j < ye) {
      const double v = j == ye ? *i : i == xe ? *j : std::min(*i, *j);
      const double* x_start = i;
      while (i < xe && *i == v) ++i;
      const uint64_t y_below = y_before + static_cast<uint64_t>(j - ys);
      const double* y_start = j;
      while (j < ye && *j == v) ++j;
      const uint64_t cx = static_cast<uint64_t>(i - x_start);
      const uint64_t cy = static_cast<uint64_t>(j - y_start);
      acc.twice_u += cx * (2 * y_below + cy);
      const uint64_t t = cx + cy;
      if (t > 1) {
        acc.has_ties = true;
        const double td = static_cast<double>(t);
        acc.tie_term += td * td * td - td;
      }
    }
  }
}

}  // namespace

std::optional<RankSummary> BucketRank(absl::Span<const double> x,
                                      absl::Span<const double> y) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr size_t kOneLevel = 4096;  // values handled in one level
  Accumulator acc;
  Scratch scratch;
  const size_t nx = x.size();
  const size_t ny = y.size();
  double lo;
  double hi;
  FiniteRange(x, y, &lo, &hi);
  const double range = hi - lo;
  if (!(range > 0) || !std::isfinite(range)) return std::nullopt;
  if (nx + ny <= kOneLevel) {
    RankOneLevel(x.data(), nx, y.data(), ny, 0, scratch, acc);
  } else {
    // Two levels: coarse buckets of about 2048 values each (so each is
    // ranked within the cache), then RankOneLevel on each.
    const size_t buckets = (nx + ny) / 2048 + 1;
    const double scale = static_cast<double>(buckets - 1) / range;
    const uint32_t last = static_cast<uint32_t>(buckets - 1);
    auto bucket_of = [&](double v) -> uint32_t {
      if (!(v < kInf)) return last;
      const double b = (v - lo) * scale;
      return b > 0 ? std::min(last, static_cast<uint32_t>(b)) : 0;
    };
    std::vector<uint32_t> end(2 * buckets, 0);
    for (const double v : x) ++end[2 * bucket_of(v)];
    for (const double v : y) ++end[2 * bucket_of(v) + 1];
    uint32_t sum_x = 0;
    uint32_t sum_y = 0;
    for (size_t b = 0; b < buckets; ++b) {
      const uint32_t cx = end[2 * b];
      const uint32_t cy = end[2 * b + 1];
      end[2 * b] = sum_x;
      end[2 * b + 1] = sum_y;
      sum_x += cx;
      sum_y += cy;
    }
    std::vector<double> coarse(nx + ny);
    double* const bx = coarse.data();
    double* const by = bx + nx;
    for (const double v : x) bx[end[2 * bucket_of(v)]++] = v;
    for (const double v : y) by[end[2 * bucket_of(v) + 1]++] = v;
    for (size_t b = 0; b < buckets; ++b) {
      const size_t xs = b == 0 ? 0 : end[2 * b - 2];
      const size_t ys = b == 0 ? 0 : end[2 * b - 1];
      RankOneLevel(bx + xs, end[2 * b] - xs, by + ys, end[2 * b + 1] - ys, ys,
                   scratch, acc);
    }
  }
  RankSummary summary;
  summary.u_x = static_cast<double>(acc.twice_u) / 2;
  summary.tie_term = acc.tie_term;
  summary.has_ties = acc.has_ties;
  return summary;
}

}  // namespace sluice::internal
