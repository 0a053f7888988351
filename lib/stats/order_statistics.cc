// Copyright 2026 The Sluice Authors.

#include "lib/stats/order_statistics.h"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace sluice::internal {

void OrderStatistics::Insert(double value) {
  if (blocks_.empty()) {
    blocks_.push_back({value});
    RebuildTree();
    size_ = 1;
    return;
  }
  // The first block whose last value is >= value (or the last block).
  size_t lo = 0;
  size_t hi = blocks_.size() - 1;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (blocks_[mid].back() < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  std::vector<double>& block = blocks_[lo];
  block.insert(std::upper_bound(block.begin(), block.end(), value), value);
  ++size_;
  if (block.size() >= 2 * kBlock) {
    std::vector<double> upper(block.begin() + kBlock, block.end());
    block.resize(kBlock);
    blocks_.insert(blocks_.begin() + lo + 1, std::move(upper));
    RebuildTree();
  } else {
    TreeAdd(lo, 1);
  }
}

double OrderStatistics::Select(size_t k) const {
  // Fenwick descent: the block holding rank k.
  size_t pos = 0;
  size_t remaining = k;
  size_t step = 1;
  while (step * 2 <= blocks_.size()) step *= 2;
  for (; step > 0; step /= 2) {
    const size_t next = pos + step;
    if (next <= blocks_.size() && tree_[next] <= remaining) {
      pos = next;
      remaining -= tree_[next];
    }
  }
  return blocks_[pos][remaining];
}

void OrderStatistics::RebuildTree() {
  const size_t n = blocks_.size();
  tree_.assign(n + 1, 0);
  for (size_t i = 1; i <= n; ++i) {
    tree_[i] += blocks_[i - 1].size();
    const size_t parent = i + (i & (~i + 1));
    if (parent <= n) tree_[parent] += tree_[i];
  }
}

void OrderStatistics::TreeAdd(size_t block, int delta) {
  for (size_t i = block + 1; i < tree_.size(); i += i & (~i + 1)) {
    tree_[i] += delta;
  }
}

}  // namespace sluice::internal
