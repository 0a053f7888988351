// Copyright 2026 The Sluice Authors.
//
// RolloutSpec.waves: sluice.v1.WaveStrategy to values (WaveStrategySpec) and
// back, and the values to a WaveScheduler. Validation is the conversion and
// the build: the conversion checks what only the message can get wrong (a
// oneof unset, both of two exclusive fields, a duration), the factories
// check every option, and their error paths ("staged.max_regions_per_wave")
// are the proto's, so errors only gain the "waves." prefix. Fields are read
// in the order the errors of a message with several mistakes are reported.

#include "lib/waves/spec_waves.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "sluice/batch_schedulers.h"
#include "sluice/composite_scheduler.h"
#include "sluice/percent_schedulers.h"
#include "sluice/staged_scheduler.h"
#include "sluice/wave_scheduler.h"

namespace sluice::internal {
namespace {

using StatusOrScheduler = absl::StatusOr<std::unique_ptr<WaveScheduler>>;

// Field paths here are relative to RolloutSpec.waves: errors gain the
// "waves" prefix once, in WavesConfig. Durations are converted by
// the one DurationFromProto (lib/core/field_path.h); the schedulers' factories
// check their ranges.

// Reads `field` of `msg` into `out` when it is set, and records in
// `present` whether it is; `path` is the FieldPath of `msg`.
#define SLUICE_READ_DURATION(msg, field, path, out, present)            \
  do {                                                                  \
    (present) = (msg).has_##field();                                    \
    if ((msg).has_##field()) {                                          \
      SLUICE_ASSIGN_OR_RETURN(                                          \
          out, DurationFromProto((msg).field(), (path).Field(#field))); \
    }                                                                   \
  } while (false)

// Writes `value` to `field` of `*msg` when `present`.
#define SLUICE_WRITE_DURATION(msg, field, value, present)            \
  do {                                                               \
    if (present) DurationToProto((value), (msg)->mutable_##field()); \
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

// A count CountOrPercent holds as a double, back to the message's int64:
// exact up to 2^53 (CountOrPercent::Count() rounds larger counts), clamped
// to int64's range (2^63 itself is a double).
int64_t CountToProto(double count) {
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (count >= kLimit) return std::numeric_limits<int64_t>::max();
  if (count < -kLimit) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(count);
}

void CountOrPercentToProto(const CountOrPercent& v, v1::CountOrPercent* out) {
  if (v.unit == CountOrPercent::Unit::kCount) {
    out->set_count(CountToProto(v.value));
  } else {
    out->set_percent(v.value);
  }
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

v1::PercentRounding RoundingToProto(PercentRounding rounding) {
  switch (rounding) {
    case PercentRounding::kDefault:
      return v1::PERCENT_ROUNDING_DEFAULT;
    case PercentRounding::kUp:
      return v1::ROUND_UP;
    case PercentRounding::kDown:
      return v1::ROUND_DOWN;
    case PercentRounding::kNearest:
      return v1::ROUND_NEAREST;
  }
  return v1::PERCENT_ROUNDING_DEFAULT;
}

Selector ToSelector(const v1::Selector& s) {
  Selector out;
  out.regions.assign(s.regions().begin(), s.regions().end());
  out.zones.assign(s.zones().begin(), s.zones().end());
  out.cells.assign(s.cells().begin(), s.cells().end());
  for (const auto& [key, value] : s.labels()) out.labels[key] = value;
  return out;
}

void SelectorToProto(const Selector& s, v1::Selector* out) {
  for (const std::string& r : s.regions) out->add_regions(r);
  for (const std::string& z : s.zones) out->add_zones(z);
  for (const std::string& c : s.cells) out->add_cells(c);
  for (const auto& [key, value] : s.labels) {
    (*out->mutable_labels())[key] = value;
  }
}

absl::Status Convert(const v1::WaveStrategy& proto, WaveStrategySpec& out);
StatusOrScheduler Build(const WaveStrategySpec& spec);
void StrategyToProto(const WaveStrategySpec& spec, v1::WaveStrategy* out);

// Whether the strategy plans traffic waves (traffic_routed, or a Flagger
// analysis without target_waves). Read from the message, before the
// strategy's own checks, as a composite stage's first check.
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

// ---- Message to values. Each reads the fields in the order the errors of
// a message with several mistakes are reported.

absl::StatusOr<AllAtOnceSpec> ConvertAllAtOnce(const v1::AllAtOnce& s) {
  AllAtOnceSpec out;
  SLUICE_READ_DURATION(s, bake, FieldPath("all_at_once"), out.options.bake,
                       out.present.bake);
  if (s.has_max_failed_targets()) {
    out.options.max_failed_targets = s.max_failed_targets();
  }
  return out;
}

absl::StatusOr<BatchesSpec> ConvertBatches(const v1::Batches& s) {
  BatchesSpec out;
  BatchOptions& o = out.options;
  if (!s.has_size()) {
    return FieldPath("batches").Field("size").Invalid(kIsRequired);
  }
  SLUICE_ASSIGN_OR_RETURN(
      o.size, ToCountOrPercent(s.size(), FieldPath("batches").Field("size")));
  SLUICE_READ_DURATION(s, bake, FieldPath("batches"), o.bake, out.present.bake);
  out.present.max_failed_per_batch = s.has_max_failed_per_batch();
  if (s.has_max_failed_per_batch()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.max_failed_per_batch,
        ToCountOrPercent(s.max_failed_per_batch(),
                         FieldPath("batches").Field("max_failed_per_batch")));
  }
  SLUICE_ASSIGN_OR_RETURN(
      o.rounding,
      ToRounding(s.rounding(), FieldPath("batches").Field("rounding")));
  return out;
}

absl::StatusOr<MinHealthySpec> ConvertMinHealthy(const v1::MinHealthy& s) {
  MinHealthySpec out;
  switch (s.value_case()) {
    case v1::MinHealthy::kHostCount:
      out.options.min_healthy = CountOrPercent::Count(s.host_count());
      break;
    case v1::MinHealthy::kFleetPercent:
      out.options.min_healthy = CountOrPercent::Percent(s.fleet_percent());
      break;
    case v1::MinHealthy::VALUE_NOT_SET:
      return FieldPath("min_healthy")
          .Invalid("set host_count or fleet_percent");
  }
  SLUICE_READ_DURATION(s, bake, FieldPath("min_healthy"), out.options.bake,
                       out.present.bake);
  return out;
}

absl::StatusOr<RollingSpec> ConvertRolling(const v1::Rolling& s) {
  RollingSpec out;
  RollingOptions& o = out.options;
  out.present.max_surge = s.has_max_surge();
  if (s.has_max_surge()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.max_surge, ToCountOrPercent(s.max_surge(),
                                      FieldPath("rolling").Field("max_surge")));
  }
  out.present.max_unavailable = s.has_max_unavailable();
  if (s.has_max_unavailable()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.max_unavailable,
        ToCountOrPercent(s.max_unavailable(),
                         FieldPath("rolling").Field("max_unavailable")));
  }
  SLUICE_READ_DURATION(s, bake, FieldPath("rolling"), o.bake, out.present.bake);
  return out;
}

absl::StatusOr<LinearSpec> ConvertLinear(const v1::Linear& s) {
  LinearSpec out;
  LinearOptions& o = out.options;
  o.step_percent = s.step_percent();
  if (s.has_interval() && s.has_deployment_duration()) {
    return FieldPath("linear")
        .Field("deployment_duration")
        .Invalid(
            "set either interval (CodeDeploy) or deployment_duration "
            "(AppConfig), not both");
  }
  SLUICE_READ_DURATION(s, interval, FieldPath("linear"), o.interval,
                       out.present.interval);
  if (s.has_deployment_duration()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.deployment_duration,
        DurationFromProto(s.deployment_duration(),
                          FieldPath("linear").Field("deployment_duration")));
  }
  SLUICE_READ_DURATION(s, final_bake, FieldPath("linear"), o.final_bake,
                       out.present.final_bake);
  o.traffic_routed = s.traffic_routed();
  SLUICE_ASSIGN_OR_RETURN(
      o.rounding,
      ToRounding(s.rounding(), FieldPath("linear").Field("rounding")));
  return out;
}

absl::StatusOr<CanarySpec> ConvertCanary(const v1::Canary& s) {
  CanarySpec out;
  CanaryOptions& o = out.options;
  o.percent = s.percent();
  SLUICE_READ_DURATION(s, interval, FieldPath("canary"), o.interval,
                       out.present.interval);
  SLUICE_READ_DURATION(s, final_bake, FieldPath("canary"), o.final_bake,
                       out.present.final_bake);
  o.traffic_routed = s.traffic_routed();
  SLUICE_ASSIGN_OR_RETURN(
      o.rounding,
      ToRounding(s.rounding(), FieldPath("canary").Field("rounding")));
  return out;
}

absl::StatusOr<ExponentialSpec> ConvertExponential(const v1::Exponential& s) {
  ExponentialSpec out;
  ExponentialOptions& o = out.options;
  o.growth_factor = s.growth_factor();
  out.present.multiplier = s.has_multiplier();
  if (s.has_multiplier()) o.multiplier = s.multiplier();
  if (!s.has_deployment_duration()) {
    return FieldPath("exponential")
        .Field("deployment_duration")
        .Invalid(kIsRequired);
  }
  SLUICE_ASSIGN_OR_RETURN(
      o.deployment_duration,
      DurationFromProto(s.deployment_duration(),
                        FieldPath("exponential").Field("deployment_duration")));
  SLUICE_READ_DURATION(s, final_bake, FieldPath("exponential"), o.final_bake,
                       out.present.final_bake);
  o.traffic_routed = s.traffic_routed();
  SLUICE_ASSIGN_OR_RETURN(
      o.rounding,
      ToRounding(s.rounding(), FieldPath("exponential").Field("rounding")));
  return out;
}

absl::StatusOr<StepsSpec> ConvertSteps(const v1::Steps& s) {
  StepsSpec out;
  StepsOptions& o = out.options;
  for (int i = 0; i < s.steps_size(); ++i) {
    WeightStep step;
    step.percent = s.steps(i).percent();
    bool has_bake = false;
    SLUICE_READ_DURATION(s.steps(i), bake,
                         FieldPath("steps").Field("steps").Index(i), step.bake,
                         has_bake);
    o.steps.push_back(step);
    out.present.step_bakes.push_back(has_bake);
  }
  SLUICE_READ_DURATION(s, final_bake, FieldPath("steps"), o.final_bake,
                       out.present.final_bake);
  o.traffic_routed = s.traffic_routed();
  SLUICE_ASSIGN_OR_RETURN(
      o.rounding,
      ToRounding(s.rounding(), FieldPath("steps").Field("rounding")));
  return out;
}

absl::StatusOr<FlaggerSpec> ConvertFlagger(const v1::Flagger& s) {
  FlaggerSpec out;
  FlaggerOptions& o = out.options;
  o.step_weight = s.step_weight();
  out.present.max_weight = s.has_max_weight();
  if (s.has_max_weight()) o.max_weight = s.max_weight();
  SLUICE_READ_DURATION(s, interval, FieldPath("flagger"), o.interval,
                       out.present.interval);
  SLUICE_READ_DURATION(s, final_bake, FieldPath("flagger"), o.final_bake,
                       out.present.final_bake);
  o.traffic_routed = !s.target_waves();
  SLUICE_ASSIGN_OR_RETURN(
      o.rounding,
      ToRounding(s.rounding(), FieldPath("flagger").Field("rounding")));
  return out;
}

absl::StatusOr<StagedSpec> ConvertStaged(const v1::Staged& s) {
  StagedSpec out;
  StagedOptions& o = out.options;
  StagedSpec::Present& present = out.present;
  o.region_order.assign(s.region_order().begin(), s.region_order().end());
  out.region_order_default = s.region_order_default();
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
  present.first_zone_batch = s.has_first_zone_batch();
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
  if (s.has_zone_batch()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.zone_batch,
        ToCountOrPercent(s.zone_batch(),
                         FieldPath("staged").Field("zone_batch")));
  }
  present.max_zones_per_wave = s.has_max_zones_per_wave();
  if (s.has_max_zones_per_wave()) o.max_zones_per_wave = s.max_zones_per_wave();
  if (s.has_max_regions_per_wave()) {
    o.max_regions_per_wave = s.max_regions_per_wave();
  }
  present.first_region_wave_size = s.has_first_region_wave_size();
  if (s.has_first_region_wave_size()) {
    o.first_region_wave_size = s.first_region_wave_size();
  }
  present.region_growth = s.has_region_growth();
  if (s.has_region_growth()) o.region_growth = s.region_growth();
  present.bakes = s.has_bakes();
  const v1::StagedBakes& b = s.bakes();
  const FieldPath bp = FieldPath("staged").Field("bakes");
  SLUICE_READ_DURATION(b, one_box, bp, o.bakes.one_box, present.bakes_one_box);
  SLUICE_READ_DURATION(b, first_zone_batch, bp, o.bakes.first_zone_batch,
                       present.bakes_first_zone_batch);
  SLUICE_READ_DURATION(b, first_zone, bp, o.bakes.first_zone,
                       present.bakes_first_zone);
  SLUICE_READ_DURATION(b, zone, bp, o.bakes.zone, present.bakes_zone);
  SLUICE_READ_DURATION(b, first_region, bp, o.bakes.first_region,
                       present.bakes_first_region);
  SLUICE_READ_DURATION(b, region_one_box, bp, o.bakes.region_one_box,
                       present.bakes_region_one_box);
  SLUICE_READ_DURATION(b, region_wave, bp, o.bakes.region_wave,
                       present.bakes_region_wave);
  SLUICE_READ_DURATION(b, zone_batch, bp, o.bakes.zone_batch,
                       present.bakes_zone_batch);
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
  present.max_failed_per_wave = s.has_max_failed_per_wave();
  if (s.has_max_failed_per_wave()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.max_failed_per_wave,
        ToCountOrPercent(s.max_failed_per_wave(),
                         FieldPath("staged").Field("max_failed_per_wave")));
  }
  return out;
}

// A composite's stages. Each stage's strategy is built once converted, so
// that a stage's errors come before those of the stages after it.
absl::StatusOr<CompositeSpec> ConvertComposite(const v1::Composite& c) {
  CompositeSpec out;
  for (int i = 0; i < c.stages_size(); ++i) {
    const v1::CompositeStage& s = c.stages(i);
    const FieldPath path = FieldPath("composite").Field("stages").Index(i);
    CompositeStageSpec stage;
    stage.name = s.name();
    stage.selector = ToSelector(s.selector());
    stage.selector_present = s.has_selector();
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
    absl::Status inner = Convert(s.scheduler(), stage.scheduler);
    if (inner.ok()) inner = Build(stage.scheduler).status();
    if (!inner.ok()) return path.Field("scheduler").Nest(inner);
    out.stages.push_back(std::move(stage));
  }
  return out;
}

// Sets `out` to `value` and returns OK, or returns `value`'s error.
template <typename T>
absl::Status Assign(absl::StatusOr<T> value, WaveStrategySpec& out) {
  if (!value.ok()) return value.status();
  out = *std::move(value);
  return absl::OkStatus();
}

// The conversion's own errors, not the factories': Build() checks the
// options.
absl::Status Convert(const v1::WaveStrategy& proto, WaveStrategySpec& out) {
  switch (proto.strategy_case()) {
    case v1::WaveStrategy::kAllAtOnce:
      return Assign(ConvertAllAtOnce(proto.all_at_once()), out);
    case v1::WaveStrategy::kOneAtATime: {
      OneAtATimeSpec s;
      SLUICE_READ_DURATION(proto.one_at_a_time(), bake,
                           FieldPath("one_at_a_time"), s.options.bake,
                           s.present.bake);
      out = std::move(s);
      return absl::OkStatus();
    }
    case v1::WaveStrategy::kHalfAtATime: {
      HalfAtATimeSpec s;
      SLUICE_READ_DURATION(proto.half_at_a_time(), bake,
                           FieldPath("half_at_a_time"), s.options.bake,
                           s.present.bake);
      out = std::move(s);
      return absl::OkStatus();
    }
    case v1::WaveStrategy::kBatches:
      return Assign(ConvertBatches(proto.batches()), out);
    case v1::WaveStrategy::kMinHealthy:
      return Assign(ConvertMinHealthy(proto.min_healthy()), out);
    case v1::WaveStrategy::kRolling:
      return Assign(ConvertRolling(proto.rolling()), out);
    case v1::WaveStrategy::kLinear:
      return Assign(ConvertLinear(proto.linear()), out);
    case v1::WaveStrategy::kCanary:
      return Assign(ConvertCanary(proto.canary()), out);
    case v1::WaveStrategy::kExponential:
      return Assign(ConvertExponential(proto.exponential()), out);
    case v1::WaveStrategy::kSteps:
      return Assign(ConvertSteps(proto.steps()), out);
    case v1::WaveStrategy::kFlagger:
      return Assign(ConvertFlagger(proto.flagger()), out);
    case v1::WaveStrategy::kStaged:
      return Assign(ConvertStaged(proto.staged()), out);
    case v1::WaveStrategy::kComposite:
      return Assign(ConvertComposite(proto.composite()), out);
    case v1::WaveStrategy::STRATEGY_NOT_SET:
      break;
  }
  out = std::monostate();
  return absl::OkStatus();
}

// ---- Values to a scheduler: the factories, which check every option.

StatusOrScheduler BuildComposite(const CompositeSpec& c) {
  CompositeOptions o;
  for (size_t i = 0; i < c.stages.size(); ++i) {
    const CompositeStageSpec& s = c.stages[i];
    CompositeStage stage;
    stage.name = s.name;
    stage.selector = s.selector;
    StatusOrScheduler inner = Build(s.scheduler);
    if (!inner.ok()) {
      return FieldPath("composite")
          .Field("stages")
          .Index(static_cast<int>(i))
          .Field("scheduler")
          .Nest(inner.status());
    }
    stage.scheduler = *std::move(inner);
    o.stages.push_back(std::move(stage));
  }
  return NewCompositeScheduler(std::move(o));
}

// One overload per alternative of WaveStrategySpec.
struct Builder {
  StatusOrScheduler operator()(std::monostate) const {
    return absl::InternalError("wave strategy: no strategy set");
  }
  StatusOrScheduler operator()(const AllAtOnceSpec& s) const {
    return NewAllAtOnceScheduler(s.options);
  }
  StatusOrScheduler operator()(const OneAtATimeSpec& s) const {
    return NewOneAtATimeScheduler(s.options);
  }
  StatusOrScheduler operator()(const HalfAtATimeSpec& s) const {
    return NewHalfAtATimeScheduler(s.options);
  }
  StatusOrScheduler operator()(const BatchesSpec& s) const {
    return NewBatchScheduler(s.options);
  }
  StatusOrScheduler operator()(const MinHealthySpec& s) const {
    return NewMinHealthyScheduler(s.options);
  }
  StatusOrScheduler operator()(const RollingSpec& s) const {
    return NewRollingScheduler(s.options);
  }
  StatusOrScheduler operator()(const LinearSpec& s) const {
    return NewLinearScheduler(s.options);
  }
  StatusOrScheduler operator()(const CanarySpec& s) const {
    return NewCanaryScheduler(s.options);
  }
  StatusOrScheduler operator()(const ExponentialSpec& s) const {
    return NewExponentialScheduler(s.options);
  }
  StatusOrScheduler operator()(const StepsSpec& s) const {
    return NewStepsScheduler(s.options);
  }
  StatusOrScheduler operator()(const FlaggerSpec& s) const {
    return NewFlaggerScheduler(s.options);
  }
  StatusOrScheduler operator()(const StagedSpec& s) const {
    return NewStagedScheduler(s.options);
  }
  StatusOrScheduler operator()(const CompositeSpec& s) const {
    return BuildComposite(s);
  }
};

StatusOrScheduler Build(const WaveStrategySpec& spec) {
  return std::visit(Builder(), spec);
}

// ---- Values to the message: the fields present in the message read, with
// their values.

void StagedToProto(const StagedSpec& spec, v1::Staged* out) {
  const StagedOptions& o = spec.options;
  const StagedSpec::Present& present = spec.present;
  for (const std::string& region : o.region_order) {
    out->add_region_order(region);
  }
  out->set_region_order_default(
      static_cast<v1::Staged::RegionOrder>(spec.region_order_default));
  out->set_no_one_box(!o.one_box);
  if (o.one_box_max_weight_percent.has_value()) {
    out->set_one_box_max_weight_percent(*o.one_box_max_weight_percent);
  }
  out->set_one_box_every_region(o.one_box_every_region);
  if (!o.first_zone_batch.has_value()) {
    out->set_no_first_zone_batch(true);
  } else if (present.first_zone_batch) {
    CountOrPercentToProto(*o.first_zone_batch, out->mutable_first_zone_batch());
  }
  if (o.zone_batch.has_value()) {
    CountOrPercentToProto(*o.zone_batch, out->mutable_zone_batch());
  }
  if (present.max_zones_per_wave) {
    out->set_max_zones_per_wave(o.max_zones_per_wave);
  }
  if (o.max_regions_per_wave.has_value()) {
    out->set_max_regions_per_wave(*o.max_regions_per_wave);
  }
  if (present.first_region_wave_size) {
    out->set_first_region_wave_size(o.first_region_wave_size);
  }
  if (present.region_growth) out->set_region_growth(o.region_growth);
  v1::StagedBakes b;
  SLUICE_WRITE_DURATION(&b, one_box, o.bakes.one_box, present.bakes_one_box);
  SLUICE_WRITE_DURATION(&b, first_zone_batch, o.bakes.first_zone_batch,
                        present.bakes_first_zone_batch);
  SLUICE_WRITE_DURATION(&b, first_zone, o.bakes.first_zone,
                        present.bakes_first_zone);
  SLUICE_WRITE_DURATION(&b, zone, o.bakes.zone, present.bakes_zone);
  SLUICE_WRITE_DURATION(&b, first_region, o.bakes.first_region,
                        present.bakes_first_region);
  SLUICE_WRITE_DURATION(&b, region_one_box, o.bakes.region_one_box,
                        present.bakes_region_one_box);
  SLUICE_WRITE_DURATION(&b, region_wave, o.bakes.region_wave,
                        present.bakes_region_wave);
  SLUICE_WRITE_DURATION(&b, zone_batch, o.bakes.zone_batch,
                        present.bakes_zone_batch);
  if (o.bakes.final_bake.has_value()) {
    DurationToProto(*o.bakes.final_bake, b.mutable_final_bake());
  }
  if (present.bakes || b.ByteSizeLong() > 0) *out->mutable_bakes() = b;
  out->set_rounding(RoundingToProto(o.rounding));
  if (present.max_failed_per_wave) {
    CountOrPercentToProto(o.max_failed_per_wave,
                          out->mutable_max_failed_per_wave());
  }
}

// One overload per alternative of WaveStrategySpec, writing into `out`.
struct ProtoWriter {
  v1::WaveStrategy* out;

  void operator()(std::monostate) const { out->clear_strategy(); }
  void operator()(const AllAtOnceSpec& s) const {
    v1::AllAtOnce* m = out->mutable_all_at_once();
    SLUICE_WRITE_DURATION(m, bake, s.options.bake, s.present.bake);
    if (s.options.max_failed_targets.has_value()) {
      m->set_max_failed_targets(*s.options.max_failed_targets);
    }
  }
  void operator()(const OneAtATimeSpec& s) const {
    v1::OneAtATime* m = out->mutable_one_at_a_time();
    SLUICE_WRITE_DURATION(m, bake, s.options.bake, s.present.bake);
  }
  void operator()(const HalfAtATimeSpec& s) const {
    v1::HalfAtATime* m = out->mutable_half_at_a_time();
    SLUICE_WRITE_DURATION(m, bake, s.options.bake, s.present.bake);
  }
  void operator()(const BatchesSpec& s) const {
    v1::Batches* m = out->mutable_batches();
    CountOrPercentToProto(s.options.size, m->mutable_size());
    SLUICE_WRITE_DURATION(m, bake, s.options.bake, s.present.bake);
    if (s.present.max_failed_per_batch) {
      CountOrPercentToProto(s.options.max_failed_per_batch,
                            m->mutable_max_failed_per_batch());
    }
    m->set_rounding(RoundingToProto(s.options.rounding));
  }
  void operator()(const MinHealthySpec& s) const {
    v1::MinHealthy* m = out->mutable_min_healthy();
    if (s.options.min_healthy.unit == CountOrPercent::Unit::kCount) {
      m->set_host_count(CountToProto(s.options.min_healthy.value));
    } else {
      m->set_fleet_percent(s.options.min_healthy.value);
    }
    SLUICE_WRITE_DURATION(m, bake, s.options.bake, s.present.bake);
  }
  void operator()(const RollingSpec& s) const {
    v1::Rolling* m = out->mutable_rolling();
    if (s.present.max_surge) {
      CountOrPercentToProto(s.options.max_surge, m->mutable_max_surge());
    }
    if (s.present.max_unavailable) {
      CountOrPercentToProto(s.options.max_unavailable,
                            m->mutable_max_unavailable());
    }
    SLUICE_WRITE_DURATION(m, bake, s.options.bake, s.present.bake);
  }
  void operator()(const LinearSpec& s) const {
    v1::Linear* m = out->mutable_linear();
    m->set_step_percent(s.options.step_percent);
    SLUICE_WRITE_DURATION(m, interval, s.options.interval, s.present.interval);
    if (s.options.deployment_duration.has_value()) {
      DurationToProto(*s.options.deployment_duration,
                      m->mutable_deployment_duration());
    }
    SLUICE_WRITE_DURATION(m, final_bake, s.options.final_bake,
                          s.present.final_bake);
    m->set_traffic_routed(s.options.traffic_routed);
    m->set_rounding(RoundingToProto(s.options.rounding));
  }
  void operator()(const CanarySpec& s) const {
    v1::Canary* m = out->mutable_canary();
    m->set_percent(s.options.percent);
    SLUICE_WRITE_DURATION(m, interval, s.options.interval, s.present.interval);
    SLUICE_WRITE_DURATION(m, final_bake, s.options.final_bake,
                          s.present.final_bake);
    m->set_traffic_routed(s.options.traffic_routed);
    m->set_rounding(RoundingToProto(s.options.rounding));
  }
  void operator()(const ExponentialSpec& s) const {
    v1::Exponential* m = out->mutable_exponential();
    m->set_growth_factor(s.options.growth_factor);
    if (s.present.multiplier) m->set_multiplier(s.options.multiplier);
    DurationToProto(s.options.deployment_duration,
                    m->mutable_deployment_duration());
    SLUICE_WRITE_DURATION(m, final_bake, s.options.final_bake,
                          s.present.final_bake);
    m->set_traffic_routed(s.options.traffic_routed);
    m->set_rounding(RoundingToProto(s.options.rounding));
  }
  void operator()(const StepsSpec& s) const {
    v1::Steps* m = out->mutable_steps();
    for (size_t i = 0; i < s.options.steps.size(); ++i) {
      v1::WeightStep* step = m->add_steps();
      step->set_percent(s.options.steps[i].percent);
      const bool has_bake =
          i < s.present.step_bakes.size() && s.present.step_bakes[i];
      SLUICE_WRITE_DURATION(step, bake, s.options.steps[i].bake, has_bake);
    }
    SLUICE_WRITE_DURATION(m, final_bake, s.options.final_bake,
                          s.present.final_bake);
    m->set_traffic_routed(s.options.traffic_routed);
    m->set_rounding(RoundingToProto(s.options.rounding));
  }
  void operator()(const FlaggerSpec& s) const {
    v1::Flagger* m = out->mutable_flagger();
    m->set_step_weight(s.options.step_weight);
    if (s.present.max_weight) m->set_max_weight(s.options.max_weight);
    SLUICE_WRITE_DURATION(m, interval, s.options.interval, s.present.interval);
    SLUICE_WRITE_DURATION(m, final_bake, s.options.final_bake,
                          s.present.final_bake);
    m->set_target_waves(!s.options.traffic_routed);
    m->set_rounding(RoundingToProto(s.options.rounding));
  }
  void operator()(const StagedSpec& s) const {
    StagedToProto(s, out->mutable_staged());
  }
  void operator()(const CompositeSpec& s) const {
    v1::Composite* m = out->mutable_composite();
    for (const CompositeStageSpec& stage : s.stages) {
      v1::CompositeStage* st = m->add_stages();
      st->set_name(stage.name);
      if (stage.selector_present || !stage.selector.empty()) {
        SelectorToProto(stage.selector, st->mutable_selector());
      }
      StrategyToProto(stage.scheduler, st->mutable_scheduler());
    }
  }
};

void StrategyToProto(const WaveStrategySpec& spec, v1::WaveStrategy* out) {
  std::visit(ProtoWriter{out}, spec);
}

// The stage names of WavesConfig::stages().
std::vector<std::string> StagesOf(const WaveStrategySpec& spec) {
  std::vector<std::string> out;
  switch (spec.index()) {
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
      out = {"first-zone",  "first-zone-batch",  "one-box",  "region-one-box",
             "region-wave", "region-zone-batch", "spanning", "zone",
             "zone-batch"};
      break;
    case v1::WaveStrategy::kComposite:
      for (const CompositeStageSpec& s : std::get<CompositeSpec>(spec).stages) {
        out.push_back(s.name);
      }
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end()), out.end());
      break;
    default:
      break;
  }
  return out;
}

#undef SLUICE_READ_DURATION
#undef SLUICE_WRITE_DURATION

// WaveStrategySpec's index() is the oneof's field number.
static_assert(std::variant_size_v<WaveStrategySpec> == 14);
static_assert(
    std::is_same_v<std::variant_alternative_t<v1::WaveStrategy::kAllAtOnce,
                                              WaveStrategySpec>,
                   AllAtOnceSpec>);
static_assert(std::is_same_v<std::variant_alternative_t<
                                 v1::WaveStrategy::kRolling, WaveStrategySpec>,
                             RollingSpec>);
static_assert(std::is_same_v<std::variant_alternative_t<
                                 v1::WaveStrategy::kFlagger, WaveStrategySpec>,
                             FlaggerSpec>);
static_assert(
    std::is_same_v<std::variant_alternative_t<v1::WaveStrategy::kComposite,
                                              WaveStrategySpec>,
                   CompositeSpec>);

}  // namespace

absl::Status ValidateWaveStrategy(const v1::WaveStrategy& strategy) {
  return WavesConfig::FromProto(strategy).status();
}

absl::Status ValidateWaveStrategyAgainst(const v1::WaveStrategy& strategy,
                                         const Fleet& fleet) {
  SLUICE_ASSIGN_OR_RETURN(WavesConfig config, WavesConfig::FromProto(strategy));
  return config.ValidateAgainst(fleet);
}

std::string SummarizeWaveStrategy(const v1::WaveStrategy& strategy) {
  absl::StatusOr<WavesConfig> config = WavesConfig::FromProto(strategy);
  if (!config.ok()) return "waves: invalid";
  return config->Summary();
}

std::vector<std::string> StagesOfStrategy(const v1::WaveStrategy& strategy) {
  absl::StatusOr<WavesConfig> config = WavesConfig::FromProto(strategy);
  if (!config.ok()) return {};
  return config->stages();
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewSchedulerFromSpec(
    const v1::WaveStrategy& strategy) {
  SLUICE_ASSIGN_OR_RETURN(WavesConfig config, WavesConfig::FromProto(strategy));
  return config.NewScheduler();
}

absl::StatusOr<WavesConfig> WavesConfig::FromProto(
    const v1::WaveStrategy& proto) {
  WavesConfig out;
  if (absl::Status converted = Convert(proto, out.strategy_); !converted.ok()) {
    return FieldPath("waves").Nest(converted);
  }
  if (!out.has_strategy()) return out;
  StatusOrScheduler scheduler = Build(out.strategy_);
  if (!scheduler.ok()) return FieldPath("waves").Nest(scheduler.status());
  out.stages_ = StagesOf(out.strategy_);
  out.summary_ = absl::StrCat("waves: ", (*scheduler)->name());
  return out;
}

v1::WaveStrategy WavesConfig::ToProto() const {
  v1::WaveStrategy out;
  StrategyToProto(strategy_, &out);
  return out;
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> WavesConfig::NewScheduler()
    const {
  if (!has_strategy()) return FieldPath("waves").Invalid(kIsRequired);
  StatusOrScheduler scheduler = Build(strategy_);
  if (!scheduler.ok()) return FieldPath("waves").Nest(scheduler.status());
  return scheduler;
}

absl::Status WavesConfig::ValidateAgainst(const Fleet& fleet) const {
  if (!has_strategy()) return absl::OkStatus();
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<WaveScheduler> scheduler,
                          NewScheduler());
  // Planning is the check: it reports regions the fleet lacks, selectors
  // that match nothing, and limits the fleet cannot satisfy, by field.
  return FieldPath("waves").Nest(scheduler->Plan(fleet).status());
}

}  // namespace sluice::internal
