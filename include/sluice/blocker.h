// Copyright 2026 The Sluice Authors.
//
// Blocker: what holds a rollout's current wave right now, the answer to
// "why is nothing happening?".
//
// Rollout::Blockers(now) (sluice/rollout.h) lists them in a fixed order:
// actions without outcomes, a gate that holds (waiting for data, a deploy
// window, an approval), a bake that has not run out, an approval or a pause
// waiting for a person, a retry backoff, a rollback in progress. Each names
// what holds and why, and since and until when where known, so a host can
// show it on a dashboard or in a chat message.
//
// Example:
//
//   for (const sluice::Blocker& b : rollout->Blockers(now)) {
//     std::cout << sluice::BlockerKindName(b.kind) << ": "
//               << sluice::DescribeBlocker(b, now) << "\n";
//     // "bake: bake of wave 2: gates passed; until 2026-11-28 14:14 UTC
//     // (12m left)"
//   }

#ifndef SLUICE_BLOCKER_H_
#define SLUICE_BLOCKER_H_

#include <optional>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace sluice {

// Something that holds the current wave right now: the answer to "why is
// nothing happening?". Value type; thread-compatible.
struct Blocker {
  // The kinds of things that hold a wave.
  enum class Kind {
    // Deploy or traffic actions without outcomes yet.
    kActionsInFlight,
    // A health gate holds (waiting for data, the next measurement, a deploy
    // window, a gate-level approval); `reason` is the gate's.
    kGate,
    // The gates passed; the wave's bake time runs until `until`.
    kBake,
    // Waiting for Approve() / Reject() since `since`.
    kApproval,
    // Paused (by an operator or a policy) since `since`.
    kPaused,
    // A retry waits out its backoff until `until`.
    kRetryBackoff,
    // Rollback actions without outcomes, or a rollback retry backoff.
    kRollback,
  };

  // Default: kPaused.
  Kind kind = Kind::kPaused;
  // What holds, e.g. "gate p99-latency", "bake of wave 2",
  // "approval for wave 3". Default: empty.
  std::string name;
  // Why, e.g. "deploy window opens Mon 09:00 America/New_York",
  // "inconclusive: no data for p99_latency". Default: empty.
  std::string reason;
  // Since when, where known. Default: absl::InfinitePast() (unknown).
  absl::Time since = absl::InfinitePast();
  // Until when, where known (absl::InfiniteFuture(): until a person acts).
  // Default: unset.
  std::optional<absl::Time> until;

  friend bool operator==(const Blocker& a, const Blocker& b);
  friend bool operator!=(const Blocker& a, const Blocker& b) {
    return !(a == b);
  }
};

// "actions-in-flight", "gate", "bake", "approval", "paused",
// "retry-backoff" or "rollback".
absl::string_view BlockerKindName(Blocker::Kind kind);

// Prints one line without relative times, e.g. "bake: bake of wave 2: gates
// passed (until 2026-11-28T14:14:00+00:00)"; DescribeBlocker() adds them.
std::ostream& operator<<(std::ostream& os, const Blocker& blocker);

// Describes `blocker` for a person at `now`, e.g. "bake of wave 2: 12m
// left", "approval for wave 3: awaited since 14:02 UTC (38m)".
std::string DescribeBlocker(const Blocker& blocker, absl::Time now);

}  // namespace sluice

#endif  // SLUICE_BLOCKER_H_
