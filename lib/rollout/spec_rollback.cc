// Copyright 2026 The Sluice Authors.
//
// Rollback policies from specs (sluice.v1.RollbackPolicySpec): the
// `rollback` part of a RolloutSpec, converted to RollbackConfig here and
// read from it everywhere else.

#include "lib/rollout/spec_rollback.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/rollout/spec_data.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/spec.h"

namespace sluice {
namespace internal {
namespace {

using v1::FailureResponseSpec;
using Action = FailureResponseConfig::Action;

// The duration of a field that is set, checked by `rule`; unset when the
// field is absent.
absl::StatusOr<std::optional<absl::Duration>> OptionalDuration(
    bool has, const google::protobuf::Duration& d, const FieldPath& path,
    DurationRule rule) {
  if (!has) return std::optional<absl::Duration>();
  SLUICE_ASSIGN_OR_RETURN(absl::Duration out, DurationFromProto(d, path, rule));
  return std::optional<absl::Duration>(out);
}

// The policy for one trigger, or null for kUnspecified (the default
// applies). Errors name the field below `path`.
absl::StatusOr<std::unique_ptr<RollbackPolicy>> ResponsePolicy(
    const FailureResponseConfig& response, const FieldPath& path) {
  std::unique_ptr<RollbackPolicy> base;
  switch (response.action) {
    case Action::kUnspecified:
      return std::unique_ptr<RollbackPolicy>();
    case Action::kRollBackAllReverseWaves:
      base = NewRollBackAllPolicy(RollbackOrder::kReverseWaves);
      break;
    case Action::kRollBackAllAtOnce:
      base = NewRollBackAllPolicy(RollbackOrder::kAllAtOnce);
      break;
    case Action::kRollBackCurrentWaveAndPause:
      base = NewRollBackCurrentWavePolicy();
      break;
    case Action::kPauseAndEscalate:
      base = NewPauseAndEscalatePolicy();
      break;
  }
  if (!response.retry.has_value()) return base;
  const FailureResponseConfig::Retry& retry = *response.retry;
  const double multiplier = retry.multiplier == 0 ? 2.0 : retry.multiplier;
  absl::StatusOr<std::unique_ptr<RollbackPolicy>> policy = NewRetryThenPolicy(
      retry.retries, retry.backoff.value_or(absl::ZeroDuration()),
      std::move(base), multiplier);
  if (!policy.ok()) {
    return path.Field("retry").Nest(policy.status());
  }
  return policy;
}

// Converts one trigger's response and checks that it builds.
absl::StatusOr<FailureResponseConfig> ResponseFromProto(
    const FailureResponseSpec& spec, const FieldPath& path) {
  FailureResponseConfig out;
  switch (spec.action()) {
    case FailureResponseSpec::ACTION_UNSPECIFIED:
      if (spec.has_retry()) {
        return path.Field("action").Invalid(
            "must be set when retry is set (what happens after the retries)");
      }
      out.action = Action::kUnspecified;
      break;
    case FailureResponseSpec::ROLL_BACK_ALL_REVERSE_WAVES:
      out.action = Action::kRollBackAllReverseWaves;
      break;
    case FailureResponseSpec::ROLL_BACK_ALL_AT_ONCE:
      out.action = Action::kRollBackAllAtOnce;
      break;
    case FailureResponseSpec::ROLL_BACK_CURRENT_WAVE_AND_PAUSE:
      out.action = Action::kRollBackCurrentWaveAndPause;
      break;
    case FailureResponseSpec::PAUSE_AND_ESCALATE:
      out.action = Action::kPauseAndEscalate;
      break;
    default:
      return path.Field("action").Invalid(
          absl::StrCat("unknown action ", spec.action()));
  }
  if (spec.has_retry()) {
    FailureResponseConfig::Retry retry;
    retry.retries = spec.retry().retries();
    SLUICE_ASSIGN_OR_RETURN(
        retry.backoff,
        OptionalDuration(spec.retry().has_backoff(), spec.retry().backoff(),
                         path.Field("retry").Field("backoff"),
                         DurationRule::kAny));
    retry.multiplier = spec.retry().multiplier();
    out.retry = retry;
  }
  SLUICE_RETURN_IF_ERROR(ResponsePolicy(out, path).status());
  return out;
}

FailureResponseSpec ResponseToProto(const FailureResponseConfig& response) {
  FailureResponseSpec out;
  switch (response.action) {
    case Action::kUnspecified:
      out.set_action(FailureResponseSpec::ACTION_UNSPECIFIED);
      break;
    case Action::kRollBackAllReverseWaves:
      out.set_action(FailureResponseSpec::ROLL_BACK_ALL_REVERSE_WAVES);
      break;
    case Action::kRollBackAllAtOnce:
      out.set_action(FailureResponseSpec::ROLL_BACK_ALL_AT_ONCE);
      break;
    case Action::kRollBackCurrentWaveAndPause:
      out.set_action(FailureResponseSpec::ROLL_BACK_CURRENT_WAVE_AND_PAUSE);
      break;
    case Action::kPauseAndEscalate:
      out.set_action(FailureResponseSpec::PAUSE_AND_ESCALATE);
      break;
  }
  if (response.retry.has_value()) {
    v1::RetrySpec* retry = out.mutable_retry();
    retry->set_retries(response.retry->retries);
    if (response.retry->backoff.has_value()) {
      DurationToProto(*response.retry->backoff, retry->mutable_backoff());
    }
    retry->set_multiplier(response.retry->multiplier);
  }
  return out;
}

std::string ResponseSummary(const FailureResponseConfig& response) {
  std::string out;
  if (response.retry.has_value()) {
    absl::StrAppend(&out, "retry ", response.retry->retries, "x then ");
  }
  switch (response.action) {
    case Action::kRollBackAllReverseWaves:
      absl::StrAppend(&out, "roll back all (reverse waves)");
      break;
    case Action::kRollBackAllAtOnce:
      absl::StrAppend(&out, "roll back all (at once)");
      break;
    case Action::kRollBackCurrentWaveAndPause:
      absl::StrAppend(&out, "roll back wave and pause");
      break;
    case Action::kPauseAndEscalate:
      absl::StrAppend(&out, "pause and escalate");
      break;
    case Action::kUnspecified:
      absl::StrAppend(&out, "default");
  }
  return out;
}

// The four triggers of `proto`, converted into `out` (no engine limits).
absl::Status TriggersFromProto(const v1::RollbackPolicySpec& proto,
                               const FieldPath& p, RollbackConfig& out) {
  struct Trigger {
    bool has;
    const FailureResponseSpec& spec;
    absl::string_view field;
    std::optional<FailureResponseConfig>& out;
  };
  const Trigger triggers[] = {
      {proto.has_on_fail(), proto.on_fail(), "on_fail", out.on_fail},
      {proto.has_on_inconclusive(), proto.on_inconclusive(), ".on_inconclusive",
       out.on_inconclusive},
      {proto.has_on_error(), proto.on_error(), "on_error", out.on_error},
      {proto.has_on_deadline(), proto.on_deadline(), "on_deadline",
       out.on_deadline},
  };
  for (const Trigger& t : triggers) {
    // An absent response validates as the empty one (the default).
    SLUICE_ASSIGN_OR_RETURN(FailureResponseConfig response,
                            ResponseFromProto(t.spec, p.Field(t.field)));
    if (t.has) t.out = response;
  }
  return absl::OkStatus();
}

absl::Status CheckAttempts(int value, const FieldPath& path) {
  if (value < 0 || value > 100) {
    return path.Invalid(
        MustBe("must be in [1, 100], or 0 for the default", value));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RollbackConfig> RollbackConfig::FromProto(
    const v1::RollbackPolicySpec& proto, absl::string_view path) {
  const FieldPath p(path);
  RollbackConfig out;
  SLUICE_RETURN_IF_ERROR(
      CheckAttempts(proto.rollback_attempts(), p.Field("rollback_attempts")));
  out.rollback_attempts = proto.rollback_attempts();
  SLUICE_ASSIGN_OR_RETURN(out.rollback_retry_backoff,
                          OptionalDuration(proto.has_rollback_retry_backoff(),
                                           proto.rollback_retry_backoff(),
                                           p.Field("rollback_retry_backoff"),
                                           DurationRule::kNonNegative));
  SLUICE_ASSIGN_OR_RETURN(
      out.progress_deadline,
      OptionalDuration(proto.has_progress_deadline(), proto.progress_deadline(),
                       p.Field("progress_deadline"), DurationRule::kPositive));
  SLUICE_RETURN_IF_ERROR(
      CheckAttempts(proto.deploy_attempts(), p.Field("deploy_attempts")));
  out.deploy_attempts = proto.deploy_attempts();
  SLUICE_ASSIGN_OR_RETURN(out.deploy_retry_backoff,
                          OptionalDuration(proto.has_deploy_retry_backoff(),
                                           proto.deploy_retry_backoff(),
                                           p.Field("deploy_retry_backoff"),
                                           DurationRule::kNonNegative));
  SLUICE_RETURN_IF_ERROR(TriggersFromProto(proto, p, out));
  return out;
}

v1::RollbackPolicySpec RollbackConfig::ToProto() const {
  v1::RollbackPolicySpec out;
  if (on_fail) *out.mutable_on_fail() = ResponseToProto(*on_fail);
  if (on_inconclusive) {
    *out.mutable_on_inconclusive() = ResponseToProto(*on_inconclusive);
  }
  if (on_error) *out.mutable_on_error() = ResponseToProto(*on_error);
  if (on_deadline) *out.mutable_on_deadline() = ResponseToProto(*on_deadline);
  out.set_rollback_attempts(rollback_attempts);
  if (rollback_retry_backoff) {
    DurationToProto(*rollback_retry_backoff,
                    out.mutable_rollback_retry_backoff());
  }
  if (progress_deadline) {
    DurationToProto(*progress_deadline, out.mutable_progress_deadline());
  }
  out.set_deploy_attempts(deploy_attempts);
  if (deploy_retry_backoff) {
    DurationToProto(*deploy_retry_backoff, out.mutable_deploy_retry_backoff());
  }
  return out;
}

absl::StatusOr<std::unique_ptr<RollbackPolicy>> RollbackConfig::NewPolicy(
    absl::string_view path) const {
  const FieldPath p(path);
  PerTriggerPolicies per;
  const FailureResponseConfig none;
  SLUICE_ASSIGN_OR_RETURN(
      per.on_fail, ResponsePolicy(on_fail.value_or(none), p.Field("on_fail")));
  SLUICE_ASSIGN_OR_RETURN(per.on_inconclusive,
                          ResponsePolicy(on_inconclusive.value_or(none),
                                         p.Field("on_inconclusive")));
  SLUICE_ASSIGN_OR_RETURN(per.on_error, ResponsePolicy(on_error.value_or(none),
                                                       p.Field("on_error")));
  SLUICE_ASSIGN_OR_RETURN(
      per.on_deadline,
      ResponsePolicy(on_deadline.value_or(none), p.Field("on_deadline")));
  if (!per.on_fail && !per.on_inconclusive && !per.on_error &&
      !per.on_deadline) {
    return NewDefaultRollbackPolicy();
  }
  return NewPerTriggerPolicy(std::move(per));
}

absl::Status RollbackConfig::Apply(RolloutOptions& options,
                                   absl::string_view path) const {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<RollbackPolicy> policy,
                          NewPolicy(path));
  options.rollback_policy = std::move(policy);
  if (rollback_attempts > 0) options.rollback_attempts = rollback_attempts;
  if (rollback_retry_backoff) {
    options.rollback_retry_backoff = *rollback_retry_backoff;
  }
  if (progress_deadline) options.progress_deadline = *progress_deadline;
  if (deploy_attempts > 0) options.deploy_attempts = deploy_attempts;
  if (deploy_retry_backoff) {
    options.deploy_retry_backoff = *deploy_retry_backoff;
  }
  return absl::OkStatus();
}

std::string RollbackConfig::Summary() const {
  std::vector<std::string> parts;
  if (on_fail) parts.push_back("fail " + ResponseSummary(*on_fail));
  if (on_inconclusive) {
    parts.push_back("inconclusive " + ResponseSummary(*on_inconclusive));
  }
  if (on_error) parts.push_back("error " + ResponseSummary(*on_error));
  if (on_deadline) parts.push_back("deadline " + ResponseSummary(*on_deadline));
  if (parts.empty()) return "rollback: default";
  return absl::StrCat("rollback: ", absl::StrJoin(parts, ", "));
}

bool RollbackConfig::operator==(const RollbackConfig& o) const {
  return on_fail == o.on_fail && on_inconclusive == o.on_inconclusive &&
         on_error == o.on_error && on_deadline == o.on_deadline &&
         rollback_attempts == o.rollback_attempts &&
         rollback_retry_backoff == o.rollback_retry_backoff &&
         progress_deadline == o.progress_deadline &&
         deploy_attempts == o.deploy_attempts &&
         deploy_retry_backoff == o.deploy_retry_backoff;
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<RollbackPolicy>> RollbackPolicyFromProto(
    const v1::RollbackPolicySpec& spec, absl::string_view path) {
  internal::RollbackConfig triggers;
  SLUICE_RETURN_IF_ERROR(
      internal::TriggersFromProto(spec, internal::FieldPath(path), triggers));
  return triggers.NewPolicy(path);
}

absl::Status ApplyRollbackPolicySpec(const v1::RollbackPolicySpec& spec,
                                     RolloutOptions& options,
                                     absl::string_view path) {
  SLUICE_ASSIGN_OR_RETURN(internal::RollbackConfig config,
                          internal::RollbackConfig::FromProto(spec, path));
  return config.Apply(options, path);
}

absl::StatusOr<std::unique_ptr<RollbackPolicy>> RollbackPolicyFromSpec(
    const RolloutSpec& spec) {
  const internal::SpecData& data = internal::DataOf(spec);
  if (!data.rollback.has_value()) return NewDefaultRollbackPolicy();
  return data.rollback->NewPolicy("rollback");
}

}  // namespace sluice
