// Copyright 2026 The Sluice Authors.
//
// PhasedRollout: a rollout made of ordered phases, for changes that are not
// backwards compatible (docs/rollouts.md, "Two-phase changes").
//
// A version that writes a format the old one cannot read goes out in two
// rollouts: "prepare" (the code reads both formats and still writes the old
// one), then "activate" (it writes the new one). Each phase is a Rollout of
// its own (sluice/rollout.h), with its own plan, gates and rollback policy;
// PhasedRollout composes them:
//
//   - A later phase starts only after the earlier one succeeded on every
//     target of its plan and then baked for `bake_between_phases`.
//   - A phase that fails is handled by its own rollback policy: a failing
//     activate is rolled back to prepare's version, and prepare stays.
//   - Rolling back an earlier phase while a later one runs on any target is
//     refused (kFailedPrecondition naming both phases): old code would meet
//     data it cannot read. Roll the later phase back first; then the earlier
//     one may be rolled back on request (RollBackPhase()).
//
// Actions and events are the phases' own, tagged with the phase: action ids
// are "<phase>/<id>" (and "<phase>/revert/<id>" while a finished phase is
// rolled back), and every event carries RolloutEvent::phase.
//
// Example:
//
//   std::vector<sluice::Phase> phases(2);
//   phases[0].name = "prepare";
//   phases[0].plan = plan;
//   phases[0].options.version = "2.5.0-read-both";
//   phases[0].options.previous_version = "2.4.0";
//   phases[1].name = "activate";
//   phases[1].plan = plan;
//   phases[1].options.version = "2.5.0-write-new";  // rolls back to prepare
//   sluice::PhasedRolloutOptions options;
//   options.name = "orders-schema-v2";
//   absl::StatusOr<std::unique_ptr<sluice::PhasedRollout>> rollout =
//       sluice::PhasedRollout::Create(fleet, std::move(phases), options);
//   if (!rollout.ok()) return rollout.status();
//   while (!sluice::IsTerminal((*rollout)->status())) {
//     absl::StatusOr<std::vector<sluice::PhasedAction>> actions =
//         (*rollout)->Advance(clock.Now());
//     if (!actions.ok()) return actions.status();
//     for (const sluice::PhasedAction& a : *actions) {
//       if (!a.action.NeedsOutcome()) continue;
//       absl::Status s = (*rollout)->ReportOutcome(
//           a.action.id, transport.Run(a.action), clock.Now());
//       if (!s.ok()) return s;
//     }
//     SleepUntil(std::min((*rollout)->NextWakeup(), clock.Now() + poll));
//   }

#ifndef SLUICE_PHASED_ROLLOUT_H_
#define SLUICE_PHASED_ROLLOUT_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/action.h"
#include "sluice/fleet.h"
#include "sluice/rollout.h"
#include "sluice/rollout_event.h"
#include "sluice/spec.h"
#include "sluice/wave_plan.h"

namespace sluice {
namespace v1 {
class PhasedRolloutSpec;
}  // namespace v1

// One phase: a named rollout of its own. Copyable. Thread-compatible.
struct Phase {
  // The phase's name, e.g. "prepare". Required: unique, at most 64
  // characters of [a-z0-9_-]. Default: empty.
  std::string name;
  // The phase's plan. Its targets must all be in every earlier phase's plan
  // (the new format must only reach targets where the code reading it runs).
  // Default: empty (invalid).
  WavePlan plan;
  // The phase's engine options: its version, gates, rollback policy,
  // limits and the host's sources. `previous_version` of a later phase is the
  // previous phase's version: leave it empty (it is filled in) or set exactly
  // that. `event_sink` must be null (events go to
  // PhasedRolloutOptions::event_sink, tagged with the phase). `name` is
  // replaced by PhasedRolloutOptions::name.
  RolloutOptions options;
};

// How a phased rollout is made. Copyable. Thread-compatible.
struct PhasedRolloutOptions {
  // The rollout's name, copied onto every phase's events.
  // Default: empty.
  std::string name;
  // How long a phase that succeeded everywhere bakes before the next phase
  // starts. Must be finite and >= 0. Default: 1 hour.
  absl::Duration bake_between_phases = absl::Hours(1);
  // Where every phase's events go, with RolloutEvent::phase set. Borrowed:
  // must outlive the PhasedRollout. Default: null (none).
  EventSink* event_sink = nullptr;
};

// An action of one phase. Value type: copyable, comparable, printable.
// Thread-compatible.
struct PhasedAction {
  // The phase's index. Default: 0.
  int phase_index = 0;
  // The phase's name. Default: empty.
  std::string phase;
  // The phase's action; its id is "<phase>/<engine id>" (report outcomes
  // under this id). While a finished phase is rolled back (RollBackPhase())
  // its actions are kRollBack with ids "<phase>/revert/<engine id>".
  // Default: a default Action.
  Action action;

  friend bool operator==(const PhasedAction& a, const PhasedAction& b) {
    return a.phase_index == b.phase_index && a.phase == b.phase &&
           a.action == b.action;
  }
  friend bool operator!=(const PhasedAction& a, const PhasedAction& b) {
    return !(a == b);
  }
};

// Prints "[activate] activate/w2-deploy-7: deploy ...".
std::ostream& operator<<(std::ostream& os, const PhasedAction& action);

// One phase of a PhasedRolloutSpec. Copyable. Thread-compatible.
struct PhaseSpecEntry {
  // The phase's name.
  std::string name;
  // The phase's validated rollout spec.
  RolloutSpec spec;
};

// A validated sluice.v1.PhasedRolloutSpec (proto/sluice/v1/phased.proto).
// Like RolloutSpec it holds converted values: each phase's spec is a
// RolloutSpec, and nothing reads the message afterwards; ToProto() gives the
// message back. Copying is cheap (shared, immutable contents). Thread-safe:
// all methods are const.
class PhasedRolloutSpec {
 public:
  // Parses and validates `text`. Errors are kInvalidArgument naming the line
  // or the field path, e.g. "phases[1].spec.previous_version: must be the
  // version of phase \"prepare\" (\"2.5.0-read-both\") or empty (got
  // \"2.4.0\")", "phases: needs at least 2 phases (got 1)".
  static absl::StatusOr<PhasedRolloutSpec> Parse(absl::string_view text,
                                                 SpecFormat format);
  // Validates and converts a message, e.g. one the host built in code or read
  // from its own store. FromProto(m)->ToProto() equals m.
  static absl::StatusOr<PhasedRolloutSpec> FromProto(
      const v1::PhasedRolloutSpec& proto);
  // Reads a file (.json, or text format), errors prefixed with the path.
  static absl::StatusOr<PhasedRolloutSpec> LoadFile(const std::string& path);

  // Every phase's RolloutSpec::ValidateAgainst(fleet), errors prefixed with
  // "phases[i].spec.".
  absl::Status ValidateAgainst(const Fleet& fleet) const;

  // The name.
  const std::string& name() const;
  // What the spec is for, for people (may be empty).
  const std::string& description() const;
  // The phases, in order.
  const std::vector<PhaseSpecEntry>& phases() const;
  // The bake between phases (1 hour when the spec leaves it unset).
  absl::Duration bake_between_phases() const;
  // One line per phase for people: "phase 1 activate: <RolloutSpec
  // summary>", after a first line with the name.
  std::string Summary() const;
  // The spec as a message (sluice.v1.PhasedRolloutSpec), reassembled from
  // the converted phases, for printing or storing. Include
  // "sluice/v1/phased.pb.h" to use it. Replaces proto(), removed (see
  // CHANGELOG.md).
  v1::PhasedRolloutSpec ToProto() const;

 private:
  struct Data;
  explicit PhasedRolloutSpec(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

// The phased rollout. Made by Create(), FromSpec() or Restore(); an object
// that exists is valid.
//
// Not thread-safe: one PhasedRollout is used from one thread at a time.
class PhasedRollout {
 public:
  virtual ~PhasedRollout() = default;

  // Validates and makes a phased rollout in kPending; every phase's Rollout
  // is made at once (Rollout::Create), so a bad later phase is reported
  // before anything deploys. Errors (kInvalidArgument) name the field:
  // "phases: needs at least 2 phases (got 1)", "phases[1].name: \"prepare\"
  // is used by phases[0]", "phases[1].options.previous_version: must be the
  // version of phase \"prepare\" (\"2.5.0-read-both\") or empty (got
  // \"2.4.0\")", "phases[1].plan.waves[0].targets[2]: target web-9 is not in
  // every earlier phase's plan: ...", "bake_between_phases: must be finite
  // and >= 0 (got -1m)", and the engine's own errors prefixed with
  // "phases[i].".
  static absl::StatusOr<std::unique_ptr<PhasedRollout>> Create(
      const Fleet& fleet, std::vector<Phase> phases,
      PhasedRolloutOptions options);

  // Makes a phased rollout from a validated spec: each phase as
  // Rollout::FromSpec(phase spec, fleet, options) would (plan, gates,
  // rollback policy and limits from that phase's spec), the name and the
  // bake between phases from `spec`. `options` supplies the sources, the
  // approvals and the first phase's previous_version when its spec has
  // none; its event_sink receives every phase's events; its rollout_id, when
  // set, becomes "<rollout_id>/<phase>" for each phase. Errors name the
  // phase: "phases[1].spec.waves: is required".
  static absl::StatusOr<std::unique_ptr<PhasedRollout>> FromSpec(
      const PhasedRolloutSpec& spec, const Fleet& fleet,
      RolloutOptions options);

  // Continues a phased rollout from Snapshot() bytes. `phases` are the ones
  // given to Create() (names and versions must match the snapshot's; their
  // plans are not used: each phase's plan comes from its snapshot); each
  // phase is restored with Rollout::Restore(), comparing its configuration.
  // Errors (kInvalidArgument, nothing restored): "snapshot: cannot parse",
  // "snapshot: phases[1].name: \"activate\" does not match \"launch\"",
  // "snapshot: current_phase: must be in [0, 2) (got 7)", "snapshot:
  // phases[0]: must have succeeded before phase 1 started (state: running)",
  // and the engine's errors prefixed with "snapshot: phases[i].".
  static absl::StatusOr<std::unique_ptr<PhasedRollout>> Restore(
      const Fleet& fleet, std::vector<Phase> phases,
      PhasedRolloutOptions options, absl::string_view snapshot);

  // FromSpec()'s counterpart for Restore().
  static absl::StatusOr<std::unique_ptr<PhasedRollout>> RestoreFromSpec(
      const PhasedRolloutSpec& spec, const Fleet& fleet, RolloutOptions options,
      absl::string_view snapshot);

  // Steps the current phase at `now` and returns its new actions. When the
  // current phase has succeeded everywhere and the bake between phases is
  // over, the next phase starts in the same call. While the bake runs, one
  // kWait action (id "<next phase>/bake-between-phases") says until when.
  // `now` may not go backwards (kInvalidArgument "Advance: ...").
  virtual absl::StatusOr<std::vector<PhasedAction>> Advance(absl::Time now) = 0;

  // Reports outcomes of an action by its PhasedAction id. Errors: kNotFound
  // for an id without a known phase prefix ("ReportOutcome: no phase for
  // action id \"x\""), else the phase's Rollout::ReportOutcome() errors.
  virtual absl::Status ReportOutcome(absl::string_view action_id,
                                     absl::Span<const TargetResult> results,
                                     absl::Time now) = 0;
  // Rollout::ReportActionOutcome() of the action's phase.
  virtual absl::Status ReportActionOutcome(absl::string_view action_id,
                                           bool succeeded,
                                           absl::string_view reason,
                                           absl::Time now) = 0;

  // Operator commands on the phase that is running (Rollout's commands).
  // kFailedPrecondition when none is: "Pause: no phase is running (state:
  // running, baking between \"prepare\" and \"activate\")". Abort() between
  // two phases ends the rollout kAborted and leaves the finished phases in
  // place; Abort() of a running phase rolls back that phase only.
  virtual absl::Status Pause(absl::string_view who, absl::Time now) = 0;
  virtual absl::Status Resume(absl::string_view who, absl::Time now) = 0;
  virtual absl::Status Abort(absl::string_view who, absl::Time now) = 0;
  virtual absl::Status Retry(absl::string_view who, absl::Time now) = 0;
  virtual absl::Status Approve(absl::string_view who, absl::Time now) = 0;
  virtual absl::Status Reject(absl::string_view who, absl::Time now) = 0;

  // Rolls back phase `phase` (by name). Allowed only when no later phase
  // runs on any target: every later phase is pending (never started), rolled
  // back, aborted or itself reverted. Otherwise kFailedPrecondition naming
  // both phases, e.g. "RollBackPhase: cannot roll back phase \"prepare\"
  // while phase \"activate\" runs on 12 targets (state: running): the
  // previous version cannot read the data \"activate\" writes; roll back
  // \"activate\" first". A running phase is aborted (its engine rolls it
  // back); a phase that succeeded is rolled back by a rollout of its
  // previous version over its plan's waves in reverse order, without gates,
  // whose actions are kRollBack ("<phase>/revert/..."); if that rollback
  // cannot complete the rollout ends kFailed. Other errors: kNotFound for
  // an unknown phase, kFailedPrecondition for a phase not started or already
  // rolled back, or one with a traffic-routed plan that has succeeded.
  virtual absl::Status RollBackPhase(absl::string_view phase,
                                     absl::string_view who, absl::Time now) = 0;

  // The state of the whole: kPending before the first phase starts;
  // kRunning while a phase runs or the bake between phases does; a running
  // phase's kPaused and kRollingBack; kSucceeded when the last phase
  // succeeded; kRolledBack, kAborted or kFailed as the phase that ended it
  // (finished phases before it stay in place); kRollingBack then
  // kRolledBack (or kFailed) for RollBackPhase() of a finished phase.
  // kPaused also when a phase succeeded but left targets behind (then the
  // next phase does not start: Blocker() says which).
  virtual RolloutStatus status() const = 0;
  // The current phase's index and name.
  virtual int current_phase() const = 0;
  virtual const std::string& current_phase_name() const = 0;
  // The number of phases.
  virtual int phase_count() const = 0;
  // Phase `i`'s engine (0 <= i < phase_count()), for inspection.
  virtual const Rollout& phase(int i) const = 0;
  // Phase `i`'s name.
  virtual const std::string& phase_name(int i) const = 0;
  // Why nothing moves without a person, or empty: a phase that left targets
  // behind, a phase's rollback that could not complete.
  virtual std::string Blocker() const = 0;
  // When Advance() next has something to do without new input.
  virtual absl::Time NextWakeup() const = 0;
  // Actions awaiting outcomes, tagged (after a crash, re-issue them).
  virtual std::vector<PhasedAction> PendingActions() const = 0;
  // Incremented by every call that changes the state.
  virtual int64_t state_version() const = 0;

  // The whole state as the bytes of a sluice.v1.PhasedRolloutState.
  virtual std::string Snapshot() const = 0;
};

}  // namespace sluice

#endif  // SLUICE_PHASED_ROLLOUT_H_
