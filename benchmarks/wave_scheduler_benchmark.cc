// Copyright 2026 The Sluice Authors.
//
// Wave planning at scale: the staged topology plan (and, for comparison, a
// minimum-healthy plan and a replan) over fleets of 30 regions x 3 zones x
// 4 cells, from 10^4 to 10^6 targets.
//
// Counters:
//   ns_per_target  planning time per target (the aim is <= 100 ns)
//   fleet_bytes    heap bytes the Fleet holds (targets, ids, index)
//   peak_bytes     the most heap bytes planning held at once, including the
//                  returned plan
//   plan_bytes     heap bytes the returned plan holds
//   peak_ratio     peak_bytes / fleet_bytes (the aim is <= 2)
//
// Memory is measured by counting allocations in this binary: the global
// operator new/delete below track live and peak heap bytes (by
// malloc_usable_size). Results are reported in docs/performance.md.

#include <malloc.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "sluice/fleet.h"
#include "sluice/wave_scheduler.h"

namespace {

std::atomic<int64_t> g_live{0};
std::atomic<int64_t> g_peak{0};

void Track(void* p) {
  const int64_t n = static_cast<int64_t>(malloc_usable_size(p));
  const int64_t live = g_live.fetch_add(n, std::memory_order_relaxed) + n;
  int64_t peak = g_peak.load(std::memory_order_relaxed);
  while (live > peak &&
         !g_peak.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
}

void Untrack(void* p) {
  g_live.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)),
                   std::memory_order_relaxed);
}

void* Allocate(size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  Track(p);
  return p;
}

void* AllocateAligned(size_t n, std::align_val_t align) {
  const size_t a = static_cast<size_t>(align);
  void* p = std::aligned_alloc(a, (n + a - 1) / a * a);
  if (p == nullptr) throw std::bad_alloc();
  Track(p);
  return p;
}

void Release(void* p) {
  if (p == nullptr) return;
  Untrack(p);
  std::free(p);
}

}  // namespace

void* operator new(size_t n) { return Allocate(n); }
void* operator new[](size_t n) { return Allocate(n); }
void* operator new(size_t n, std::align_val_t a) {
  return AllocateAligned(n, a);
}
void* operator new[](size_t n, std::align_val_t a) {
  return AllocateAligned(n, a);
}
void operator delete(void* p) noexcept { Release(p); }
void operator delete[](void* p) noexcept { Release(p); }
void operator delete(void* p, size_t) noexcept { Release(p); }
void operator delete[](void* p, size_t) noexcept { Release(p); }
void operator delete(void* p, std::align_val_t) noexcept { Release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { Release(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { Release(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept {
  Release(p);
}

namespace sluice {
namespace {

struct TestFleet {
  Fleet fleet;
  int64_t bytes;
};

// 30 regions x 3 zones x 4 cells, `n` targets spread evenly; region weights
// differ so that the least-weight-first order is not the name order. Built
// once per size and kept for the whole run.
const TestFleet& FleetOfSize(int64_t n) {
  static auto* cache = new std::map<int64_t, std::unique_ptr<TestFleet>>();
  auto it = cache->find(n);
  if (it != cache->end()) return *it->second;
  constexpr int kRegions = 30, kZones = 3, kCells = 4;
  const int64_t before = g_live.load();
  std::vector<Target> targets;
  targets.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t slot = i % (kRegions * kZones * kCells);
    const int region = static_cast<int>(slot / (kZones * kCells));
    const int zone = static_cast<int>(slot / kCells % kZones);
    const int cell = static_cast<int>(slot % kCells);
    Target t;
    t.id = absl::StrFormat("host-r%02d-z%d-c%d-%07d", region, zone, cell, i);
    t.topology.region = absl::StrFormat("region-%02d", region);
    t.topology.zone = absl::StrFormat("region-%02d-zone-%d", region, zone);
    t.topology.cell = absl::StrFormat("cell-%d", cell);
    t.weight = 1.0 + (region * 7) % 11;
    targets.push_back(std::move(t));
  }
  absl::StatusOr<Fleet> fleet = Fleet::Create(std::move(targets));
  if (!fleet.ok()) std::abort();
  auto entry = std::make_unique<TestFleet>(TestFleet{*std::move(fleet), 0});
  entry->bytes = g_live.load() - before;
  return *cache->emplace(n, std::move(entry)).first->second;
}

int64_t PlanBytes(const WavePlan& plan) {
  int64_t bytes = plan.waves.capacity() * sizeof(Wave);
  for (const Wave& w : plan.waves) {
    bytes += w.targets.capacity() * sizeof(Fleet::TargetIndex);
    bytes += w.name.capacity() > 15 ? w.name.capacity() + 1 : 0;
  }
  return bytes;
}

// Runs `plan` under the benchmark loop and reports the counters.
template <typename PlanFn>
void RunPlanning(benchmark::State& state, const TestFleet& f, PlanFn plan) {
  int64_t peak = 0, plan_bytes = 0;
  for (auto _ : state) {
    const int64_t base = g_live.load();
    g_peak.store(base);
    absl::StatusOr<WavePlan> result = plan();
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    peak = std::max(peak, g_peak.load() - base);
    plan_bytes = PlanBytes(*result);
    benchmark::DoNotOptimize(result);
  }
  const double n = static_cast<double>(f.fleet.size());
  state.counters["ns_per_target"] =
      benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate |
                                benchmark::Counter::kInvert);
  state.counters["fleet_bytes"] = static_cast<double>(f.bytes);
  state.counters["peak_bytes"] = static_cast<double>(peak);
  state.counters["plan_bytes"] = static_cast<double>(plan_bytes);
  state.counters["peak_ratio"] =
      static_cast<double>(peak) / static_cast<double>(f.bytes);
}

void BM_StagedPlan(benchmark::State& state) {
  const TestFleet& f = FleetOfSize(state.range(0));
  StagedOptions options;
  options.one_box_every_region = true;
  options.max_regions_per_wave = 8;
  std::unique_ptr<WaveScheduler> scheduler = *NewStagedScheduler(options);
  RunPlanning(state, f, [&] { return scheduler->Plan(f.fleet); });
}
BENCHMARK(BM_StagedPlan)
    ->RangeMultiplier(10)
    ->Range(10000, 1000000)
    ->Unit(benchmark::kMillisecond);

void BM_MinHealthyPlan(benchmark::State& state) {
  const TestFleet& f = FleetOfSize(state.range(0));
  MinHealthyOptions options;
  options.min_healthy = CountOrPercent::Percent(95);
  std::unique_ptr<WaveScheduler> scheduler = *NewMinHealthyScheduler(options);
  RunPlanning(state, f, [&] { return scheduler->Plan(f.fleet); });
}
BENCHMARK(BM_MinHealthyPlan)
    ->RangeMultiplier(10)
    ->Range(10000, 1000000)
    ->Unit(benchmark::kMillisecond);

// Replanning the same fleet halfway through a staged plan: maps every
// started target by id, plans the fleet again and filters.
void BM_StagedReplan(benchmark::State& state) {
  const TestFleet& f = FleetOfSize(state.range(0));
  std::unique_ptr<WaveScheduler> scheduler =
      *NewStagedScheduler(StagedOptions{});
  const WavePlan plan = *scheduler->Plan(f.fleet);
  const size_t started = plan.waves.size() / 2;
  RunPlanning(state, f, [&] {
    return Replan(*scheduler, plan, started, f.fleet, f.fleet);
  });
}
BENCHMARK(BM_StagedReplan)
    ->RangeMultiplier(10)
    ->Range(10000, 1000000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice
