// Copyright 2026 The Sluice Authors.
//
// Conversions between sluice::GateState and its wire form,
// sluice.v1.GateState (proto/sluice/v1/gates.proto), for snapshots: the
// rollout engine saves a gate's state with the rollout and restores it after
// a crash, and the gate carries on where it stopped. This is an edge header:
// it includes generated protobuf code, which the core headers never do.
//
// Example:
//
//   sluice::v1::GateState saved = sluice::GateStateToProto(state);
//   // ... persist `saved`, crash, reload ...
//   absl::StatusOr<sluice::GateState> restored =
//       sluice::GateStateFromProto(saved);

#ifndef SLUICE_GATE_STATE_PROTO_H_
#define SLUICE_GATE_STATE_PROTO_H_

#include "absl/status/statusor.h"
#include "sluice/health_gate.h"
#include "sluice/v1/gates.pb.h"

namespace sluice {

// Converts a state to its message. Times are kept to the nanosecond; an
// unset started_at (InfinitePast) leaves the field unset. Round-trips:
// GateStateFromProto(GateStateToProto(s)) == s for any state a gate wrote.
v1::GateState GateStateToProto(const GateState& state);

// Validates and converts. Errors are kInvalidArgument naming the field,
// e.g. "children[1].measurements[0].phase: unknown outcome \"MAYBE\"" or
// "children[0].count: must be >= 0 (got -1)".
absl::StatusOr<GateState> GateStateFromProto(const v1::GateState& proto);

}  // namespace sluice

#endif  // SLUICE_GATE_STATE_PROTO_H_
