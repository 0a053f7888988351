// Copyright 2026 The Sluice Authors.
//
// PhasedSimulator (sluice/sim/phased_simulator.h): a PhasedRollout driven by a
// simulated host over a virtual clock. The metric model sees one "new"
// version, the faulty phase's: a target is on it while it runs that phase's
// version or a later phase's.

#include "sluice/sim/phased_simulator.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <ostream>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "lib/core/status_macros.h"
#include "lib/sim/sim_random.h"
#include "sluice/sim/metric_model.h"
#include "sluice/sim/sim_sources.h"

namespace sluice::sim {

struct PhasedSimulator::Data {
  PhasedRolloutSpec spec;
  Fleet fleet;
  Scenario scenario;
  int faulty_phase = -1;  // -1: a good release
};

PhasedSimulator::PhasedSimulator(std::shared_ptr<const Data> data)
    : data_(std::move(data)) {}

absl::StatusOr<PhasedSimulator> PhasedSimulator::Create(
    const PhasedRolloutSpec& spec, const Fleet& fleet, const Scenario& scenario,
    const std::string& faulty_phase) {
  SLUICE_RETURN_IF_ERROR(ValidateScenario(scenario));
  SLUICE_RETURN_IF_ERROR(ValidateScenarioAgainst(scenario, fleet));
  SLUICE_RETURN_IF_ERROR(spec.ValidateAgainst(fleet));
  int faulty = -1;
  std::vector<std::string> names;
  for (size_t i = 0; i < spec.phases().size(); ++i) {
    names.push_back(spec.phases()[i].name);
    if (spec.phases()[i].name == faulty_phase) faulty = static_cast<int>(i);
  }
  if (scenario.fault.bad && faulty < 0) {
    return internal::InvalidArgumentAt(
        "faulty_phase",
        absl::StrCat("no phase \"", faulty_phase,
                     "\" (phases: ", absl::StrJoin(names, ", "), ")"));
  }
  if (!scenario.fault.bad) faulty = -1;
  return PhasedSimulator(
      std::make_shared<const Data>(Data{spec, fleet, scenario, faulty}));
}

namespace {

constexpr uint64_t kStreamDeployTime = 301;
constexpr uint64_t kStreamDeployFail = 302;

class RecordingSink : public EventSink {
 public:
  void OnEvent(const RolloutEvent& event) override { events.push_back(event); }
  std::vector<RolloutEvent> events;
};

struct Completion {
  absl::Time time;
  uint64_t sequence = 0;
  std::string action_id;
  Fleet::TargetIndex target = 0;
  bool succeeded = true;
  // The phase index whose version the target runs when this succeeds (-1:
  // the version before the first phase).
  int runs_phase = -1;

  bool operator>(const Completion& other) const {
    if (time != other.time) return time > other.time;
    return sequence > other.sequence;
  }
};

// The simulated host of one run.
class Host {
 public:
  Host(const Fleet& fleet, const Scenario& scenario, const MetricModel& model,
       VersionHistory& versions, std::vector<std::string> phase_versions,
       int faulty, uint64_t seed)
      : scenario_(scenario),
        model_(model),
        versions_(versions),
        phase_versions_(std::move(phase_versions)),
        faulty_(faulty),
        seed_(seed),
        attempts_(fleet.size(), 0) {}

  void Handle(const PhasedAction& a, absl::Time now) {
    if (a.action.kind != ActionKind::kDeploy &&
        a.action.kind != ActionKind::kRollBack) {
      return;
    }
    // Which phase's version the action puts on the target.
    int runs = -1;
    for (size_t i = 0; i < phase_versions_.size(); ++i) {
      if (phase_versions_[i] == a.action.version) runs = static_cast<int>(i);
    }
    for (Fleet::TargetIndex t : a.action.targets) {
      const uint64_t attempt = attempts_[t]++;
      Completion c;
      c.sequence = sequence_++;
      c.action_id = a.action.id;
      c.target = t;
      c.runs_phase = runs;
      double factor = 1;
      if (scenario_.deploy.duration_spread > 0) {
        factor = std::exp(scenario_.deploy.duration_spread *
                          internal::NormalFromBits(internal::HashWords(
                              {seed_, t, attempt, kStreamDeployTime})));
      }
      c.time =
          now + absl::Seconds(std::round(
                    absl::ToDoubleSeconds(scenario_.deploy.median_duration) *
                    factor));
      c.succeeded = scenario_.deploy.failure_probability <= 0 ||
                    internal::UnitFromBits(internal::HashWords(
                        {seed_, t, attempt, kStreamDeployFail})) >=
                        scenario_.deploy.failure_probability;
      if (c.succeeded && a.action.kind == ActionKind::kDeploy && Faulty(runs) &&
          model_.CrashOnDeploy(t, attempt)) {
        c.succeeded = false;
      }
      queue_.push(std::move(c));
    }
  }

  bool HasDue(absl::Time now) const {
    return !queue_.empty() && queue_.top().time <= now;
  }
  absl::Time NextCompletion() const {
    return queue_.empty() ? absl::InfiniteFuture() : queue_.top().time;
  }

  absl::Status ReportDue(absl::Time now, PhasedRollout& rollout) {
    std::vector<std::pair<std::string, std::vector<Completion>>> groups;
    while (HasDue(now)) {
      Completion c = queue_.top();
      queue_.pop();
      auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
        return g.first == c.action_id;
      });
      if (it == groups.end()) {
        groups.emplace_back(c.action_id, std::vector<Completion>());
        it = groups.end() - 1;
      }
      it->second.push_back(std::move(c));
    }
    for (auto& [id, completions] : groups) {
      std::vector<TargetResult> results;
      for (const Completion& c : completions) {
        results.push_back(c.succeeded
                              ? TargetResult::Ok(c.target)
                              : TargetResult::Failed(
                                    c.target, "simulated deployment failure"));
      }
      absl::Status s = rollout.ReportOutcome(id, results, now);
      if (s.ok()) {
        for (const Completion& c : completions) {
          if (!c.succeeded) continue;
          if (Faulty(c.runs_phase)) {
            versions_.SetNew(c.target, c.time);
          } else {
            versions_.SetOld(c.target, c.time);
          }
        }
        max_faulty_ = std::max<int64_t>(max_faulty_, versions_.new_count());
      } else if (s.code() != absl::StatusCode::kFailedPrecondition) {
        // A cancelled action is normal (the engine stopped the wave).
        return internal::PrefixStatus(s, absl::StrCat("reporting ", id));
      }
    }
    return absl::OkStatus();
  }

  int64_t max_faulty() const { return max_faulty_; }

 private:
  bool Faulty(int runs) const { return faulty_ >= 0 && runs >= faulty_; }

  const Scenario& scenario_;
  const MetricModel& model_;
  VersionHistory& versions_;
  std::vector<std::string> phase_versions_;
  int faulty_;
  uint64_t seed_;
  std::vector<uint64_t> attempts_;
  std::priority_queue<Completion, std::vector<Completion>,
                      std::greater<Completion>>
      queue_;
  uint64_t sequence_ = 0;
  int64_t max_faulty_ = 0;
};

}  // namespace

std::ostream& operator<<(std::ostream& os, const PhasedRunOutcome& o) {
  os << "seed " << o.seed << ": " << o.final_state << " (";
  for (size_t i = 0; i < o.phase_states.size(); ++i) {
    if (i > 0) os << ", ";
    os << "phase " << i << " " << o.phase_states[i];
  }
  os << ")";
  if (!o.failed_phase.empty()) {
    os << "; " << o.failed_phase << " wave " << o.stop_wave << " failed";
    if (o.stop_trigger.has_value()) {
      os << " (" << FailureTriggerName(*o.stop_trigger) << ")";
    }
  }
  os << "; " << o.phases_started << " of " << o.phase_states.size()
     << " phases started; at most " << o.max_faulty_targets
     << " faulty targets; " << absl::FormatDuration(o.elapsed);
  return os;
}

absl::StatusOr<PhasedRunOutcome> PhasedSimulator::Run(
    uint64_t seed, std::vector<RolloutEvent>* events) const {
  const Data& d = *data_;
  const Scenario& scenario = d.scenario;
  SLUICE_ASSIGN_OR_RETURN(MetricModel model,
                          MetricModel::Create(scenario, d.fleet, seed));
  VersionHistory versions(d.fleet.size());
  VirtualClock clock(scenario.start);
  SimMetricSource metrics(model, versions, clock);
  SimAlarmSource alarms(model, versions, clock);
  RecordingSink sink;

  RolloutOptions options;
  options.metric_source = &metrics;
  options.alarm_source = &alarms;
  options.event_sink = &sink;
  if (d.spec.phases().front().spec.previous_version().empty()) {
    options.previous_version = "previous";
  }
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<PhasedRollout> rollout,
                          PhasedRollout::FromSpec(d.spec, d.fleet, options));
  std::vector<std::string> phase_versions;
  for (const PhaseSpecEntry& p : d.spec.phases()) {
    phase_versions.push_back(p.spec.version());
  }
  Host host(d.fleet, scenario, model, versions, phase_versions, d.faulty_phase,
            seed);

  const absl::Time end = scenario.start + scenario.duration;
  absl::Time now = scenario.start;
  int64_t steps = 0;
  while (true) {
    clock.SetTime(now);
    for (int round = 0; round < 10000; ++round) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<PhasedAction> actions,
                              rollout->Advance(now));
      for (const PhasedAction& a : actions) {
        host.Handle(a, now);
        if (a.action.kind == ActionKind::kRequestApproval) {
          SLUICE_RETURN_IF_ERROR(rollout->Approve("simulator", now));
        }
      }
      const bool due = host.HasDue(now);
      if (due) SLUICE_RETURN_IF_ERROR(host.ReportDue(now, *rollout));
      if (actions.empty() && !due) break;
    }
    if (IsTerminal(rollout->status())) break;
    absl::Time next = std::min(host.NextCompletion(), rollout->NextWakeup());
    if (next == absl::InfiniteFuture()) break;  // waits for a person
    if (next <= now) next = now + absl::Seconds(1);
    if (next > end) break;
    now = next;
    if (++steps > 1000000) {
      return absl::InternalError("simulation did not settle");
    }
  }

  PhasedRunOutcome outcome;
  outcome.seed = seed;
  outcome.final_state = std::string(RolloutStatusName(rollout->status()));
  for (int i = 0; i < rollout->phase_count(); ++i) {
    const RolloutStatus s = rollout->phase(i).status();
    outcome.phase_states.push_back(std::string(RolloutStatusName(s)));
    if (s != RolloutStatus::kPending) ++outcome.phases_started;
  }
  absl::Time last = scenario.start;
  for (const RolloutEvent& e : sink.events) {
    last = std::max(last, e.time);
    if (e.kind == EventKind::kWaveFailed && outcome.failed_phase.empty()) {
      outcome.failed_phase = e.phase;
      outcome.stop_trigger = e.trigger;
      outcome.stop_wave = e.wave;
    }
  }
  outcome.elapsed =
      (IsTerminal(rollout->status()) ? last : std::max(end, now)) -
      scenario.start;
  outcome.max_faulty_targets = host.max_faulty();
  if (events != nullptr) *events = sink.events;
  return outcome;
}

}  // namespace sluice::sim
