// Copyright 2026 The Sluice Authors.
//
// One Controller driving 100 concurrent rollouts (50 targets each, 3 waves,
// good releases) to the end through a store: steps per second per
// controller. Every outcome is reported at once by the transport (one more
// write per action), time is virtual (bakes cost no wall time), so the
// figure is the store protocol's own cost: read, restore, step, snapshot,
// compare-and-swap with the outbox, publish and acknowledge.
//
//   store_benchmark --benchmark_filter=Memory|Sqlite
//   SLUICE_BENCH_PG="host=/tmp/pg user=x dbname=y" store_benchmark  # + PG
//
// Counters: steps/s (controller steps that wrote a state), writes/s (every
// compare-and-swap that won: steps, outcomes), rollouts/s.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "benchmark/benchmark.h"
#include "sluice/fleet.h"
#include "sluice/rollout.h"
#include "sluice/store/controller.h"
#include "sluice/store/memory_store.h"
#ifdef SLUICE_HAVE_STORE_SQLITE
#include "sluice/store/sqlite_store.h"
#endif
#ifdef SLUICE_HAVE_STORE_POSTGRES
#include "sluice/store/postgres_store.h"
#endif

namespace sluice {
namespace {

constexpr int kRollouts = 100;
constexpr int kTargets = 50;

class VirtualClock : public Clock {
 public:
  absl::Time Now() const override { return now; }
  absl::Time now = absl::FromUnixSeconds(1'764'000'000);
};

class Counter : public ControllerMetrics {
 public:
  void Add(absl::string_view name, int64_t delta) override {
    absl::MutexLock lock(&mu);
    counts[std::string(name)] += delta;
  }
  absl::Mutex mu;
  std::map<std::string, int64_t> counts;
};

class SyncTransport : public ActionTransport {
 public:
  Controller* controller = nullptr;
  int64_t outcomes = 0;
  void Start(absl::string_view rollout, const Action& action) override {
    std::vector<TargetResult> results;
    for (Fleet::TargetIndex t : action.targets) {
      results.push_back(TargetResult::Ok(t));
    }
    if (controller->ReportOutcome(rollout, action.id, results).ok()) {
      ++outcomes;
    }
  }
};

class NullPublisher : public OutboxPublisher {
 public:
  absl::Status Publish(const OutboxMessage&) override {
    return absl::OkStatus();
  }
};

std::shared_ptr<const Fleet> BenchFleet() {
  std::vector<Target> targets(kTargets);
  for (int i = 0; i < kTargets; ++i) {
    targets[i].id = absl::StrCat("t", i);
    targets[i].topology = {"r", absl::StrCat("z", i % 3), ""};
  }
  return std::make_shared<const Fleet>(*Fleet::Create(std::move(targets)));
}

WavePlan BenchPlan() {
  WavePlan plan;
  plan.strategy = "bench";
  const int sizes[] = {1, 9, kTargets - 10};
  Fleet::TargetIndex next = 0;
  for (int w = 0; w < 3; ++w) {
    Wave wave;
    wave.name = absl::StrCat("w", w);
    wave.stage = "s";
    for (int i = 0; i < sizes[w]; ++i) wave.targets.push_back(next++);
    wave.bake = absl::Minutes(1);
    plan.waves.push_back(std::move(wave));
  }
  return plan;
}

void RunController(benchmark::State& state,
                   const std::function<std::unique_ptr<RolloutStore>()>& make) {
  const std::shared_ptr<const Fleet> fleet = BenchFleet();
  RolloutConfig config;
  config.fleet = fleet;
  config.options.version = "2.0";
  config.options.previous_version = "1.0";
  int64_t steps = 0;
  int64_t writes = 0;
  int64_t rollouts = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<RolloutStore> store = make();
    if (store == nullptr) {
      state.SkipWithError("no store");
      return;
    }
    VirtualClock clock;
    SyncTransport transport;
    NullPublisher publisher;
    Counter counter;
    ControllerOptions options;
    options.id = "bench";
    options.max_rollouts_per_pass = kRollouts;
    Controller controller(
        *store, [&](absl::string_view) { return config; }, transport, publisher,
        clock, options, &counter);
    transport.controller = &controller;
    for (int i = 0; i < kRollouts; ++i) {
      RolloutOptions o = config.options;
      o.name = absl::StrCat("r", i);
      (void)controller.AddRollout(o.name,
                                  **Rollout::Create(*fleet, BenchPlan(), o));
    }
    state.ResumeTiming();
    for (int pass = 0; pass < 1000; ++pass) {
      absl::StatusOr<PassResult> r = controller.RunOnce();
      if (!r.ok() || !r->errors.empty()) {
        state.SkipWithError("pass failed");
        return;
      }
      if (store->ListDue(absl::InfiniteFuture(), 1)->empty()) break;
      clock.now += absl::Seconds(30);
    }
    steps += counter.counts["steps"];
    writes += counter.counts["steps"] + transport.outcomes;
    rollouts += kRollouts;
  }
  state.counters["steps/s"] = benchmark::Counter(static_cast<double>(steps),
                                                 benchmark::Counter::kIsRate);
  state.counters["writes/s"] = benchmark::Counter(static_cast<double>(writes),
                                                  benchmark::Counter::kIsRate);
  state.counters["rollouts/s"] = benchmark::Counter(
      static_cast<double>(rollouts), benchmark::Counter::kIsRate);
}

void BM_Controller_Memory(benchmark::State& state) {
  RunController(state, [] { return std::make_unique<InMemoryStore>(); });
}
BENCHMARK(BM_Controller_Memory)->Unit(benchmark::kMillisecond)->UseRealTime();

#ifdef SLUICE_HAVE_STORE_SQLITE
void BM_Controller_Sqlite(benchmark::State& state) {
  int n = 0;
  RunController(state, [&n]() -> std::unique_ptr<RolloutStore> {
    const std::string path =
        absl::StrCat("/tmp/sluice_bench_", getpid(), "_", n++, ".db");
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    absl::StatusOr<std::unique_ptr<SqliteStore>> s = SqliteStore::Open(path);
    if (!s.ok()) return nullptr;
    return std::move(*s);
  });
  (void)std::system(
      absl::StrCat("rm -f /tmp/sluice_bench_", getpid(), "_*").c_str());
}
BENCHMARK(BM_Controller_Sqlite)->Unit(benchmark::kMillisecond)->UseRealTime();
#endif

#ifdef SLUICE_HAVE_STORE_POSTGRES
void BM_Controller_Postgres(benchmark::State& state) {
  const char* conninfo = std::getenv("SLUICE_BENCH_PG");
  if (conninfo == nullptr) {
    state.SkipWithError("set SLUICE_BENCH_PG to a libpq conninfo");
    for (auto _ : state) {
    }
    return;
  }
  RunController(state, [conninfo]() -> std::unique_ptr<RolloutStore> {
    absl::StatusOr<std::unique_ptr<PostgresStore>> s =
        PostgresStore::Open(conninfo);
    if (!s.ok() || !(*s)->DeleteAllForTesting().ok()) return nullptr;
    return std::move(*s);
  });
}
BENCHMARK(BM_Controller_Postgres)->Unit(benchmark::kMillisecond)->UseRealTime();
#endif

}  // namespace
}  // namespace sluice
