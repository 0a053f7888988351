// Copyright 2026 The Sluice Authors.
//
// The simulator's speed: one simulated rollout of N targets in 3 regions
// over 24 virtual hours at one-minute metric resolution (the staged
// regional waves with bake gates of examples/specs/regional_waves_gated),
// and Monte Carlo studies over the machine's cores. docs/performance.md
// reports the figures.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "sluice/fleet.h"
#include "sluice/sim/metric_model.h"
#include "sluice/sim/monte_carlo.h"
#include "sluice/sim/scenario.h"
#include "sluice/sim/simulator.h"
#include "sluice/spec.h"

namespace sluice::sim {
namespace {

constexpr char kSpec[] = R"pb(
  name: "bench"
  version: "2"
  previous_version: "1"
  waves {
    staged {
      region_order_default: LEAST_WEIGHT_FIRST
      first_zone_batch { count: 10 }
      one_box_every_region: true
      max_zones_per_wave: 1
      max_regions_per_wave: 2
      bakes {
        one_box { seconds: 1800 }
        first_zone_batch { seconds: 1800 }
        first_zone { seconds: 3600 }
        zone { seconds: 1800 }
        first_region { seconds: 7200 }
        region_one_box { seconds: 1800 }
        region_wave { seconds: 1800 }
        final_bake { seconds: 3600 }
      }
    }
  }
  metrics { name: "error_rate" }
  metrics { name: "p99_latency_ms" }
  gates {
    default {
      name: "bake"
      bake {
        duration { seconds: 1200 }
        interval { seconds: 300 }
        check {
          name: "checks"
          all_of {
            gates {
              name: "errors"
              threshold {
                metric: "error_rate"
                aggregate: "mean"
                max: 0.01
                window { seconds: 300 }
              }
            }
            gates {
              name: "errors-vs-baseline"
              relative {
                metric: "error_rate"
                aggregate: "mean"
                max_difference: 0.004
                window { seconds: 300 }
              }
            }
            gates {
              name: "latency-vs-baseline"
              relative {
                metric: "p99_latency_ms"
                aggregate: "p50"
                max_ratio: 1.5
                window { seconds: 300 }
              }
            }
          }
        }
      }
    }
  }
)pb";

Fleet MakeFleet(int targets) {
  static const char* kRegions[] = {"eu-west-1", "us-east-1", "us-west-2"};
  std::vector<Target> list(targets);
  for (int i = 0; i < targets; ++i) {
    const int region = i % 3;
    const int zone = (i / 3) % 3;
    list[i].id = absl::StrCat("host-", i);
    list[i].topology = {kRegions[region],
                        absl::StrCat(kRegions[region], "-", zone), ""};
  }
  return *Fleet::Create(std::move(list));
}

Simulator MakeSimulator(int targets, bool bad) {
  Scenario scenario;
  scenario.duration = absl::Hours(24);
  scenario.deploy.failure_probability = 0;
  if (bad) {
    scenario.fault.bad = true;
    scenario.fault.error_multiplier = 10;
    scenario.fault.onset_delay = absl::Minutes(5);
    scenario.fault.scope.kind = FaultScope::Kind::kRegion;
    scenario.fault.scope.region = "eu-west-1";
  }
  return *Simulator::Create(*RolloutSpec::Parse(kSpec, SpecFormat::kTextProto),
                            MakeFleet(targets), scenario);
}

// One rollout of a good release: every wave deploys and bakes, 24 hours.
void BM_SimulatorRunGoodRelease(benchmark::State& state) {
  const Simulator simulator = MakeSimulator(state.range(0), false);
  uint64_t seed = 1;
  for (auto _ : state) {
    absl::StatusOr<RunOutcome> outcome = simulator.Run(0, seed++);
    benchmark::DoNotOptimize(outcome);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SimulatorRunGoodRelease)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);

// One rollout of a release that is bad in one region (eu-west-1, 10x
// errors five minutes after deployment), rolled back when a gate sees it.
void BM_SimulatorRunBadRegion(benchmark::State& state) {
  const Simulator simulator = MakeSimulator(state.range(0), true);
  uint64_t seed = 1;
  for (auto _ : state) {
    absl::StatusOr<RunOutcome> outcome = simulator.Run(0, seed++);
    benchmark::DoNotOptimize(outcome);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SimulatorRunBadRegion)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);

// A Monte Carlo study of 100 runs of 10,000 targets on 2 threads
// (wall-clock time: the 1,000-run figure is 10x this).
void BM_SimulatorMonteCarlo(benchmark::State& state) {
  const Simulator simulator = MakeSimulator(10000, false);
  MonteCarloOptions options;
  options.runs = state.range(0);
  options.threads = 2;
  for (auto _ : state) {
    absl::StatusOr<std::vector<RunOutcome>> outcomes =
        simulator.RunMany(options);
    benchmark::DoNotOptimize(outcomes);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SimulatorMonteCarlo)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The metric model alone: one cohort query of a 5,000-target cohort over a
// 5-minute window, and over a whole day.
void BM_SimulatorCohortQuery(benchmark::State& state) {
  const Fleet fleet = MakeFleet(10000);
  const MetricModel model = *MetricModel::Create(Scenario(), fleet, 1);
  VersionHistory versions(fleet.size());
  std::vector<uint32_t> cohort(5000);
  for (uint32_t i = 0; i < cohort.size(); ++i) cohort[i] = i;
  std::vector<CohortMinute> minutes;
  const absl::Time start = Scenario().start;
  for (auto _ : state) {
    model.CohortMinutes(cohort, versions, start,
                        start + absl::Minutes(state.range(0)), &minutes);
    double sum = 0;
    for (const CohortMinute& m : minutes) {
      sum += model.Value(m, Signal::kLatencyMs, 0.99);
    }
    benchmark::DoNotOptimize(sum);
  }
}
BENCHMARK(BM_SimulatorCohortQuery)
    ->Arg(5)
    ->Arg(1440)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sluice::sim
