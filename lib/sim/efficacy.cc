// Copyright 2026 The Sluice Authors.

#include "sluice/sim/efficacy.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "lib/core/status_macros.h"
#include "sluice/rollout_event.h"
#include "sluice/sim/metric_model.h"
#include "sluice/sim/simulator.h"
#include "sluice/verdict.h"
#include "sluice/wave_scheduler.h"

namespace sluice::sim {
namespace {

// Standard-time UTC offsets of cloud region names, longest prefix first.
constexpr std::pair<const char*, double> kRegionOffsets[] = {
    {"ap-southeast-2", 10},
    {"ap-southeast-4", 10},
    {"ap-southeast-", 8},
    {"ap-northeast-", 9},
    {"ap-south-", 5.5},
    {"ap-east-", 8},
    {"us-east-", -5},
    {"us-west-", -8},
    {"ca-", -5},
    {"sa-", -3},
    {"eu-west-", 0},
    {"eu-central-", 1},
    {"eu-north-", 1},
    {"eu-south-", 1},
    {"me-", 4},
    {"af-", 2},
};

double RegionOffset(absl::string_view region) {
  for (const auto& [prefix, hours] : kRegionOffsets) {
    if (absl::StartsWith(region, prefix)) return hours;
  }
  return 0;
}

// The families the headline reads.
constexpr char kX2Everywhere[] = "errors x2 everywhere";
constexpr char kX5Everywhere[] = "errors x5 everywhere";
constexpr char kP99Plus20[] = "p99 +20%";

std::string Multiplier(double m) { return absl::StrFormat("x%g", m); }

}  // namespace

Scenario ProductionScenario(const Fleet& fleet) {
  Scenario s;
  s.name = "production noise";
  s.description =
      "The efficacy suite's world (docs/efficacy.md): diurnal traffic per "
      "region in local time with a nightly lull, per-target heterogeneity, "
      "overdispersed counts, zone and region incidents, delayed and lossy "
      "metrics.";
  s.duration = absl::Hours(24);
  s.start = absl::FromCivil(absl::CivilMinute(2026, 11, 30, 8, 0),
                            absl::UTCTimeZone());
  s.deploy.median_duration = absl::Minutes(2);
  s.deploy.duration_spread = 0.3;
  s.deploy.failure_probability = 0;
  s.traffic.requests_per_second = 20;
  s.traffic.diurnal_amplitude = 0.3;
  s.traffic.peak_hour_local = 14;
  s.traffic.minute_noise = 0.1;
  s.traffic.target_spread = 0.1;
  s.traffic.overdispersion = 0.002;
  s.traffic.low_traffic = {{1, absl::Hours(4), 0.3}};
  s.error_rate = 0.001;
  s.errors.target_spread = 0.3;
  s.errors.overdispersion = 0.5;
  s.latency.target_spread = 0.1;
  s.incidents.zone_rate_per_day = 0.1;
  s.incidents.region_rate_per_day = 0.02;
  s.incidents.median_duration = absl::Minutes(15);
  s.incidents.duration_spread = 0.7;
  s.incidents.error_multiplier = 4;
  s.incidents.latency_multiplier = 1.3;
  s.delivery.lag = absl::Minutes(1);
  s.delivery.drop_probability = 0.005;
  s.delivery.error_probability = 0.01;
  for (const std::string& region : fleet.regions()) {
    s.regions.push_back({region, RegionOffset(region)});
  }
  return s;
}

absl::string_view FaultPlaceName(FaultPlace place) {
  switch (place) {
    case FaultPlace::kEverywhere:
      return "everywhere";
    case FaultPlace::kFirstZone:
      return "first zone";
    case FaultPlace::kFirstRegion:
      return "first region";
    case FaultPlace::kLateZone:
      return "late zone";
  }
  return "everywhere";
}

FaultScope PlaceFault(FaultPlace place, const WavePlan& plan,
                      const Fleet& fleet) {
  FaultScope scope;
  if (place == FaultPlace::kEverywhere) return scope;
  // Zones in the order the plan first deploys to them.
  std::vector<uint32_t> order;
  std::vector<bool> seen(fleet.zones().size(), false);
  for (const Wave& wave : plan.waves) {
    for (Fleet::TargetIndex t : wave.targets) {
      const uint32_t zone = fleet.zone_of(t);
      if (!seen[zone]) {
        seen[zone] = true;
        order.push_back(zone);
      }
    }
  }
  if (order.empty()) {
    // Traffic-routed: the fleet's zone order.
    for (uint32_t z = 0; z < fleet.zones().size(); ++z) order.push_back(z);
  }
  const uint32_t zone =
      place == FaultPlace::kLateZone ? order.back() : order.front();
  const Fleet::Zone& z = fleet.zones()[zone];
  if (place == FaultPlace::kFirstRegion) {
    scope.kind = FaultScope::Kind::kRegion;
    scope.region = fleet.regions()[z.region];
    return scope;
  }
  scope.kind = FaultScope::Kind::kZone;
  scope.zone = z.name;
  scope.region = fleet.regions()[z.region];
  return scope;
}

double TailMultiplierForP99(const Scenario& base, const Fleet& fleet,
                            double ratio) {
  Scenario s = base;
  s.fault = Fault();
  s.fault.bad = true;
  s.backgrounds.clear();
  s.background.reset();
  absl::StatusOr<MetricModel> healthy = MetricModel::Create(s, fleet, 1);
  if (!healthy.ok()) return ratio;
  const double target = ratio * healthy->MixtureQuantile(0.99, 0, 1);
  double lo = 1e-3, hi = 1e3;
  for (int i = 0; i < 60; ++i) {
    const double mid = std::sqrt(lo * hi);
    s.fault.tail_multiplier = mid;
    absl::StatusOr<MetricModel> model = MetricModel::Create(s, fleet, 1);
    if (!model.ok()) return ratio;
    if (model->MixtureQuantile(0.99, 1, 1) < target) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return std::sqrt(lo * hi);
}

std::vector<ReleaseFamily> StandardFamilies(const Scenario& base,
                                            const Fleet& fleet,
                                            size_t rotations) {
  std::vector<ReleaseFamily> families;
  for (size_t r = 0; r < std::max<size_t>(rotations, 1); ++r) {
    ReleaseFamily good;
    good.name = absl::StrCat("good (rotation ", r, ")");
    good.rotation = r;
    families.push_back(good);
  }
  for (double m : {1.5, 2.0, 5.0}) {
    for (FaultPlace place : {FaultPlace::kEverywhere, FaultPlace::kFirstZone,
                             FaultPlace::kFirstRegion, FaultPlace::kLateZone}) {
      ReleaseFamily f;
      f.name =
          absl::StrCat("errors ", Multiplier(m), " ", FaultPlaceName(place));
      f.fault.bad = true;
      f.fault.error_multiplier = m;
      f.place = place;
      families.push_back(f);
    }
  }
  for (double percent : {5.0, 20.0}) {
    ReleaseFamily f;
    f.name = absl::StrFormat("p99 +%g%%", percent);
    f.fault.bad = true;
    f.fault.tail_multiplier =
        TailMultiplierForP99(base, fleet, 1 + percent / 100);
    families.push_back(f);
  }
  ReleaseFamily ramp;
  ramp.name = "errors x5 ramp over 2h";
  ramp.fault.bad = true;
  ramp.fault.error_multiplier = 5;
  ramp.fault.ramp = absl::Hours(2);
  families.push_back(ramp);
  ReleaseFamily intermittent;
  intermittent.name = "errors x5 10m of every 1h";
  intermittent.fault.bad = true;
  intermittent.fault.error_multiplier = 5;
  intermittent.fault.intermittent =
      Intermittence{absl::Hours(1), absl::Minutes(10)};
  families.push_back(intermittent);
  return families;
}

namespace {

// One simulator per history rotation the family's runs use (run i uses
// simulators[i % size]).
absl::StatusOr<std::vector<Simulator>> FamilySimulators(
    const RolloutSpec& spec, const Fleet& fleet,
    absl::Span<const HistorySeries> history, const ReleaseFamily& family,
    const Scenario& base, const EfficacyOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<WaveScheduler> scheduler,
                          NewScheduler(spec));
  SLUICE_ASSIGN_OR_RETURN(WavePlan plan, scheduler->Plan(fleet));
  std::vector<size_t> rotations;
  if (family.rotation.has_value()) {
    rotations.push_back(*family.rotation);
  } else {
    const size_t count = history.empty() ? 1 : HistoryRotations(history);
    for (size_t r = 0; r < count; ++r) rotations.push_back(r);
  }
  std::vector<Simulator> simulators;
  for (size_t rotation : rotations) {
    Scenario scenario = base;
    scenario.name = family.name;
    scenario.fault = family.fault;
    scenario.fault.scope = PlaceFault(family.place, plan, fleet);
    if (!history.empty()) {
      AddHistoryBackgrounds(history, rotation, options.replay, scenario);
    }
    SLUICE_ASSIGN_OR_RETURN(Simulator simulator,
                            Simulator::Create(spec, fleet, scenario));
    simulators.push_back(std::move(simulator));
  }
  return simulators;
}

// The event that failed `outcome`'s wave in `trace`: the last failing
// verdict of a gate on it (or of a background gate) before the wave
// failed, else the kWaveFailed event itself.
RolloutEvent FailingEvent(const RunTrace& trace, const RunOutcome& outcome) {
  const RolloutEvent* failing = nullptr;
  for (const RolloutEvent& e : trace.rollout_events) {
    if (e.kind == EventKind::kWaveFailed && e.wave == outcome.stop_wave) {
      return failing != nullptr ? *failing : e;
    }
    const bool verdict_event = e.kind == EventKind::kGateVerdict ||
                               e.kind == EventKind::kBackgroundVerdict;
    if (verdict_event && e.verdict.has_value() &&
        (e.wave == outcome.stop_wave ||
         e.kind == EventKind::kBackgroundVerdict) &&
        (e.verdict->outcome == Outcome::kFail ||
         e.verdict->outcome == Outcome::kError ||
         e.verdict->outcome == Outcome::kInconclusive)) {
      failing = &e;
    }
  }
  return failing != nullptr ? *failing : RolloutEvent{};
}

// The family's runs on its simulators (run i on simulators[i % size]).
absl::StatusOr<std::vector<RunOutcome>> RunOn(
    absl::Span<const Simulator> simulators, const ReleaseFamily& family,
    const EfficacyOptions& options, uint64_t family_seed) {
  MonteCarloOptions mc;
  mc.runs = family.runs > 0
                ? family.runs
                : (family.fault.bad ? options.runs : options.good_runs);
  mc.seed = family_seed;
  mc.threads = options.threads;
  mc.progress = options.progress;
  return RunMonteCarlo(mc, [&](int64_t run, uint64_t seed) {
    return simulators[static_cast<size_t>(run) % simulators.size()].Run(run,
                                                                        seed);
  });
}

// Runs the stopped good releases among `outcomes` again with their trace,
// until `out` holds options.explain_false_rollbacks of them.
absl::Status ExplainStops(absl::Span<const Simulator> simulators,
                          const ReleaseFamily& family,
                          const EfficacyOptions& options,
                          absl::Span<const RunOutcome> outcomes,
                          SpecEfficacy& out) {
  for (const RunOutcome& outcome : outcomes) {
    if (static_cast<int64_t>(out.false_rollback_stops.size()) >=
        options.explain_false_rollbacks) {
      break;
    }
    if (!outcome.false_rollback) continue;
    RunTrace trace;
    SLUICE_ASSIGN_OR_RETURN(
        RunOutcome again,
        simulators[static_cast<size_t>(outcome.run) % simulators.size()].Run(
            outcome.run, outcome.seed, &trace));
    if (again != outcome) {
      return absl::InternalError(absl::StrCat(
          "run ", outcome.run, " ended differently when run again"));
    }
    FalseRollbackStop stop;
    stop.family = family.name;
    stop.run = outcome.run;
    stop.seed = outcome.seed;
    stop.outcome = outcome;
    stop.event = FailingEvent(trace, outcome);
    out.false_rollback_stops.push_back(std::move(stop));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<RunOutcome>> RunFamily(
    const RolloutSpec& spec, const Fleet& fleet,
    absl::Span<const HistorySeries> history, const ReleaseFamily& family,
    const Scenario& base, const EfficacyOptions& options,
    uint64_t family_seed) {
  SLUICE_ASSIGN_OR_RETURN(
      std::vector<Simulator> simulators,
      FamilySimulators(spec, fleet, history, family, base, options));
  return RunOn(simulators, family, options, family_seed);
}

absl::StatusOr<SpecEfficacy> RunEfficacy(
    const RolloutSpec& spec, const Fleet& fleet,
    absl::Span<const HistorySeries> history, const EfficacyOptions& options) {
  if (options.runs < 1) {
    return internal::InvalidArgumentAt(
        "runs", absl::StrCat("must be >= 1 (got ", options.runs, ")"));
  }
  if (options.good_runs < 1) {
    return internal::InvalidArgumentAt(
        "good_runs",
        absl::StrCat("must be >= 1 (got ", options.good_runs, ")"));
  }
  if (options.explain_false_rollbacks < 0) {
    return internal::InvalidArgumentAt(
        "explain_false_rollbacks",
        absl::StrCat("must be >= 0 (got ", options.explain_false_rollbacks,
                     ")"));
  }
  if (history.empty()) {
    return absl::InvalidArgumentError("history: no series");
  }
  const Scenario base = options.base.value_or(ProductionScenario(fleet));
  const std::vector<ReleaseFamily> families =
      options.families.empty()
          ? StandardFamilies(base, fleet, HistoryRotations(history))
          : options.families;
  int64_t total = 0;
  for (const ReleaseFamily& f : families) {
    total +=
        f.runs > 0 ? f.runs : (f.fault.bad ? options.runs : options.good_runs);
  }
  SpecEfficacy out;
  out.spec = spec.name();
  std::vector<RunOutcome> good;
  int64_t done_before = 0;
  for (size_t i = 0; i < families.size(); ++i) {
    const ReleaseFamily& family = families[i];
    EfficacyOptions run_options = options;
    if (options.progress) {
      // The family's runs counted after the families before it.
      run_options.progress = [&options, done_before, total](int64_t done,
                                                            int64_t) {
        options.progress(done_before + done, total);
      };
    }
    const uint64_t family_seed = RunSeed(options.seed, static_cast<int64_t>(i));
    // One set of simulators serves the family's runs and the replays of
    // its stopped good releases.
    absl::StatusOr<std::vector<Simulator>> simulators =
        FamilySimulators(spec, fleet, history, family, base, options);
    if (!simulators.ok()) {
      return internal::PrefixStatus(simulators.status(), family.name);
    }
    std::vector<RunOutcome> outcomes;
    {
      absl::StatusOr<std::vector<RunOutcome>> runs =
          RunOn(*simulators, family, run_options, family_seed);
      if (!runs.ok()) {
        return internal::PrefixStatus(runs.status(), family.name);
      }
      outcomes = *std::move(runs);
    }
    done_before += static_cast<int64_t>(outcomes.size());
    FamilyEfficacy result;
    result.family = family.name;
    result.bad = family.fault.bad;
    result.summary = Summarize(outcomes, family_seed);
    if (!family.fault.bad) {
      absl::Status s =
          ExplainStops(*simulators, family, options, outcomes, out);
      if (!s.ok()) return internal::PrefixStatus(s, family.name);
      good.insert(good.end(), outcomes.begin(), outcomes.end());
    }
    EfficacyHeadline& h = out.headline;
    if (family.name == kX2Everywhere) {
      h.x2_caught_in_first_zone = result.summary.caught_in_first_zone;
      h.x2_caught_before_region_complete =
          result.summary.caught_before_region_complete;
      h.x2_time_to_detect_s = result.summary.time_to_detect_s;
      h.x2_max_bad_weight_share = result.summary.max_bad_weight_share;
    } else if (family.name == kX5Everywhere) {
      h.x5_caught_in_first_zone = result.summary.caught_in_first_zone;
    } else if (family.name == kP99Plus20) {
      h.p99_20_detected = result.summary.detection;
      h.p99_20_caught_in_first_zone = result.summary.caught_in_first_zone;
    }
    out.families.push_back(std::move(result));
  }
  out.good = Summarize(good, options.seed);
  out.headline.false_rollback = out.good.false_rollback;
  out.headline.time_to_full_rollout_s = out.good.time_to_full_rollout_s;
  return out;
}

}  // namespace sluice::sim
