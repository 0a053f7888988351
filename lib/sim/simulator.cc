// Copyright 2026 The Sluice Authors.

#include "sluice/sim/simulator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/sim/sim_random.h"
#include "sluice/gate_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_event.h"
#include "sluice/sim/metric_model.h"
#include "sluice/sim/sim_sources.h"
#include "sluice/wave_scheduler.h"

namespace sluice::sim {

struct Simulator::Data {
  RolloutSpec spec;
  Fleet fleet;
  Scenario scenario;
  WavePlan plan;
  GatePolicy gates;
  std::vector<std::string> metrics;  // the spec's metric names, in order
};

Simulator::Simulator(std::shared_ptr<const Data> data)
    : data_(std::move(data)) {}

absl::StatusOr<Simulator> Simulator::Create(const RolloutSpec& spec,
                                            const Fleet& fleet,
                                            const Scenario& scenario) {
  SLUICE_RETURN_IF_ERROR(ValidateScenario(scenario));
  SLUICE_RETURN_IF_ERROR(ValidateScenarioAgainst(scenario, fleet));
  SLUICE_RETURN_IF_ERROR(spec.ValidateAgainst(fleet));
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<WaveScheduler> scheduler,
                          NewScheduler(spec));
  SLUICE_ASSIGN_OR_RETURN(WavePlan plan, scheduler->Plan(fleet));
  SLUICE_ASSIGN_OR_RETURN(GatePolicy gates, GatePolicyFromSpec(spec));
  std::vector<std::string> metrics = spec.metric_names();
  // A binding for a metric the spec does not declare binds nothing (a typo
  // would leave the declared metric on its inferred signal).
  for (size_t i = 0; i < scenario.metrics.size(); ++i) {
    const std::string& name = scenario.metrics[i].metric;
    if (std::find(metrics.begin(), metrics.end(), name) == metrics.end()) {
      return internal::FieldPath("metrics")
          .Index(static_cast<int>(i))
          .Field("metric")
          .Invalid(absl::StrCat(
              "binds \"", name,
              "\", which the spec does not declare (its metrics: ",
              metrics.empty() ? "none" : absl::StrJoin(metrics, ", "), ")"));
    }
  }
  return Simulator(
      std::make_shared<const Data>(Data{spec, fleet, scenario, std::move(plan),
                                        std::move(gates), std::move(metrics)}));
}

const WavePlan& Simulator::plan() const { return data_->plan; }
const RolloutSpec& Simulator::spec() const { return data_->spec; }
const Fleet& Simulator::fleet() const { return data_->fleet; }
const Scenario& Simulator::scenario() const { return data_->scenario; }

namespace {

// Streams of the host's draws.
constexpr uint64_t kStreamDeployTime = 201;
constexpr uint64_t kStreamDeployFail = 202;
constexpr uint64_t kStreamTrafficOrder = 203;
constexpr uint64_t kStreamTrafficFail = 204;

// Keeps the engine's events.
class RecordingSink : public EventSink {
 public:
  void OnEvent(const RolloutEvent& event) override { events.push_back(event); }
  std::vector<RolloutEvent> events;
};

// A completion of one target's part of an action (or of a whole traffic
// action, target = -1).
struct Completion {
  absl::Time time;
  uint64_t sequence = 0;
  std::string action_id;
  int64_t target = -1;
  bool succeeded = true;
  ActionKind kind = ActionKind::kDeploy;
  double traffic_percent = 0;
  // The deployment failed because the fault crashes the target.
  bool crashed = false;

  bool operator>(const Completion& other) const {
    if (time != other.time) return time > other.time;
    return sequence > other.sequence;
  }
};

bool IsGateTrigger(FailureTrigger trigger) {
  return trigger == FailureTrigger::kGateFail ||
         trigger == FailureTrigger::kGateInconclusive ||
         trigger == FailureTrigger::kGateError;
}

// One run's simulated host.
class Host {
 public:
  Host(const Simulator& simulator, const MetricModel& model,
       VersionHistory& versions, uint64_t seed)
      : fleet_(simulator.fleet()),
        scenario_(simulator.scenario()),
        model_(model),
        versions_(versions),
        seed_(seed),
        attempts_(simulator.fleet().size(), 0) {}

  // Carries out `action` issued at `now`.
  absl::Status Handle(const Action& action, absl::Time now, Rollout& rollout) {
    switch (action.kind) {
      case ActionKind::kDeploy:
      case ActionKind::kRollBack:
        if (action.kind == ActionKind::kRollBack && action.targets.empty()) {
          Schedule(action, now, -1, action.traffic_percent.value_or(0));
          return absl::OkStatus();
        }
        for (Fleet::TargetIndex t : action.targets) {
          Schedule(action, now, t, 0);
        }
        return absl::OkStatus();
      case ActionKind::kSetTraffic:
        Schedule(action, now, -1, action.traffic_percent.value_or(0));
        return absl::OkStatus();
      case ActionKind::kRequestApproval:
        return rollout.Approve("simulator", now);
      case ActionKind::kWait:
      case ActionKind::kNotify:
        return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  bool HasDue(absl::Time now) const {
    return !queue_.empty() && queue_.top().time <= now;
  }
  absl::Time NextCompletion() const {
    return queue_.empty() ? absl::InfiniteFuture() : queue_.top().time;
  }
  bool idle() const { return queue_.empty(); }

  // Reports every completion due by `now`, grouped by action in order of
  // first completion.
  absl::Status ReportDue(absl::Time now, Rollout& rollout) {
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
      absl::Status status;
      if (completions.front().target < 0) {
        const Completion& c = completions.front();
        status = rollout.ReportActionOutcome(
            id, c.succeeded, c.succeeded ? "" : "simulated traffic failure",
            now);
        if (status.ok() && c.succeeded) SetTraffic(c.traffic_percent, c.time);
      } else {
        std::vector<TargetResult> results;
        results.reserve(completions.size());
        for (const Completion& c : completions) {
          const auto t = static_cast<Fleet::TargetIndex>(c.target);
          results.push_back(
              c.succeeded ? TargetResult::Ok(t)
              : c.crashed
                  ? TargetResult::Failed(
                        t,
                        "simulated crash loop: the new version does not "
                        "start")
                  : TargetResult::Failed(t, "simulated deployment failure"));
        }
        status = rollout.ReportOutcome(id, results, now);
        if (status.ok()) {
          for (const Completion& c : completions) {
            if (c.crashed) {
              first_crash_failure_ = std::min(first_crash_failure_, c.time);
            }
          }
        }
        if (status.ok()) {
          for (const Completion& c : completions) {
            if (!c.succeeded) continue;
            const auto t = static_cast<uint32_t>(c.target);
            if (c.kind == ActionKind::kDeploy) {
              versions_.SetNew(t, c.time);
              first_new_ = std::min(first_new_, c.time);
            } else {
              versions_.SetOld(t, c.time);
            }
          }
        }
      }
      // A cancelled action (the engine stopped the wave): the host stops
      // that deployment, and the targets keep their version.
      if (!status.ok() &&
          status.code() != absl::StatusCode::kFailedPrecondition) {
        return internal::PrefixStatus(status, absl::StrCat("reporting ", id));
      }
    }
    return absl::OkStatus();
  }

  // When the first target started serving the new version.
  absl::Time first_new() const { return first_new_; }
  // When the first deployment failed because the fault crashed the target.
  absl::Time first_crash_failure() const { return first_crash_failure_; }

 private:
  void Schedule(const Action& action, absl::Time now, int64_t target,
                double percent) {
    const DeployModel& deploy = scenario_.deploy;
    Completion c;
    c.sequence = sequence_++;
    c.action_id = action.id;
    c.target = target;
    c.kind = action.kind;
    c.traffic_percent = percent;
    if (target < 0) {
      c.time = now + deploy.median_duration;
      c.succeeded = deploy.failure_probability <= 0 ||
                    internal::UnitFromBits(internal::HashWords(
                        {seed_, c.sequence, kStreamTrafficFail})) >=
                        deploy.failure_probability;
    } else {
      const uint64_t attempt = attempts_[target]++;
      const uint64_t t = static_cast<uint64_t>(target);
      double factor = 1;
      if (deploy.duration_spread > 0) {
        factor = std::exp(deploy.duration_spread *
                          internal::NormalFromBits(internal::HashWords(
                              {seed_, t, attempt, kStreamDeployTime})));
      }
      c.time =
          now + absl::Seconds(std::round(
                    absl::ToDoubleSeconds(deploy.median_duration) * factor));
      c.succeeded = deploy.failure_probability <= 0 ||
                    internal::UnitFromBits(internal::HashWords(
                        {seed_, t, attempt, kStreamDeployFail})) >=
                        deploy.failure_probability;
      if (c.succeeded && action.kind == ActionKind::kDeploy &&
          model_.CrashOnDeploy(static_cast<uint32_t>(target), attempt)) {
        c.succeeded = false;
        c.crashed = true;
      }
    }
    queue_.push(std::move(c));
  }

  // Traffic-routed plans: `percent` of the traffic goes to the new version,
  // modelled as the new version on the first `percent` of the targets in a
  // per-run random order.
  void SetTraffic(double percent, absl::Time time) {
    if (traffic_order_.empty()) {
      traffic_order_.resize(fleet_.size());
      std::iota(traffic_order_.begin(), traffic_order_.end(), 0u);
      std::vector<uint64_t> keys(fleet_.size());
      for (size_t i = 0; i < keys.size(); ++i) {
        keys[i] = internal::HashWords({seed_, i, kStreamTrafficOrder});
      }
      std::sort(traffic_order_.begin(), traffic_order_.end(),
                [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
    }
    const size_t count = static_cast<size_t>(
        std::llround(std::clamp(percent, 0.0, 100.0) / 100.0 *
                     static_cast<double>(fleet_.size())));
    for (size_t i = 0; i < traffic_order_.size(); ++i) {
      if (i < count) {
        versions_.SetNew(traffic_order_[i], time);
        first_new_ = std::min(first_new_, time);
      } else {
        versions_.SetOld(traffic_order_[i], time);
      }
    }
  }

  const Fleet& fleet_;
  const Scenario& scenario_;
  const MetricModel& model_;
  VersionHistory& versions_;
  uint64_t seed_;
  std::vector<uint32_t> attempts_;
  std::vector<uint32_t> traffic_order_;
  std::priority_queue<Completion, std::vector<Completion>,
                      std::greater<Completion>>
      queue_;
  uint64_t sequence_ = 0;
  absl::Time first_new_ = absl::InfiniteFuture();
  absl::Time first_crash_failure_ = absl::InfiniteFuture();
};

// The gate that decided: for a failure, the innermost verdict with the
// same outcome (a combinator's failing child, a bake's failing check).
const Verdict& Decisive(const Verdict& verdict) {
  if (verdict.outcome == Outcome::kPass) return verdict;
  for (const Verdict& child : verdict.details) {
    if (child.outcome == verdict.outcome) return Decisive(child);
  }
  return verdict;
}

std::string VerdictText(const Verdict& verdict) {
  const Verdict& decisive = Decisive(verdict);
  std::string text =
      absl::StrCat(decisive.gate, ": ", OutcomeName(decisive.outcome));
  if (!decisive.reason.empty()) {
    absl::StrAppend(&text, " (", decisive.reason, ")");
  }
  return text;
}

// How far the new version had spread by a moment.
struct Reach {
  int64_t zones = 0;
  int64_t regions = 0;
  // Some region had every target on the new version at once.
  bool region_complete = false;
};

Reach ReachBy(const Fleet& fleet, const VersionHistory& versions,
              absl::Time time) {
  Reach reach;
  std::vector<bool> zones(fleet.zones().size()),
      regions(fleet.regions().size());
  std::vector<std::vector<std::pair<absl::Time, int>>> changes(
      fleet.regions().size());
  std::vector<int64_t> members(fleet.regions().size());
  for (uint32_t t = 0; t < versions.size(); ++t) {
    const uint32_t region = fleet.region_of(t);
    ++members[region];
    for (const TimeInterval& interval : versions.intervals(t)) {
      if (interval.from > time) continue;
      zones[fleet.zone_of(t)] = true;
      regions[region] = true;
      changes[region].emplace_back(interval.from, +1);
      if (interval.to <= time) changes[region].emplace_back(interval.to, -1);
    }
  }
  for (bool z : zones) reach.zones += z;
  for (bool r : regions) reach.regions += r;
  for (size_t r = 0; r < changes.size() && !reach.region_complete; ++r) {
    // Leaving sorts before joining at the same instant.
    std::sort(changes[r].begin(), changes[r].end());
    int64_t on_new = 0;
    for (const auto& [at, delta] : changes[r]) {
      on_new += delta;
      if (on_new == members[r]) reach.region_complete = true;
    }
  }
  return reach;
}

// Fills the trace's waves, events and curves.
void BuildTrace(const Simulator& simulator, const MetricModel& model,
                const VersionHistory& versions,
                const std::vector<RolloutEvent>& events,
                const std::vector<std::string>& metrics, absl::Time end,
                RunTrace* trace) {
  const Scenario& scenario = simulator.scenario();
  const WavePlan& plan = simulator.plan();
  trace->start = scenario.start;
  trace->end = end;
  trace->events.clear();
  trace->waves.clear();
  trace->curves.clear();
  std::map<int, size_t> wave_index;
  auto wave = [&](int index, absl::Time time) -> WaveSpan& {
    auto it = wave_index.find(index);
    if (it == wave_index.end()) {
      WaveSpan span;
      span.index = index;
      if (index >= 0 && index < static_cast<int>(plan.waves.size())) {
        const Wave& w = plan.waves[index];
        span.label = w.stage.empty() ? w.name : w.stage;
        span.targets = static_cast<int64_t>(w.targets.size());
      }
      span.start = time;
      span.end = end;
      span.status = "running";
      trace->waves.push_back(span);
      it = wave_index.emplace(index, trace->waves.size() - 1).first;
    }
    return trace->waves[it->second];
  };
  for (const RolloutEvent& e : events) {
    TimelineEvent t;
    t.time = e.time;
    t.wave = e.wave;
    t.detail = e.message;
    switch (e.kind) {
      case EventKind::kWaveStarted:
        wave(e.wave, e.time);
        t.kind = TimelineEvent::Kind::kWaveStarted;
        break;
      case EventKind::kWaveDeployed:
        t.kind = TimelineEvent::Kind::kWaveDeployed;
        break;
      case EventKind::kGateVerdict:
        t.kind = TimelineEvent::Kind::kGate;
        if (e.verdict.has_value()) {
          t.passed = e.verdict->outcome == Outcome::kPass;
          t.detail = VerdictText(*e.verdict);
        }
        break;
      case EventKind::kWavePassed:
        wave(e.wave, e.time).end = e.time;
        wave(e.wave, e.time).status = "passed";
        continue;
      case EventKind::kWaveFailed:
        wave(e.wave, e.time).end = e.time;
        wave(e.wave, e.time).status = "failed";
        t.kind = TimelineEvent::Kind::kNote;
        t.detail = e.trigger.has_value()
                       ? absl::StrCat("wave failed (",
                                      FailureTriggerName(*e.trigger), ")")
                       : "wave failed";
        break;
      case EventKind::kRollbackStarted:
        t.kind = TimelineEvent::Kind::kRollbackStarted;
        break;
      case EventKind::kRollbackCompleted:
        t.kind = TimelineEvent::Kind::kRollbackDone;
        break;
      case EventKind::kRolloutFinished:
        t.kind = TimelineEvent::Kind::kCompleted;
        t.detail = absl::StrCat("rollout ", e.status);
        break;
      case EventKind::kPolicyDecision:
        t.kind = TimelineEvent::Kind::kNote;
        if (e.decision.has_value()) {
          t.detail = absl::StrCat("rollback policy: ",
                                  DecisionKindName(e.decision->kind));
        }
        break;
      case EventKind::kEscalated:
        t.kind = TimelineEvent::Kind::kNote;
        t.detail = "escalated to a person";
        break;
      default:
        continue;
    }
    // Rollback starts are issued once per action; keep the first.
    if (t.kind == TimelineEvent::Kind::kRollbackStarted) {
      bool seen = false;
      for (const TimelineEvent& prior : trace->events) {
        seen = seen || prior.kind == TimelineEvent::Kind::kRollbackStarted;
      }
      if (seen) continue;
    }
    trace->events.push_back(std::move(t));
  }
  // Curves: the canary (targets on the new version) and the baseline (the
  // rest), minute by minute, over segments in which the split is constant.
  std::vector<absl::Time> changes = {scenario.start, end};
  for (uint32_t t = 0; t < versions.size(); ++t) {
    for (const TimeInterval& interval : versions.intervals(t)) {
      changes.push_back(interval.from);
      if (interval.to < end) changes.push_back(interval.to);
    }
  }
  std::vector<int64_t> minutes;
  for (absl::Time c : changes) {
    if (c < scenario.start || c > end) continue;
    minutes.push_back(model.MinuteIndex(c));
  }
  std::sort(minutes.begin(), minutes.end());
  minutes.erase(std::unique(minutes.begin(), minutes.end()), minutes.end());
  std::vector<std::string> names = metrics;
  if (names.empty()) names = {"error_rate", "p99_latency"};
  std::vector<MetricBinding> bindings;
  for (const std::string& name : names) {
    std::optional<MetricBinding> b = scenario.BindingFor(name);
    if (!b.has_value()) continue;
    b->metric = name;
    bindings.push_back(*b);
  }
  std::vector<MetricCurve> canary(bindings.size()), baseline(bindings.size());
  for (size_t i = 0; i < bindings.size(); ++i) {
    canary[i] = {bindings[i].metric, "canary", {}};
    baseline[i] = {bindings[i].metric, "baseline", {}};
  }
  std::vector<uint32_t> on_new, on_old;
  std::vector<CohortMinute> data;
  for (size_t s = 0; s + 1 < minutes.size(); ++s) {
    const absl::Time from = model.MinuteStart(minutes[s]);
    const absl::Time to = model.MinuteStart(minutes[s + 1]);
    const absl::Time mid = from + absl::Seconds(30);
    on_new.clear();
    on_old.clear();
    for (uint32_t t = 0; t < versions.size(); ++t) {
      bool is_new = false;
      for (const TimeInterval& interval : versions.intervals(t)) {
        is_new = is_new || (interval.from <= mid && mid < interval.to);
      }
      (is_new ? on_new : on_old).push_back(t);
    }
    for (int cohort = 0; cohort < 2; ++cohort) {
      const std::vector<uint32_t>& targets = cohort == 0 ? on_new : on_old;
      if (targets.empty()) continue;
      model.CohortMinutes(targets, versions, from, to, &data);
      for (size_t i = 0; i < bindings.size(); ++i) {
        std::vector<Sample>& points =
            (cohort == 0 ? canary[i] : baseline[i]).points;
        for (const CohortMinute& m : data) {
          points.push_back(
              {m.time, model.Value(m, bindings[i].signal, bindings[i].quantile,
                                   bindings[i].slower_than_ms)});
        }
      }
    }
  }
  for (size_t i = 0; i < bindings.size(); ++i) {
    trace->curves.push_back(std::move(canary[i]));
    trace->curves.push_back(std::move(baseline[i]));
  }
}

}  // namespace

absl::StatusOr<RunOutcome> Simulator::Run(int64_t run, uint64_t seed,
                                          RunTrace* trace) const {
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
  if (d.spec.previous_version().empty()) options.previous_version = "previous";
  GatesFromPolicy(d.gates, d.plan, options);
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Rollout> rollout,
                          Rollout::FromSpec(d.spec, d.fleet, d.plan, options));
  Host host(*this, model, versions, seed);

  const absl::Time end = scenario.start + scenario.duration;
  absl::Time now = scenario.start;
  std::optional<absl::Time> stopped_at;
  std::optional<FailureTrigger> stop_trigger;
  int stop_wave = -1;
  std::string decisive_gate;
  // The decisive gate of the last non-passing verdict of each wave.
  std::map<int, std::string> failing_gate;
  size_t events_seen = 0;
  int64_t steps = 0;
  while (true) {
    clock.SetTime(now);
    // Settle everything due at `now`.
    for (int round = 0; round < 10000; ++round) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions,
                              rollout->Advance(now));
      for (const Action& action : actions) {
        SLUICE_RETURN_IF_ERROR(host.Handle(action, now, *rollout));
      }
      const bool due = host.HasDue(now);
      if (due) SLUICE_RETURN_IF_ERROR(host.ReportDue(now, *rollout));
      if (actions.empty() && !due) break;
    }
    for (; events_seen < sink.events.size(); ++events_seen) {
      const RolloutEvent& e = sink.events[events_seen];
      if (e.kind == EventKind::kGateVerdict && e.verdict.has_value() &&
          e.verdict->outcome != Outcome::kPass) {
        failing_gate[e.wave] = Decisive(*e.verdict).gate;
      }
      if (e.kind == EventKind::kWaveFailed && !stopped_at.has_value()) {
        stopped_at = e.time;
        stop_trigger = e.trigger;
        stop_wave = e.wave;
        auto it = failing_gate.find(e.wave);
        if (e.trigger.has_value() && IsGateTrigger(*e.trigger) &&
            it != failing_gate.end()) {
          decisive_gate = it->second;
        }
      }
    }
    const RolloutStatus status = rollout->status();
    if (IsTerminal(status)) break;
    absl::Time next = std::min(host.NextCompletion(), rollout->NextWakeup());
    if (next == absl::InfiniteFuture()) break;  // waits for a person
    if (next <= now) next = now + absl::Seconds(1);
    if (next > end) break;
    now = next;
    if (++steps > 1000000) {
      return absl::InternalError("simulation did not settle");
    }
  }

  RunOutcome outcome;
  outcome.run = run;
  outcome.seed = seed;
  outcome.bad_release = scenario.fault.bad;
  const RolloutStatus status = rollout->status();
  outcome.final_state = std::string(RolloutStatusName(status));
  outcome.rolled_back = status == RolloutStatus::kRolledBack ||
                        status == RolloutStatus::kRollingBack ||
                        status == RolloutStatus::kFailed;
  outcome.stopped =
      stopped_at.has_value() && status != RolloutStatus::kSucceeded;
  if (outcome.stopped) {
    outcome.stop_trigger = stop_trigger;
    outcome.stop_wave = stop_wave;
    if (stop_wave >= 0 && stop_wave < static_cast<int>(d.plan.waves.size())) {
      const Wave& wave = d.plan.waves[stop_wave];
      outcome.stop_stage = wave.stage.empty() ? wave.name : wave.stage;
    }
    outcome.decisive_gate = decisive_gate;
  }
  const Reach reach =
      ReachBy(d.fleet, versions, outcome.stopped ? *stopped_at : end);
  outcome.zones_reached = reach.zones;
  outcome.regions_reached = reach.regions;
  if (outcome.stopped) {
    outcome.stopped_in_first_zone = reach.zones <= 1;
    outcome.stopped_before_region_complete = !reach.region_complete;
  }
  if (scenario.fault.bad) {
    const bool by_gates = outcome.stopped && stop_trigger.has_value() &&
                          IsGateTrigger(*stop_trigger);
    outcome.stopped_by_fault =
        outcome.stopped && stop_trigger == FailureTrigger::kDeployFailures &&
        host.first_crash_failure() <= *stopped_at;
    outcome.detected = by_gates || outcome.stopped_by_fault;
    outcome.escaped = status == RolloutStatus::kSucceeded;
    const Exposure exposure = ComputeExposure(model, versions, end);
    outcome.max_bad_targets = exposure.max_targets;
    outcome.max_bad_weight_share = exposure.max_weight_share;
    outcome.bad_requests = exposure.hurt_requests;
    outcome.excess_errors = exposure.excess_errors;
    if (exposure.first_harm.has_value()) {
      outcome.first_harm = *exposure.first_harm - scenario.start;
    }
    if (outcome.detected) {
      outcome.time_to_detect =
          std::max(absl::ZeroDuration(), *stopped_at - host.first_new());
      outcome.time_to_detect_from_harm =
          exposure.first_harm.has_value()
              ? std::max(absl::ZeroDuration(),
                         *stopped_at - *exposure.first_harm)
              : absl::ZeroDuration();
    }
  } else {
    outcome.false_rollback = outcome.stopped;
  }
  for (const RolloutEvent& e : sink.events) {
    if (e.kind == EventKind::kRolloutFinished &&
        status == RolloutStatus::kSucceeded) {
      outcome.time_to_full_rollout = e.time - scenario.start;
    }
  }
  if (trace != nullptr) {
    trace->outcome = outcome;
    trace->rollout_events = sink.events;
    BuildTrace(*this, model, versions, sink.events, d.metrics,
               std::max(end, now), trace);
  }
  return outcome;
}

absl::StatusOr<std::vector<RunOutcome>> Simulator::RunMany(
    const MonteCarloOptions& options) const {
  return RunMonteCarlo(
      options, [this](int64_t run, uint64_t seed) { return Run(run, seed); });
}

absl::StatusOr<BacktestResult> BacktestGate(const HealthGate& gate,
                                            const Scenario& scenario,
                                            const Fleet& fleet, uint64_t seed,
                                            const BacktestOptions& options) {
  if (scenario.fault.bad) {
    return internal::FieldPath("fault").Field("bad").Invalid(
        "a backtest needs a good release");
  }
  if (options.every <= absl::ZeroDuration()) {
    return internal::FieldPath("every").Invalid(
        internal::MustBe(internal::kMustBePositive, options.every));
  }
  if (options.max_hold <= absl::ZeroDuration()) {
    return internal::FieldPath("max_hold")
        .Invalid(internal::MustBe(internal::kMustBePositive, options.max_hold));
  }
  if (options.canary_targets < 1 ||
      static_cast<size_t>(options.canary_targets) >= fleet.size()) {
    return internal::FieldPath("canary_targets")
        .Invalid(
            internal::MustBe(absl::StrCat("must be in [1, ", fleet.size(), ")"),
                             options.canary_targets));
  }
  SLUICE_ASSIGN_OR_RETURN(MetricModel model,
                          MetricModel::Create(scenario, fleet, seed));
  VersionHistory versions(fleet.size());
  VirtualClock clock(scenario.start);
  SimMetricSource metrics(model, versions, clock);
  SimAlarmSource alarms(model, versions, clock);
  std::vector<std::string> canary, baseline;
  for (size_t i = 0; i < fleet.size(); ++i) {
    (i < static_cast<size_t>(options.canary_targets) ? canary : baseline)
        .push_back(fleet.target(i).id);
  }
  BacktestResult result;
  const absl::Time end = scenario.start + scenario.duration;
  for (absl::Time at = scenario.start + options.every; at <= end;
       at += options.every) {
    GateState state;
    GateContext context;
    context.wave_index = 0;
    context.wave_name = "backtest";
    context.wave_deployed_at = at;
    context.wave_targets = canary;
    context.baseline_targets = baseline;
    context.fleet = &fleet;
    context.metric_source = &metrics;
    context.alarm_source = &alarms;
    absl::Time now = at;
    Verdict verdict;
    while (true) {
      clock.SetTime(now);
      context.now = now;
      verdict = gate.Evaluate(context, state);
      if (verdict.outcome != Outcome::kHold) break;
      if (now - at >= options.max_hold) break;
      now = std::max(now + absl::Seconds(1),
                     std::min(verdict.hold_until, at + options.max_hold));
    }
    ++result.evaluations;
    const Verdict& decisive = Decisive(verdict);
    result.verdicts.push_back(
        {at, now, verdict.outcome, decisive.gate, decisive.reason});
    switch (verdict.outcome) {
      case Outcome::kFail:
        ++result.failed;
        break;
      case Outcome::kInconclusive:
      case Outcome::kHold:
        ++result.inconclusive;
        break;
      case Outcome::kError:
        ++result.errors;
        break;
      case Outcome::kPass:
        break;
    }
  }
  result.false_alarm_rate = WilsonInterval(result.failed, result.evaluations);
  return result;
}

}  // namespace sluice::sim
