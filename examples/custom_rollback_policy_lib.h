// Copyright 2026 The Sluice Authors.
//
// A rollback policy of our own, as a user writes one: what a failed wave
// leads to depends on the time of day.
//
//   - Outside business hours (weekends, or before 09:00 / after 18:00 in the
//     team's time zone) nobody is at a desk: roll everything back at once and
//     page the on-call.
//   - During business hours a failed first wave (the canary) rolls back that
//     wave only and pauses, so the team can look before anything else moves;
//     a failure further out rolls everything back, wave by wave in reverse.
//   - An inconclusive analysis is retried once after ten minutes (often the
//     metrics were just thin), then pauses for a person.
//
// It composes with the built-ins: the inconclusive branch is a
// sluice::NewRetryThenPolicy() around sluice::NewPauseAndEscalatePolicy().

#ifndef SLUICE_EXAMPLES_CUSTOM_ROLLBACK_POLICY_LIB_H_
#define SLUICE_EXAMPLES_CUSTOM_ROLLBACK_POLICY_LIB_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/rollback_policy.h"

namespace example {

// When the team is at work.
struct BusinessHours {
  // The team's time zone. Default: UTC.
  absl::TimeZone zone = absl::UTCTimeZone();
  // Working hours, [start_hour, end_hour), Monday to Friday.
  // Default: 9 to 18.
  int start_hour = 9;
  int end_hour = 18;
  // How long to wait before retrying an inconclusive wave. Default: 10m.
  absl::Duration inconclusive_retry = absl::Minutes(10);
};

// Validates `hours` (0 <= start_hour < end_hour <= 24, retry >= 0) and makes
// the policy. Errors are kInvalidArgument naming the field.
absl::StatusOr<std::unique_ptr<sluice::RollbackPolicy>> NewBusinessHoursPolicy(
    BusinessHours hours);

// True when `t` falls in business hours.
bool InBusinessHours(const BusinessHours& hours, absl::Time t);

}  // namespace example

#endif  // SLUICE_EXAMPLES_CUSTOM_ROLLBACK_POLICY_LIB_H_
