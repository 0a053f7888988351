// Copyright 2026 The Sluice Authors.
//
// The Kayenta judge (sluice/stats/kayenta_judge.h) in its proto forms: the
// config as sluice.v1.KayentaJudgeSpec (proto/sluice/v1/gates.proto, the
// same message as a spec's kayenta_judge gate) and the result as
// sluice.v1.JudgeResult (proto/sluice/v1/judge.proto). This is an edge
// header: it includes generated protobuf code, which the core headers never
// do. `sluice judge` reads a config file with these and prints the result.
//
// Example (judge samples the host already has, config from a file):
//
//   sluice::v1::KayentaJudgeSpec spec;
//   absl::Status read = sluice::ParseProtoFile("judge.textproto", &spec);
//   if (!read.ok()) return read;  // sluice/proto_io.h
//   absl::StatusOr<sluice::stats::KayentaJudgeConfig> config =
//       sluice::JudgeConfigFromProto(spec);
//   if (!config.ok()) return config.status();  // "metrics[0].confidence: ..."
//   absl::StatusOr<sluice::stats::JudgeResult> result =
//       sluice::stats::JudgeCanary(*config, samples);
//   if (!result.ok()) return result.status();
//   std::cout << sluice::ToJson(sluice::JudgeResultToProto(*config, *result));

#ifndef SLUICE_JUDGE_PROTO_H_
#define SLUICE_JUDGE_PROTO_H_

#include "absl/status/statusor.h"
#include "sluice/stats/kayenta_classifier.h"
#include "sluice/stats/kayenta_judge.h"
#include "sluice/v1/gates.pb.h"
#include "sluice/v1/judge.pb.h"

namespace sluice {

// Converts and validates a judge config. Errors are kInvalidArgument with
// the path of the field inside the message, e.g. "groups: weights must sum
// to 100 (got 90)", "metrics[0].confidence: must be in (0, 1) (got 1.5)",
// "thresholds.marginal: must be <= thresholds.pass (got 90 > 80)". The
// message's window and marginal-verdict fields, which only the gate uses, are
// not read.
absl::StatusOr<stats::KayentaJudgeConfig> JudgeConfigFromProto(
    const v1::KayentaJudgeSpec& spec);

// The direction a MetricDirection means, with `unspecified` for
// DIRECTION_UNSPECIFIED. kInvalidArgument "unknown value N" for values this
// library does not know.
absl::StatusOr<stats::MetricDirection> DirectionFromProto(
    v1::MetricDirection direction, stats::MetricDirection unspecified);

// The result as the sluice.v1.JudgeResult message (non-finite numbers are
// left unset).
v1::JudgeResult JudgeResultToProto(const stats::KayentaJudgeConfig& config,
                                   const stats::JudgeResult& result);

}  // namespace sluice

#endif  // SLUICE_JUDGE_PROTO_H_
