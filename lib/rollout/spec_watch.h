// Copyright 2026 The Sluice Authors.
//
// The `watch` part of a RolloutSpec (WatchSpec, proto/sluice/v1/
// rollout_spec.proto): bake re-checks, background analysis and the gates'
// baseline cohort, converted at
// the rollout component's edge. WatchConfig holds the values; FromProto()
// validates (naming the field's path) and converts, ToProto() gives the
// message back, Apply() sets the RolloutOptions fields.

#ifndef SLUICE_LIB_ROLLOUT_SPEC_WATCH_H_
#define SLUICE_LIB_ROLLOUT_SPEC_WATCH_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_field.h"
#include "sluice/rollout.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice::internal {

// The metric declarations gates are built over (RolloutSpec.metrics).
using MetricSpecs = google::protobuf::RepeatedPtrField<v1::MetricSpec>;

// A validated sluice.v1.WatchSpec, converted. Value type. Thread-compatible.
struct WatchConfig {
  // sluice.v1.BackgroundAnalysisSpec.
  struct Background {
    // The gates' own configuration, built by the gates component over the
    // spec's metrics (non-empty).
    std::vector<v1::GateSpec> gates;
    // Unset: 5 minutes.
    std::optional<absl::Duration> interval;
    int starting_wave = 0;
  };
  // Unset: RolloutOptions' default.
  std::optional<absl::Duration> bake_recheck_interval;
  std::optional<Background> background;
  // Unset (BASELINE_UNSPECIFIED): RolloutOptions' value.
  std::optional<BaselineCohort> baseline;

  // Validates and converts. Errors are kInvalidArgument naming the field,
  // e.g. "watch.background.interval: must be > 0 (got 0)", "watch.baseline:
  // must be BASELINE_UNSPECIFIED, BASELINE_NEXT_WAVE or
  // BASELINE_ALL_REMAINING (got 7)",
  // "watch.background.gates[0].threshold.metric: names undeclared metric
  // \"p99\"".
  static absl::StatusOr<WatchConfig> FromProto(const v1::WatchSpec& proto,
                                               const MetricSpecs& metrics);

  // The message FromProto() read.
  v1::WatchSpec ToProto() const;

  // "watch: re-checks every 5m, background analysis (2 gates) every 5m from
  // wave 0, baseline every remaining target".
  std::string Summary() const;

  // Sets options.bake_recheck_interval, the background analysis
  // (background_gate, background_interval, background_start_wave) and
  // options.baseline; fields
  // this config leaves unset keep their values in `options`.
  absl::Status Apply(const MetricSpecs& metrics, RolloutOptions& options) const;
};

}  // namespace sluice::internal

#endif  // SLUICE_LIB_ROLLOUT_SPEC_WATCH_H_
