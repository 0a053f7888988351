// Copyright 2026 The Sluice Authors.
//
// The wave-strategy part of a RolloutSpec (field `waves`,
// proto/sluice/v1/waves.proto): validation, validation against a fleet, a
// summary phrase, and conversion to a WaveScheduler. lib/rollout/spec_parts.cc
// calls the first three; NewScheduler(const RolloutSpec&) and `sluice plan` the
// last.

#ifndef SLUICE_LIB_WAVES_SPEC_WAVES_H_
#define SLUICE_LIB_WAVES_SPEC_WAVES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sluice/fleet.h"
#include "sluice/v1/waves.pb.h"
#include "sluice/wave_scheduler.h"

namespace sluice::internal {

// Checks a strategy on its own. Error paths start with "waves.", e.g.
// "waves.staged.max_regions_per_wave: must be >= 1 (got 0)". An unset
// strategy is valid here (the spec has none).
absl::Status ValidateWaveStrategy(const v1::WaveStrategy& strategy);

// Checks what needs the fleet: regions in region_order that the fleet lacks,
// selectors that match no target, and whether the fleet can be planned at
// all (e.g. a minimum healthy count >= the fleet's size).
absl::Status ValidateWaveStrategyAgainst(const v1::WaveStrategy& strategy,
                                         const Fleet& fleet);

// A short phrase, e.g. "waves: staged (max 4 regions per wave)", or empty
// when no strategy is set.
std::string SummarizeWaveStrategy(const v1::WaveStrategy& strategy);

// The stage names (Wave::stage) the strategy can produce, sorted, for
// checking per-stage gate overrides: "all" (all_at_once); "batch"
// (one_at_a_time, half_at_a_time, batches, min_healthy, rolling); "step"
// (linear, exponential); "canary" and "rest" (canary); "step" and
// "promotion" (steps, flagger); the six stages of staged; a composite's
// stage names. Empty when no strategy is set. tests/waves/spec_waves_test.cc
// checks it against the plans of every example spec.
std::vector<std::string> StagesOfStrategy(const v1::WaveStrategy& strategy);

// The scheduler the strategy describes (validating it first). Errors are
// prefixed "waves."; an unset strategy is kInvalidArgument "waves: is
// required".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewSchedulerFromSpec(
    const v1::WaveStrategy& strategy);

// RolloutSpec.waves as the waves component holds it once validated: the
// strategy's parameters (kept in their message form, which each built-in
// scheduler's factory reads), its stage names and its summary. Callers above
// the waves component read this, never the message. Copyable.
// Thread-compatible.
class WavesConfig {
 public:
  // Validates `proto` (an unset strategy is valid: the spec has none).
  // Errors as ValidateWaveStrategy().
  static absl::StatusOr<WavesConfig> FromProto(const v1::WaveStrategy& proto);

  // The message FromProto() read.
  const v1::WaveStrategy& ToProto() const { return proto_; }

  // Whether a strategy is set.
  bool has_strategy() const;

  // The scheduler; "waves: is required" when no strategy is set.
  absl::StatusOr<std::unique_ptr<WaveScheduler>> NewScheduler() const;

  // As ValidateWaveStrategyAgainst().
  absl::Status ValidateAgainst(const Fleet& fleet) const;

  // As SummarizeWaveStrategy().
  const std::string& Summary() const { return summary_; }

  // As StagesOfStrategy().
  const std::vector<std::string>& stages() const { return stages_; }

 private:
  v1::WaveStrategy proto_;
  std::vector<std::string> stages_;
  std::string summary_;
};

}  // namespace sluice::internal

#endif  // SLUICE_LIB_WAVES_SPEC_WAVES_H_
