// Copyright 2026 The Sluice Authors.
//
// The rollback-policy part of a RolloutSpec (field `rollback`,
// sluice.v1.RollbackPolicySpec), converted at the rollout component's edge:
// RollbackConfig holds the values (actions, retries, attempts, durations),
// FromProto() validates and converts, ToProto() gives the message back, and
// the rest of the library reads the values, never the message.

#ifndef SLUICE_LIB_ROLLOUT_SPEC_ROLLBACK_H_
#define SLUICE_LIB_ROLLOUT_SPEC_ROLLBACK_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/v1/rollout.pb.h"

namespace sluice::internal {

// What happens on one trigger (sluice.v1.FailureResponseSpec). Value type.
// Thread-compatible.
struct FailureResponseConfig {
  enum class Action {
    kUnspecified,  // the default policy's response
    kRollBackAllReverseWaves,
    kRollBackAllAtOnce,
    kRollBackCurrentWaveAndPause,
    kPauseAndEscalate,
  };
  // sluice.v1.RetrySpec.
  struct Retry {
    int retries = 0;
    // Unset: zero.
    std::optional<absl::Duration> backoff;
    // 0 means the default, 2.
    double multiplier = 0;
    bool operator==(const Retry& o) const {
      return retries == o.retries && backoff == o.backoff &&
             multiplier == o.multiplier;
    }
  };
  Action action = Action::kUnspecified;
  std::optional<Retry> retry;

  bool operator==(const FailureResponseConfig& o) const {
    return action == o.action && retry == o.retry;
  }
};

// A validated sluice.v1.RollbackPolicySpec, converted. Value type.
// Thread-compatible.
struct RollbackConfig {
  // Each unset trigger takes the default policy's response.
  std::optional<FailureResponseConfig> on_fail;
  std::optional<FailureResponseConfig> on_inconclusive;
  std::optional<FailureResponseConfig> on_error;
  std::optional<FailureResponseConfig> on_deadline;
  // 0: RolloutOptions' default.
  int rollback_attempts = 0;
  std::optional<absl::Duration> rollback_retry_backoff;
  std::optional<absl::Duration> progress_deadline;
  // 0: RolloutOptions' default.
  int deploy_attempts = 0;
  std::optional<absl::Duration> deploy_retry_backoff;

  // Validates and converts. Errors are kInvalidArgument naming the field
  // below `path`, e.g. "rollback.on_fail.retry.retries: must be in [1, 100]
  // (got 0)".
  static absl::StatusOr<RollbackConfig> FromProto(
      const v1::RollbackPolicySpec& proto, absl::string_view path);

  // The message FromProto() read (same fields set, same values).
  v1::RollbackPolicySpec ToProto() const;

  // The policy the triggers describe (the default policy when none is set).
  absl::StatusOr<std::unique_ptr<RollbackPolicy>> NewPolicy(
      absl::string_view path) const;

  // Sets options.rollback_policy and the engine limits this config sets;
  // the others keep their values in `options`.
  absl::Status Apply(RolloutOptions& options, absl::string_view path) const;

  // "rollback: default" or e.g. "rollback: fail retry 2x then roll back all
  // (reverse waves), inconclusive pause and escalate".
  std::string Summary() const;

  bool operator==(const RollbackConfig& o) const;
};

}  // namespace sluice::internal

#endif  // SLUICE_LIB_ROLLOUT_SPEC_ROLLBACK_H_
