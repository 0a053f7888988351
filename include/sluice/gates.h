// Copyright 2026 The Sluice Authors.
//
// The built-in health gates, all of them: a compatibility header that
// includes one header per concept. New code includes the one it uses.
//
//   sluice/metric_checks.h       threshold, relative and alarm checks, and
//                                NewThresholdGate / NewRelativeGate /
//                                NewAlarmGate (one measurement)
//   sluice/analysis_gate.h       NewAnalysisGate: repeated measurements with
//                                Argo Rollouts' AnalysisRun semantics
//   sluice/bake_gate.h           NewBakeGate: a check that must keep passing
//   sluice/deploy_window_gate.h  NewDeployWindowGate: weekly windows in an
//                                IANA zone, and blackouts
//   sluice/approval_gate.h       NewManualApprovalGate: an operator decides
//   sluice/gate_combinators.h    all-of, any-of, at-least-k, weighted score,
//                                shadow
// The statistical gates (Kayenta's judge, sequential tests) are in
// sluice/judge_gates.h; sluice/gate_policy.h groups gates by stage.
//
// Example:
//
//   #include "sluice/gates.h"
//
//   sluice::ThresholdCheck p99;
//   p99.metric.name = "p99_latency";
//   p99.max = 300;
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> gate =
//       sluice::NewThresholdGate("p99-latency", p99);
//   if (!gate.ok()) return gate.status();

#ifndef SLUICE_GATES_H_
#define SLUICE_GATES_H_

#include "sluice/analysis_gate.h"
#include "sluice/approval_gate.h"
#include "sluice/bake_gate.h"
#include "sluice/deploy_window_gate.h"
#include "sluice/gate_combinators.h"
#include "sluice/metric_checks.h"

#endif  // SLUICE_GATES_H_
