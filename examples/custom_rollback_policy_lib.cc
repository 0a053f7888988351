// Copyright 2026 The Sluice Authors.

#include "examples/custom_rollback_policy_lib.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace example {
namespace {

class BusinessHoursPolicy : public sluice::RollbackPolicy {
 public:
  BusinessHoursPolicy(BusinessHours hours,
                      std::unique_ptr<sluice::RollbackPolicy> inconclusive)
      : hours_(std::move(hours)), inconclusive_(std::move(inconclusive)) {}

  std::string name() const override {
    return absl::StrCat("business-hours(", hours_.start_hour, "-",
                        hours_.end_hour, ")");
  }

  sluice::Decision Decide(
      const sluice::FailureContext& context) const override {
    if (context.trigger == sluice::FailureTrigger::kGateInconclusive) {
      return inconclusive_->Decide(context);
    }
    const std::string what =
        absl::StrCat("wave ", context.wave_index, " ",
                     sluice::FailureTriggerName(context.trigger));
    if (!InBusinessHours(hours_, context.now)) {
      return sluice::Decision::RollBackAll(
          sluice::RollbackOrder::kAllAtOnce,
          absl::StrCat(what, " outside business hours: roll back everything"));
    }
    if (context.wave_index == 0) {
      return sluice::Decision::RollBackCurrentWaveAndPause(
          absl::StrCat(what, ": canary rolled back; the team takes a look"));
    }
    sluice::Decision d = sluice::Decision::RollBackAll(
        sluice::RollbackOrder::kReverseWaves, what);
    d.escalate = true;
    return d;
  }

 private:
  BusinessHours hours_;
  std::unique_ptr<sluice::RollbackPolicy> inconclusive_;
};

}  // namespace

bool InBusinessHours(const BusinessHours& hours, absl::Time t) {
  const absl::CivilSecond civil = absl::ToCivilSecond(t, hours.zone);
  const absl::Weekday day = absl::GetWeekday(civil);
  if (day == absl::Weekday::saturday || day == absl::Weekday::sunday) {
    return false;
  }
  return civil.hour() >= hours.start_hour && civil.hour() < hours.end_hour;
}

absl::StatusOr<std::unique_ptr<sluice::RollbackPolicy>> NewBusinessHoursPolicy(
    BusinessHours hours) {
  if (hours.start_hour < 0 || hours.start_hour >= hours.end_hour ||
      hours.end_hour > 24) {
    return absl::InvalidArgumentError(absl::StrCat(
        "start_hour, end_hour: want 0 <= start_hour < end_hour <= 24 (got ",
        hours.start_hour, ", ", hours.end_hour, ")"));
  }
  absl::StatusOr<std::unique_ptr<sluice::RollbackPolicy>> inconclusive =
      sluice::NewRetryThenPolicy(1, hours.inconclusive_retry,
                                 sluice::NewPauseAndEscalatePolicy());
  if (!inconclusive.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("inconclusive_retry: ", inconclusive.status().message()));
  }
  return std::unique_ptr<sluice::RollbackPolicy>(
      std::make_unique<BusinessHoursPolicy>(std::move(hours),
                                            *std::move(inconclusive)));
}

}  // namespace example
