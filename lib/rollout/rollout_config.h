// Copyright 2026 The Sluice Authors.
//
// The configuration that governs a rollout's decisions, described line by
// line for the snapshot's fingerprint: the gate of every wave, the rollback
// policy and the engine's limits. A snapshot records it; Restore() compares
// it with the configuration it is given and refuses a change the host did not
// declare (RestoreOptions::accept_config_change).

#ifndef SLUICE_LIB_ROLLOUT_ROLLOUT_CONFIG_H_
#define SLUICE_LIB_ROLLOUT_ROLLOUT_CONFIG_H_

#include <string>
#include <vector>

#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/wave_plan.h"

namespace sluice::internal {

// One line per setting, e.g. "wave 1 (zone): gate error-rate",
// "rollback policy: default", "progress_deadline: 10m", in a fixed order.
// `policy` is the effective policy (never null).
std::vector<std::string> DescribeConfig(const WavePlan& plan,
                                        const RolloutOptions& options,
                                        const RollbackPolicy& policy);

// SHA-256 of the lines (each ended by '\n'), as 64 hex digits.
std::string ConfigFingerprint(const std::vector<std::string>& lines);

// The first difference between two descriptions, for an error or an event:
// "wave 1 (zone): gate error-rate -> wave 1 (zone): gate none", or empty
// when they are equal.
std::string DescribeConfigChange(const std::vector<std::string>& before,
                                 const std::vector<std::string>& after);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_ROLLOUT_ROLLOUT_CONFIG_H_
