// Copyright 2026 The Sluice Authors.
//
// Fakes for driving a Rollout in tests (sluice/testing/rollout_testing.h).

#include "sluice/testing/rollout_testing.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace sluice::testing {

std::vector<RolloutEvent> RecordingEventSink::OfKind(EventKind kind) const {
  std::vector<RolloutEvent> out;
  for (const RolloutEvent& e : events_) {
    if (e.kind == kind) out.push_back(e);
  }
  return out;
}

FakeTransport::FakeTransport(size_t size, std::string initial_version)
    : versions_(size, std::move(initial_version)) {}

void FakeTransport::FailDeploy(Fleet::TargetIndex target, std::string reason,
                               int times) {
  deploy_failures_[target] = {std::move(reason), times};
}

void FakeTransport::FailRollback(Fleet::TargetIndex target, std::string reason,
                                 int times) {
  rollback_failures_[target] = {std::move(reason), times};
}

void FakeTransport::FailTraffic(std::string reason, int times) {
  traffic_failure_ = {std::move(reason), times};
}

namespace {

// Consumes one scripted failure; returns its reason, or nullopt.
std::optional<std::string> Consume(const std::string& reason, int* times) {
  if (*times == 0) return std::nullopt;
  if (*times > 0) --*times;
  return reason;
}

}  // namespace

std::vector<TargetResult> FakeTransport::Execute(const Action& action) {
  log_.push_back(action);
  std::vector<TargetResult> results;
  if (!action.NeedsOutcome()) return results;
  if (action.targets.empty()) {  // traffic
    std::optional<std::string> failure =
        Consume(traffic_failure_.reason, &traffic_failure_.times);
    if (failure.has_value()) {
      results.push_back(TargetResult::Failed(0, *failure));
    } else {
      traffic_percent_ = action.traffic_percent.value_or(0);
      results.push_back(TargetResult::Ok(0));
    }
    return results;
  }
  auto& scripts = action.kind == ActionKind::kRollBack ? rollback_failures_
                                                       : deploy_failures_;
  for (Fleet::TargetIndex t : action.targets) {
    std::optional<std::string> failure;
    auto it = scripts.find(t);
    if (it != scripts.end()) {
      failure = Consume(it->second.reason, &it->second.times);
    }
    if (failure.has_value()) {
      results.push_back(TargetResult::Failed(t, *failure));
    } else {
      if (t < versions_.size()) versions_[t] = action.version;
      results.push_back(TargetResult::Ok(t));
    }
  }
  return results;
}

void RolloutDriver::ScheduleCommand(absl::Time at, Command command) {
  auto pos = std::upper_bound(
      commands_.begin() + static_cast<std::ptrdiff_t>(next_command_),
      commands_.end(), at,
      [](absl::Time t, const Scheduled& c) { return t < c.at; });
  commands_.insert(pos, Scheduled{at, std::move(command)});
}

absl::StatusOr<std::vector<Action>> RolloutDriver::Step(
    absl::Duration max_sleep) {
  ++steps_;
  const absl::Time now = clock_->Now();
  while (next_command_ < commands_.size() &&
         commands_[next_command_].at <= now) {
    // Advance past the command first: its error ends the run, not a retry.
    const Command& command = commands_[next_command_++].run;
    absl::Status s = command(*rollout_, now);
    if (!s.ok()) return s;
  }
  absl::StatusOr<std::vector<Action>> actions = rollout_->Advance(now);
  if (!actions.ok()) return actions.status();
  for (const Action& action : *actions) {
    actions_.push_back(action);
    if (action.kind == ActionKind::kDeploy && !report_deploys_) continue;
    std::vector<TargetResult> results = transport_->Execute(action);
    if (results.empty()) continue;
    absl::Status s = rollout_->ReportOutcome(action.id, results, now);
    if (!s.ok()) return s;
  }
  if (restore_) {
    absl::StatusOr<std::unique_ptr<Rollout>> restored =
        restore_(rollout_->Snapshot());
    if (!restored.ok()) return restored.status();
    owned_ = *std::move(restored);
    rollout_ = owned_.get();
    ++restores_;
  }
  if (actions->empty() && !IsTerminal(rollout_->status())) {
    const absl::Time wake = rollout_->NextWakeup();
    absl::Time next = now + max_sleep;
    if (wake > now && wake < next) next = wake;
    if (commands_pending() && commands_[next_command_].at < next) {
      next = std::max(now + absl::Seconds(1), commands_[next_command_].at);
    }
    clock_->SetTime(next);
  }
  return actions;
}

absl::Status RolloutDriver::RunUntilSettled(int max_steps) {
  for (int i = 0; i < max_steps; ++i) {
    if (IsTerminal(rollout_->status()) ||
        (rollout_->status() == RolloutStatus::kPaused && !commands_pending())) {
      return absl::OkStatus();
    }
    absl::StatusOr<std::vector<Action>> step = Step();
    if (!step.ok()) return step.status();
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "RunUntilSettled: not settled after ", max_steps,
      " steps (state: ", RolloutStatusName(rollout_->status()), ")"));
}

absl::Status RolloutDriver::RunUntilTerminal(int max_steps) {
  absl::Status s = RunUntilSettled(max_steps);
  if (!s.ok()) return s;
  if (rollout_->status() == RolloutStatus::kPaused) {
    return absl::FailedPreconditionError(
        "RunUntilTerminal: the rollout paused");
  }
  return absl::OkStatus();
}

}  // namespace sluice::testing
