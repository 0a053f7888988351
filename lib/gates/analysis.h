// Copyright 2026 The Sluice Authors.
//
// The analysis gate's entry point for gates of one check: NewThresholdGate,
// NewRelativeGate and NewAlarmGate (lib/gates/metric_checks.cc) are analyses
// of one metric taking one measurement.

#ifndef SLUICE_LIB_GATES_ANALYSIS_H_
#define SLUICE_LIB_GATES_ANALYSIS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "sluice/health_gate.h"
#include "sluice/metric_checks.h"

namespace sluice::internal {

// An analysis gate of `check` alone, measured once (count 1, no interval),
// with the default error retries. The check is validated on its own first,
// so errors name its fields without a prefix ("max: ..."); the name is
// validated as every gate's ("name: ...").
absl::StatusOr<std::unique_ptr<HealthGate>> NewSingleCheckGate(
    std::string name, MetricCheck check);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_GATES_ANALYSIS_H_
