// Copyright 2026 The Sluice Authors.
//
// ReviewDraft: a post-incident review draft, in Markdown, from a rollout's
// events: the starting point a team fills in after a rollout failed or was
// rolled back, in the shape of the usual template (summary, impact, a
// timeline of the key moments, detection and mitigation times, what detected
// the fault and what could have caught it sooner, then empty sections for
// the causes and the actions).
//
// The events are the engine's own (an EventSink's, or `sluice timeline`'s
// JSON lines); with the fleet and the plan, impact is also given in fleet
// weight and detection names zones. The simulator knows more than the
// events (every harmed request), and passes it in `ReviewInput::known`.
//
// Example:
//
//   sluice::ReviewInput input;
//   input.events = sink.events();   // one rollout's
//   input.fleet = &fleet;           // optional
//   input.plan = &plan;             // optional
//   absl::StatusOr<std::string> markdown = sluice::ReviewDraft(input);
//   if (!markdown.ok()) return markdown.status();

#ifndef SLUICE_REVIEW_H_
#define SLUICE_REVIEW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/rollout_event.h"
#include "sluice/wave_plan.h"

namespace sluice {

// What a review draft is made from. Borrows the fleet and the plan.
// Value type; thread-compatible.
struct ReviewInput {
  // The events of one rollout, in any order (they are sorted by sequence);
  // at least one. Events of more than one rollout name are an error.
  std::vector<RolloutEvent> events;
  // The fleet and the plan the rollout ran, for weights, zones and regions.
  // Optional (both or neither); when given, every event's wave must be in
  // the plan. Default: null.
  const Fleet* fleet = nullptr;
  const WavePlan* plan = nullptr;
  // Where the events came from, for the draft's header (e.g. a file name).
  // Default: empty.
  std::string source;

  // What the host knows beyond the events (the simulator knows all of it).
  // Value type.
  struct Known {
    // The requests the fault harmed. Default: unknown.
    std::optional<int64_t> bad_requests;
    // When the first request was harmed. Default: unknown.
    std::optional<absl::Time> first_harm;
    // Where the fault was, e.g. "zone us-east-1a". Default: empty.
    std::string fault;
  };
  // Default: nothing known.
  Known known;
};

// The key moments of an incident, found in the events. Unset when the
// events do not have the moment. Value type; thread-compatible.
struct ReviewMoments {
  // The first wave of the new version started deploying.
  std::optional<absl::Time> first_deploy;
  // The first gate verdict that failed (or errored).
  std::optional<absl::Time> first_failing_check;
  // The first wave failure (detection).
  std::optional<absl::Time> detection;
  // The rollback policy's first decision.
  std::optional<absl::Time> decision;
  // The first rollback action was issued.
  std::optional<absl::Time> rollback_started;
  // Every touched target runs the old version again.
  std::optional<absl::Time> rollback_done;
  // The rollout reached a terminal state.
  std::optional<absl::Time> finished;
};

// Finds the key moments in `events` (any order; one rollout's).
ReviewMoments FindReviewMoments(const std::vector<RolloutEvent>& events);

// Writes the draft. Errors (kInvalidArgument) name what is wrong: "events:
// none", "events: more than one rollout (\"a\", \"b\")", "plan: wave 7 of
// event 12 is not in the plan (5 waves)", "fleet: given without plan".
// A rollout with no failure, rollback or escalation is kFailedPrecondition
// ("nothing to review"). Deterministic: the same input gives the same text.
absl::StatusOr<std::string> ReviewDraft(const ReviewInput& input);

}  // namespace sluice

#endif  // SLUICE_REVIEW_H_
