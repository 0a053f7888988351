// Copyright 2026 The Sluice Authors.
//
// Metric checks (sluice/metric_checks.h): the names of their policies, and
// the gates of one check, each an analysis of one metric taking one
// measurement (lib/gates/analysis.cc).

#include "sluice/metric_checks.h"

#include <memory>
#include <string>
#include <utility>

#include "lib/gates/analysis.h"

namespace sluice {

absl::string_view MissingDataPolicyName(MissingDataPolicy policy) {
  switch (policy) {
    case MissingDataPolicy::kFail:
      return "fail";
    case MissingDataPolicy::kPass:
      return "pass";
    case MissingDataPolicy::kInconclusive:
      return "inconclusive";
    case MissingDataPolicy::kIgnore:
      return "ignore";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<HealthGate>> NewThresholdGate(
    std::string name, ThresholdCheck check) {
  return internal::NewSingleCheckGate(std::move(name), std::move(check));
}

absl::StatusOr<std::unique_ptr<HealthGate>> NewRelativeGate(
    std::string name, RelativeCheck check) {
  return internal::NewSingleCheckGate(std::move(name), std::move(check));
}

absl::StatusOr<std::unique_ptr<HealthGate>> NewAlarmGate(std::string name,
                                                         AlarmCheck check) {
  return internal::NewSingleCheckGate(std::move(name), std::move(check));
}

}  // namespace sluice
