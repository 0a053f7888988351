// Copyright 2026 The Sluice Authors.
//
// RolloutSpec.watch: conversion, summary and what it sets in RolloutOptions.
// The background gates are built as the gate policy builds its default set
// (BuildGates over the spec's metrics), so both validate alike.

#include "lib/rollout/spec_watch.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_sets.h"
#include "lib/gates/spec_gates.h"

namespace sluice::internal {
namespace {

constexpr absl::Duration kDefaultInterval = absl::Minutes(5);

// The background gates, built: a spec with the same metrics whose default
// gate set is watch.background.gates. Errors are renamed from
// "gates.default..." to "watch.background.gates...".
absl::StatusOr<std::vector<std::unique_ptr<HealthGate>>> BuildBackgroundGates(
    const MetricSpecs& metrics, const std::vector<v1::GateSpec>& gates) {
  v1::RolloutSpec only;
  *only.mutable_metrics() = metrics;
  for (const v1::GateSpec& gate : gates) {
    *only.mutable_gates()->add_default_() = gate;
  }
  absl::StatusOr<BuiltGates> built = BuildGates(only);
  if (!built.ok()) {
    std::string message(built.status().message());
    constexpr absl::string_view kFrom = "gates.default";
    if (absl::StartsWith(message, kFrom)) {
      message =
          absl::StrCat("watch.background.gates", message.substr(kFrom.size()));
    } else {
      message = absl::StrCat("watch.background: ", message);
    }
    return absl::Status(built.status().code(), message);
  }
  return std::move(built->default_gates);
}

// WatchSpec.baseline; a value out of range (proto3 keeps unknown enum
// values) is an error naming the field. Unset gives nullopt.
absl::StatusOr<std::optional<BaselineCohort>> BaselineFromProto(
    int value, const FieldPath& path) {
  switch (value) {
    case v1::WatchSpec::BASELINE_UNSPECIFIED:
      return std::nullopt;
    case v1::WatchSpec::BASELINE_NEXT_WAVE:
      return BaselineCohort::kNextWave;
    case v1::WatchSpec::BASELINE_ALL_REMAINING:
      return BaselineCohort::kAllRemaining;
    default:
      return path.Invalid(
          MustBe("must be BASELINE_UNSPECIFIED, BASELINE_NEXT_WAVE or "
                 "BASELINE_ALL_REMAINING",
                 value));
  }
}

}  // namespace

absl::StatusOr<WatchConfig> WatchConfig::FromProto(const v1::WatchSpec& watch,
                                                   const MetricSpecs& metrics) {
  const FieldPath path("watch");
  WatchConfig out;
  if (watch.has_bake_recheck_interval()) {
    SLUICE_ASSIGN_OR_RETURN(
        out.bake_recheck_interval,
        DurationFromProto(watch.bake_recheck_interval(),
                          path.Field("bake_recheck_interval"),
                          DurationRule::kNonNegative));
  }
  SLUICE_ASSIGN_OR_RETURN(
      out.baseline,
      BaselineFromProto(watch.baseline(), path.Field("baseline")));
  if (!watch.has_background()) return out;
  const v1::BackgroundAnalysisSpec& proto = watch.background();
  const FieldPath background_path = path.Field("background");
  if (proto.gates().empty()) {
    return background_path.Field("gates").Invalid(
        "must name at least one gate");
  }
  Background background;
  if (proto.has_interval()) {
    SLUICE_ASSIGN_OR_RETURN(
        background.interval,
        DurationFromProto(proto.interval(), background_path.Field("interval"),
                          DurationRule::kPositive));
  }
  if (proto.starting_wave() < 0) {
    return background_path.Field("starting_wave")
        .Invalid(MustBe(kMustBeNonNegative, proto.starting_wave()));
  }
  background.starting_wave = proto.starting_wave();
  background.gates.assign(proto.gates().begin(), proto.gates().end());
  SLUICE_RETURN_IF_ERROR(
      BuildBackgroundGates(metrics, background.gates).status());
  out.background = std::move(background);
  return out;
}

v1::WatchSpec WatchConfig::ToProto() const {
  v1::WatchSpec out;
  if (bake_recheck_interval) {
    DurationToProto(*bake_recheck_interval,
                    out.mutable_bake_recheck_interval());
  }
  if (background) {
    v1::BackgroundAnalysisSpec* b = out.mutable_background();
    for (const v1::GateSpec& gate : background->gates) *b->add_gates() = gate;
    if (background->interval) {
      DurationToProto(*background->interval, b->mutable_interval());
    }
    b->set_starting_wave(background->starting_wave);
  }
  if (baseline) {
    out.set_baseline(*baseline == BaselineCohort::kAllRemaining
                         ? v1::WatchSpec::BASELINE_ALL_REMAINING
                         : v1::WatchSpec::BASELINE_NEXT_WAVE);
  }
  return out;
}

std::string WatchConfig::Summary() const {
  const absl::Duration recheck =
      bake_recheck_interval.value_or(kDefaultInterval);
  std::string out = recheck > absl::ZeroDuration()
                        ? absl::StrCat("watch: re-checks every ",
                                       absl::FormatDuration(recheck))
                        : std::string("watch: no re-checks");
  if (background) {
    const size_t n = background->gates.size();
    absl::StrAppend(
        &out, ", background analysis (", n, n == 1 ? " gate" : " gates",
        ") every ",
        absl::FormatDuration(background->interval.value_or(kDefaultInterval)),
        " from wave ", background->starting_wave);
  }
  if (baseline) {
    absl::StrAppend(&out, ", baseline ",
                    *baseline == BaselineCohort::kAllRemaining
                        ? "every remaining target"
                        : "the next wave");
  }
  return out;
}

absl::Status WatchConfig::Apply(const MetricSpecs& metrics,
                                RolloutOptions& options) const {
  if (bake_recheck_interval) {
    options.bake_recheck_interval = *bake_recheck_interval;
  }
  if (baseline) options.baseline = *baseline;
  if (!background) return absl::OkStatus();
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<HealthGate>> gates,
                          BuildBackgroundGates(metrics, background->gates));
  SLUICE_RETURN_IF_ERROR(ValidateGateSet(gates));
  options.background_gate = std::shared_ptr<const HealthGate>(
      NewGateSet("background analysis", std::move(gates)));
  options.background_interval = background->interval.value_or(kDefaultInterval);
  options.background_start_wave = background->starting_wave;
  return absl::OkStatus();
}

}  // namespace sluice::internal
