// Copyright 2026 The Sluice Authors.
//
// Rollback policies from specs (sluice.v1.RollbackPolicySpec): the
// `rollback` part of a RolloutSpec.

#include "lib/rollout/spec_rollback.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/status_macros.h"
#include "lib/rollout/rollout_codec.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/spec.h"

namespace sluice {
namespace {

using v1::FailureResponseSpec;

// The response for one trigger, or null when unset (the default applies).
absl::StatusOr<std::unique_ptr<RollbackPolicy>> ResponseFromProto(
    const FailureResponseSpec& spec, const std::string& path) {
  std::unique_ptr<RollbackPolicy> base;
  switch (spec.action()) {
    case FailureResponseSpec::ACTION_UNSPECIFIED:
      if (spec.has_retry()) {
        return internal::InvalidArgumentAt(
            absl::StrCat(path, ".action"),
            "must be set when retry is set (what happens after the retries)");
      }
      return std::unique_ptr<RollbackPolicy>();
    case FailureResponseSpec::ROLL_BACK_ALL_REVERSE_WAVES:
      base = NewRollBackAllPolicy(RollbackOrder::kReverseWaves);
      break;
    case FailureResponseSpec::ROLL_BACK_ALL_AT_ONCE:
      base = NewRollBackAllPolicy(RollbackOrder::kAllAtOnce);
      break;
    case FailureResponseSpec::ROLL_BACK_CURRENT_WAVE_AND_PAUSE:
      base = NewRollBackCurrentWavePolicy();
      break;
    case FailureResponseSpec::PAUSE_AND_ESCALATE:
      base = NewPauseAndEscalatePolicy();
      break;
    default:
      return internal::InvalidArgumentAt(
          absl::StrCat(path, ".action"),
          absl::StrCat("unknown action ", spec.action()));
  }
  if (!spec.has_retry()) return base;
  const v1::RetrySpec& retry = spec.retry();
  const double multiplier = retry.multiplier() == 0 ? 2.0 : retry.multiplier();
  absl::StatusOr<std::unique_ptr<RollbackPolicy>> policy = NewRetryThenPolicy(
      retry.retries(), internal::DecodeDuration(retry.backoff()),
      std::move(base), multiplier);
  if (!policy.ok()) {
    return internal::NestStatus(policy.status(), absl::StrCat(path, ".retry"));
  }
  return policy;
}

std::string ResponseSummary(const FailureResponseSpec& spec) {
  std::string out;
  if (spec.has_retry()) {
    absl::StrAppend(&out, "retry ", spec.retry().retries(), "x then ");
  }
  switch (spec.action()) {
    case FailureResponseSpec::ROLL_BACK_ALL_REVERSE_WAVES:
      absl::StrAppend(&out, "roll back all (reverse waves)");
      break;
    case FailureResponseSpec::ROLL_BACK_ALL_AT_ONCE:
      absl::StrAppend(&out, "roll back all (at once)");
      break;
    case FailureResponseSpec::ROLL_BACK_CURRENT_WAVE_AND_PAUSE:
      absl::StrAppend(&out, "roll back wave and pause");
      break;
    case FailureResponseSpec::PAUSE_AND_ESCALATE:
      absl::StrAppend(&out, "pause and escalate");
      break;
    default:
      absl::StrAppend(&out, "default");
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RollbackPolicy>> RollbackPolicyFromProto(
    const v1::RollbackPolicySpec& spec, absl::string_view path) {
  const std::string p(path);
  PerTriggerPolicies per;
  SLUICE_ASSIGN_OR_RETURN(per.on_fail,
                          ResponseFromProto(spec.on_fail(), p + ".on_fail"));
  SLUICE_ASSIGN_OR_RETURN(
      per.on_inconclusive,
      ResponseFromProto(spec.on_inconclusive(), p + ".on_inconclusive"));
  SLUICE_ASSIGN_OR_RETURN(per.on_error,
                          ResponseFromProto(spec.on_error(), p + ".on_error"));
  SLUICE_ASSIGN_OR_RETURN(
      per.on_deadline,
      ResponseFromProto(spec.on_deadline(), p + ".on_deadline"));
  if (!per.on_fail && !per.on_inconclusive && !per.on_error &&
      !per.on_deadline) {
    return NewDefaultRollbackPolicy();
  }
  return NewPerTriggerPolicy(std::move(per));
}

absl::Status ApplyRollbackPolicySpec(const v1::RollbackPolicySpec& spec,
                                     RolloutOptions& options,
                                     absl::string_view path) {
  const std::string p(path);
  if (spec.rollback_attempts() < 0 || spec.rollback_attempts() > 100) {
    return internal::InvalidArgumentAt(
        p + ".rollback_attempts",
        absl::StrCat("must be in [1, 100], or 0 for the default (got ",
                     spec.rollback_attempts(), ")"));
  }
  if (spec.has_rollback_retry_backoff() &&
      internal::DecodeDuration(spec.rollback_retry_backoff()) <
          absl::ZeroDuration()) {
    return internal::InvalidArgumentAt(p + ".rollback_retry_backoff",
                                       "must be >= 0");
  }
  if (spec.has_progress_deadline() &&
      internal::DecodeDuration(spec.progress_deadline()) <=
          absl::ZeroDuration()) {
    return internal::InvalidArgumentAt(p + ".progress_deadline", "must be > 0");
  }
  if (spec.deploy_attempts() < 0 || spec.deploy_attempts() > 100) {
    return internal::InvalidArgumentAt(
        p + ".deploy_attempts",
        absl::StrCat("must be in [1, 100], or 0 for the default (got ",
                     spec.deploy_attempts(), ")"));
  }
  if (spec.has_deploy_retry_backoff() &&
      internal::DecodeDuration(spec.deploy_retry_backoff()) <
          absl::ZeroDuration()) {
    return internal::InvalidArgumentAt(p + ".deploy_retry_backoff",
                                       "must be >= 0");
  }
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<RollbackPolicy> policy,
                          RollbackPolicyFromProto(spec, path));
  options.rollback_policy = std::move(policy);
  if (spec.rollback_attempts() > 0) {
    options.rollback_attempts = spec.rollback_attempts();
  }
  if (spec.has_rollback_retry_backoff()) {
    options.rollback_retry_backoff =
        internal::DecodeDuration(spec.rollback_retry_backoff());
  }
  if (spec.has_progress_deadline()) {
    options.progress_deadline =
        internal::DecodeDuration(spec.progress_deadline());
  }
  if (spec.deploy_attempts() > 0) {
    options.deploy_attempts = spec.deploy_attempts();
  }
  if (spec.has_deploy_retry_backoff()) {
    options.deploy_retry_backoff =
        internal::DecodeDuration(spec.deploy_retry_backoff());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RollbackPolicy>> RollbackPolicyFromSpec(
    const RolloutSpec& spec) {
  if (!spec.proto().has_rollback()) return NewDefaultRollbackPolicy();
  return RollbackPolicyFromProto(spec.proto().rollback(), "rollback");
}

namespace internal {

absl::Status ValidateRollbackSpec(const v1::RolloutSpec& spec) {
  if (!spec.has_rollback()) return absl::OkStatus();
  RolloutOptions scratch;
  return ApplyRollbackPolicySpec(spec.rollback(), scratch, "rollback");
}

std::string SummarizeRollbackSpec(const v1::RolloutSpec& spec) {
  if (!spec.has_rollback()) return "";
  const v1::RollbackPolicySpec& r = spec.rollback();
  std::vector<std::string> parts;
  if (r.has_on_fail()) parts.push_back("fail " + ResponseSummary(r.on_fail()));
  if (r.has_on_inconclusive()) {
    parts.push_back("inconclusive " + ResponseSummary(r.on_inconclusive()));
  }
  if (r.has_on_error()) {
    parts.push_back("error " + ResponseSummary(r.on_error()));
  }
  if (r.has_on_deadline()) {
    parts.push_back("deadline " + ResponseSummary(r.on_deadline()));
  }
  if (parts.empty()) return "rollback: default";
  return absl::StrCat("rollback: ", absl::StrJoin(parts, ", "));
}

}  // namespace internal
}  // namespace sluice
