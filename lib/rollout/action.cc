// Copyright 2026 The Sluice Authors.
//
// Names, printing and comparison of Action and TargetResult (sluice/action.h).

#include "sluice/action.h"

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace sluice {

absl::string_view ActionKindName(ActionKind kind) {
  switch (kind) {
    case ActionKind::kDeploy:
      return "deploy";
    case ActionKind::kSetTraffic:
      return "set-traffic";
    case ActionKind::kRollBack:
      return "roll-back";
    case ActionKind::kWait:
      return "wait";
    case ActionKind::kRequestApproval:
      return "request-approval";
    case ActionKind::kNotify:
      return "notify";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, ActionKind kind) {
  return os << ActionKindName(kind);
}

bool Action::NeedsOutcome() const {
  return kind == ActionKind::kDeploy || kind == ActionKind::kSetTraffic ||
         kind == ActionKind::kRollBack;
}

std::vector<std::string> Action::TargetIds(const Fleet& fleet) const {
  std::vector<std::string> ids;
  ids.reserve(targets.size());
  for (Fleet::TargetIndex t : targets) {
    ids.push_back(t < fleet.size() ? fleet.target(t).id : "?");
  }
  return ids;
}

bool operator==(const Action& a, const Action& b) {
  return a.id == b.id && a.kind == b.kind && a.wave == b.wave &&
         a.version == b.version && a.targets == b.targets &&
         a.traffic_percent == b.traffic_percent &&
         a.wait_until == b.wait_until && a.message == b.message &&
         a.escalate == b.escalate;
}

std::ostream& operator<<(std::ostream& os, const Action& action) {
  os << action.id << ": ";
  switch (action.kind) {
    case ActionKind::kDeploy:
      os << "deploy " << action.version << " to " << action.targets.size()
         << " targets";
      break;
    case ActionKind::kSetTraffic:
      os << "set traffic to " << action.traffic_percent.value_or(0) << "% for "
         << action.version;
      break;
    case ActionKind::kRollBack:
      if (action.targets.empty()) {
        os << "route all traffic back to " << action.version;
      } else {
        os << "roll " << action.targets.size() << " targets back to "
           << action.version;
      }
      break;
    case ActionKind::kWait:
      os << "wait until " << absl::FormatTime(action.wait_until);
      break;
    case ActionKind::kRequestApproval:
      os << "request approval: " << action.message;
      break;
    case ActionKind::kNotify:
      os << (action.escalate ? "escalate: " : "notify: ") << action.message;
      break;
  }
  if (action.wave >= 0) os << " (wave " << action.wave << ")";
  return os;
}

TargetResult TargetResult::Ok(Fleet::TargetIndex target) {
  TargetResult r;
  r.target = target;
  return r;
}

TargetResult TargetResult::Failed(Fleet::TargetIndex target,
                                  std::string reason) {
  TargetResult r;
  r.target = target;
  r.succeeded = false;
  r.reason = std::move(reason);
  return r;
}

}  // namespace sluice
