// Copyright 2026 The Sluice Authors.
//
// The built-in rollback policies and their combinators.

#include "sluice/rollback_policy.h"

#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"

namespace sluice {

absl::string_view FailureTriggerName(FailureTrigger trigger) {
  switch (trigger) {
    case FailureTrigger::kGateFail:
      return "gate-fail";
    case FailureTrigger::kGateInconclusive:
      return "gate-inconclusive";
    case FailureTrigger::kGateError:
      return "gate-error";
    case FailureTrigger::kDeployFailures:
      return "deploy-failures";
    case FailureTrigger::kProgressDeadline:
      return "progress-deadline";
    case FailureTrigger::kRejected:
      return "rejected";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, FailureTrigger trigger) {
  return os << FailureTriggerName(trigger);
}

absl::string_view RollbackOrderName(RollbackOrder order) {
  switch (order) {
    case RollbackOrder::kReverseWaves:
      return "reverse-waves";
    case RollbackOrder::kAllAtOnce:
      return "all-at-once";
  }
  return "unknown";
}

absl::string_view DecisionKindName(Decision::Kind kind) {
  switch (kind) {
    case Decision::Kind::kRollBackAll:
      return "roll-back-all";
    case Decision::Kind::kRollBackCurrentWaveAndPause:
      return "roll-back-current-wave-and-pause";
    case Decision::Kind::kPauseAndEscalate:
      return "pause-and-escalate";
    case Decision::Kind::kRetryWave:
      return "retry-wave";
  }
  return "unknown";
}

Decision Decision::RollBackAll(RollbackOrder order, std::string reason) {
  Decision d;
  d.kind = Kind::kRollBackAll;
  d.order = order;
  d.reason = std::move(reason);
  return d;
}

Decision Decision::RollBackCurrentWaveAndPause(std::string reason) {
  Decision d;
  d.kind = Kind::kRollBackCurrentWaveAndPause;
  d.reason = std::move(reason);
  return d;
}

Decision Decision::PauseAndEscalate(std::string reason) {
  Decision d;
  d.kind = Kind::kPauseAndEscalate;
  d.reason = std::move(reason);
  return d;
}

Decision Decision::RetryWave(absl::Duration after, std::string reason) {
  Decision d;
  d.kind = Kind::kRetryWave;
  d.retry_after = after;
  d.escalate = false;
  d.reason = std::move(reason);
  return d;
}

bool operator==(const Decision& a, const Decision& b) {
  return a.kind == b.kind && a.order == b.order &&
         a.retry_after == b.retry_after && a.escalate == b.escalate &&
         a.reason == b.reason;
}

std::ostream& operator<<(std::ostream& os, const Decision& decision) {
  switch (decision.kind) {
    case Decision::Kind::kRollBackAll:
      os << "RollBackAll(" << RollbackOrderName(decision.order)
         << (decision.escalate ? ", escalate" : "") << ")";
      break;
    case Decision::Kind::kRollBackCurrentWaveAndPause:
      os << "RollBackCurrentWaveAndPause("
         << (decision.escalate ? "escalate" : "") << ")";
      break;
    case Decision::Kind::kPauseAndEscalate:
      os << "PauseAndEscalate()";
      break;
    case Decision::Kind::kRetryWave:
      os << "RetryWave(after " << absl::FormatDuration(decision.retry_after)
         << (decision.escalate ? ", escalate" : "") << ")";
      break;
  }
  if (!decision.reason.empty()) os << ": " << decision.reason;
  return os;
}

namespace {

std::string TriggerReason(const FailureContext& context) {
  std::string out = absl::StrCat("wave ", context.wave_index, " ",
                                 FailureTriggerName(context.trigger));
  if (!context.reason.empty()) absl::StrAppend(&out, ": ", context.reason);
  return out;
}

class RollBackAllPolicy : public RollbackPolicy {
 public:
  explicit RollBackAllPolicy(RollbackOrder order) : order_(order) {}
  std::string name() const override {
    return absl::StrCat("roll-back-all(", RollbackOrderName(order_), ")");
  }
  Decision Decide(const FailureContext& context) const override {
    return Decision::RollBackAll(order_, TriggerReason(context));
  }

 private:
  RollbackOrder order_;
};

class RollBackCurrentWavePolicy : public RollbackPolicy {
 public:
  std::string name() const override { return "roll-back-current-wave"; }
  Decision Decide(const FailureContext& context) const override {
    return Decision::RollBackCurrentWaveAndPause(TriggerReason(context));
  }
};

class PauseAndEscalatePolicy : public RollbackPolicy {
 public:
  std::string name() const override { return "pause-and-escalate"; }
  Decision Decide(const FailureContext& context) const override {
    return Decision::PauseAndEscalate(TriggerReason(context));
  }
};

class RetryThenPolicy : public RollbackPolicy {
 public:
  RetryThenPolicy(int retries, absl::Duration backoff, double multiplier,
                  std::unique_ptr<RollbackPolicy> then)
      : retries_(retries),
        backoff_(backoff),
        multiplier_(multiplier),
        then_(std::move(then)) {}
  std::string name() const override {
    return absl::StrCat("retry-then(", retries_, ", ",
                        absl::FormatDuration(backoff_), ", ", then_->name(),
                        ")");
  }
  Decision Decide(const FailureContext& context) const override {
    // attempt 1 failed → retry 1, ..., attempt retries+1 failed → give up.
    if (context.attempt <= retries_) {
      absl::Duration wait = backoff_;
      for (int i = 1; i < context.attempt && wait < absl::Hours(24); ++i) {
        wait = wait * multiplier_;
      }
      wait = std::min(wait, absl::Hours(24));
      return Decision::RetryWave(
          wait, absl::StrCat("retry ", context.attempt, " of ", retries_,
                             " after ", absl::FormatDuration(wait), " (",
                             TriggerReason(context), ")"));
    }
    Decision d = then_->Decide(context);
    d.reason = absl::StrCat(retries_, " retries used up; ", d.reason);
    return d;
  }

 private:
  int retries_;
  absl::Duration backoff_;
  double multiplier_;
  std::unique_ptr<RollbackPolicy> then_;
};

class PerTriggerPolicy : public RollbackPolicy {
 public:
  explicit PerTriggerPolicy(PerTriggerPolicies p) : p_(std::move(p)) {}
  std::string name() const override {
    return absl::StrCat("per-trigger(fail: ", p_.on_fail->name(),
                        ", inconclusive: ", p_.on_inconclusive->name(),
                        ", error: ", p_.on_error->name(),
                        ", deadline: ", p_.on_deadline->name(), ")");
  }
  Decision Decide(const FailureContext& context) const override {
    switch (context.trigger) {
      case FailureTrigger::kGateInconclusive:
        return p_.on_inconclusive->Decide(context);
      case FailureTrigger::kGateError:
        return p_.on_error->Decide(context);
      case FailureTrigger::kProgressDeadline:
        return p_.on_deadline->Decide(context);
      case FailureTrigger::kGateFail:
      case FailureTrigger::kDeployFailures:
      case FailureTrigger::kRejected:
        break;
    }
    return p_.on_fail->Decide(context);
  }

 private:
  PerTriggerPolicies p_;
};

class DefaultPolicy : public RollbackPolicy {
 public:
  std::string name() const override { return "default"; }
  Decision Decide(const FailureContext& context) const override {
    if (context.trigger == FailureTrigger::kGateInconclusive) {
      // Too little data is not a failure: watch the wave once more (its
      // gates start afresh, extending the bake), then ask a person.
      if (context.attempt <= 1) {
        Decision d = Decision::RetryWave(
            absl::ZeroDuration(),
            absl::StrCat("extending the bake: the wave's gates run once more "
                         "before escalating (",
                         TriggerReason(context), ")"));
        return d;
      }
      Decision d = Decision::PauseAndEscalate(TriggerReason(context));
      d.reason =
          absl::StrCat("still inconclusive after an extended bake; ", d.reason);
      return d;
    }
    return Decision::RollBackAll(RollbackOrder::kAllAtOnce,
                                 TriggerReason(context));
  }
};

}  // namespace

std::unique_ptr<RollbackPolicy> NewRollBackAllPolicy(RollbackOrder order) {
  return std::make_unique<RollBackAllPolicy>(order);
}

std::unique_ptr<RollbackPolicy> NewRollBackCurrentWavePolicy() {
  return std::make_unique<RollBackCurrentWavePolicy>();
}

std::unique_ptr<RollbackPolicy> NewPauseAndEscalatePolicy() {
  return std::make_unique<PauseAndEscalatePolicy>();
}

absl::StatusOr<std::unique_ptr<RollbackPolicy>> NewRetryThenPolicy(
    int retries, absl::Duration backoff, std::unique_ptr<RollbackPolicy> then,
    double multiplier) {
  if (retries < 1 || retries > 100) {
    return internal::InvalidArgumentAt(
        "retries", absl::StrCat("must be in [1, 100] (got ", retries, ")"));
  }
  if (backoff < absl::ZeroDuration() || backoff == absl::InfiniteDuration()) {
    return internal::InvalidArgumentAt(
        "backoff",
        internal::MustBe(internal::kMustBeNonNegativeFinite, backoff));
  }
  if (!(multiplier >= 1.0) || multiplier > 1e6) {
    return internal::InvalidArgumentAt(
        "multiplier",
        absl::StrCat("must be in [1, 1e6] (got ", multiplier, ")"));
  }
  if (then == nullptr) {
    return internal::InvalidArgumentAt("then", "must not be null");
  }
  return std::unique_ptr<RollbackPolicy>(std::make_unique<RetryThenPolicy>(
      retries, backoff, multiplier, std::move(then)));
}

absl::StatusOr<std::unique_ptr<RollbackPolicy>> NewPerTriggerPolicy(
    PerTriggerPolicies policies) {
  if (policies.on_fail == nullptr) {
    policies.on_fail = NewRollBackAllPolicy(RollbackOrder::kAllAtOnce);
  }
  if (policies.on_inconclusive == nullptr) {
    policies.on_inconclusive = NewPauseAndEscalatePolicy();
  }
  if (policies.on_error == nullptr) {
    policies.on_error = NewRollBackAllPolicy(RollbackOrder::kAllAtOnce);
  }
  if (policies.on_deadline == nullptr) {
    policies.on_deadline = NewRollBackAllPolicy(RollbackOrder::kAllAtOnce);
  }
  return std::unique_ptr<RollbackPolicy>(
      std::make_unique<PerTriggerPolicy>(std::move(policies)));
}

std::unique_ptr<RollbackPolicy> NewDefaultRollbackPolicy() {
  return std::make_unique<DefaultPolicy>();
}

}  // namespace sluice
