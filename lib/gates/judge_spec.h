// Copyright 2026 The Sluice Authors.
//
// The Kayenta judge's config and result in their proto forms
// (sluice.v1.KayentaJudgeSpec in gates.proto, sluice.v1.JudgeResult in
// judge.proto): shared by the kayenta_judge gate of a spec
// (lib/gates/spec_gates.cc) and `sluice judge` (tools/cmd_judge.cc).

#ifndef SLUICE_LIB_GATES_JUDGE_SPEC_H_
#define SLUICE_LIB_GATES_JUDGE_SPEC_H_

#include "absl/status/statusor.h"
#include "sluice/stats/kayenta_classifier.h"
#include "sluice/stats/kayenta_judge.h"
#include "sluice/v1/gates.pb.h"
#include "sluice/v1/judge.pb.h"

namespace sluice::internal {

// Converts and validates a judge config. Errors are kInvalidArgument with
// the path of the field inside the spec, e.g. "groups: weights must sum to
// 100 (got 90)", "metrics[0].confidence: must be in (0, 1) (got 1.5)",
// "thresholds.marginal: must be <= thresholds.pass (got 90 > 80)".
absl::StatusOr<stats::KayentaJudgeConfig> JudgeConfigFromProto(
    const v1::KayentaJudgeSpec& spec);

// The direction a MetricDirection means, with `unspecified` for
// DIRECTION_UNSPECIFIED. kInvalidArgument "<unknown value>" for others.
absl::StatusOr<stats::MetricDirection> DirectionFromProto(
    v1::MetricDirection direction, stats::MetricDirection unspecified);

// The result as the sluice.v1.JudgeResult message (non-finite numbers are
// left unset).
v1::JudgeResult JudgeResultToProto(const stats::KayentaJudgeConfig& config,
                                   const stats::JudgeResult& result);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_GATES_JUDGE_SPEC_H_
