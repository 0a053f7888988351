// Copyright 2026 The Sluice Authors.
//
// Private: a multiset of doubles with rank selection, for the sequential
// quantile test. Values live in sorted blocks of at most 2 * kBlock; a
// Fenwick tree over block sizes finds the block of a rank in O(log(n / B)).
// Insert is O(log n + B) (a binary search and a shift within one block; a
// block split rebuilds the Fenwick tree in O(n / B), once per ~B inserts).

#ifndef SLUICE_LIB_STATS_ORDER_STATISTICS_H_
#define SLUICE_LIB_STATS_ORDER_STATISTICS_H_

#include <cstddef>
#include <vector>

namespace sluice::internal {

class OrderStatistics {
 public:
  static constexpr size_t kBlock = 256;

  // Adds a value (not NaN).
  void Insert(double value);

  // The k-th smallest value, k in [0, size()).
  double Select(size_t k) const;

  size_t size() const { return size_; }

 private:
  void RebuildTree();
  void TreeAdd(size_t block, int delta);

  std::vector<std::vector<double>> blocks_;
  std::vector<size_t> tree_;  // Fenwick tree of block sizes, 1-based
  size_t size_ = 0;
};

}  // namespace sluice::internal

#endif  // SLUICE_LIB_STATS_ORDER_STATISTICS_H_
