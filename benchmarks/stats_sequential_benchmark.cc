// Copyright 2026 The Sluice Authors.
//
// Cost of one observation in the sequential tests (the aim is <= 50 ns for
// the count and mean tests). The quantile test's cost grows like log n, so it
// is ranged over the number of observations already stored.

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "sluice/stats/sequential_counts.h"
#include "sluice/stats/sequential_means.h"
#include "sluice/stats/sequential_quantiles.h"

namespace {

std::vector<double> Values(int64_t n, uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::vector<double> v(n);
  for (int64_t i = 0; i < n; ++i) {
    v[i] = static_cast<double>(gen() >> 11) * 0x1.0p-53;
  }
  return v;
}

// One event at a time, canary or baseline.
void BM_SequentialCountUpdate(benchmark::State& state) {
  sluice::stats::SequentialCountOptions options;
  options.canary_share = 0.1;
  auto test = sluice::stats::SequentialCountTest::Create(options).value();
  std::vector<double> u = Values(4096, 1);
  size_t i = 0;
  for (auto _ : state) {
    const bool canary = u[i++ & 4095] < 0.1;
    benchmark::DoNotOptimize(test.Update(canary, !canary));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SequentialCountUpdate);

// A batch of counts per call (e.g. one scrape): three lgamma calls.
void BM_SequentialCountBatchUpdate(benchmark::State& state) {
  sluice::stats::SequentialCountOptions options;
  options.canary_share = 0.1;
  auto test = sluice::stats::SequentialCountTest::Create(options).value();
  for (auto _ : state) {
    benchmark::DoNotOptimize(test.Update(3, 27));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SequentialCountBatchUpdate);

void BM_SequentialCountResult(benchmark::State& state) {
  sluice::stats::SequentialCountOptions options;
  options.canary_share = 0.1;
  auto test = sluice::stats::SequentialCountTest::Create(options).value();
  (void)test.Update(120, 1000);
  for (auto _ : state) {
    benchmark::DoNotOptimize(test.result());
  }
}
BENCHMARK(BM_SequentialCountResult);

void BM_SequentialMeanAdd(benchmark::State& state) {
  sluice::stats::SequentialMeanOptions options;
  options.sigma_canary = options.sigma_baseline = 0.5;
  auto test = sluice::stats::SequentialMeanTest::Create(options).value();
  std::vector<double> u = Values(4096, 2);
  size_t i = 0;
  for (auto _ : state) {
    const double x = u[i++ & 4095];
    benchmark::DoNotOptimize(x < 0.2 ? test.AddCanary(x) : test.AddBaseline(x));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SequentialMeanAdd);

void BM_SequentialQuantileAdd(benchmark::State& state) {
  const int64_t n = state.range(0);
  sluice::stats::SequentialQuantileOptions options;
  options.quantile = 0.99;
  std::vector<double> u = Values(n + 4096, 3);
  auto base = sluice::stats::SequentialQuantileTest::Create(options).value();
  for (int64_t i = 0; i < n; ++i) {
    (void)base.AddCanary(u[i]);
    (void)base.AddBaseline(u[i] * 1.01);
  }
  for (auto _ : state) {
    state.PauseTiming();
    sluice::stats::SequentialQuantileTest test = base;
    state.ResumeTiming();
    for (int64_t i = 0; i < 4096; ++i) {
      benchmark::DoNotOptimize(test.AddCanary(u[n + i]));
    }
  }
  state.SetItemsProcessed(state.iterations() * 4096);
}
BENCHMARK(BM_SequentialQuantileAdd)
    ->RangeMultiplier(10)
    ->Range(1000, 1000000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
