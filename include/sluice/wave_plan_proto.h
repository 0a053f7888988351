// Copyright 2026 The Sluice Authors.
//
// Conversions between sluice::WavePlan and its wire form, sluice.v1.WavePlan
// (proto/sluice/v1/waves.proto), which names targets by id instead of by
// index. This is an edge header: it includes generated protobuf code. Hosts
// use it to store a plan with the rollout's state and read it back, and
// `sluice plan --format json` prints it.
//
// Example:
//
//   sluice::v1::WavePlan proto = sluice::WavePlanToProto(plan, fleet);
//   absl::StatusOr<sluice::WavePlan> back =
//       sluice::WavePlanFromProto(proto, fleet);  // == plan

#ifndef SLUICE_WAVE_PLAN_PROTO_H_
#define SLUICE_WAVE_PLAN_PROTO_H_

#include "absl/status/statusor.h"
#include "sluice/fleet.h"
#include "sluice/v1/waves.pb.h"
#include "sluice/wave_plan.h"

namespace sluice {

// Converts a plan made for `fleet`. Cumulative fractions become percents
// (0..100). Requires that every target index is < fleet.size().
v1::WavePlan WavePlanToProto(const WavePlan& plan, const Fleet& fleet);

// Converts back, resolving ids in `fleet`; the cumulative shares are
// recomputed from `fleet` (the stored percents are for people). Errors
// (kInvalidArgument) name the field: "waves[2].targets[0]: no target \"web-9\"
// in the fleet", "waves[0].bake: must be >= 0", "waves[1].traffic_percent: must
// be in (0, 100] (got 120)".
absl::StatusOr<WavePlan> WavePlanFromProto(const v1::WavePlan& proto,
                                           const Fleet& fleet);

}  // namespace sluice

#endif  // SLUICE_WAVE_PLAN_PROTO_H_
