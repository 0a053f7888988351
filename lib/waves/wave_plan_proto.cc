// Copyright 2026 The Sluice Authors.

#include "sluice/wave_plan_proto.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"

namespace sluice {

using internal::FieldPath;

v1::WavePlan WavePlanToProto(const WavePlan& plan, const Fleet& fleet) {
  v1::WavePlan out;
  out.set_strategy(plan.strategy);
  for (const Wave& wave : plan.waves) {
    v1::Wave* w = out.add_waves();
    w->set_name(wave.name);
    w->set_stage(wave.stage);
    for (Fleet::TargetIndex t : wave.targets) {
      w->add_targets(fleet.target(t).id);
    }
    if (wave.traffic_percent.has_value()) {
      w->set_traffic_percent(*wave.traffic_percent);
    }
    w->set_cumulative_count_percent(100.0 * wave.cumulative_count_fraction);
    w->set_cumulative_weight_percent(100.0 * wave.cumulative_weight_fraction);
    if (wave.bake != absl::ZeroDuration()) {
      internal::DurationToProto(wave.bake, w->mutable_bake());
    }
    w->set_max_failed_targets(wave.max_failed_targets);
    w->set_note(wave.note);
  }
  return out;
}

absl::StatusOr<WavePlan> WavePlanFromProto(const v1::WavePlan& proto,
                                           const Fleet& fleet) {
  WavePlan plan;
  plan.strategy = proto.strategy();
  plan.waves.reserve(proto.waves_size());
  for (int i = 0; i < proto.waves_size(); ++i) {
    const v1::Wave& w = proto.waves(i);
    const FieldPath path = FieldPath("waves").Index(i);
    Wave wave;
    wave.name = w.name();
    wave.stage = w.stage();
    wave.note = w.note();
    wave.targets.reserve(w.targets_size());
    for (int j = 0; j < w.targets_size(); ++j) {
      std::optional<Fleet::TargetIndex> index = fleet.IndexOf(w.targets(j));
      if (!index.has_value()) {
        return path.Field("targets").Index(j).Invalid(
            absl::StrCat("no target \"", w.targets(j), "\" in the fleet"));
      }
      wave.targets.push_back(*index);
    }
    if (w.has_traffic_percent()) {
      const double p = w.traffic_percent();
      if (!(p > 0 && p <= 100)) {
        return path.Field("traffic_percent")
            .Invalid(absl::StrCat("must be in (0, 100] (got ", p, ")"));
      }
      wave.traffic_percent = p;
    }
    SLUICE_ASSIGN_OR_RETURN(
        wave.bake,
        internal::DurationFromProto(w.bake(), path.Field("bake"),
                                    internal::DurationRule::kNonNegative));
    if (w.max_failed_targets() < 0) {
      return path.Field("max_failed_targets")
          .Invalid(internal::MustBe(internal::kMustBeNonNegative,
                                    w.max_failed_targets()));
    }
    wave.max_failed_targets = w.max_failed_targets();
    plan.waves.push_back(std::move(wave));
  }
  // The fleet is the source of truth for the cumulative shares; recomputing
  // them keeps a round trip exact.
  FillCumulativeFractions(fleet, plan);
  return plan;
}

}  // namespace sluice
