// Copyright 2026 The Sluice Authors.
//
// The rollout engine's costs (docs/performance.md, "Rollout engine"):
//   BM_RolloutAdvanceIdle/N  Advance() when nothing changed, with N targets
//                            (wave 0 of 10 deployed and baking): O(1).
//   BM_RolloutAdvanceIdleThroughGate/N  the same while a gate holds (the
//                            engine skips the gate until its hold time).
//   BM_RolloutSnapshot/N, BM_RolloutRestore/N  the whole state to bytes and
//                            back, at N targets.
// Counters: per_target_bytes is the engine's per-target state (state,
// attempts, open action, wave index, the plan's index) divided by N;
// snapshot_bytes is the size of the snapshot.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "sluice/fleet.h"
#include "sluice/health_gate.h"
#include "sluice/rollout.h"
#include "sluice/wave_plan.h"

namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'764'000'000);

// Holds until 1h after the wave deployed, then passes.
class SlowGate : public sluice::HealthGate {
 public:
  std::string name() const override { return "slow"; }
  sluice::Verdict Evaluate(const sluice::GateContext& context,
                           sluice::GateState&) const override {
    const absl::Time ready = context.wave_deployed_at + absl::Hours(1);
    if (context.now < ready) {
      return sluice::Verdict::Hold(name(), ready, "waiting for data");
    }
    return sluice::Verdict::Pass(name(), "ok");
  }
};

struct Setup {
  std::unique_ptr<sluice::Fleet> fleet;
  std::unique_ptr<sluice::Rollout> rollout;
  sluice::RolloutOptions options;
};

const sluice::Fleet& FleetOf(size_t n) {
  static auto* fleets = new std::vector<std::unique_ptr<sluice::Fleet>>();
  for (const auto& f : *fleets) {
    if (f->size() == n) return *f;
  }
  std::vector<sluice::Target> targets(n);
  for (size_t i = 0; i < n; ++i) {
    targets[i].id = absl::StrCat("t", i);
    targets[i].topology = {"r", absl::StrCat("z", i % 3), ""};
  }
  fleets->push_back(
      std::make_unique<sluice::Fleet>(*sluice::Fleet::Create(targets)));
  return *fleets->back();
}

// A rollout of `n` targets in 10 waves, wave 0 deployed; the gate of the
// wave holds (with_gate) or passed and the wave bakes for a day.
std::unique_ptr<sluice::Rollout> MakeRollout(const sluice::Fleet& fleet,
                                             bool with_gate,
                                             sluice::RolloutOptions* out) {
  const size_t n = fleet.size();
  sluice::WavePlan plan;
  plan.waves.resize(10);
  for (size_t i = 0; i < n; ++i) {
    plan.waves[i * 10 / n].targets.push_back(
        static_cast<sluice::Fleet::TargetIndex>(i));
  }
  for (sluice::Wave& w : plan.waves) w.bake = absl::Hours(24);
  sluice::RolloutOptions options;
  options.version = "2";
  options.previous_version = "1";
  if (with_gate) options.gate = std::make_shared<SlowGate>();
  *out = options;
  auto rollout = *sluice::Rollout::Create(fleet, plan, options);
  std::vector<sluice::Action> actions = *rollout->Advance(kT0);
  for (const sluice::Action& a : actions) {
    if (a.NeedsOutcome()) {
      (void)rollout->ReportActionOutcome(a.id, true, "", kT0);
    }
  }
  (void)rollout->Advance(kT0);
  return rollout;
}

void BM_RolloutAdvanceIdle(benchmark::State& state, bool with_gate) {
  const sluice::Fleet& fleet = FleetOf(static_cast<size_t>(state.range(0)));
  sluice::RolloutOptions options;
  std::unique_ptr<sluice::Rollout> rollout =
      MakeRollout(fleet, with_gate, &options);
  absl::Time now = kT0;
  for (auto _ : state) {
    now += absl::Nanoseconds(1);
    auto actions = rollout->Advance(now);
    benchmark::DoNotOptimize(actions);
  }
  state.counters["per_target_bytes"] =
      static_cast<double>(rollout->PerTargetStateBytes()) /
      static_cast<double>(fleet.size());
}

void BM_RolloutAdvanceIdle(benchmark::State& state) {
  BM_RolloutAdvanceIdle(state, false);
}
void BM_RolloutAdvanceIdleThroughGate(benchmark::State& state) {
  BM_RolloutAdvanceIdle(state, true);
}
BENCHMARK(BM_RolloutAdvanceIdle)->RangeMultiplier(10)->Range(1000, 1000000);
BENCHMARK(BM_RolloutAdvanceIdleThroughGate)
    ->RangeMultiplier(10)
    ->Range(1000, 1000000);

void BM_RolloutSnapshot(benchmark::State& state) {
  const sluice::Fleet& fleet = FleetOf(static_cast<size_t>(state.range(0)));
  sluice::RolloutOptions options;
  std::unique_ptr<sluice::Rollout> rollout = MakeRollout(fleet, true, &options);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string snapshot = rollout->Snapshot();
    bytes = snapshot.size();
    benchmark::DoNotOptimize(snapshot);
  }
  state.counters["snapshot_bytes"] = static_cast<double>(bytes);
  state.counters["snapshot_bytes_per_target"] =
      static_cast<double>(bytes) / static_cast<double>(fleet.size());
}
BENCHMARK(BM_RolloutSnapshot)
    ->Arg(1000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

void BM_RolloutRestore(benchmark::State& state) {
  const sluice::Fleet& fleet = FleetOf(static_cast<size_t>(state.range(0)));
  sluice::RolloutOptions options;
  std::unique_ptr<sluice::Rollout> rollout = MakeRollout(fleet, true, &options);
  const std::string snapshot = rollout->Snapshot();
  for (auto _ : state) {
    auto restored = sluice::Rollout::Restore(fleet, options, snapshot);
    if (!restored.ok()) {
      state.SkipWithError(std::string(restored.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(restored);
  }
  state.counters["snapshot_bytes"] = static_cast<double>(snapshot.size());
}
BENCHMARK(BM_RolloutRestore)
    ->Arg(1000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
