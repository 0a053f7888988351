// Copyright 2026 The Sluice Authors.
//
// Fleets and plan inspectors for tests: small regular fleets (flat, grid),
// seeded random fleets for property tests, and one-line views of a plan's
// wave sizes, budgets, traffic percents and bakes. Used by Sluice's own
// scheduler tests and by hosts testing their own WaveScheduler.
//
// Example:
//
//   #include "sluice/testing/fleets.h"
//
//   const sluice::Fleet fleet = sluice::testing::GridFleet(3, 2, 4);
//   absl::StatusOr<sluice::WavePlan> plan = scheduler->Plan(fleet);
//   EXPECT_THAT(sluice::testing::WaveSizes(*plan), ElementsAre(1, 3, 4, 16));
//
//   std::mt19937_64 rng(42);  // fixed seed: the same fleets every run
//   sluice::Fleet random = sluice::testing::RandomFleet(rng, 4, 3, 5);
//
// Thread-safety: the functions are pure (RandomFleet advances only the
// generator it is given).

#ifndef SLUICE_TESTING_FLEETS_H_
#define SLUICE_TESTING_FLEETS_H_

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/wave_plan.h"

namespace sluice::testing {

// n >= 1 targets "h0".."h<n-1>" of weight 1 in region "r", zone "z".
inline Fleet FlatFleet(int n) {
  std::vector<Target> targets(n);
  for (int i = 0; i < n; ++i) {
    targets[i].id = absl::StrCat("h", i);
    targets[i].topology = {"r", "z", ""};
  }
  return *Fleet::Create(std::move(targets));
}

// regions x zones x hosts targets, in that order. Region i is "r<i>" and its
// zones "r<i>-z<j>"; hosts are "r<i>-z<j>-h<k>". Region i's targets weigh
// region_weight(i) each (default 1).
template <typename WeightFn>
Fleet GridFleet(int regions, int zones, int hosts, WeightFn region_weight) {
  std::vector<Target> targets;
  for (int r = 0; r < regions; ++r) {
    for (int z = 0; z < zones; ++z) {
      for (int h = 0; h < hosts; ++h) {
        Target t;
        t.id = absl::StrCat("r", r, "-z", z, "-h", h);
        t.topology = {absl::StrCat("r", r), absl::StrCat("r", r, "-z", z), ""};
        t.weight = region_weight(r);
        targets.push_back(std::move(t));
      }
    }
  }
  return *Fleet::Create(std::move(targets));
}

// As above, every target of weight 1.
inline Fleet GridFleet(int regions, int zones, int hosts) {
  return GridFleet(regions, zones, hosts, [](int) { return 1.0; });
}

// A random fleet: 1..max_regions regions, 1..max_zones zones each,
// 1..max_hosts hosts per zone (each >= 1), cells "cell-0"/"cell-1", weights
// in {0, 0.5, 1, 2, 5} (the total is positive), labels tier=canary|main,
// targets shuffled. The same generator state gives the same fleet.
inline Fleet RandomFleet(std::mt19937_64& rng, int max_regions, int max_zones,
                         int max_hosts) {
  auto uniform = [&rng](int lo, int hi) {  // inclusive, Sluice's own
    return lo + static_cast<int>(rng() % static_cast<uint64_t>(hi - lo + 1));
  };
  static constexpr double kWeights[] = {0, 0.5, 1, 2, 5};
  std::vector<Target> targets;
  const int regions = uniform(1, max_regions);
  for (int r = 0; r < regions; ++r) {
    const int zones = uniform(1, max_zones);
    for (int z = 0; z < zones; ++z) {
      const int hosts = uniform(1, max_hosts);
      for (int h = 0; h < hosts; ++h) {
        Target t;
        t.id = absl::StrCat("r", r, "z", z, "h", h);
        t.topology = {absl::StrCat("region-", r), absl::StrCat("zone-", z),
                      absl::StrCat("cell-", uniform(0, 1))};
        t.weight = kWeights[uniform(0, 4)];
        t.labels["tier"] = uniform(0, 3) == 0 ? "canary" : "main";
        targets.push_back(std::move(t));
      }
    }
  }
  targets[0].weight = 1;  // a positive total weight
  for (size_t i = targets.size(); i > 1; --i) {
    std::swap(targets[i - 1], targets[rng() % i]);
  }
  return *Fleet::Create(std::move(targets));
}

// The sizes of the plan's waves.
inline std::vector<size_t> WaveSizes(const WavePlan& plan) {
  std::vector<size_t> out;
  for (const Wave& w : plan.waves) out.push_back(w.targets.size());
  return out;
}

// The failure budgets of the plan's waves.
inline std::vector<int64_t> Budgets(const WavePlan& plan) {
  std::vector<int64_t> out;
  for (const Wave& w : plan.waves) out.push_back(w.max_failed_targets);
  return out;
}

// The traffic percents of the plan's waves (-1 for target waves).
inline std::vector<double> Traffic(const WavePlan& plan) {
  std::vector<double> out;
  for (const Wave& w : plan.waves)
    out.push_back(w.traffic_percent.value_or(-1));
  return out;
}

// The bakes of the plan's waves.
inline std::vector<absl::Duration> Bakes(const WavePlan& plan) {
  std::vector<absl::Duration> out;
  for (const Wave& w : plan.waves) out.push_back(w.bake);
  return out;
}

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_FLEETS_H_
