// Copyright 2026 The Sluice Authors.
//
// The rollout engine at the protobuf edge: events as sluice.v1.Event (and as
// JSON lines, the format `sluice timeline` reads), snapshots as
// sluice.v1.RolloutState, rollback policies from sluice.v1.RollbackPolicySpec.
// The core headers (sluice/rollout.h, sluice/rollout_event.h) include no
// generated code; include this header where you write things down.
//
// Example, an EventSink that appends JSON lines to a file:
//
//   class JsonLinesSink : public sluice::EventSink {
//    public:
//     explicit JsonLinesSink(std::ostream& out) : out_(out) {}
//     void OnEvent(const sluice::RolloutEvent& event) override {
//       out_ << sluice::EventToJsonLine(event) << "\n";
//     }
//    private:
//     std::ostream& out_;
//   };

#ifndef SLUICE_ROLLOUT_PROTO_H_
#define SLUICE_ROLLOUT_PROTO_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_event.h"
#include "sluice/v1/rollout.pb.h"

namespace sluice {

// The schema version this library writes in RolloutState.schema_version, and
// the newest it reads.
inline constexpr int kRolloutStateSchemaVersion = 1;

// Converts an event to its message and back. EventFromProto() fails with
// kInvalidArgument naming the field for unknown kind, trigger or outcome
// names, e.g. "kind: unknown event kind \"wave-begun\"".
v1::Event EventToProto(const RolloutEvent& event);
absl::StatusOr<RolloutEvent> EventFromProto(const v1::Event& proto);

// One event as one line of JSON (the proto3 JSON mapping of sluice.v1.Event,
// no newline), and back. Parse errors are kInvalidArgument.
std::string EventToJsonLine(const RolloutEvent& event);
absl::StatusOr<RolloutEvent> EventFromJsonLine(absl::string_view line);

// Parses Rollout::Snapshot() bytes (to inspect or store a state's fields,
// e.g. state_version for a compare-and-swap). kInvalidArgument for
// truncated or corrupted bytes.
absl::StatusOr<v1::RolloutState> ParseRolloutState(absl::string_view bytes);

// Builds the policy described by `spec` (see RollbackPolicyFromSpec() in
// sluice/rollback_policy.h). Errors name the field below `path`, e.g.
// "rollback.on_fail.retry.retries: must be in [1, 100] (got 0)".
absl::StatusOr<std::unique_ptr<RollbackPolicy>> RollbackPolicyFromProto(
    const v1::RollbackPolicySpec& spec, absl::string_view path = "rollback");

// Copies the engine limits of `spec` (rollback attempts, retry backoff,
// progress deadline) into `options`, and sets options.rollback_policy.
// Errors as RollbackPolicyFromProto().
absl::Status ApplyRollbackPolicySpec(const v1::RollbackPolicySpec& spec,
                                     RolloutOptions& options,
                                     absl::string_view path = "rollback");

}  // namespace sluice

#endif  // SLUICE_ROLLOUT_PROTO_H_
