// Copyright 2026 The Sluice Authors.
//
// The efficacy benchmark: how well a spec's gates stop bad releases early
// and let good ones through, measured on a standard suite of release
// families replayed over recorded production series (docs/efficacy.md).
//
// The suite (StandardFamilies):
//   - good releases, one family per rotation of the history (each recorded
//     series as a background);
//   - error rate x1.5, x2 and x5, everywhere, in the first zone the plan
//     deploys to, in its first region, and in the zone it reaches last;
//   - latency +5% and +20% at p99 (the tail only; the median does not
//     move), everywhere;
//   - error rate x5 growing over 2 hours after deployment (a leak);
//   - error rate x5 during 10 minutes of every hour (intermittent).
// Every family runs on ProductionScenario(): diurnal traffic per region in
// its own time zone with a nightly low-traffic period, per-target
// heterogeneity, overdispersed counts, zone and region incidents unrelated
// to the release, delayed and lossy metrics, and the history's series
// replayed per zone as traffic, error and latency backgrounds (offsets
// drawn per run). Runs of a family are spread over the history's rotations
// (run i uses rotation i mod R) and seeded RunSeed(family seed, i), so the
// figures are the same for any thread count.
//
// Example:
//
//   absl::StatusOr<std::vector<sluice::sim::HistorySeries>> history =
//       sluice::sim::LoadHistory({"examples/data"});
//   sluice::sim::EfficacyOptions options;
//   options.runs = 200;
//   absl::StatusOr<sluice::sim::SpecEfficacy> efficacy =
//       sluice::sim::RunEfficacy(spec, fleet, *history, options);
//   if (!efficacy.ok()) return efficacy.status();
//   std::cout << efficacy->headline.x2_caught_in_first_zone.rate << "\n";

#ifndef SLUICE_SIM_EFFICACY_H_
#define SLUICE_SIM_EFFICACY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "sluice/fleet.h"
#include "sluice/rollout_event.h"
#include "sluice/sim/history.h"
#include "sluice/sim/monte_carlo.h"
#include "sluice/sim/outcome.h"
#include "sluice/sim/scenario.h"
#include "sluice/spec.h"
#include "sluice/wave_plan.h"

namespace sluice::sim {

// The production-like world of the suite, for `fleet` (its regions' time
// zones: the standard-time UTC offsets of cloud region names such as
// "us-east-1" (-5), "eu-west-1" (0), "ap-southeast-2" (+10); unknown names
// at UTC). Its parameters are stated in docs/efficacy.md; no backgrounds
// (AddHistoryBackgrounds adds them) and a good release.
Scenario ProductionScenario(const Fleet& fleet);

// Where a family's fault lives, resolved against a spec's plan.
enum class FaultPlace {
  // Every target.
  kEverywhere,
  // The zone of the plan's first target (the fleet's first zone for a
  // traffic-routed plan).
  kFirstZone,
  // The region of the plan's first target.
  kFirstRegion,
  // The zone the plan reaches last (the fleet's last zone for a
  // traffic-routed plan).
  kLateZone,
};

// "everywhere", "first zone", "first region", "late zone".
absl::string_view FaultPlaceName(FaultPlace place);

// The fault's scope for `place` in `plan` on `fleet`.
FaultScope PlaceFault(FaultPlace place, const WavePlan& plan,
                      const Fleet& fleet);

// A family of releases: a fault (or none) and where it lives. Value type;
// thread-compatible.
struct ReleaseFamily {
  // A short name, e.g. "errors x2 first zone", "good (rotation 0)".
  // Default: empty.
  std::string name;
  // The fault; fault.bad false for good releases. Its scope is replaced by
  // `place`. Default: a good release.
  Fault fault;
  // Default: kEverywhere.
  FaultPlace place = FaultPlace::kEverywhere;
  // For good families: the only history rotation used. Default: unset (run
  // i uses rotation i mod R).
  std::optional<size_t> rotation = std::nullopt;
  // Runs of the family. Default: 0 (the options' runs or good_runs).
  int64_t runs = 0;
};

// The tail multiplier that makes the p99 latency of `base`'s healthy
// requests `ratio` times as long (found by bisection; > 0).
double TailMultiplierForP99(const Scenario& base, const Fleet& fleet,
                            double ratio);

// How to run the suite. Value type; thread-compatible.
struct EfficacyOptions {
  // Runs of each bad family; >= 1. Default: 200.
  int64_t runs = 200;
  // Runs of each good family (one per history rotation); >= 1. Default:
  // 200.
  int64_t good_runs = 200;
  // The study's seed; family f's runs are seeded from HashWords(seed, f).
  // Default: 1.
  uint64_t seed = 1;
  // Worker threads (0: all cores). Never changes a figure. Default: 0.
  int threads = 0;
  // How the history's series replay. Default: see HistoryReplay.
  HistoryReplay replay;
  // The world; default (unset): ProductionScenario(fleet).
  std::optional<Scenario> base = std::nullopt;
  // The families; default (empty): StandardFamilies().
  std::vector<ReleaseFamily> families = {};
  // Called after each run with (runs done, runs in total), never
  // concurrently. Default: none.
  std::function<void(int64_t done, int64_t total)> progress = nullptr;
  // Up to this many stopped good releases are run again with their trace
  // and returned with the event that failed their wave
  // (SpecEfficacy::false_rollback_stops), in suite order; >= 0. The
  // figures do not change. Default: 0 (none).
  int64_t explain_false_rollbacks = 0;
};

// The standard suite (see the header comment) for a base scenario, a fleet
// and a history of `rotations` rotations.
std::vector<ReleaseFamily> StandardFamilies(const Scenario& base,
                                            const Fleet& fleet,
                                            size_t rotations);

// One family's result. Value type; thread-compatible.
struct FamilyEfficacy {
  // The family's name and whether its release was bad. Default: empty,
  // false.
  std::string family;
  bool bad = false;
  // The family's runs summarized.
  MonteCarloSummary summary;

  friend bool operator==(const FamilyEfficacy& a, const FamilyEfficacy& b) {
    return a.family == b.family && a.bad == b.bad && a.summary == b.summary;
  }
};

// The figures the goals name, for one spec. Value type;
// thread-compatible.
struct EfficacyHeadline {
  // "errors x2 everywhere" and "errors x5 everywhere": caught while the new
  // version was in one zone at most.
  Proportion x2_caught_in_first_zone;
  Proportion x5_caught_in_first_zone;
  // "errors x2 everywhere": caught before any region ran it on every
  // target.
  Proportion x2_caught_before_region_complete;
  // "p99 +20%": detected at all, and within one zone.
  Proportion p99_20_detected;
  Proportion p99_20_caught_in_first_zone;
  // Good releases stopped, over every good family.
  Proportion false_rollback;
  // "errors x2 everywhere": time to detect (seconds, detected runs) and the
  // blast radius (largest weight share on the bad version, every run).
  Distribution x2_time_to_detect_s;
  Distribution x2_max_bad_weight_share;
  // Good releases: time to full rollout (seconds, completed runs).
  Distribution time_to_full_rollout_s;

  friend bool operator==(const EfficacyHeadline& a, const EfficacyHeadline& b) {
    return a.x2_caught_in_first_zone == b.x2_caught_in_first_zone &&
           a.x5_caught_in_first_zone == b.x5_caught_in_first_zone &&
           a.x2_caught_before_region_complete ==
               b.x2_caught_before_region_complete &&
           a.p99_20_detected == b.p99_20_detected &&
           a.p99_20_caught_in_first_zone == b.p99_20_caught_in_first_zone &&
           a.false_rollback == b.false_rollback &&
           a.x2_time_to_detect_s == b.x2_time_to_detect_s &&
           a.x2_max_bad_weight_share == b.x2_max_bad_weight_share &&
           a.time_to_full_rollout_s == b.time_to_full_rollout_s;
  }
};

// A good release the suite stopped, with what stopped it: for a tuning
// session, the numbers a gate decided on. Value type; thread-compatible.
struct FalseRollbackStop {
  // The good family, e.g. "good (rotation 2)". Default: empty.
  std::string family;
  // The run's index in its family and its seed; the run is replayed by
  // RunFamily() with the same options, or Simulator::Run(run, seed, &trace)
  // on that family's scenario. Default: 0.
  int64_t run = 0;
  uint64_t seed = 0;
  // The run's outcome (its stop_wave, stop_stage, decisive_gate).
  RunOutcome outcome;
  // The engine's event that failed the wave: the last failing verdict of a
  // gate on it (kGateVerdict, with the verdict's observations) or, for
  // another trigger, the kWaveFailed event. Default: an empty event.
  RolloutEvent event;

  friend bool operator==(const FalseRollbackStop& a,
                         const FalseRollbackStop& b) {
    return a.family == b.family && a.run == b.run && a.seed == b.seed &&
           a.outcome == b.outcome && a.event == b.event;
  }
};

// A spec's efficacy. Value type; thread-compatible.
struct SpecEfficacy {
  // The spec's name.
  std::string spec;
  // Every family, in suite order.
  std::vector<FamilyEfficacy> families;
  // The good families pooled.
  MonteCarloSummary good;
  EfficacyHeadline headline;
  // Up to EfficacyOptions::explain_false_rollbacks stopped good releases,
  // in suite and run order. Default: empty.
  std::vector<FalseRollbackStop> false_rollback_stops;

  friend bool operator==(const SpecEfficacy& a, const SpecEfficacy& b) {
    return a.spec == b.spec && a.families == b.families && a.good == b.good &&
           a.headline == b.headline &&
           a.false_rollback_stops == b.false_rollback_stops;
  }
  friend bool operator!=(const SpecEfficacy& a, const SpecEfficacy& b) {
    return !(a == b);
  }
};

// Runs one family of `spec` on `fleet` over `history` and returns its runs
// in run order. Errors: Simulator::Create()'s (naming the scenario's or the
// spec's field), RunMonteCarlo()'s.
absl::StatusOr<std::vector<RunOutcome>> RunFamily(
    const RolloutSpec& spec, const Fleet& fleet,
    absl::Span<const HistorySeries> history, const ReleaseFamily& family,
    const Scenario& base, const EfficacyOptions& options, uint64_t family_seed);

// Runs the suite for one spec. Errors: kInvalidArgument "runs: must be >=
// 1 (got 0)", "good_runs: ...", "explain_false_rollbacks: must be >= 0",
// "history: no series"; RunFamily()'s, prefixed with the family's name.
absl::StatusOr<SpecEfficacy> RunEfficacy(
    const RolloutSpec& spec, const Fleet& fleet,
    absl::Span<const HistorySeries> history, const EfficacyOptions& options);

}  // namespace sluice::sim

#endif  // SLUICE_SIM_EFFICACY_H_
