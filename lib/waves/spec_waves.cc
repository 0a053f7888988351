// Copyright 2026 The Sluice Authors.
//
// RolloutSpec.waves: sluice.v1.WaveStrategy to WaveScheduler. Validation is
// the conversion itself: the factories check every option, and their error
// paths ("staged.max_regions_per_wave") are the proto's, so errors only gain
// the "waves." prefix.

#include "lib/waves/spec_waves.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "sluice/wave_scheduler.h"

namespace sluice::internal {
namespace {

using StatusOrScheduler = absl::StatusOr<std::unique_ptr<WaveScheduler>>;

// Field paths here are relative to RolloutSpec.waves: errors gain the
// "waves" prefix once, in NewSchedulerFromSpec(). Durations are converted by
// the one DurationFromProto (lib/core/field_path.h); the schedulers' factories
// check their ranges.

// Reads `field` of `msg` into `out` when it is set; `path` is the FieldPath
// of `msg`.
#define SLUICE_READ_DURATION(msg, field, path, out)                     \
  do {                                                                  \
    if ((msg).has_##field()) {                                          \
      SLUICE_ASSIGN_OR_RETURN(                                          \
          out, DurationFromProto((msg).field(), (path).Field(#field))); \
    }                                                                   \
  } while (false)

absl::StatusOr<CountOrPercent> ToCountOrPercent(const v1::CountOrPercent& v,
                                                const FieldPath& path) {
  switch (v.value_case()) {
    case v1::CountOrPercent::kCount:
      return CountOrPercent::Count(v.count());
    case v1::CountOrPercent::kPercent:
      return CountOrPercent::Percent(v.percent());
    case v1::CountOrPercent::VALUE_NOT_SET:
      break;
  }
  return path.Invalid("set count or percent");
}

// A PercentRounding field; a value out of range (proto3 keeps unknown enum
// values) is an error naming the field.
absl::StatusOr<PercentRounding> ToRounding(int value, const FieldPath& path) {
  switch (value) {
    case v1::PERCENT_ROUNDING_DEFAULT:
      return PercentRounding::kDefault;
    case v1::ROUND_UP:
      return PercentRounding::kUp;
    case v1::ROUND_DOWN:
      return PercentRounding::kDown;
    case v1::ROUND_NEAREST:
      return PercentRounding::kNearest;
    default:
      return path.Invalid(
          MustBe("must be PERCENT_ROUNDING_DEFAULT, ROUND_UP, ROUND_DOWN or "
                 "ROUND_NEAREST",
                 value));
  }
}

Selector ToSelector(const v1::Selector& s) {
  Selector out;
  out.regions.assign(s.regions().begin(), s.regions().end());
  out.zones.assign(s.zones().begin(), s.zones().end());
  out.cells.assign(s.cells().begin(), s.cells().end());
  for (const auto& [key, value] : s.labels()) out.labels[key] = value;
  return out;
}

StatusOrScheduler Build(const v1::WaveStrategy& strategy);

// Whether the strategy plans traffic waves (traffic_routed, or a Flagger
// analysis without target_waves).
bool TrafficRouted(const v1::WaveStrategy& s) {
  switch (s.strategy_case()) {
    case v1::WaveStrategy::kLinear:
      return s.linear().traffic_routed();
    case v1::WaveStrategy::kCanary:
      return s.canary().traffic_routed();
    case v1::WaveStrategy::kExponential:
      return s.exponential().traffic_routed();
    case v1::WaveStrategy::kSteps:
      return s.steps().traffic_routed();
    case v1::WaveStrategy::kFlagger:
      return !s.flagger().target_waves();
    default:
      return false;
  }
}

StatusOrScheduler BuildStaged(const v1::Staged& s) {
  StagedOptions o;
  o.region_order.assign(s.region_order().begin(), s.region_order().end());
  o.region_order_default = s.region_order_default() == v1::Staged::BY_NAME
                               ? RegionOrder::kByName
                               : RegionOrder::kLeastWeightFirst;
  o.one_box = !s.no_one_box();
  if (s.has_one_box_max_weight_percent()) {
    if (s.no_one_box()) {
      return FieldPath("staged")
          .Field("one_box_max_weight_percent")
          .Invalid("is set together with no_one_box");
    }
    o.one_box_max_weight_percent = s.one_box_max_weight_percent();
  }
  o.one_box_every_region = s.one_box_every_region();
  if (s.no_first_zone_batch()) {
    if (s.has_first_zone_batch()) {
      return FieldPath("staged")
          .Field("first_zone_batch")
          .Invalid("is set together with no_first_zone_batch");
    }
    o.first_zone_batch.reset();
  } else if (s.has_first_zone_batch()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.first_zone_batch,
        ToCountOrPercent(s.first_zone_batch(),
                         FieldPath("staged").Field("first_zone_batch")));
  }
  if (s.has_max_zones_per_wave()) o.max_zones_per_wave = s.max_zones_per_wave();
  if (s.has_max_regions_per_wave()) {
    o.max_regions_per_wave = s.max_regions_per_wave();
  }
  if (s.has_first_region_wave_size()) {
    o.first_region_wave_size = s.first_region_wave_size();
  }
  if (s.has_region_growth()) o.region_growth = s.region_growth();
  const v1::StagedBakes& b = s.bakes();
  const FieldPath bp = FieldPath("staged").Field("bakes");
  SLUICE_READ_DURATION(b, one_box, bp, o.bakes.one_box);
  SLUICE_READ_DURATION(b, first_zone_batch, bp, o.bakes.first_zone_batch);
  SLUICE_READ_DURATION(b, first_zone, bp, o.bakes.first_zone);
  SLUICE_READ_DURATION(b, zone, bp, o.bakes.zone);
  SLUICE_READ_DURATION(b, first_region, bp, o.bakes.first_region);
  SLUICE_READ_DURATION(b, region_one_box, bp, o.bakes.region_one_box);
  SLUICE_READ_DURATION(b, region_wave, bp, o.bakes.region_wave);
  // CodeDeploy's zonal configuration: an unset first-zone monitor duration
  // falls back to the monitor duration, so a spec that sets only the zone
  // bake waits that long after the first zone too.
  if (b.has_zone() && !b.has_first_zone() &&
      o.bakes.zone >= absl::ZeroDuration()) {
    o.bakes.first_zone = o.bakes.zone;
  }
  if (b.has_final_bake()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.bakes.final_bake,
        DurationFromProto(
            b.final_bake(),
            FieldPath("staged").Field("bakes").Field("final_bake")));
  }
  SLUICE_ASSIGN_OR_RETURN(
      o.rounding,
      ToRounding(s.rounding(), FieldPath("staged").Field("rounding")));
  if (s.has_max_failed_per_wave()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.max_failed_per_wave,
        ToCountOrPercent(s.max_failed_per_wave(),
                         FieldPath("staged").Field("max_failed_per_wave")));
  }
  return NewStagedScheduler(o);
}

StatusOrScheduler BuildComposite(const v1::Composite& c) {
  CompositeOptions o;
  for (int i = 0; i < c.stages_size(); ++i) {
    const v1::CompositeStage& s = c.stages(i);
    const FieldPath path = FieldPath("composite").Field("stages").Index(i);
    CompositeStage stage;
    stage.name = s.name();
    stage.selector = ToSelector(s.selector());
    if (!s.has_scheduler() ||
        s.scheduler().strategy_case() == v1::WaveStrategy::STRATEGY_NOT_SET) {
      return path.Field("scheduler").Invalid(kIsRequired);
    }
    if (TrafficRouted(s.scheduler())) {
      // Known without a fleet: the plan would be refused anyway.
      return path.Field("scheduler")
          .Invalid(
              "plans traffic waves (traffic_routed, or flagger without "
              "target_waves), which cannot be composed; composite stages plan "
              "target waves");
    }
    StatusOrScheduler inner = Build(s.scheduler());
    if (!inner.ok()) {
      return path.Field("scheduler").Nest(inner.status());
    }
    stage.scheduler = *std::move(inner);
    o.stages.push_back(std::move(stage));
  }
  return NewCompositeScheduler(std::move(o));
}

StatusOrScheduler Build(const v1::WaveStrategy& strategy) {
  switch (strategy.strategy_case()) {
    case v1::WaveStrategy::kAllAtOnce: {
      const v1::AllAtOnce& s = strategy.all_at_once();
      AllAtOnceOptions o;
      SLUICE_READ_DURATION(s, bake, FieldPath("all_at_once"), o.bake);
      if (s.has_max_failed_targets()) {
        o.max_failed_targets = s.max_failed_targets();
      }
      return NewAllAtOnceScheduler(o);
    }
    case v1::WaveStrategy::kOneAtATime: {
      OneAtATimeOptions o;
      SLUICE_READ_DURATION(strategy.one_at_a_time(), bake,
                           FieldPath("one_at_a_time"), o.bake);
      return NewOneAtATimeScheduler(o);
    }
    case v1::WaveStrategy::kHalfAtATime: {
      HalfAtATimeOptions o;
      SLUICE_READ_DURATION(strategy.half_at_a_time(), bake,
                           FieldPath("half_at_a_time"), o.bake);
      return NewHalfAtATimeScheduler(o);
    }
    case v1::WaveStrategy::kBatches: {
      const v1::Batches& s = strategy.batches();
      BatchOptions o;
      if (!s.has_size()) {
        return FieldPath("batches").Field("size").Invalid(kIsRequired);
      }
      SLUICE_ASSIGN_OR_RETURN(
          o.size,
          ToCountOrPercent(s.size(), FieldPath("batches").Field("size")));
      SLUICE_READ_DURATION(s, bake, FieldPath("batches"), o.bake);
      if (s.has_max_failed_per_batch()) {
        SLUICE_ASSIGN_OR_RETURN(o.max_failed_per_batch,
                                ToCountOrPercent(s.max_failed_per_batch(),
                                                 FieldPath("batches").Field(
                                                     "max_failed_per_batch")));
      }
      SLUICE_ASSIGN_OR_RETURN(
          o.rounding,
          ToRounding(s.rounding(), FieldPath("batches").Field("rounding")));
      return NewBatchScheduler(o);
    }
    case v1::WaveStrategy::kMinHealthy: {
      const v1::MinHealthy& s = strategy.min_healthy();
      MinHealthyOptions o;
      switch (s.value_case()) {
        case v1::MinHealthy::kHostCount:
          o.min_healthy = CountOrPercent::Count(s.host_count());
          break;
        case v1::MinHealthy::kFleetPercent:
          o.min_healthy = CountOrPercent::Percent(s.fleet_percent());
          break;
        case v1::MinHealthy::VALUE_NOT_SET:
          return FieldPath("min_healthy")
              .Invalid("set host_count or fleet_percent");
      }
      SLUICE_READ_DURATION(s, bake, FieldPath("min_healthy"), o.bake);
      return NewMinHealthyScheduler(o);
    }
    case v1::WaveStrategy::kRolling: {
      const v1::Rolling& s = strategy.rolling();
      RollingOptions o;
      if (s.has_max_surge()) {
        SLUICE_ASSIGN_OR_RETURN(
            o.max_surge,
            ToCountOrPercent(s.max_surge(),
                             FieldPath("rolling").Field("max_surge")));
      }
      if (s.has_max_unavailable()) {
        SLUICE_ASSIGN_OR_RETURN(
            o.max_unavailable,
            ToCountOrPercent(s.max_unavailable(),
                             FieldPath("rolling").Field("max_unavailable")));
      }
      SLUICE_READ_DURATION(s, bake, FieldPath("rolling"), o.bake);
      return NewRollingScheduler(o);
    }
    case v1::WaveStrategy::kLinear: {
      const v1::Linear& s = strategy.linear();
      LinearOptions o;
      o.step_percent = s.step_percent();
      if (s.has_interval() && s.has_deployment_duration()) {
        return FieldPath("linear")
            .Field("deployment_duration")
            .Invalid(
                "set either interval (CodeDeploy) or deployment_duration "
                "(AppConfig), not both");
      }
      SLUICE_READ_DURATION(s, interval, FieldPath("linear"), o.interval);
      if (s.has_deployment_duration()) {
        SLUICE_ASSIGN_OR_RETURN(o.deployment_duration,
                                DurationFromProto(s.deployment_duration(),
                                                  FieldPath("linear").Field(
                                                      "deployment_duration")));
      }
      SLUICE_READ_DURATION(s, final_bake, FieldPath("linear"), o.final_bake);
      o.traffic_routed = s.traffic_routed();
      SLUICE_ASSIGN_OR_RETURN(
          o.rounding,
          ToRounding(s.rounding(), FieldPath("linear").Field("rounding")));
      return NewLinearScheduler(o);
    }
    case v1::WaveStrategy::kCanary: {
      const v1::Canary& s = strategy.canary();
      CanaryOptions o;
      o.percent = s.percent();
      SLUICE_READ_DURATION(s, interval, FieldPath("canary"), o.interval);
      SLUICE_READ_DURATION(s, final_bake, FieldPath("canary"), o.final_bake);
      o.traffic_routed = s.traffic_routed();
      SLUICE_ASSIGN_OR_RETURN(
          o.rounding,
          ToRounding(s.rounding(), FieldPath("canary").Field("rounding")));
      return NewCanaryScheduler(o);
    }
    case v1::WaveStrategy::kExponential: {
      const v1::Exponential& s = strategy.exponential();
      ExponentialOptions o;
      o.growth_factor = s.growth_factor();
      if (s.has_multiplier()) o.multiplier = s.multiplier();
      if (!s.has_deployment_duration()) {
        return FieldPath("exponential")
            .Field("deployment_duration")
            .Invalid(kIsRequired);
      }
      SLUICE_READ_DURATION(s, deployment_duration, FieldPath("exponential"),
                           o.deployment_duration);
      SLUICE_READ_DURATION(s, final_bake, FieldPath("exponential"),
                           o.final_bake);
      o.traffic_routed = s.traffic_routed();
      SLUICE_ASSIGN_OR_RETURN(
          o.rounding,
          ToRounding(s.rounding(), FieldPath("exponential").Field("rounding")));
      return NewExponentialScheduler(o);
    }
    case v1::WaveStrategy::kSteps: {
      const v1::Steps& s = strategy.steps();
      StepsOptions o;
      for (int i = 0; i < s.steps_size(); ++i) {
        WeightStep step;
        step.percent = s.steps(i).percent();
        SLUICE_READ_DURATION(s.steps(i), bake,
                             FieldPath("steps").Field("steps").Index(i),
                             step.bake);
        o.steps.push_back(step);
      }
      SLUICE_READ_DURATION(s, final_bake, FieldPath("steps"), o.final_bake);
      o.traffic_routed = s.traffic_routed();
      SLUICE_ASSIGN_OR_RETURN(
          o.rounding,
          ToRounding(s.rounding(), FieldPath("steps").Field("rounding")));
      return NewStepsScheduler(o);
    }
    case v1::WaveStrategy::kFlagger: {
      const v1::Flagger& s = strategy.flagger();
      FlaggerOptions o;
      o.step_weight = s.step_weight();
      if (s.has_max_weight()) o.max_weight = s.max_weight();
      SLUICE_READ_DURATION(s, interval, FieldPath("flagger"), o.interval);
      SLUICE_READ_DURATION(s, final_bake, FieldPath("flagger"), o.final_bake);
      o.traffic_routed = !s.target_waves();
      SLUICE_ASSIGN_OR_RETURN(
          o.rounding,
          ToRounding(s.rounding(), FieldPath("flagger").Field("rounding")));
      return NewFlaggerScheduler(o);
    }
    case v1::WaveStrategy::kStaged:
      return BuildStaged(strategy.staged());
    case v1::WaveStrategy::kComposite:
      return BuildComposite(strategy.composite());
    case v1::WaveStrategy::STRATEGY_NOT_SET:
      break;
  }
  return absl::InternalError("wave strategy: no strategy set");
}

#undef SLUICE_READ_DURATION

}  // namespace

absl::Status ValidateWaveStrategy(const v1::WaveStrategy& strategy) {
  if (strategy.strategy_case() == v1::WaveStrategy::STRATEGY_NOT_SET) {
    return absl::OkStatus();
  }
  return NewSchedulerFromSpec(strategy).status();
}

absl::Status ValidateWaveStrategyAgainst(const v1::WaveStrategy& strategy,
                                         const Fleet& fleet) {
  if (strategy.strategy_case() == v1::WaveStrategy::STRATEGY_NOT_SET) {
    return absl::OkStatus();
  }
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<WaveScheduler> scheduler,
                          NewSchedulerFromSpec(strategy));
  // Planning is the check: it reports regions the fleet lacks, selectors
  // that match nothing, and limits the fleet cannot satisfy, by field.
  return FieldPath("waves").Nest(scheduler->Plan(fleet).status());
}

std::string SummarizeWaveStrategy(const v1::WaveStrategy& strategy) {
  if (strategy.strategy_case() == v1::WaveStrategy::STRATEGY_NOT_SET) {
    return "";
  }
  StatusOrScheduler scheduler = NewSchedulerFromSpec(strategy);
  if (!scheduler.ok()) return "waves: invalid";
  return absl::StrCat("waves: ", (*scheduler)->name());
}

std::vector<std::string> StagesOfStrategy(const v1::WaveStrategy& strategy) {
  std::vector<std::string> out;
  switch (strategy.strategy_case()) {
    case v1::WaveStrategy::kAllAtOnce:
      out = {"all"};
      break;
    case v1::WaveStrategy::kOneAtATime:
    case v1::WaveStrategy::kHalfAtATime:
    case v1::WaveStrategy::kBatches:
    case v1::WaveStrategy::kMinHealthy:
    case v1::WaveStrategy::kRolling:
      out = {"batch"};
      break;
    case v1::WaveStrategy::kLinear:
    case v1::WaveStrategy::kExponential:
      out = {"step"};
      break;
    case v1::WaveStrategy::kCanary:
      out = {"canary", "rest"};
      break;
    case v1::WaveStrategy::kSteps:
    case v1::WaveStrategy::kFlagger:
      out = {"promotion", "step"};
      break;
    case v1::WaveStrategy::kStaged:
      out = {"first-zone",  "first-zone-batch", "one-box", "region-one-box",
             "region-wave", "spanning",         "zone"};
      break;
    case v1::WaveStrategy::kComposite:
      for (const v1::CompositeStage& s : strategy.composite().stages()) {
        out.push_back(s.name());
      }
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end()), out.end());
      break;
    case v1::WaveStrategy::STRATEGY_NOT_SET:
      break;
  }
  return out;
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewSchedulerFromSpec(
    const v1::WaveStrategy& strategy) {
  if (strategy.strategy_case() == v1::WaveStrategy::STRATEGY_NOT_SET) {
    return FieldPath("waves").Invalid(kIsRequired);
  }
  StatusOrScheduler scheduler = Build(strategy);
  if (!scheduler.ok()) return FieldPath("waves").Nest(scheduler.status());
  return scheduler;
}

absl::StatusOr<WavesConfig> WavesConfig::FromProto(
    const v1::WaveStrategy& proto) {
  SLUICE_RETURN_IF_ERROR(ValidateWaveStrategy(proto));
  WavesConfig out;
  out.proto_ = proto;
  out.stages_ = StagesOfStrategy(proto);
  out.summary_ = SummarizeWaveStrategy(proto);
  return out;
}

bool WavesConfig::has_strategy() const {
  return proto_.strategy_case() != v1::WaveStrategy::STRATEGY_NOT_SET;
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> WavesConfig::NewScheduler()
    const {
  return NewSchedulerFromSpec(proto_);
}

absl::Status WavesConfig::ValidateAgainst(const Fleet& fleet) const {
  return ValidateWaveStrategyAgainst(proto_, fleet);
}

}  // namespace sluice::internal
