// Copyright 2026 The Sluice Authors.
//
// The efficacy benchmark's cost: the standard suite (22 release families
// over the six recorded series of examples/data, run from the source root)
// for one spec on the 36-target example fleet, N runs per family, on 2
// threads (wall-clock time). `sluice efficacy` runs it for every gated
// example spec; docs/efficacy.md gives its figures, docs/performance.md
// its time.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmark/benchmark.h"
#include "sluice/fleet.h"
#include "sluice/fleet_io.h"
#include "sluice/sim/efficacy.h"
#include "sluice/sim/history.h"
#include "sluice/spec.h"

namespace sluice::sim {
namespace {

void RunSuite(benchmark::State& state, const std::string& spec_path) {
  absl::StatusOr<RolloutSpec> spec = RolloutSpec::LoadFile(spec_path);
  absl::StatusOr<Fleet> fleet =
      LoadFleetFile("examples/fleets/three_regions.csv");
  absl::StatusOr<std::vector<HistorySeries>> history =
      LoadHistory({"examples/data"});
  if (!spec.ok() || !fleet.ok() || !history.ok()) {
    state.SkipWithError("run from the source root (examples/ not found)");
    return;
  }
  EfficacyOptions options;
  options.runs = state.range(0);
  options.good_runs = state.range(0);
  options.threads = 2;
  int64_t runs = 0;
  for (auto _ : state) {
    absl::StatusOr<SpecEfficacy> efficacy =
        RunEfficacy(*spec, *fleet, *history, options);
    if (!efficacy.ok()) {
      state.SkipWithError(std::string(efficacy.status().message()).c_str());
      return;
    }
    runs = 0;
    for (const FamilyEfficacy& f : efficacy->families) runs += f.summary.runs;
    benchmark::DoNotOptimize(efficacy);
  }
  state.SetItemsProcessed(state.iterations() * runs);
}

void BM_EfficacyRegionalWavesGated(benchmark::State& state) {
  RunSuite(state, "examples/specs/regional_waves_gated.textproto");
}
BENCHMARK(BM_EfficacyRegionalWavesGated)
    ->Arg(20)
    ->Arg(200)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_EfficacyCanaryStatistical(benchmark::State& state) {
  RunSuite(state, "examples/specs/codedeploy_canary_statistical.textproto");
}
BENCHMARK(BM_EfficacyCanaryStatistical)
    ->Arg(200)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace sluice::sim
