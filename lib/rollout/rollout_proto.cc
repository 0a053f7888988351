// Copyright 2026 The Sluice Authors.
//
// The rollout engine at the protobuf edge: events to and from
// proto/sluice/v1/rollout.proto, events as JSON lines. The conversions they
// share with snapshots are in rollout_codec.cc.

#include "sluice/rollout_proto.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "lib/core/status_macros.h"
#include "lib/rollout/rollout_codec.h"

namespace sluice {

v1::Event EventToProto(const RolloutEvent& event) {
  v1::Event p;
  p.set_sequence(event.sequence);
  internal::EncodeFiniteTime(event.time, p.mutable_time());
  p.set_kind(std::string(EventKindName(event.kind)));
  p.set_rollout(event.rollout);
  p.set_wave(event.wave);
  p.set_action_id(event.action_id);
  p.set_command(event.command);
  p.set_who(event.who);
  p.set_message(event.message);
  if (event.verdict.has_value()) {
    internal::VerdictToRecord(*event.verdict, false, p.mutable_verdict());
  }
  if (event.trigger.has_value()) {
    p.set_trigger(std::string(FailureTriggerName(*event.trigger)));
  }
  if (event.decision.has_value()) {
    internal::DecisionToRecord(*event.decision, p.mutable_decision());
  }
  p.set_succeeded_targets(event.succeeded_targets);
  p.set_failed_targets(event.failed_targets);
  p.set_status(event.status);
  p.set_rollout_id(event.rollout_id);
  p.set_phase(event.phase);
  for (const TargetFailure& f : event.failures) {
    v1::TargetFailureRecord* r = p.add_failures();
    r->set_target(f.target);
    r->set_reason(f.reason);
  }
  return p;
}

absl::StatusOr<RolloutEvent> EventFromProto(const v1::Event& p) {
  RolloutEvent e;
  e.sequence = p.sequence();
  e.time = internal::DecodeTime(p.time());
  absl::StatusOr<EventKind> kind = internal::ParseEventKind(p.kind());
  if (!kind.ok()) return internal::PrefixStatus(kind.status(), "kind");
  e.kind = *kind;
  e.rollout = p.rollout();
  e.wave = p.wave();
  e.action_id = p.action_id();
  e.command = p.command();
  e.who = p.who();
  e.message = p.message();
  if (p.has_verdict()) {
    absl::StatusOr<Verdict> v = internal::VerdictFromRecord(p.verdict(), false);
    if (!v.ok()) return internal::PrefixStatus(v.status(), "verdict");
    e.verdict = *std::move(v);
  }
  if (!p.trigger().empty()) {
    absl::StatusOr<FailureTrigger> t = internal::ParseTrigger(p.trigger());
    if (!t.ok()) return internal::PrefixStatus(t.status(), "trigger");
    e.trigger = *t;
  }
  if (p.has_decision()) {
    absl::StatusOr<Decision> d = internal::DecisionFromRecord(p.decision());
    if (!d.ok()) return internal::PrefixStatus(d.status(), "decision");
    e.decision = *std::move(d);
  }
  e.succeeded_targets = p.succeeded_targets();
  e.failed_targets = p.failed_targets();
  e.status = p.status();
  e.rollout_id = p.rollout_id();
  e.phase = p.phase();
  for (const v1::TargetFailureRecord& r : p.failures()) {
    e.failures.push_back({r.target(), r.reason()});
  }
  return e;
}

std::string EventToJsonLine(const RolloutEvent& event) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.preserve_proto_field_names = true;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(
      EventToProto(event), &out, options);
  if (!status.ok()) return "{}";
  return out;
}

absl::StatusOr<RolloutEvent> EventFromJsonLine(absl::string_view line) {
  v1::Event p;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), &p, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event: ", std::string(status.message())));
  }
  return EventFromProto(p);
}

}  // namespace sluice
