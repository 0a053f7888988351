// Copyright 2026 The Sluice Authors.
//
// A rollout driven by a host loop, with a rollback policy of our own
// (examples/custom_rollback_policy_lib.h). The release is bad: wave 1's gate
// fails on a Tuesday morning, so the policy rolls everything back wave by
// wave and pages. Every event is printed; the program exits non-zero if
// anything goes differently.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "examples/custom_rollback_policy_lib.h"
#include "sluice/fleet.h"
#include "sluice/health_gate.h"
#include "sluice/rollout.h"
#include "sluice/rollout_event.h"
#include "sluice/wave_plan.h"

namespace {

// Wave 1's error rate is too high; every other wave is fine.
class ErrorRateGate : public sluice::HealthGate {
 public:
  std::string name() const override { return "error-rate"; }
  sluice::Verdict Evaluate(const sluice::GateContext& context,
                           sluice::GateState& state) const override {
    const double rate = context.wave_index == 1 ? 4.2 : 0.1;
    if (rate > 1.0) {
      return sluice::Verdict::Fail(name(),
                                   absl::StrCat("error rate ", rate, "% > 1%"),
                                   {{"error_rate", rate, "%"}});
    }
    return sluice::Verdict::Pass(name(), "error rate within 1%",
                                 {{"error_rate", rate, "%"}});
  }
};

class PrintSink : public sluice::EventSink {
 public:
  void OnEvent(const sluice::RolloutEvent& event) override {
    std::cout << event << "\n";
  }
};

absl::Status Run() {
  std::vector<sluice::Target> targets(6);
  for (int i = 0; i < 6; ++i) {
    targets[i].id = absl::StrCat("web-", i);
    targets[i].topology = {"us-east-1", absl::StrCat("use1-az", i % 2), ""};
  }
  absl::StatusOr<sluice::Fleet> fleet = sluice::Fleet::Create(targets);
  if (!fleet.ok()) return fleet.status();

  sluice::WavePlan plan;
  for (const std::vector<sluice::Fleet::TargetIndex>& wave :
       {std::vector<sluice::Fleet::TargetIndex>{0},
        std::vector<sluice::Fleet::TargetIndex>{1, 2},
        std::vector<sluice::Fleet::TargetIndex>{3, 4, 5}}) {
    sluice::Wave w;
    w.name = absl::StrCat("wave of ", wave.size());
    w.stage = "zone";
    w.targets = wave;
    w.bake = absl::Minutes(15);
    plan.waves.push_back(w);
  }

  example::BusinessHours hours;
  hours.zone = absl::FixedTimeZone(-5 * 3600);  // New York, winter
  absl::StatusOr<std::unique_ptr<sluice::RollbackPolicy>> policy =
      example::NewBusinessHoursPolicy(hours);
  if (!policy.ok()) return policy.status();

  PrintSink sink;
  sluice::RolloutOptions options;
  options.name = "checkout-api";
  options.version = "2.4.1";
  options.previous_version = "2.4.0";
  options.gate = std::make_shared<ErrorRateGate>();
  options.rollback_policy = *std::move(policy);
  options.event_sink = &sink;
  absl::StatusOr<std::unique_ptr<sluice::Rollout>> rollout =
      sluice::Rollout::Create(*fleet, plan, options);
  if (!rollout.ok()) return rollout.status();

  // The host: its own clock (virtual here) and transport.
  absl::Time now =
      absl::FromCivil(absl::CivilMinute(2026, 12, 1, 10, 0), hours.zone);
  std::vector<std::string> running(fleet->size(), "2.4.0");
  for (int step = 0; step < 1000 && !sluice::IsTerminal((*rollout)->status());
       ++step) {
    absl::StatusOr<std::vector<sluice::Action>> actions =
        (*rollout)->Advance(now);
    if (!actions.ok()) return actions.status();
    for (const sluice::Action& action : *actions) {
      if (!action.NeedsOutcome()) continue;  // waits, approvals, notices
      for (sluice::Fleet::TargetIndex t : action.targets) {
        running[t] = action.version;
      }
      absl::Status s =
          (*rollout)->ReportActionOutcome(action.id, true, "", now);
      if (!s.ok()) return s;
    }
    if (actions->empty()) {
      const absl::Time wake = (*rollout)->NextWakeup();
      now = wake > now && wake < now + absl::Hours(1) ? wake
                                                      : now + absl::Hours(1);
    }
  }
  if ((*rollout)->status() != sluice::RolloutStatus::kRolledBack) {
    return absl::InternalError(
        absl::StrCat("expected rolled-back, got ",
                     sluice::RolloutStatusName((*rollout)->status())));
  }
  for (size_t t = 0; t < running.size(); ++t) {
    if (running[t] != "2.4.0") {
      return absl::InternalError(
          absl::StrCat(fleet->target(t).id, " runs ", running[t]));
    }
  }
  std::cout << "ok: wave 1 failed in business hours; everything rolled back "
               "to 2.4.0\n";
  return absl::OkStatus();
}

}  // namespace

int main() {
  absl::Status status = Run();
  if (!status.ok()) {
    std::cerr << "error: " << status << "\n";
    return 1;
  }
  return 0;
}
