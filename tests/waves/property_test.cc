// Copyright 2026 The Sluice Authors.
//
// Property tests over thousands of random small fleets (fixed seeds): every
// target is in exactly one wave; no wave breaks its topology or size limit;
// the minimum-healthy rule holds at every wave; plans are deterministic; and
// replanning never moves a target that is already deployed.

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/fleets.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using ::sluice::testing::RandomFleet;

constexpr int kFleets = 3000;

int Uniform(std::mt19937_64& rng, int lo, int hi) {
  return lo + static_cast<int>(rng() % static_cast<uint64_t>(hi - lo + 1));
}

// Every target of the fleet is in exactly one wave, and no wave is empty
// (except the first `may_be_empty`: started waves whose targets all left).
void ExpectPartition(const Fleet& fleet, const WavePlan& plan,
                     const std::string& context, size_t may_be_empty = 0) {
  std::vector<int> seen(fleet.size(), 0);
  for (size_t w = 0; w < plan.waves.size(); ++w) {
    const Wave& wave = plan.waves[w];
    if (w >= may_be_empty) {
      ASSERT_FALSE(wave.targets.empty()) << context << " " << wave.name;
    }
    for (Fleet::TargetIndex t : wave.targets) {
      ASSERT_LT(t, fleet.size()) << context;
      ++seen[t];
    }
  }
  for (size_t i = 0; i < fleet.size(); ++i) {
    ASSERT_EQ(seen[i], 1) << context << ": target " << fleet.target(i).id;
  }
  ASSERT_EQ(plan.waves.back().cumulative_count_fraction, 1.0) << context;
}

// At every wave, even if every earlier wave used its whole failure budget,
// at least `min_healthy` of the n targets stay healthy (with `surge` extra
// capacity), and the budgets leave at least one success.
void ExpectMinHealthy(const WavePlan& plan, int64_t n, int64_t min_healthy,
                      int64_t surge, const std::string& context) {
  int64_t used = 0;
  for (const Wave& wave : plan.waves) {
    const int64_t size = static_cast<int64_t>(wave.targets.size());
    ASSERT_GE(n + surge - used - size, min_healthy)
        << context << " " << wave.name;
    ASSERT_GE(wave.max_failed_targets, 0);
    ASSERT_LE(wave.max_failed_targets, size);
    used += wave.max_failed_targets;
  }
  ASSERT_LE(used, n - min_healthy) << context;
  ASSERT_LE(used, n - 1) << context;
}

TEST(PropertyTest, CountSchedulers) {
  std::mt19937_64 rng(20261128);
  for (int f = 0; f < kFleets; ++f) {
    const Fleet fleet = RandomFleet(rng, 3, 3, 5);
    const int64_t n = fleet.size();
    const std::string context = absl::StrCat("fleet ", f, " n=", n);

    // Minimum healthy hosts, a count or a percent that the fleet allows.
    MinHealthyOptions mh;
    if (rng() % 2 == 0) {
      mh.min_healthy = CountOrPercent::Count(Uniform(rng, 0, n - 1));
    } else {
      mh.min_healthy = CountOrPercent::Percent(Uniform(rng, 0, 99));
    }
    const int64_t m = mh.min_healthy.unit == CountOrPercent::Unit::kCount
                          ? static_cast<int64_t>(mh.min_healthy.value)
                          : static_cast<int64_t>(std::ceil(
                                n * mh.min_healthy.value / 100 - 1e-9));
    std::unique_ptr<WaveScheduler> s = *NewMinHealthyScheduler(mh);
    absl::StatusOr<WavePlan> plan = s->Plan(fleet);
    if (m >= n) {
      ASSERT_FALSE(plan.ok()) << context;
    } else {
      ASSERT_TRUE(plan.ok()) << context << " " << plan.status();
      ExpectPartition(fleet, *plan, context);
      for (const Wave& w : plan->waves) {
        ASSERT_LE(static_cast<int64_t>(w.targets.size()), n - m) << context;
      }
      ExpectMinHealthy(*plan, n, m, 0, context);
      ASSERT_EQ(*plan, *s->Plan(fleet)) << context;  // deterministic
    }

    // One and half at a time.
    for (bool one : {true, false}) {
      std::unique_ptr<WaveScheduler> s2 =
          one ? *NewOneAtATimeScheduler() : *NewHalfAtATimeScheduler();
      absl::StatusOr<WavePlan> p = s2->Plan(fleet);
      ASSERT_TRUE(p.ok()) << context;
      ExpectPartition(fleet, *p, context);
      const int64_t min = n == 1 ? 0 : (one ? n - 1 : (n + 1) / 2);
      ExpectMinHealthy(*p, n, min, 0, context + " " + s2->name());
    }

    // Rolling updates.
    RollingOptions rolling;
    rolling.max_surge = rng() % 2
                            ? CountOrPercent::Count(Uniform(rng, 0, 3))
                            : CountOrPercent::Percent(Uniform(rng, 0, 100));
    rolling.max_unavailable =
        rng() % 2 ? CountOrPercent::Count(Uniform(rng, 1, 3))
                  : CountOrPercent::Percent(Uniform(rng, 1, 100));
    std::unique_ptr<WaveScheduler> r = *NewRollingScheduler(rolling);
    plan = r->Plan(fleet);
    ASSERT_TRUE(plan.ok()) << context;
    ExpectPartition(fleet, *plan, context);
    auto resolve = [n](const CountOrPercent& v, bool up) -> int64_t {
      if (v.unit == CountOrPercent::Unit::kCount) return v.value;
      const double x = n * v.value / 100;
      return up ? std::ceil(x - 1e-9) : std::floor(x + 1e-9);
    };
    const int64_t surge = resolve(rolling.max_surge, true);
    int64_t unavailable =
        std::min<int64_t>(n, resolve(rolling.max_unavailable, false));
    if (surge == 0 && unavailable == 0) unavailable = 1;
    for (const Wave& w : plan->waves) {
      ASSERT_LE(static_cast<int64_t>(w.targets.size()), surge + unavailable);
    }
    ExpectMinHealthy(*plan, n, n - unavailable, surge, context + " rolling");

    // Fixed batches.
    BatchOptions batches;
    batches.size = CountOrPercent::Count(Uniform(rng, 1, 7));
    plan = (*NewBatchScheduler(batches))->Plan(fleet);
    ASSERT_TRUE(plan.ok());
    ExpectPartition(fleet, *plan, context);
    for (const Wave& w : plan->waves) {
      ASSERT_LE(w.targets.size(), static_cast<size_t>(batches.size.value));
    }

    // Percent progressions on targets.
    StepsOptions steps;
    double p = 0;
    while (true) {
      p += Uniform(rng, 1, 40);
      if (p >= 100) break;
      steps.steps.push_back({p, absl::Minutes(1)});
    }
    if (steps.steps.empty()) steps.steps.push_back({50, absl::Minutes(1)});
    plan = (*NewStepsScheduler(steps))->Plan(fleet);
    ASSERT_TRUE(plan.ok());
    ExpectPartition(fleet, *plan, context + " steps");
  }
}

// The staged plan's topology limits.
void ExpectStagedLimits(const Fleet& fleet, const WavePlan& plan,
                        const StagedOptions& options,
                        const std::string& context) {
  std::map<std::string, std::pair<size_t, size_t>> region_waves;  // first, last
  std::string first_region;
  for (size_t w = 0; w < plan.waves.size(); ++w) {
    const Wave& wave = plan.waves[w];
    std::map<std::string, std::set<std::string>> zones;  // by region
    for (Fleet::TargetIndex t : wave.targets) {
      const Topology& topo = fleet.target(t).topology;
      zones[topo.region].insert(topo.zone);
    }
    for (const auto& [region, z] : zones) {
      auto [it, inserted] = region_waves.emplace(region, std::make_pair(w, w));
      it->second.second = w;
    }
    const std::string& stage = wave.stage;
    const std::string where =
        absl::StrCat(context, " wave ", w, " ", wave.name);
    if (stage == "one-box" || stage == "first-zone-batch" ||
        stage == "first-zone") {
      ASSERT_EQ(zones.size(), 1u) << where;
      ASSERT_EQ(zones.begin()->second.size(), 1u) << where;
    } else if (stage == "zone") {
      ASSERT_EQ(zones.size(), 1u) << where;
    } else {
      ASSERT_TRUE(stage == "region-wave" || stage == "region-one-box") << where;
      if (options.max_regions_per_wave.has_value()) {
        ASSERT_LE(static_cast<int64_t>(zones.size()),
                  *options.max_regions_per_wave)
            << where;
      }
    }
    if (stage != "region-wave" && stage != "region-one-box") {
      if (first_region.empty()) first_region = zones.begin()->first;
      ASSERT_EQ(zones.begin()->first, first_region) << where;
    }
    for (const auto& [region, z] : zones) {
      const size_t limit =
          stage == "region-one-box" ? 1 : options.max_zones_per_wave;
      ASSERT_LE(z.size(), limit) << where << " region " << region;
    }
    if (stage == "one-box" && !options.one_box_max_weight_percent) {
      ASSERT_EQ(wave.targets.size(), 1u) << where;
    }
    if (stage == "one-box" && options.one_box_max_weight_percent) {
      double weight = 0;
      for (Fleet::TargetIndex t : wave.targets)
        weight += fleet.target(t).weight;
      ASSERT_LE(weight, *options.one_box_max_weight_percent / 100 *
                            fleet.total_weight() * (1 + 1e-9))
          << where;
    }
  }
  // A region, once its waves are done, never comes back; and regions deploy
  // in growing waves that never overlap except within one region wave.
  for (const auto& [region, range] : region_waves) {
    for (size_t w = range.first; w <= range.second; ++w) {
      bool present = false;
      for (Fleet::TargetIndex t : plan.waves[w].targets) {
        if (fleet.target(t).topology.region == region) present = true;
      }
      // A region may skip a zone wave of its region wave (fewer zones), but
      // only inside one region wave, whose waves all share the name prefix.
      if (!present) {
        ASSERT_EQ(plan.waves[w].stage, "region-wave") << context << region;
      }
    }
  }
}

TEST(PropertyTest, StagedPlans) {
  std::mt19937_64 rng(42);
  for (int f = 0; f < kFleets; ++f) {
    const Fleet fleet = RandomFleet(rng, 5, 3, 4);
    StagedOptions options;
    options.max_zones_per_wave = Uniform(rng, 1, 2);
    if (rng() % 2) options.max_regions_per_wave = Uniform(rng, 1, 3);
    options.first_region_wave_size = Uniform(rng, 1, 2);
    options.region_growth = rng() % 2 ? 2.0 : 1.5;
    options.one_box = rng() % 4 != 0;
    options.one_box_every_region = rng() % 2;
    if (rng() % 3 == 0) options.one_box_max_weight_percent = 40;
    switch (rng() % 3) {
      case 0:
        options.first_zone_batch.reset();
        break;
      case 1:
        options.first_zone_batch = CountOrPercent::Count(2);
        break;
      default:
        options.first_zone_batch = CountOrPercent::Percent(30);
    }
    if (rng() % 2) {
      options.region_order_default = RegionOrder::kByName;
      options.region_order = {fleet.regions().back()};
    }
    const std::string context =
        absl::StrCat("fleet ", f, " (", fleet.size(), " targets)");
    std::unique_ptr<WaveScheduler> s = *NewStagedScheduler(options);
    absl::StatusOr<WavePlan> plan = s->Plan(fleet);
    if (!plan.ok()) {
      // Only a weight-limited one-box may fail, naming its parameter.
      ASSERT_TRUE(options.one_box_max_weight_percent.has_value()) << context;
      ASSERT_THAT(std::string(plan.status().message()),
                  ::testing::HasSubstr("staged.one_box_max_weight_percent"));
      continue;
    }
    ExpectPartition(fleet, *plan, context);
    ExpectStagedLimits(fleet, *plan, options, context);
    ASSERT_EQ(*plan, *s->Plan(fleet)) << context;
    if (!options.region_order.empty()) {
      ASSERT_EQ(fleet.target(plan->waves[0].targets[0]).topology.region,
                options.region_order[0]);
    }
  }
}

// A changed copy of `fleet`: some targets removed, some added (new ids, in
// existing and new zones), order shuffled.
Fleet Change(std::mt19937_64& rng, const Fleet& fleet, int serial) {
  std::vector<Target> targets;
  for (const Target& t : fleet.targets()) {
    if (rng() % 5 != 0) targets.push_back(t);
  }
  const int added = Uniform(rng, 0, 4);
  for (int i = 0; i < added || targets.empty(); ++i) {
    Target t = fleet.target(rng() % fleet.size());
    t.id = absl::StrCat("new-", serial, "-", i);
    if (rng() % 4 == 0) t.topology.zone = "zone-new";
    if (rng() % 6 == 0) t.topology.region = "region-new";
    targets.push_back(std::move(t));
  }
  for (size_t i = targets.size(); i > 1; --i) {
    std::swap(targets[i - 1], targets[rng() % i]);
  }
  targets[0].weight = 1;  // a positive total weight
  return *Fleet::Create(std::move(targets));
}

TEST(PropertyTest, ReplanNeverMovesDeployedTargets) {
  std::mt19937_64 rng(7);
  for (int f = 0; f < kFleets; ++f) {
    const Fleet old_fleet = RandomFleet(rng, 3, 3, 4);
    std::unique_ptr<WaveScheduler> s;
    switch (rng() % 3) {
      case 0:
        s = *NewStagedScheduler(StagedOptions{});
        break;
      case 1:
        s = *NewOneAtATimeScheduler();
        break;
      default: {
        RollingOptions o;
        s = *NewRollingScheduler(o);
      }
    }
    const WavePlan plan = *s->Plan(old_fleet);
    const size_t started = rng() % (plan.waves.size() + 1);
    const Fleet new_fleet = Change(rng, old_fleet, f);
    const std::string context =
        absl::StrCat("fleet ", f, " ", s->name(), " started ", started);
    absl::StatusOr<WavePlan> re =
        Replan(*s, plan, started, old_fleet, new_fleet);
    ASSERT_TRUE(re.ok()) << context << " " << re.status();
    ExpectPartition(new_fleet, *re, context, started);
    // Started waves are kept, in order, minus targets that left.
    for (size_t w = 0; w < started; ++w) {
      std::vector<std::string> expected, actual;
      for (Fleet::TargetIndex t : plan.waves[w].targets) {
        const std::string& id = old_fleet.target(t).id;
        if (new_fleet.IndexOf(id).has_value()) expected.push_back(id);
      }
      for (Fleet::TargetIndex t : re->waves[w].targets) {
        actual.push_back(new_fleet.target(t).id);
      }
      ASSERT_EQ(actual, expected) << context << " wave " << w;
      ASSERT_EQ(re->waves[w].name, plan.waves[w].name);
      ASSERT_EQ(re->waves[w].bake, plan.waves[w].bake);
    }
    // New targets land only in waves not yet started.
    for (size_t w = 0; w < started; ++w) {
      for (Fleet::TargetIndex t : re->waves[w].targets) {
        ASSERT_TRUE(old_fleet.IndexOf(new_fleet.target(t).id).has_value());
      }
    }
    // Replanning an unchanged fleet changes nothing.
    ASSERT_EQ(*Replan(*s, plan, started, old_fleet, old_fleet), plan)
        << context;
  }
}

}  // namespace
}  // namespace sluice
