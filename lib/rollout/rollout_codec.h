// Copyright 2026 The Sluice Authors.
//
// Conversions between the rollout engine's value types and
// proto/sluice/v1/rollout.proto, shared by events and snapshots.

#ifndef SLUICE_LIB_ROLLOUT_ROLLOUT_CODEC_H_
#define SLUICE_LIB_ROLLOUT_ROLLOUT_CODEC_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "sluice/health_gate.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_event.h"
#include "sluice/v1/gates.pb.h"
#include "sluice/v1/rollout.pb.h"
#include "sluice/verdict.h"

namespace sluice::internal {

// Exact time encoding for snapshots: infinite times as INT64 min / max
// seconds.
void EncodeTime(absl::Time t, google::protobuf::Timestamp* out);
absl::Time DecodeTime(const google::protobuf::Timestamp& ts);
// Finite times only (events, JSON): returns false and leaves `out` unset for
// infinite times.
bool EncodeFiniteTime(absl::Time t, google::protobuf::Timestamp* out);
void EncodeDuration(absl::Duration d, google::protobuf::Duration* out);
absl::Duration DecodeDuration(const google::protobuf::Duration& d);

absl::StatusOr<Outcome> ParseOutcome(absl::string_view name);
absl::StatusOr<FailureTrigger> ParseTrigger(absl::string_view name);
absl::StatusOr<EventKind> ParseEventKind(absl::string_view name);
absl::StatusOr<RolloutStatus> ParseStatus(absl::string_view name);
absl::StatusOr<WavePhase> ParsePhase(absl::string_view name);
absl::StatusOr<ActionKind> ParseActionKind(absl::string_view name);

// `exact` encodes infinite hold times (snapshots); otherwise they are left
// unset (events).
void VerdictToRecord(const Verdict& v, bool exact, v1::VerdictRecord* out);
absl::StatusOr<Verdict> VerdictFromRecord(const v1::VerdictRecord& r,
                                          bool exact);
void DecisionToRecord(const Decision& d, v1::DecisionRecord* out);
absl::StatusOr<Decision> DecisionFromRecord(const v1::DecisionRecord& r);

// The gates' own conversions (sluice/gate_state_proto.h).
void RolloutGateStateToProto(const GateState& s, v1::GateState* out);
absl::StatusOr<GateState> RolloutGateStateFromProto(const v1::GateState& p);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_ROLLOUT_ROLLOUT_CODEC_H_
