// Copyright 2026 The Sluice Authors.
//
// Restore trusts nothing: the checks a parsed snapshot (sluice.v1.RolloutState)
// must pass before the engine takes any of it. A checksum only guards against
// accidents; these checks refuse every impossible state with the field's path,
// whatever produced it.

#ifndef SLUICE_LIB_ROLLOUT_ROLLOUT_STATE_CHECK_H_
#define SLUICE_LIB_ROLLOUT_ROLLOUT_STATE_CHECK_H_

#include <cstddef>

#include "absl/status/status.h"
#include "sluice/v1/rollout.pb.h"

namespace sluice::internal {

// Checks every field of `state` and their consistency for a fleet of
// `fleet_size` targets: names of status, phase, kinds and triggers; the
// current wave against the plan, the status and the phase; action waves,
// states and counters; each target's open action (target_action); deploy
// retry state (per-target tries, wave and total retries, the retry time);
// the background watch (watch.*); attempt counters >= 0; finite fractions and
// traffic percents; timestamps in 0001-01-01..9999-12-31 (or the infinite
// sentinels); durations in protobuf's range and >= 0. Errors are
// kInvalidArgument "snapshot: <field path>: <what is wrong>", e.g.
// "snapshot: actions[3].remaining: must be in [0, total 4] (got -5)".
absl::Status CheckRolloutState(const v1::RolloutState& state,
                               size_t fleet_size);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_ROLLOUT_ROLLOUT_STATE_CHECK_H_
