// Copyright 2026 The Sluice Authors.

#include "lib/stats/bucket_rank.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/types/span.h"
#include "lib/stats/rank.h"

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

// Values ahead of the one in use that a streaming loop prefetches (2 KiB).
constexpr size_t kPrefetchAhead = 256;

// Asks for the cache line kPrefetchAhead values after `p` (which may lie
// beyond the array: a prefetch never faults). The range pass and the coarse
// count stream samples larger than the cache, and on the project's machine
// the hardware prefetcher alone left them waiting for memory (10^6: 32 ->
// 27 ms); prefetching the coarse scatter's reads as well was slower.
inline void PrefetchAhead(const double* p) {
#if defined(__GNUC__)
  __builtin_prefetch(reinterpret_cast<const void*>(
      reinterpret_cast<uintptr_t>(p) + kPrefetchAhead * sizeof(double)));
#else
  (void)p;
#endif
}

// Asks for the cache line two lines after `p` (which may lie beyond the
// array), to be written: the coarse scatter writes about 500 streams at
// once into memory beyond the cache, more than the hardware prefetcher
// follows (10^6: 28 -> 25 ms).
inline void PrefetchForWrite(const double* p) {
#if defined(__GNUC__)
  __builtin_prefetch(reinterpret_cast<const void*>(
                         reinterpret_cast<uintptr_t>(p) + 16 * sizeof(double)),
                     1);
#else
  (void)p;
#endif
}

struct Accumulator {
  uint64_t twice_u = 0;
  double tie_term = 0;
  bool has_ties = false;
};

// Whether all of x[0, a) and y[0, c) are equal (-0.0 == +0.0).
bool AllEqual(const double* x, size_t a, const double* y, size_t c) {
  const double v = a > 0 ? x[0] : y[0];
  for (size_t i = 0; i < a; ++i) {
    if (x[i] != v) return false;
  }
  for (size_t j = 0; j < c; ++j) {
    if (y[j] != v) return false;
  }
  return true;
}

// Adds one group of a x and c y values, all equal, to `acc`: each x ties
// each y (U counts a c / 2), and the group's t^3 - t.
void AddTies(uint64_t a, uint64_t c, Accumulator& acc) {
  acc.twice_u += a * c;
  const uint64_t t = a + c;
  if (t > 1) {
    acc.has_ties = true;
    const double td = static_cast<double>(t);
    acc.tie_term += td * td * td - td;
  }
}

// Adds the within-bucket part of the rank statistics of a bucket's a x
// values and c y values (a + c >= 2) to `acc`: for each x, twice the y
// values below it plus those equal to it, and the ties.
void RankBucket(double* xs, size_t a, double* ys, size_t c, Accumulator& acc) {
  if (a + c <= 16) {
    // A few values: count pairs directly (branch-free compares). Each
    // value's count of equal values in the bucket, squared minus one,
    // summed, is the tie term's sum of (t^3 - t) over the groups.
    uint64_t tie_sum = 0;
    for (size_t i = 0; i < a; ++i) {
      uint64_t less = 0, equal = 0;
      for (size_t j = 0; j < c; ++j) {
        less += ys[j] < xs[i];
        equal += ys[j] == xs[i];
      }
      acc.twice_u += 2 * less + equal;
      uint64_t same = equal;
      for (size_t k = 0; k < a; ++k) same += xs[k] == xs[i];
      tie_sum += same * same - 1;
    }
    for (size_t j = 0; j < c; ++j) {
      uint64_t same = 0;
      for (size_t i = 0; i < a; ++i) same += xs[i] == ys[j];
      for (size_t k = 0; k < c; ++k) same += ys[k] == ys[j];
      tie_sum += same * same - 1;
    }
    if (tie_sum > 0) {
      acc.has_ties = true;
      acc.tie_term += static_cast<double>(tie_sum);
    }
    return;
  }
  // Many values: one group of ties if they are all equal (heavy ties, e.g.
  // rounded latencies), else sort and merge as MergeRank does.
  if (AllEqual(xs, a, ys, c)) {
    AddTies(a, c, acc);
    return;
  }
  SortSmall(xs, xs + a);
  SortSmall(ys, ys + c);
  size_t i = 0;
  size_t j = 0;
  while (i < a || j < c) {
    const double v = j == c ? xs[i] : i == a ? ys[j] : std::min(xs[i], ys[j]);
    const size_t x_start = i;
    while (i < a && xs[i] == v) ++i;
    const uint64_t y_below = j;
    const size_t y_start = j;
    while (j < c && ys[j] == v) ++j;
    const uint64_t cx = i - x_start;
    const uint64_t cy = j - y_start;
    acc.twice_u += cx * (2 * y_below + cy);
    const uint64_t t = cx + cy;
    if (t > 1) {
      acc.has_ties = true;
      const double td = static_cast<double>(t);
      acc.tie_term += td * td * td - td;
    }
  }
}

// A growable array of trivially copyable T that is never value-initialized
// (every element the algorithm reads it has written first) and keeps its
// memory for the next call.
template <typename T>
class Buffer {
 public:
  // An array of at least n elements, its contents unspecified.
  T* Get(size_t n) {
    if (n > capacity_) {
      data_.reset(new T[n]);
      capacity_ = n;
    }
    return data_.get();
  }
  // The bytes held.
  size_t bytes() const { return capacity_ * sizeof(T); }
  // Frees the memory.
  void Release() {
    data_.reset();
    capacity_ = 0;
  }

 private:
  std::unique_ptr<T[]> data_;
  size_t capacity_ = 0;
};

constexpr int kCoarseLevels = 3;  // coarse levels above the last one

// A thread keeps its workspace between calls up to this size (n = m = 10^6
// takes about 20 MiB: 10 bytes per pooled value in the coarse level); a
// larger one is freed when the call returns.
constexpr size_t kKeptWorkspaceBytes = size_t{64} << 20;

// Scratch memory of one thread's BucketRank calls, kept between calls (see
// bucket_rank.h) so that repeated tests do not allocate it again. Each
// array is used by one level at a time (the coarse ones by their depth).
struct Workspace {
  Buffer<uint16_t> pos16;  // one level's bucket ends when they fit
  Buffer<uint32_t> pos32;  // else
  Buffer<uint32_t> multi;  // one level's buckets holding two or more values
  Buffer<uint32_t> index;  // one level's values' buckets
  Buffer<double> values;   // one level's values, bucket by bucket
  Buffer<double> coarse[kCoarseLevels];          // each coarse level's values
  Buffer<uint16_t> coarse_index[kCoarseLevels];  // and their buckets

  // The bytes held.
  size_t bytes() const {
    size_t b = pos16.bytes() + pos32.bytes() + multi.bytes() + values.bytes() +
               index.bytes();
    for (const Buffer<double>& c : coarse) b += c.bytes();
    for (const Buffer<uint16_t>& c : coarse_index) b += c.bytes();
    return b;
  }
  // Frees every array.
  void Release() {
    pos16.Release();
    pos32.Release();
    multi.Release();
    index.Release();
    values.Release();
    for (Buffer<double>& c : coarse) c.Release();
    for (Buffer<uint16_t>& c : coarse_index) c.Release();
  }
};

// Adds the rank statistics of x[0, nx) against y[0, ny) to `acc`, every y
// count also counting `y_base` smaller y values. One level of bucketing:
// about two buckets per value over [lo, hi] (values outside it are clamped
// to the end buckets, which keeps the order), so most buckets hold at most
// one value and only about 9% of them need their values compared. P holds a
// position in x or y (uint16_t when nx and ny fit, which halves the memory
// touched).
template <typename P>
void RankOneLevel(const double* x, size_t nx, const double* y, size_t ny,
                  double lo, double hi, uint64_t y_base, P* pos, Workspace& ws,
                  Accumulator& acc) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double range = hi - lo;
  size_t buckets = std::max<size_t>(2, 2 * (nx + ny));
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
    return b > 0 ? (b < last ? static_cast<uint32_t>(b) : last) : 0;
  };
  // pos[2 b + 2] and pos[2 b + 3]: where bucket b's x and y values end in bx
  // and by (pos[0] = pos[1] = 0, so bucket b starts at pos[2 b] and
  // pos[2 b + 1]). Counted, made exclusive prefix sums (the starts, shifted
  // by one bucket), then advanced by the scatter to the ends.
  std::memset(pos, 0, (2 * buckets + 2) * sizeof(P));
  P* const count = pos + 2;
  uint32_t* const index = ws.index.Get(nx + ny);
  for (size_t i = 0; i < nx; ++i) {
    const uint32_t b = 2 * bucket_of(x[i]);
    index[i] = b;
    ++count[b];
  }
  for (size_t i = 0; i < ny; ++i) {
    const uint32_t b = 2 * bucket_of(y[i]) + 1;
    index[nx + i] = b;
    ++count[b];
  }
  // The prefix sums, and in the same pass each x's count of the y values in
  // the lower buckets; the buckets holding two or more values are listed.
  uint32_t* const multi = ws.multi.Get((nx + ny) / 2 + 1);
  size_t n_multi = 0;
  uint64_t twice_u = 0;
  uint32_t sum_x = 0;
  uint32_t sum_y = 0;
  for (size_t b = 0; b < buckets; ++b) {
    const uint32_t cx = count[2 * b];
    const uint32_t cy = count[2 * b + 1];
    count[2 * b] = static_cast<P>(sum_x);
    count[2 * b + 1] = static_cast<P>(sum_y);
    twice_u += uint64_t{cx} * sum_y;
    multi[n_multi] = static_cast<uint32_t>(b);
    n_multi += cx + cy >= 2;
    sum_x += cx;
    sum_y += cy;
  }
  acc.twice_u += 2 * (twice_u + nx * y_base);
  double* const bx = ws.values.Get(nx + ny);
  double* const by = bx + nx;
  for (size_t i = 0; i < nx; ++i) {
    bx[count[index[i]]++] = x[i] + 0.0;
  }
  for (size_t i = 0; i < ny; ++i) {
    by[count[index[nx + i]]++] = y[i] + 0.0;
  }
  // Each bucket with two or more values adds its own pairs and ties. Most
  // hold two (about 84% of them for continuous data): those without a call
  // or a loop.
  for (size_t k = 0; k < n_multi; ++k) {
    const P* p = pos + 2 * size_t{multi[k]};
    const uint32_t x0 = p[0], y0 = p[1], x1 = p[2], y1 = p[3];
    const uint32_t a = x1 - x0;
    const uint32_t c = y1 - y0;
    if (a + c == 2) {
      const double* const first = a > 0 ? bx + x0 : by + y0;
      const double* const second = a == 2 ? first + 1 : by + y0 + (a == 0);
      const double v = *first;
      const double w = *second;
      // One x and one y: twice the y below the x plus the tie.
      if (a == 1) acc.twice_u += 2 * uint64_t{w < v} + uint64_t{w == v};
      if (v == w) {
        acc.has_ties = true;
        acc.tie_term += 6;  // a group of two: 2^3 - 2
      }
      continue;
    }
    RankBucket(bx + x0, a, by + y0, c, acc);
  }
}

// Adds the rank statistics of x[0, nx) against y[0, ny) (values in
// [lo, hi], outside clamped) to `acc`: in one level when they fit in the
// cache, else scattered into at most 512 coarse buckets over [lo, hi], each
// ranked the same way (at most `depth` more levels; a cluster that no level
// splits ends in RankOneLevel's sort).
void Rank(const double* x, size_t nx, const double* y, size_t ny, double lo,
          double hi, uint64_t y_base, int depth, Workspace& ws,
          Accumulator& acc) {
  constexpr size_t kOneLevel = 32768;  // values ranked in one level
  constexpr size_t kMaxCoarse = 512;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (nx + ny <= kOneLevel || depth == 0) {
    const size_t pos_size = 4 * (nx + ny) + 6;
    if (nx <= 0xffff && ny <= 0xffff) {
      RankOneLevel(x, nx, y, ny, lo, hi, y_base, ws.pos16.Get(pos_size), ws,
                   acc);
    } else {
      RankOneLevel(x, nx, y, ny, lo, hi, y_base, ws.pos32.Get(pos_size), ws,
                   acc);
    }
    return;
  }
  const size_t buckets = std::min<size_t>(kMaxCoarse, (nx + ny) / 4096 + 1);
  const double range = hi - lo;
  const double scale = static_cast<double>(buckets) / range;
  const uint32_t last = static_cast<uint32_t>(buckets - 1);
  auto bucket_of = [&](double v) -> uint32_t {
    if (!(v < kInf)) return last;
    const double b = (v - lo) * scale;
    return b > 0 ? (b < last ? static_cast<uint32_t>(b) : last) : 0;
  };
  uint32_t end[2 * kMaxCoarse] = {};
  uint16_t* const index = ws.coarse_index[depth - 1].Get(nx + ny);
  for (size_t i = 0; i < nx; ++i) {
    PrefetchAhead(x + i);
    const uint32_t b = 2 * bucket_of(x[i]);
    index[i] = static_cast<uint16_t>(b);
    ++end[b];
  }
  for (size_t i = 0; i < ny; ++i) {
    PrefetchAhead(y + i);
    const uint32_t b = 2 * bucket_of(y[i]) + 1;
    index[nx + i] = static_cast<uint16_t>(b);
    ++end[b];
  }
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
  // Every element is written by the scatter before it is read.
  double* const bx = ws.coarse[depth - 1].Get(nx + ny);
  double* const by = bx + nx;
  for (size_t i = 0; i < nx; ++i) {
    const uint32_t p = end[index[i]]++;
    PrefetchForWrite(bx + p);
    bx[p] = x[i];
  }
  for (size_t i = 0; i < ny; ++i) {
    const uint32_t p = end[index[nx + i]]++;
    PrefetchForWrite(by + p);
    by[p] = y[i];
  }
  const double width = range / static_cast<double>(buckets);
  for (size_t b = 0; b < buckets; ++b) {
    const size_t xs = b == 0 ? 0 : end[2 * b - 2];
    const size_t ys = b == 0 ? 0 : end[2 * b - 1];
    const size_t a = end[2 * b] - xs;
    const size_t c = end[2 * b + 1] - ys;
    if (a + c == 0) continue;
    acc.twice_u += a * 2 * (y_base + ys);
    if (a + c > 16 && AllEqual(bx + xs, a, by + ys, c)) {
      AddTies(a, c, acc);  // a cluster of equal values: no need to split
      continue;
    }
    const double b_lo = lo + static_cast<double>(b) * width;
    Rank(bx + xs, a, by + ys, c, b_lo, b_lo + width, 0, depth - 1, ws, acc);
  }
}

}  // namespace

bool FiniteRange(absl::Span<const double> x, absl::Span<const double> y,
                 double* lo, double* hi) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Independent accumulators: no loop-carried dependency per value. A NaN
  // is skipped by min and max (v < l is false) and counted.
  double l[4] = {kInf, kInf, kInf, kInf};
  double h[4] = {-kInf, -kInf, -kInf, -kInf};
  uint64_t nan[4] = {0, 0, 0, 0};
  for (absl::Span<const double> s : {x, y}) {
    size_t i = 0;
#if defined(__SSE2__)
    // Two values per instruction: _mm_min_pd(v, l) is v < l ? v : l and
    // _mm_max_pd(v, h) is v > h ? v : h, exactly the scalar loop's choice
    // (a NaN v keeps l and h); unordered compares flag the NaNs.
    __m128d l0 = _mm_set1_pd(kInf), l1 = l0;
    __m128d h0 = _mm_set1_pd(-kInf), h1 = h0;
    __m128d bad = _mm_setzero_pd();
    for (; i + 4 <= s.size(); i += 4) {
      PrefetchAhead(s.data() + i);
      const __m128d v0 = _mm_loadu_pd(s.data() + i);
      const __m128d v1 = _mm_loadu_pd(s.data() + i + 2);
      l0 = _mm_min_pd(v0, l0);
      l1 = _mm_min_pd(v1, l1);
      h0 = _mm_max_pd(v0, h0);
      h1 = _mm_max_pd(v1, h1);
      bad = _mm_or_pd(bad, _mm_cmpunord_pd(v0, v1));
    }
    double lanes[2];
    _mm_storeu_pd(lanes, _mm_min_pd(l0, l1));
    l[1] = std::min(l[1], std::min(lanes[0], lanes[1]));
    _mm_storeu_pd(lanes, _mm_max_pd(h0, h1));
    h[1] = std::max(h[1], std::max(lanes[0], lanes[1]));
    nan[1] += _mm_movemask_pd(bad) != 0;
#endif
    for (; i + 4 <= s.size(); i += 4) {
      for (int k = 0; k < 4; ++k) {
        const double v = s[i + k];
        l[k] = v < l[k] ? v : l[k];
        h[k] = v > h[k] ? v : h[k];
        nan[k] += v != v;
      }
    }
    for (; i < s.size(); ++i) {
      const double v = s[i];
      l[0] = v < l[0] ? v : l[0];
      h[0] = v > h[0] ? v : h[0];
      nan[0] += v != v;
    }
  }
  if (nan[0] + nan[1] + nan[2] + nan[3] > 0) return false;
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
  return true;
}

std::optional<RankSummary> BucketRank(absl::Span<const double> x,
                                      absl::Span<const double> y) {
  double lo;
  double hi;
  if (!FiniteRange(x, y, &lo, &hi)) return std::nullopt;  // NaN: not allowed
  return BucketRank(x, y, lo, hi);
}

std::optional<RankSummary> BucketRank(absl::Span<const double> x,
                                      absl::Span<const double> y, double lo,
                                      double hi) {
  const double range = hi - lo;
  if (!(range > 0) || !std::isfinite(range)) return std::nullopt;
  Accumulator acc;
  // Kept by the thread for its next call, unless large.
  thread_local Workspace ws;
  Rank(x.data(), x.size(), y.data(), y.size(), lo, hi, 0, kCoarseLevels, ws,
       acc);
  if (ws.bytes() > kKeptWorkspaceBytes) ws.Release();
  RankSummary summary;
  summary.u_x = static_cast<double>(acc.twice_u) / 2;
  summary.tie_term = acc.tie_term;
  summary.has_ties = acc.has_ties;
  return summary;
}

}  // namespace sluice::internal
