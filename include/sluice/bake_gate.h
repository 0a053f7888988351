// Copyright 2026 The Sluice Authors.
//
// The bake gate: a check that must keep passing for a whole bake.
//
// After a wave deploys, a bake watches it for `duration`: every `interval` it
// evaluates its check afresh (a new GateState each time), and the first
// check that does not pass ends the bake with that check's outcome. When the
// bake ends with every check passed, it passes, unless the checks' samples
// add up to fewer than `min_samples` (then `too_few_samples`). The bake
// starts at GateContext::wave_deployed_at (else at its first evaluation).
//
// Example (the error rate must stay under 1% for an hour, checked every
// five minutes):
//
//   sluice::ThresholdCheck errors;
//   errors.metric.name = "error_rate";
//   errors.max = 0.01;
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> check =
//       sluice::NewThresholdGate("error-rate", errors);
//   if (!check.ok()) return check.status();
//   sluice::BakeOptions bake;
//   bake.duration = absl::Hours(1);
//   bake.interval = absl::Minutes(5);
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> gate =
//       sluice::NewBakeGate("bake", bake, *std::move(check));
//   if (!gate.ok()) return gate.status();

#ifndef SLUICE_BAKE_GATE_H_
#define SLUICE_BAKE_GATE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/health_gate.h"
#include "sluice/verdict.h"

namespace sluice {

// Parameters of a bake. Value type; thread-compatible.
struct BakeOptions {
  // How long the wave must stay healthy, from the end of its deploy
  // (GateContext::wave_deployed_at, else the first evaluation). Required;
  // > 0. Default: zero (invalid).
  absl::Duration duration = absl::ZeroDuration();
  // Time between checks; the first check is one interval into the bake, the
  // last at its end. Required; > 0 and <= duration. Default: zero (invalid).
  absl::Duration interval = absl::ZeroDuration();
  // The checks' samples (Verdict::sample_count) must add up to at least this
  // for the bake to pass; 0 disables. Default: 0.
  int64_t min_samples = 0;
  // The outcome of a bake with too few samples: kInconclusive or kFail.
  // Default: kInconclusive.
  Outcome too_few_samples = Outcome::kInconclusive;
};

// A bake: `check` is evaluated afresh (with a fresh state) at every
// interval; any check that does not pass ends the bake with its outcome.
// Errors name the option, e.g. "interval: must be <= duration (got 2h >
// 1h)".
absl::StatusOr<std::unique_ptr<HealthGate>> NewBakeGate(
    std::string name, BakeOptions options, std::unique_ptr<HealthGate> check);

}  // namespace sluice

#endif  // SLUICE_BAKE_GATE_H_
