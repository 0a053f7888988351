// Copyright 2026 The Sluice Authors.
//
// The rollback-policy part of a RolloutSpec (field `rollback`): validation
// and summary, called from lib/rollout/spec_parts.cc.

#ifndef SLUICE_LIB_ROLLOUT_SPEC_ROLLBACK_H_
#define SLUICE_LIB_ROLLOUT_SPEC_ROLLBACK_H_

#include <string>

#include "absl/status/status.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice::internal {

// Checks spec.rollback (if set). Errors are kInvalidArgument naming the
// field, e.g. "rollback.on_fail.retry.retries: must be in [1, 100] (got 0)".
absl::Status ValidateRollbackSpec(const v1::RolloutSpec& spec);

// Empty when the spec has no `rollback` field; "rollback: default" or e.g.
// "rollback: fail retry 2x then roll back all (reverse waves), inconclusive
// pause".
std::string SummarizeRollbackSpec(const v1::RolloutSpec& spec);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_ROLLOUT_SPEC_ROLLBACK_H_
