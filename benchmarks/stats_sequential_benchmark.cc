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
#include "sluice/stats/sequential_proportion.h"
#include "sluice/stats/sequential_quantiles.h"
#include "sluice/stats/sequential_rates.h"

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

// Arms of n values each (p99 of log-normal latencies, the canary 5%
// slower), set up by one batch each.
sluice::stats::SequentialQuantileTest QuantileArms(
    int64_t n, sluice::stats::Alternative alternative) {
  sluice::stats::SequentialQuantileOptions options;
  options.quantile = 0.99;
  options.alternative = alternative;
  std::vector<double> c = Values(n, 3), b = Values(n, 4);
  for (double& v : c) v = 105 * std::exp(v);
  for (double& v : b) v = 100 * std::exp(v);
  auto test = sluice::stats::SequentialQuantileTest::Create(options).value();
  (void)test.AddCanaryValues(c);
  (void)test.AddBaselineValues(b);
  return test;
}

// A batch of 1,000 canary values added to arms of n values each: the merge
// (O(n)) and one look.
void BM_SequentialQuantileBatch(benchmark::State& state) {
  const int64_t n = state.range(0);
  const auto base = QuantileArms(n, sluice::stats::Alternative::kTwoSided);
  std::vector<double> batch = Values(1000, 5);
  for (double& v : batch) v = 105 * std::exp(v);
  for (auto _ : state) {
    state.PauseTiming();
    sluice::stats::SequentialQuantileTest test = base;
    state.ResumeTiming();
    benchmark::DoNotOptimize(test.AddCanaryValues(batch));
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_SequentialQuantileBatch)
    ->RangeMultiplier(10)
    ->Range(1000, 1000000)
    ->Unit(benchmark::kMicrosecond);

// One look (the e-value's infimum over x) at arms of n values each;
// range(1) = 0 two-sided (confseq's test), 1 one-sided.
void BM_SequentialQuantileLook(benchmark::State& state) {
  const auto test =
      QuantileArms(state.range(0), state.range(1) == 0
                                       ? sluice::stats::Alternative::kTwoSided
                                       : sluice::stats::Alternative::kGreater);
  for (auto _ : state) benchmark::DoNotOptimize(test.ExcludesZero());
}
BENCHMARK(BM_SequentialQuantileLook)
    ->ArgsProduct({{1000, 100000, 1000000}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

// A window of the proportion test (errors out of 2,000 requests).
void BM_SequentialProportionUpdate(benchmark::State& state) {
  sluice::stats::SequentialProportionOptions options;
  options.limit = 0.01;
  auto test = sluice::stats::SequentialProportionTest::Create(options).value();
  uint64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(test.Update(15 + (i++ & 15), 2000));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SequentialProportionUpdate);

// A window of the rate test after 1,000 windows (O(windows) per update).
void BM_SequentialRateUpdate(benchmark::State& state) {
  auto base = sluice::stats::SequentialRateTest::Create({}).value();
  for (uint64_t w = 0; w < 1000; ++w) {
    (void)base.Update({w % 5, 1000 + w}, {w % 23, 9000});
  }
  for (auto _ : state) {
    state.PauseTiming();
    auto test = base;
    state.ResumeTiming();
    benchmark::DoNotOptimize(test.Update({3, 1100}, {20, 9000}));
  }
}
BENCHMARK(BM_SequentialRateUpdate)->Unit(benchmark::kMicrosecond);

}  // namespace
