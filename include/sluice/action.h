// Copyright 2026 The Sluice Authors.
//
// Action: one thing the rollout engine asks the host to do, and
// TargetResult: how one target fared in it.
//
// Rollout::Advance() (sluice/rollout.h) returns Actions: deploy a version to
// some targets, set a traffic weight, roll targets back, wait until a time,
// request an approval, notify a person. The host carries each out with its
// own transport and, for the kinds that need one (NeedsOutcome()), reports
// the outcome per target as TargetResults with Rollout::ReportOutcome().
// Action ids are stable and deterministic, so a host that crashed can
// re-issue the same action and the engine recognises it.
//
// Example (a host's dispatch over the kinds):
//
//   void Carry(const sluice::Action& action, const sluice::Fleet& fleet,
//              sluice::Rollout& rollout, absl::Time now) {
//     switch (action.kind) {
//       case sluice::ActionKind::kDeploy: {
//         std::vector<sluice::TargetResult> results;
//         for (sluice::Fleet::TargetIndex t : action.targets) {
//           bool ok = Deploy(fleet.target(t).id, action.version);
//           results.push_back(ok ? sluice::TargetResult::Ok(t)
//                                : sluice::TargetResult::Failed(t, "timeout"));
//         }
//         absl::Status s = rollout.ReportOutcome(action.id, results, now);
//         if (!s.ok()) std::cerr << s << "\n";
//         break;
//       }
//       case sluice::ActionKind::kNotify:
//         std::cerr << action << "\n";  // "notify-13: notify: ..."
//         break;
//       default:
//         break;
//     }
//   }

#ifndef SLUICE_ACTION_H_
#define SLUICE_ACTION_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"

namespace sluice {

// What the host is asked to do.
enum class ActionKind {
  // Deploy `version` to `targets`. Needs an outcome per target.
  kDeploy,
  // Send `traffic_percent` of traffic to `version` (traffic-routed plans).
  // Needs one outcome (ReportActionOutcome()).
  kSetTraffic,
  // Roll `targets` back to `version` (the old one); for traffic-routed plans
  // `targets` is empty and traffic_percent is 0: route all traffic back.
  // Needs an outcome per target (or one, for traffic).
  kRollBack,
  // Nothing to do before `wait_until`; call Advance() then (or earlier).
  kWait,
  // Ask a person to Approve() or Reject() `wave`; `message` says what.
  kRequestApproval,
  // Tell a person: `message`; `escalate` means page someone now.
  kNotify,
};

// "deploy", "set-traffic", "roll-back", "wait", "request-approval" or
// "notify".
absl::string_view ActionKindName(ActionKind kind);
std::ostream& operator<<(std::ostream& os, ActionKind kind);

// One thing for the host to do. Ids are stable and deterministic, derived
// from the rollout's counters (e.g. "w2-deploy-7", "rollback-12",
// "notify-13"): the same inputs give the same ids, and a restored rollout
// issues the same ids as the original would have. Value type: copyable,
// comparable, printable. Thread-compatible.
struct Action {
  // Unique within the rollout. Default: empty.
  std::string id;
  // What to do. Default: kNotify.
  ActionKind kind = ActionKind::kNotify;
  // The wave it belongs to, or -1 (rollbacks of several waves, rollout-wide
  // notifications). Default: -1.
  int wave = -1;
  // kDeploy, kSetTraffic: the new version; kRollBack: the version to restore.
  // Default: empty.
  std::string version;
  // kDeploy, kRollBack: the targets, as indices into the Fleet, ascending.
  // Default: empty.
  std::vector<Fleet::TargetIndex> targets;
  // kSetTraffic, and kRollBack of a traffic-routed plan: the percent of
  // traffic for `version`. Default: unset.
  std::optional<double> traffic_percent;
  // kWait: when to call Advance() again. Default: absl::InfinitePast().
  absl::Time wait_until = absl::InfinitePast();
  // kRequestApproval, kNotify: the text for a person. Default: empty.
  std::string message;
  // kNotify: page someone now (an escalation). Default: false.
  bool escalate = false;

  // True for kDeploy, kSetTraffic and kRollBack: the host must report an
  // outcome (ReportOutcome() or ReportActionOutcome()).
  bool NeedsOutcome() const;
  // The ids of `targets` in `fleet` (the fleet the rollout was made for).
  std::vector<std::string> TargetIds(const Fleet& fleet) const;

  friend bool operator==(const Action& a, const Action& b);
  friend bool operator!=(const Action& a, const Action& b) { return !(a == b); }
};

// Prints e.g. "w2-deploy-7: deploy 2.4.1 to 12 targets (wave 2)".
std::ostream& operator<<(std::ostream& os, const Action& action);

// How one target fared in one action. Value type; thread-compatible.
struct TargetResult {
  // The target, an index into the Fleet. Default: 0.
  Fleet::TargetIndex target = 0;
  // Whether the action succeeded on it. Default: true.
  bool succeeded = true;
  // For failures: why, e.g. "health check timed out". Default: empty.
  std::string reason;

  // Convenience constructors.
  static TargetResult Ok(Fleet::TargetIndex target);
  static TargetResult Failed(Fleet::TargetIndex target, std::string reason);

  friend bool operator==(const TargetResult& a, const TargetResult& b) {
    return a.target == b.target && a.succeeded == b.succeeded &&
           a.reason == b.reason;
  }
  friend bool operator!=(const TargetResult& a, const TargetResult& b) {
    return !(a == b);
  }
};

}  // namespace sluice

#endif  // SLUICE_ACTION_H_
