// Copyright 2026 The Sluice Authors.
//
// Conversions between the rollout engine's value types (times, durations,
// names, verdicts, decisions, gate states) and proto/sluice/v1/rollout.proto,
// shared by events (rollout_proto.cc) and snapshots (rollout_snapshot.cc).

#include "lib/rollout/rollout_codec.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "sluice/gate_state_proto.h"

namespace sluice {
namespace internal {

void EncodeTime(absl::Time t, google::protobuf::Timestamp* out) {
  if (t == absl::InfinitePast()) {
    out->set_seconds(std::numeric_limits<int64_t>::min());
    out->set_nanos(0);
    return;
  }
  if (t == absl::InfiniteFuture()) {
    out->set_seconds(std::numeric_limits<int64_t>::max());
    out->set_nanos(0);
    return;
  }
  const int64_t s = absl::ToUnixSeconds(t);
  out->set_seconds(s);
  out->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(s))));
}

absl::Time DecodeTime(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == std::numeric_limits<int64_t>::min()) {
    return absl::InfinitePast();
  }
  if (ts.seconds() == std::numeric_limits<int64_t>::max()) {
    return absl::InfiniteFuture();
  }
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

bool EncodeFiniteTime(absl::Time t, google::protobuf::Timestamp* out) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return false;
  EncodeTime(t, out);
  return true;
}

void EncodeDuration(absl::Duration d, google::protobuf::Duration* out) {
  const int64_t s = absl::IDivDuration(d, absl::Seconds(1), &d);
  out->set_seconds(s);
  out->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d)));
}

absl::Duration DecodeDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

namespace {

template <typename E, typename NameFn>
absl::StatusOr<E> ParseName(absl::string_view what, absl::string_view name,
                            int count, NameFn fn) {
  for (int i = 0; i < count; ++i) {
    if (fn(static_cast<E>(i)) == name) return static_cast<E>(i);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ", what, " \"", name, "\""));
}

}  // namespace

absl::StatusOr<Outcome> ParseOutcome(absl::string_view name) {
  return ParseName<Outcome>("outcome", name, 5, OutcomeName);
}
absl::StatusOr<FailureTrigger> ParseTrigger(absl::string_view name) {
  return ParseName<FailureTrigger>("trigger", name, 6, FailureTriggerName);
}
absl::StatusOr<EventKind> ParseEventKind(absl::string_view name) {
  return ParseName<EventKind>("event kind", name, 18, EventKindName);
}
absl::StatusOr<RolloutStatus> ParseStatus(absl::string_view name) {
  return ParseName<RolloutStatus>("status", name, 8, RolloutStatusName);
}
absl::StatusOr<WavePhase> ParsePhase(absl::string_view name) {
  return ParseName<WavePhase>("wave phase", name, 8, WavePhaseName);
}
absl::StatusOr<ActionKind> ParseActionKind(absl::string_view name) {
  return ParseName<ActionKind>("action kind", name, 6, ActionKindName);
}

void VerdictToRecord(const Verdict& v, bool exact, v1::VerdictRecord* out) {
  out->set_outcome(std::string(OutcomeName(v.outcome)));
  out->set_gate(v.gate);
  out->set_reason(v.reason);
  for (const Observation& o : v.observations) {
    v1::Observation* p = out->add_observations();
    p->set_name(o.name);
    p->set_value(o.value);
    p->set_unit(o.unit);
  }
  if (v.sample_count.has_value()) out->set_sample_count(*v.sample_count);
  if (exact) {
    EncodeTime(v.hold_until, out->mutable_hold_until());
  } else {
    if (!EncodeFiniteTime(v.hold_until, out->mutable_hold_until())) {
      out->clear_hold_until();
    }
  }
  for (const Verdict& d : v.details) {
    VerdictToRecord(d, exact, out->add_details());
  }
}

absl::StatusOr<Verdict> VerdictFromRecord(const v1::VerdictRecord& r,
                                          bool exact) {
  Verdict v;
  SLUICE_ASSIGN_OR_RETURN(v.outcome, ParseOutcome(r.outcome()));
  v.gate = r.gate();
  v.reason = r.reason();
  for (const v1::Observation& o : r.observations()) {
    v.observations.push_back({o.name(), o.value(), o.unit()});
  }
  if (r.has_sample_count()) v.sample_count = r.sample_count();
  if (r.has_hold_until()) {
    v.hold_until = DecodeTime(r.hold_until());
  } else {
    v.hold_until = absl::InfinitePast();
  }
  for (const v1::VerdictRecord& d : r.details()) {
    SLUICE_ASSIGN_OR_RETURN(Verdict child, VerdictFromRecord(d, exact));
    v.details.push_back(std::move(child));
  }
  return v;
}

void DecisionToRecord(const Decision& d, v1::DecisionRecord* out) {
  out->set_kind(std::string(DecisionKindName(d.kind)));
  out->set_order(std::string(RollbackOrderName(d.order)));
  EncodeDuration(d.retry_after, out->mutable_retry_after());
  out->set_escalate(d.escalate);
  out->set_reason(d.reason);
}

absl::StatusOr<Decision> DecisionFromRecord(const v1::DecisionRecord& r) {
  Decision d;
  SLUICE_ASSIGN_OR_RETURN(
      d.kind, (ParseName<Decision::Kind>("decision kind", r.kind(), 4,
                                         DecisionKindName)));
  SLUICE_ASSIGN_OR_RETURN(
      d.order, (ParseName<RollbackOrder>("rollback order", r.order(), 2,
                                         RollbackOrderName)));
  d.retry_after = DecodeDuration(r.retry_after());
  d.escalate = r.escalate();
  d.reason = r.reason();
  return d;
}

void RolloutGateStateToProto(const GateState& s, v1::GateState* out) {
  *out = GateStateToProto(s);
}

absl::StatusOr<GateState> RolloutGateStateFromProto(const v1::GateState& p) {
  return GateStateFromProto(p);
}

}  // namespace internal
}  // namespace sluice
