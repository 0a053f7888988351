// Copyright 2026 The Sluice Authors.
//
// Mann-Whitney U and Hodges-Lehmann on n = m samples. Items processed are
// samples (n + m), so Google Benchmark's items_per_second gives ns/sample.
//
// benchmarks/mann_whitney_vs_scipy.py runs BM_MannWhitneyU on the same data
// as scipy.stats.mannwhitneyu: it writes the samples to files and sets
// SLUICE_MW_DATA_DIR; without it the data are drawn here (fixed seed).
// BM_MannWhitneyU repeats the call on one thread, so it times warm calls
// (the ranking's scratch memory is kept by the thread between calls);
// BM_MannWhitneyUFirstCall times the first call of a new thread.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <thread>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "benchmark/benchmark.h"
#include "sluice/stats/hodges_lehmann.h"
#include "sluice/stats/mann_whitney.h"

namespace {

std::vector<double> Draw(int64_t n, double shift, uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::vector<double> v(n);
  for (int64_t i = 0; i < n; ++i) {
    const double u1 = (static_cast<double>(gen() >> 11) + 1) * 0x1.0p-53;
    const double u2 = static_cast<double>(gen() >> 11) * 0x1.0p-53;
    v[i] =
        shift + std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  return v;
}

// Reads `dir`/<name>_<n>.f64 (raw little-endian doubles) if it exists.
bool ReadData(const std::string& dir, const char* name, int64_t n,
              std::vector<double>* out) {
  const std::string path = dir + "/" + name + "_" + std::to_string(n) + ".f64";
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  out->resize(n);
  const size_t got = std::fread(out->data(), sizeof(double), n, f);
  std::fclose(f);
  return got == static_cast<size_t>(n);
}

void Samples(int64_t n, std::vector<double>* x, std::vector<double>* y) {
  const char* dir = std::getenv("SLUICE_MW_DATA_DIR");
  if (dir != nullptr && ReadData(dir, "x", n, x) && ReadData(dir, "y", n, y)) {
    return;
  }
  *x = Draw(n, 0.01, 1);
  *y = Draw(n, 0.0, 2);
}

void BM_MannWhitneyU(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::vector<double> x, y;
  Samples(n, &x, &y);
  for (auto _ : state) {
    auto r = sluice::stats::MannWhitneyU(x, y);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * 2 * n);
  // U and the p-value, so the SciPy comparison can check the answers agree.
  auto r = sluice::stats::MannWhitneyU(x, y);
  state.counters["u"] = r.ok() ? r->u : -1;
  state.counters["p_value"] = r.ok() ? r->p_value : -1;
}
BENCHMARK(BM_MannWhitneyU)
    ->RangeMultiplier(10)
    ->Range(1000, 1000000)
    ->Unit(benchmark::kMicrosecond);

// A cold call: each iteration is the first MannWhitneyU call of a new thread,
// so its thread_local workspace (lib/stats/bucket_rank.h) starts empty and
// is allocated; with glibc, malloc_trim first returns the freed memory to
// the system, so the call faults in fresh pages as a process's first call
// does. Timed as the CPU time of that thread's call alone (thread start and
// exit excluded), to compare with BM_MannWhitneyU's warm, repeated calls.
void BM_MannWhitneyUFirstCall(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::vector<double> x, y;
  Samples(n, &x, &y);
  for (auto _ : state) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
    double seconds = 0;
    std::thread thread([&] {
      timespec start, end;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
      auto r = sluice::stats::MannWhitneyU(x, y);
      benchmark::DoNotOptimize(r);
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end);
      seconds = static_cast<double>(end.tv_sec - start.tv_sec) +
                1e-9 * static_cast<double>(end.tv_nsec - start.tv_nsec);
    });
    thread.join();
    state.SetIterationTime(seconds);
  }
  state.SetItemsProcessed(state.iterations() * 2 * n);
}
BENCHMARK(BM_MannWhitneyUFirstCall)
    ->RangeMultiplier(10)
    ->Range(1000, 1000000)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

// With heavy ties (values rounded to 0.1): the same sort and merge.
void BM_MannWhitneyUTies(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::vector<double> x = Draw(n, 0.01, 3), y = Draw(n, 0.0, 4);
  for (double& v : x) v = std::round(v * 10) / 10;
  for (double& v : y) v = std::round(v * 10) / 10;
  for (auto _ : state) {
    auto r = sluice::stats::MannWhitneyU(x, y);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * 2 * n);
}
BENCHMARK(BM_MannWhitneyUTies)
    ->RangeMultiplier(10)
    ->Range(1000, 1000000)
    ->Unit(benchmark::kMicrosecond);

// The asymptotic interval: ~40 merge passes of the root finder.
void BM_HodgesLehmannAsymptotic(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::vector<double> x = Draw(n, 0.1, 5), y = Draw(n, 0.0, 6);
  for (auto _ : state) {
    auto r = sluice::stats::HodgesLehmann(x, y);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * 2 * n);
}
BENCHMARK(BM_HodgesLehmannAsymptotic)
    ->RangeMultiplier(10)
    ->Range(1000, 100000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
