// Copyright 2026 The Sluice Authors.
//
// PhasedRollout (sluice/phased_rollout.h): ordered phases, each a Rollout of
// its own, composed above the engine. The engine is used only through its
// public interface (Create/FromSpec/Restore, Advance, ReportOutcome, the
// commands and Snapshot), so nothing here depends on its internals.

#include "sluice/phased_rollout.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/rollout/rollout_codec.h"
#include "sluice/gate_policy.h"
#include "sluice/proto_io.h"
#include "sluice/rollback_policy.h"
#include "sluice/v1/phased.pb.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice {
namespace {

using internal::FieldPath;

constexpr int kSchemaVersion = 1;
constexpr size_t kMaxPhaseName = 64;
constexpr size_t kMaxName = 200;
constexpr char kRevertInfix[] = "revert/";
constexpr char kBakeWaitId[] = "bake-between-phases";

absl::Status CheckPhaseName(absl::string_view name, const FieldPath& path) {
  if (name.empty()) return path.Invalid(internal::kMustNotBeEmpty);
  if (name.size() > kMaxPhaseName) {
    return path.Invalid(absl::StrCat("must be at most ", kMaxPhaseName,
                                     " characters (got ", name.size(), ")"));
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) {
      return path.Invalid(
          absl::StrCat("must be lowercase letters, digits, '-' or '_' "
                       "(got \"",
                       name, "\")"));
    }
  }
  return absl::OkStatus();
}

bool TrafficRouted(const WavePlan& plan) {
  for (const Wave& w : plan.waves) {
    if (w.traffic_percent.has_value()) return true;
  }
  return false;
}

// How a phase's engine is made and restored (by hand or from a spec).
struct PhaseSetup {
  std::string name;
  std::string version;
  std::string previous_version;
  WavePlan plan;
  std::function<absl::StatusOr<std::unique_ptr<Rollout>>(EventSink*)> make;
  std::function<absl::StatusOr<std::unique_ptr<Rollout>>(EventSink*,
                                                         absl::string_view)>
      restore;
};

// The checks across phases: names, versions in a chain, plans nested.
absl::Status CheckPhases(const Fleet* fleet_or_null,
                         std::vector<PhaseSetup>& phases,
                         const std::string& field) {
  if (phases.size() < 2) {
    return FieldPath("phases").Invalid(
        absl::StrCat("needs at least 2 phases (got ", phases.size(), ")"));
  }
  for (size_t i = 0; i < phases.size(); ++i) {
    const FieldPath path = FieldPath("phases").Index(static_cast<int>(i));
    SLUICE_RETURN_IF_ERROR(CheckPhaseName(phases[i].name, path.Field("name")));
    for (size_t j = 0; j < i; ++j) {
      if (phases[j].name == phases[i].name) {
        return path.Field("name").Invalid(absl::StrCat(
            "\"", phases[i].name, "\" is used by phases[", j, "]"));
      }
      if (!phases[i].version.empty() &&
          phases[j].version == phases[i].version) {
        return path.Field(field).Field("version").Invalid(
            absl::StrCat("\"", phases[i].version, "\" is phase \"",
                         phases[j].name, "\"'s version too"));
      }
    }
    if (i == 0) continue;
    const PhaseSetup& prev = phases[i - 1];
    if (phases[i].previous_version.empty()) {
      phases[i].previous_version = prev.version;
    } else if (phases[i].previous_version != prev.version) {
      return path.Field(field)
          .Field("previous_version")
          .Invalid(absl::StrCat("must be the version of phase \"", prev.name,
                                "\" (\"", prev.version, "\") or empty (got \"",
                                phases[i].previous_version, "\")"));
    }
    if (fleet_or_null == nullptr) continue;
    const Fleet& fleet = *fleet_or_null;
    // The later phase's targets must all run every earlier phase.
    std::vector<bool> in_earlier(fleet.size(), true);
    for (size_t j = 0; j < i; ++j) {
      std::vector<bool> in_j(fleet.size(), false);
      for (const Wave& w : phases[j].plan.waves) {
        for (Fleet::TargetIndex t : w.targets) {
          if (t < fleet.size()) in_j[t] = true;
        }
      }
      for (size_t t = 0; t < fleet.size(); ++t) {
        in_earlier[t] = in_earlier[t] && in_j[t];
      }
    }
    const bool traffic = TrafficRouted(phases[i].plan);
    for (size_t w = 0; w < phases[i].plan.waves.size() && !traffic; ++w) {
      const Wave& wave = phases[i].plan.waves[w];
      for (size_t k = 0; k < wave.targets.size(); ++k) {
        const Fleet::TargetIndex t = wave.targets[k];
        if (t >= fleet.size() || in_earlier[t]) continue;
        return path.Field("plan")
            .Field("waves")
            .Index(static_cast<int>(w))
            .Field("targets")
            .Index(static_cast<int>(k))
            .Invalid(
                absl::StrCat("target ", fleet.target(t).id,
                             " is not in every earlier phase's plan: the new "
                             "format would reach a target where the code that "
                             "reads it may not run"));
      }
    }
  }
  return absl::OkStatus();
}

std::string PhaseList(const std::vector<std::string>& ids) {
  constexpr size_t kShown = 5;
  std::vector<std::string> shown(ids.begin(),
                                 ids.begin() + std::min(ids.size(), kShown));
  std::string out = absl::StrJoin(shown, ", ");
  if (ids.size() > kShown) absl::StrAppend(&out, ", ...");
  return out;
}

class PhasedRolloutImpl;

// Tags a phase's events and notes when the phase succeeded.
class PhaseSink : public EventSink {
 public:
  PhaseSink(PhasedRolloutImpl* owner, int index, bool revert)
      : owner_(owner), index_(index), revert_(revert) {}
  void OnEvent(const RolloutEvent& event) override;

 private:
  PhasedRolloutImpl* owner_;
  int index_;
  bool revert_;
};

class PhasedRolloutImpl : public PhasedRollout {
 public:
  PhasedRolloutImpl(const Fleet& fleet, std::string name, absl::Duration bake,
                    EventSink* sink)
      : fleet_(fleet), name_(std::move(name)), bake_(bake), sink_(sink) {}

  // Makes (snapshot == nullptr) or restores every phase.
  absl::Status Build(std::vector<PhaseSetup> setups,
                     const v1::PhasedRolloutState* snapshot) {
    setups_ = std::move(setups);
    const int n = static_cast<int>(setups_.size());
    finished_at_.assign(n, absl::InfinitePast());
    reverted_.assign(n, false);
    for (int i = 0; i < n; ++i) {
      sinks_.push_back(std::make_unique<PhaseSink>(this, i, false));
    }
    revert_sink_ = std::make_unique<PhaseSink>(this, -1, true);
    if (snapshot == nullptr) {
      for (int i = 0; i < n; ++i) {
        absl::StatusOr<std::unique_ptr<Rollout>> r =
            setups_[i].make(sinks_[i].get());
        if (!r.ok()) {
          return FieldPath("phases")
              .Index(static_cast<int>(i))
              .Nest(r.status());
        }
        phases_.push_back(*std::move(r));
      }
      return absl::OkStatus();
    }
    return RestoreState(*snapshot);
  }

  absl::StatusOr<std::vector<PhasedAction>> Advance(absl::Time now) override {
    if (now < last_now_) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Advance: now ", absl::FormatTime(now), " is before the last call's ",
          absl::FormatTime(last_now_)));
    }
    last_now_ = now;
    std::vector<PhasedAction> out;
    if (revert_ != nullptr) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions,
                              revert_->Advance(now));
      for (Action& a : actions) out.push_back(TagRevert(std::move(a)));
      Settle();
      return out;
    }
    if (IsTerminal(status())) return out;
    while (true) {
      Rollout& cur = *phases_[current_];
      if (cur.status() != RolloutStatus::kSucceeded) {
        SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions, cur.Advance(now));
        for (Action& a : actions) out.push_back(Tag(current_, std::move(a)));
      }
      if (cur.status() != RolloutStatus::kSucceeded ||
          current_ + 1 >= phase_count() || aborted_ || AnyReverted() ||
          !LeftBehind(current_).empty()) {
        break;
      }
      if (finished_at_[current_] == absl::InfinitePast()) {
        finished_at_[current_] = now;
      }
      const absl::Time ready = finished_at_[current_] + bake_;
      if (now >= ready) {
        ++current_;
        bake_wait_issued_ = false;
        ++own_version_;
        continue;
      }
      if (!bake_wait_issued_) {
        PhasedAction wait;
        wait.phase_index = current_ + 1;
        wait.phase = setups_[current_ + 1].name;
        wait.action.id = absl::StrCat(wait.phase, "/", kBakeWaitId);
        wait.action.kind = ActionKind::kWait;
        wait.action.wait_until = ready;
        wait.action.message = absl::StrCat(
            "phase \"", setups_[current_].name,
            "\" succeeded everywhere; baking ", absl::FormatDuration(bake_),
            " before phase \"", wait.phase, "\" starts");
        out.push_back(std::move(wait));
        bake_wait_issued_ = true;
        ++own_version_;
      }
      break;
    }
    return out;
  }

  absl::Status ReportOutcome(absl::string_view action_id,
                             absl::Span<const TargetResult> results,
                             absl::Time now) override {
    SLUICE_ASSIGN_OR_RETURN(Route route, Find("ReportOutcome", action_id));
    absl::Status s = route.rollout->ReportOutcome(route.id, results, now);
    Settle();
    return s;
  }

  absl::Status ReportActionOutcome(absl::string_view action_id, bool succeeded,
                                   absl::string_view reason,
                                   absl::Time now) override {
    SLUICE_ASSIGN_OR_RETURN(Route route,
                            Find("ReportActionOutcome", action_id));
    absl::Status s =
        route.rollout->ReportActionOutcome(route.id, succeeded, reason, now);
    Settle();
    return s;
  }

  absl::Status Pause(absl::string_view who, absl::Time now) override {
    SLUICE_ASSIGN_OR_RETURN(Rollout * r, Running("Pause"));
    return r->Pause(who, now);
  }
  absl::Status Resume(absl::string_view who, absl::Time now) override {
    SLUICE_ASSIGN_OR_RETURN(Rollout * r, Running("Resume"));
    return r->Resume(who, now);
  }
  absl::Status Retry(absl::string_view who, absl::Time now) override {
    SLUICE_ASSIGN_OR_RETURN(Rollout * r, Running("Retry"));
    return r->Retry(who, now);
  }
  absl::Status Approve(absl::string_view who, absl::Time now) override {
    SLUICE_ASSIGN_OR_RETURN(Rollout * r, Running("Approve"));
    return r->Approve(who, now);
  }
  absl::Status Reject(absl::string_view who, absl::Time now) override {
    SLUICE_ASSIGN_OR_RETURN(Rollout * r, Running("Reject"));
    return r->Reject(who, now);
  }
  absl::Status Abort(absl::string_view who, absl::Time now) override {
    if (revert_ == nullptr && !aborted_ && !AnyReverted() &&
        phases_[current_]->status() == RolloutStatus::kSucceeded &&
        current_ + 1 < phase_count()) {
      // Between phases: the next one never starts; finished ones stay.
      aborted_ = true;
      ++own_version_;
      return absl::OkStatus();
    }
    SLUICE_ASSIGN_OR_RETURN(Rollout * r, Running("Abort"));
    return r->Abort(who, now);
  }

  absl::Status RollBackPhase(absl::string_view phase, absl::string_view who,
                             absl::Time now) override {
    int p = -1;
    for (int i = 0; i < phase_count(); ++i) {
      if (setups_[i].name == phase) p = i;
    }
    if (p < 0) {
      return absl::NotFoundError(
          absl::StrCat("RollBackPhase: no phase \"", phase, "\""));
    }
    const std::string& pname = setups_[p].name;
    if (revert_ != nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("RollBackPhase: phase \"", setups_[revert_phase_].name,
                       "\" is being rolled back; wait until it is done"));
    }
    if (reverted_[p]) {
      return absl::FailedPreconditionError(absl::StrCat(
          "RollBackPhase: phase \"", pname, "\" is rolled back already"));
    }
    // The safety rule: nothing later may still run anywhere.
    for (int j = p + 1; j < phase_count(); ++j) {
      const RolloutStatus s = phases_[j]->status();
      const bool clean = reverted_[j] || s == RolloutStatus::kPending ||
                         s == RolloutStatus::kRolledBack ||
                         s == RolloutStatus::kAborted;
      if (clean) continue;
      int64_t running = 0;
      for (const Wave& w : phases_[j]->plan().waves) {
        for (Fleet::TargetIndex t : w.targets) {
          running += phases_[j]->RunsNewVersion(t) ? 1 : 0;
        }
      }
      const std::string& later = setups_[j].name;
      return absl::FailedPreconditionError(absl::StrCat(
          "RollBackPhase: cannot roll back phase \"", pname,
          "\" while phase \"", later, "\" runs on ", running,
          running == 1 ? " target" : " targets",
          " (state: ", RolloutStatusName(s), "): ", setups_[p].previous_version,
          " cannot read the data \"", later, "\" writes; roll back \"", later,
          "\" first"));
    }
    Rollout& r = *phases_[p];
    switch (r.status()) {
      case RolloutStatus::kPending:
        return absl::FailedPreconditionError(absl::StrCat(
            "RollBackPhase: phase \"", pname, "\" has not started"));
      case RolloutStatus::kRunning:
      case RolloutStatus::kPaused:
        return r.Abort(who, now);
      case RolloutStatus::kRollingBack:
      case RolloutStatus::kRolledBack:
      case RolloutStatus::kAborted:
        return absl::FailedPreconditionError(absl::StrCat(
            "RollBackPhase: phase \"", pname,
            "\" is rolled back already (state: ", RolloutStatusName(r.status()),
            ")"));
      case RolloutStatus::kFailed:
        return absl::FailedPreconditionError(absl::StrCat(
            "RollBackPhase: phase \"", pname,
            "\"'s rollback could not complete; a person must restore its "
            "targets"));
      case RolloutStatus::kSucceeded:
        break;
    }
    if (TrafficRouted(r.plan())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "RollBackPhase: phase \"", pname,
          "\" has a traffic-routed plan and has succeeded; route the traffic "
          "back with a new rollout of ",
          setups_[p].previous_version));
    }
    SLUICE_ASSIGN_OR_RETURN(
        std::unique_ptr<Rollout> revert,
        Rollout::Create(fleet_, RevertPlan(r.plan()), RevertOptions(p)));
    revert_ = std::move(revert);
    revert_phase_ = p;
    ++own_version_;
    return absl::OkStatus();
  }

  RolloutStatus status() const override {
    if (revert_ != nullptr) {
      switch (revert_->status()) {
        case RolloutStatus::kSucceeded:
          return RolloutStatus::kRolledBack;
        case RolloutStatus::kPending:
        case RolloutStatus::kRunning:
          return RolloutStatus::kRollingBack;
        default:
          // Paused after a failure, or worse: a person must act.
          return RolloutStatus::kFailed;
      }
    }
    if (AnyReverted()) return RolloutStatus::kRolledBack;
    if (aborted_) return RolloutStatus::kAborted;
    const RolloutStatus s = phases_[current_]->status();
    if (s == RolloutStatus::kSucceeded) {
      if (current_ + 1 == phase_count()) return RolloutStatus::kSucceeded;
      return LeftBehind(current_).empty() ? RolloutStatus::kRunning
                                          : RolloutStatus::kPaused;
    }
    if (s == RolloutStatus::kPending && current_ > 0) {
      return RolloutStatus::kRunning;
    }
    return s;
  }

  int current_phase() const override { return current_; }
  const std::string& current_phase_name() const override {
    return setups_[current_].name;
  }
  int phase_count() const override { return static_cast<int>(setups_.size()); }
  const Rollout& phase(int i) const override { return *phases_.at(i); }
  const std::string& phase_name(int i) const override {
    return setups_.at(i).name;
  }

  std::string Blocker() const override {
    if (revert_ != nullptr && status() == RolloutStatus::kFailed) {
      return absl::StrCat("the rollback of phase \"",
                          setups_[revert_phase_].name,
                          "\" could not complete (state: ",
                          RolloutStatusName(revert_->status()),
                          "); a person must restore its targets");
    }
    if (revert_ != nullptr || AnyReverted() || aborted_) return "";
    const std::vector<std::string> behind = LeftBehind(current_);
    if (behind.empty() || current_ + 1 >= phase_count()) return "";
    return absl::StrCat(
        "phase \"", setups_[current_].name, "\" succeeded but ", behind.size(),
        behind.size() == 1 ? " target does" : " targets do", " not run it (",
        PhaseList(behind), "): phase \"", setups_[current_ + 1].name,
        "\" starts only when every target reads the new format; deploy ",
        setups_[current_].version,
        " to them and start a new phased rollout, or RollBackPhase(\"",
        setups_[current_].name, "\")");
  }

  absl::Time NextWakeup() const override {
    if (revert_ != nullptr) return revert_->NextWakeup();
    if (IsTerminal(status()) || status() == RolloutStatus::kPaused) {
      return phases_[current_]->status() == RolloutStatus::kPaused
                 ? phases_[current_]->NextWakeup()
                 : absl::InfiniteFuture();
    }
    const Rollout& cur = *phases_[current_];
    if (cur.status() == RolloutStatus::kSucceeded) {
      return finished_at_[current_] == absl::InfinitePast()
                 ? last_now_
                 : finished_at_[current_] + bake_;
    }
    return cur.NextWakeup();
  }

  std::vector<PhasedAction> PendingActions() const override {
    std::vector<PhasedAction> out;
    for (int i = 0; i < phase_count(); ++i) {
      for (Action& a : phases_[i]->PendingActions()) {
        out.push_back(Tag(i, std::move(a)));
      }
    }
    if (revert_ != nullptr) {
      for (Action& a : revert_->PendingActions()) {
        out.push_back(TagRevert(std::move(a)));
      }
    }
    return out;
  }

  int64_t state_version() const override {
    int64_t v = own_version_;
    for (const auto& p : phases_) v += p->state_version();
    if (revert_ != nullptr) v += revert_->state_version();
    return v;
  }

  std::string Snapshot() const override {
    v1::PhasedRolloutState s;
    s.set_schema_version(kSchemaVersion);
    s.set_name(name_);
    for (int i = 0; i < phase_count(); ++i) {
      v1::PhaseRecord* r = s.add_phases();
      r->set_name(setups_[i].name);
      r->set_version(setups_[i].version);
      r->set_snapshot(phases_[i]->Snapshot());
      if (finished_at_[i] != absl::InfinitePast()) {
        internal::EncodeTime(finished_at_[i], r->mutable_finished_at());
      }
      r->set_reverted(reverted_[i]);
    }
    s.set_current_phase(current_);
    internal::EncodeDuration(bake_, s.mutable_bake_between_phases());
    s.set_revert_phase(revert_phase_);
    if (revert_ != nullptr) s.set_revert_snapshot(revert_->Snapshot());
    s.set_aborted(aborted_);
    internal::EncodeTime(last_now_, s.mutable_last_now());
    s.set_bake_wait_issued(bake_wait_issued_);
    s.set_state_version(own_version_);
    return s.SerializeAsString();
  }

  // From PhaseSink.
  void OnPhaseEvent(int index, bool revert, const RolloutEvent& event) {
    if (!revert && event.kind == EventKind::kRolloutFinished &&
        event.status == RolloutStatusName(RolloutStatus::kSucceeded)) {
      finished_at_[index] = event.time;
    }
    if (sink_ == nullptr) return;
    RolloutEvent tagged = event;
    tagged.phase =
        revert ? absl::StrCat(setups_[revert_phase_].name, " (rollback)")
               : setups_[index].name;
    sink_->OnEvent(tagged);
  }

 private:
  struct Route {
    Rollout* rollout = nullptr;
    std::string id;
  };

  bool AnyReverted() const {
    return std::find(reverted_.begin(), reverted_.end(), true) !=
           reverted_.end();
  }

  // Targets of phase i's plan that do not run its version (empty for
  // traffic-routed plans, whose traffic the engine tracks as a whole).
  std::vector<std::string> LeftBehind(int i) const {
    std::vector<std::string> ids;
    const Rollout& r = *phases_[i];
    if (r.status() != RolloutStatus::kSucceeded || TrafficRouted(r.plan())) {
      return ids;
    }
    for (const Wave& w : r.plan().waves) {
      for (Fleet::TargetIndex t : w.targets) {
        if (!r.RunsNewVersion(t)) ids.push_back(fleet_.target(t).id);
      }
    }
    return ids;
  }

  PhasedAction Tag(int i, Action action) const {
    PhasedAction out;
    out.phase_index = i;
    out.phase = setups_[i].name;
    action.id = absl::StrCat(out.phase, "/", action.id);
    out.action = std::move(action);
    return out;
  }

  // The revert is a forward rollout of the previous version: its deploys
  // are, to the host, rollbacks.
  PhasedAction TagRevert(Action action) const {
    PhasedAction out;
    out.phase_index = revert_phase_;
    out.phase = setups_[revert_phase_].name;
    action.id = absl::StrCat(out.phase, "/", kRevertInfix, action.id);
    if (action.kind == ActionKind::kDeploy) action.kind = ActionKind::kRollBack;
    out.action = std::move(action);
    return out;
  }

  absl::StatusOr<Route> Find(absl::string_view call, absl::string_view id) {
    const size_t slash = id.find('/');
    if (slash != absl::string_view::npos) {
      const absl::string_view name = id.substr(0, slash);
      absl::string_view rest = id.substr(slash + 1);
      for (int i = 0; i < phase_count(); ++i) {
        if (setups_[i].name != name) continue;
        if (absl::ConsumePrefix(&rest, kRevertInfix)) {
          if (revert_ != nullptr && revert_phase_ == i) {
            return Route{revert_.get(), std::string(rest)};
          }
          break;
        }
        return Route{phases_[i].get(), std::string(rest)};
      }
    }
    return absl::NotFoundError(
        absl::StrCat(call, ": no phase for action id \"", id, "\""));
  }

  absl::StatusOr<Rollout*> Running(absl::string_view call) {
    if (revert_ != nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          call, ": phase \"", setups_[revert_phase_].name,
          "\" is being rolled back (state: ", RolloutStatusName(status()),
          ")"));
    }
    Rollout* r = phases_[current_].get();
    if (aborted_ || AnyReverted() || r->status() == RolloutStatus::kSucceeded) {
      std::string where = "finished";
      if (!aborted_ && !AnyReverted() && current_ + 1 < phase_count()) {
        where = absl::StrCat("baking between \"", setups_[current_].name,
                             "\" and \"", setups_[current_ + 1].name, "\"");
      }
      return absl::FailedPreconditionError(absl::StrCat(
          call, ": no phase is running (state: ", RolloutStatusName(status()),
          ", ", where, ")"));
    }
    return r;
  }

  // Moves a finished revert into the record.
  void Settle() {
    if (revert_ != nullptr && revert_->status() == RolloutStatus::kSucceeded) {
      reverted_[revert_phase_] = true;
      own_version_ += revert_->state_version();
      revert_.reset();
      revert_phase_ = -1;
    }
  }

  WavePlan RevertPlan(const WavePlan& plan) const {
    WavePlan out;
    out.strategy = "revert";
    int64_t done = 0, total = 0;
    for (const Wave& w : plan.waves) total += w.targets.size();
    for (auto it = plan.waves.rbegin(); it != plan.waves.rend(); ++it) {
      Wave w = *it;
      w.bake = absl::ZeroDuration();
      w.max_failed_targets = 0;
      done += w.targets.size();
      w.cumulative_count_fraction =
          total == 0 ? 1.0 : static_cast<double>(done) / total;
      w.cumulative_weight_fraction = w.cumulative_count_fraction;
      out.waves.push_back(std::move(w));
    }
    return out;
  }

  RolloutOptions RevertOptions(int p) const {
    RolloutOptions o;
    o.name = name_;
    o.version = setups_[p].previous_version;
    o.previous_version = setups_[p].version;
    o.rollback_policy = NewPauseAndEscalatePolicy();
    o.bake_recheck_interval = absl::ZeroDuration();
    o.event_sink = revert_sink_.get();
    return o;
  }

  absl::Status RestoreState(const v1::PhasedRolloutState& s) {
    const int n = phase_count();
    if (s.schema_version() < 1 || s.schema_version() > kSchemaVersion) {
      return internal::InvalidArgumentAt(
          "snapshot: schema_version",
          absl::StrCat("must be 1 (got ", s.schema_version(), ")"));
    }
    if (s.phases_size() != n) {
      return internal::InvalidArgumentAt(
          "snapshot: phases",
          absl::StrCat("has ", s.phases_size(), " phases, the rollout ", n));
    }
    const absl::Duration bake =
        internal::DecodeDuration(s.bake_between_phases());
    if (bake != bake_) {
      return internal::InvalidArgumentAt(
          "snapshot: bake_between_phases",
          absl::StrCat(absl::FormatDuration(bake), " in the snapshot, ",
                       absl::FormatDuration(bake_), " now"));
    }
    if (s.current_phase() < 0 || s.current_phase() >= n) {
      return internal::InvalidArgumentAt(
          "snapshot: current_phase",
          absl::StrCat("must be in [0, ", n, ") (got ", s.current_phase(),
                       ")"));
    }
    if (s.revert_phase() < -1 || s.revert_phase() >= n) {
      return internal::InvalidArgumentAt(
          "snapshot: revert_phase",
          absl::StrCat("must be in [-1, ", n, ") (got ", s.revert_phase(),
                       ")"));
    }
    current_ = s.current_phase();
    // A field of the snapshot: "snapshot: <path>: <what>".
    auto bad = [](const FieldPath& path, absl::string_view what) {
      return internal::PrefixStatus(path.Invalid(what), "snapshot");
    };
    for (int i = 0; i < n; ++i) {
      const v1::PhaseRecord& r = s.phases(i);
      const FieldPath path = FieldPath("phases").Index(i);
      if (r.name() != setups_[i].name) {
        return bad(path.Field("name"),
                   absl::StrCat("\"", r.name(), "\" does not match \"",
                                setups_[i].name, "\""));
      }
      if (r.version() != setups_[i].version) {
        return bad(path.Field("version"),
                   absl::StrCat("\"", r.version(), "\" does not match \"",
                                setups_[i].version, "\""));
      }
      absl::StatusOr<std::unique_ptr<Rollout>> rollout =
          setups_[i].restore(sinks_[i].get(), r.snapshot());
      if (!rollout.ok()) {
        return internal::PrefixStatus(path.Nest(rollout.status()), "snapshot");
      }
      const RolloutStatus st = (*rollout)->status();
      if (i < current_ && st != RolloutStatus::kSucceeded) {
        return bad(path, absl::StrCat(
                             "must have succeeded before phase ", current_,
                             " started (state: ", RolloutStatusName(st), ")"));
      }
      if (i > current_ && st != RolloutStatus::kPending) {
        return bad(path, absl::StrCat("must be pending while phase ", current_,
                                      " is current (state: ",
                                      RolloutStatusName(st), ")"));
      }
      if (r.has_finished_at() != (st == RolloutStatus::kSucceeded)) {
        return bad(path.Field("finished_at"),
                   absl::StrCat("must be set exactly when the phase succeeded "
                                "(state: ",
                                RolloutStatusName(st), ")"));
      }
      if (r.has_finished_at()) {
        finished_at_[i] = internal::DecodeTime(r.finished_at());
      }
      if (r.reverted() && st != RolloutStatus::kSucceeded) {
        return bad(
            path.Field("reverted"),
            absl::StrCat("only a phase that succeeded can be rolled back "
                         "afterwards (state: ",
                         RolloutStatusName(st), ")"));
      }
      reverted_[i] = r.reverted();
      phases_.push_back(*std::move(rollout));
    }
    revert_phase_ = s.revert_phase();
    if (revert_phase_ >= 0) {
      if (reverted_[revert_phase_] ||
          phases_[revert_phase_]->status() != RolloutStatus::kSucceeded) {
        return internal::InvalidArgumentAt(
            "snapshot: revert_phase",
            absl::StrCat("phase ", revert_phase_,
                         " must have succeeded and not be rolled back yet"));
      }
      absl::StatusOr<std::unique_ptr<Rollout>> revert =
          Rollout::Restore(fleet_, RevertOptions(revert_phase_),
                           s.revert_snapshot(), RestoreOptions{});
      if (!revert.ok()) {
        return internal::NestStatus(revert.status(), "snapshot: revert");
      }
      revert_ = *std::move(revert);
    } else if (!s.revert_snapshot().empty()) {
      return internal::InvalidArgumentAt(
          "snapshot: revert_snapshot", "must be empty when revert_phase is -1");
    }
    aborted_ = s.aborted();
    last_now_ = internal::DecodeTime(s.last_now());
    bake_wait_issued_ = s.bake_wait_issued();
    own_version_ = s.state_version();
    return absl::OkStatus();
  }

  Fleet fleet_;
  std::string name_;
  absl::Duration bake_;
  EventSink* sink_;
  std::vector<PhaseSetup> setups_;
  std::vector<std::unique_ptr<PhaseSink>> sinks_;
  std::unique_ptr<PhaseSink> revert_sink_;
  std::vector<std::unique_ptr<Rollout>> phases_;
  std::vector<absl::Time> finished_at_;
  std::vector<bool> reverted_;
  std::unique_ptr<Rollout> revert_;
  int revert_phase_ = -1;
  int current_ = 0;
  bool aborted_ = false;
  bool bake_wait_issued_ = false;
  absl::Time last_now_ = absl::InfinitePast();
  int64_t own_version_ = 0;
};

void PhaseSink::OnEvent(const RolloutEvent& event) {
  owner_->OnPhaseEvent(index_, revert_, event);
}

absl::Status CheckOptions(const PhasedRolloutOptions& options) {
  if (options.name.size() > kMaxName) {
    return FieldPath("options").Field("name").Invalid(
        absl::StrCat("must be at most ", kMaxName, " characters (got ",
                     options.name.size(), ")"));
  }
  if (options.bake_between_phases < absl::ZeroDuration() ||
      options.bake_between_phases == absl::InfiniteDuration()) {
    return FieldPath("bake_between_phases")
        .Invalid(internal::MustBe(internal::kMustBeNonNegativeFinite,
                                  options.bake_between_phases));
  }
  return absl::OkStatus();
}

// Phases made by hand: each Rollout::Create()d (or restored) from its plan
// and options.
absl::StatusOr<std::vector<PhaseSetup>> SetupsFromPhases(
    const Fleet& fleet, std::vector<Phase> phases,
    const PhasedRolloutOptions& options) {
  std::vector<PhaseSetup> setups;
  for (size_t i = 0; i < phases.size(); ++i) {
    if (phases[i].options.event_sink != nullptr) {
      return FieldPath("phases")
          .Index(static_cast<int>(i))
          .Field("options")
          .Field("event_sink")
          .Invalid(
              "must be null (events go to PhasedRolloutOptions::event_sink)");
    }
    PhaseSetup s;
    s.name = phases[i].name;
    s.version = phases[i].options.version;
    s.previous_version = phases[i].options.previous_version;
    s.plan = std::move(phases[i].plan);
    setups.push_back(std::move(s));
  }
  SLUICE_RETURN_IF_ERROR(CheckPhases(&fleet, setups, "options"));
  for (size_t i = 0; i < setups.size(); ++i) {
    RolloutOptions o = std::move(phases[i].options);
    o.name = options.name;
    o.previous_version = setups[i].previous_version;
    WavePlan plan = setups[i].plan;
    setups[i].make = [fleet, plan, o](EventSink* sink) mutable {
      o.event_sink = sink;
      return Rollout::Create(fleet, plan, o);
    };
    setups[i].restore = [fleet, o](EventSink* sink,
                                   absl::string_view bytes) mutable {
      o.event_sink = sink;
      return Rollout::Restore(fleet, o, bytes, RestoreOptions{});
    };
  }
  return setups;
}

// Phases from a spec: each as Rollout::FromSpec() / RestoreFromSpec().
absl::StatusOr<std::vector<PhaseSetup>> SetupsFromSpec(
    const PhasedRolloutSpec& spec, const Fleet& fleet,
    const RolloutOptions& options, bool plan_now) {
  SLUICE_RETURN_IF_ERROR(spec.ValidateAgainst(fleet));
  std::vector<PhaseSetup> setups;
  for (size_t i = 0; i < spec.phases().size(); ++i) {
    const PhaseSpecEntry& entry = spec.phases()[i];
    PhaseSetup s;
    s.name = entry.name;
    s.version = entry.spec.version();
    s.previous_version = entry.spec.previous_version();
    if (i == 0 && s.previous_version.empty()) {
      s.previous_version = options.previous_version;
    }
    if (plan_now) {
      const FieldPath path =
          FieldPath("phases").Index(static_cast<int>(i)).Field("spec");
      absl::StatusOr<std::unique_ptr<WaveScheduler>> scheduler =
          NewScheduler(entry.spec);
      if (!scheduler.ok()) return path.Nest(scheduler.status());
      absl::StatusOr<WavePlan> plan = (*scheduler)->Plan(fleet);
      if (!plan.ok()) return internal::PrefixStatus(plan.status(), path.str());
      s.plan = *std::move(plan);
    }
    setups.push_back(std::move(s));
  }
  if (plan_now) SLUICE_RETURN_IF_ERROR(CheckPhases(&fleet, setups, "spec"));
  for (size_t i = 0; i < setups.size(); ++i) {
    if (i > 0 && setups[i].previous_version.empty()) {
      setups[i].previous_version = setups[i - 1].version;
    }
    const RolloutSpec phase_spec = spec.phases()[i].spec;
    RolloutOptions o = options;
    o.name = spec.name();
    // One run id per phase, so that a log tells the phases apart.
    if (!o.rollout_id.empty()) {
      o.rollout_id = absl::StrCat(options.rollout_id, "/", setups[i].name);
    }
    o.event_sink = nullptr;
    o.previous_version = setups[i].previous_version;
    WavePlan plan = setups[i].plan;
    setups[i].make = [fleet, plan, o, phase_spec](EventSink* sink) mutable
        -> absl::StatusOr<std::unique_ptr<Rollout>> {
      o.event_sink = sink;
      SLUICE_ASSIGN_OR_RETURN(GatePolicy gates, GatePolicyFromSpec(phase_spec));
      GatesFromPolicy(gates, plan, o);
      absl::StatusOr<std::unique_ptr<Rollout>> r =
          Rollout::FromSpec(phase_spec, fleet, plan, o);
      if (!r.ok()) return internal::NestStatus(r.status(), "spec");
      return r;
    };
    setups[i].restore = [fleet, o, phase_spec](
                            EventSink* sink, absl::string_view bytes) mutable {
      o.event_sink = sink;
      return Rollout::RestoreFromSpec(phase_spec, fleet, o, bytes);
    };
  }
  return setups;
}

absl::StatusOr<v1::PhasedRolloutState> ParseState(absl::string_view bytes) {
  v1::PhasedRolloutState state;
  if (!state.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(
        "snapshot: cannot parse a sluice.v1.PhasedRolloutState");
  }
  return state;
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const PhasedAction& action) {
  return os << "[" << action.phase << "] " << action.action;
}

absl::StatusOr<std::unique_ptr<PhasedRollout>> PhasedRollout::Create(
    const Fleet& fleet, std::vector<Phase> phases,
    PhasedRolloutOptions options) {
  SLUICE_RETURN_IF_ERROR(CheckOptions(options));
  SLUICE_ASSIGN_OR_RETURN(std::vector<PhaseSetup> setups,
                          SetupsFromPhases(fleet, std::move(phases), options));
  auto impl = std::make_unique<PhasedRolloutImpl>(
      fleet, options.name, options.bake_between_phases, options.event_sink);
  SLUICE_RETURN_IF_ERROR(impl->Build(std::move(setups), nullptr));
  return std::unique_ptr<PhasedRollout>(std::move(impl));
}

absl::StatusOr<std::unique_ptr<PhasedRollout>> PhasedRollout::FromSpec(
    const PhasedRolloutSpec& spec, const Fleet& fleet, RolloutOptions options) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<PhaseSetup> setups,
                          SetupsFromSpec(spec, fleet, options, true));
  auto impl = std::make_unique<PhasedRolloutImpl>(
      fleet, spec.name(), spec.bake_between_phases(), options.event_sink);
  SLUICE_RETURN_IF_ERROR(impl->Build(std::move(setups), nullptr));
  return std::unique_ptr<PhasedRollout>(std::move(impl));
}

absl::StatusOr<std::unique_ptr<PhasedRollout>> PhasedRollout::Restore(
    const Fleet& fleet, std::vector<Phase> phases, PhasedRolloutOptions options,
    absl::string_view snapshot) {
  SLUICE_RETURN_IF_ERROR(CheckOptions(options));
  SLUICE_ASSIGN_OR_RETURN(v1::PhasedRolloutState state, ParseState(snapshot));
  SLUICE_ASSIGN_OR_RETURN(std::vector<PhaseSetup> setups,
                          SetupsFromPhases(fleet, std::move(phases), options));
  auto impl = std::make_unique<PhasedRolloutImpl>(
      fleet, options.name, options.bake_between_phases, options.event_sink);
  SLUICE_RETURN_IF_ERROR(impl->Build(std::move(setups), &state));
  return std::unique_ptr<PhasedRollout>(std::move(impl));
}

absl::StatusOr<std::unique_ptr<PhasedRollout>> PhasedRollout::RestoreFromSpec(
    const PhasedRolloutSpec& spec, const Fleet& fleet, RolloutOptions options,
    absl::string_view snapshot) {
  SLUICE_ASSIGN_OR_RETURN(v1::PhasedRolloutState state, ParseState(snapshot));
  SLUICE_ASSIGN_OR_RETURN(std::vector<PhaseSetup> setups,
                          SetupsFromSpec(spec, fleet, options, false));
  auto impl = std::make_unique<PhasedRolloutImpl>(
      fleet, spec.name(), spec.bake_between_phases(), options.event_sink);
  SLUICE_RETURN_IF_ERROR(impl->Build(std::move(setups), &state));
  return std::unique_ptr<PhasedRollout>(std::move(impl));
}

// ---- PhasedRolloutSpec.

struct PhasedRolloutSpec::Data {
  std::string name;
  std::string description;
  std::vector<PhaseSpecEntry> phases;
  // Whether the message set bake_between_phases (kept for ToProto()).
  bool has_bake = false;
  absl::Duration bake = absl::Hours(1);
};

PhasedRolloutSpec::PhasedRolloutSpec(std::shared_ptr<const Data> data)
    : data_(std::move(data)) {}

absl::StatusOr<PhasedRolloutSpec> PhasedRolloutSpec::FromProto(
    const v1::PhasedRolloutSpec& proto) {
  const FieldPath name("name");
  if (proto.name().empty()) return name.Invalid(internal::kMustNotBeEmpty);
  if (proto.name().size() > kMaxName) {
    return name.Invalid(absl::StrCat("must be at most ", kMaxName,
                                     " characters (got ", proto.name().size(),
                                     ")"));
  }
  auto data = std::make_shared<Data>();
  data->name = proto.name();
  data->description = proto.description();
  if (proto.has_bake_between_phases()) {
    SLUICE_ASSIGN_OR_RETURN(
        data->bake,
        internal::DurationFromProto(proto.bake_between_phases(),
                                    FieldPath("bake_between_phases"),
                                    internal::DurationRule::kNonNegative));
    data->has_bake = true;
  }
  std::vector<PhaseSetup> checks;
  for (int i = 0; i < proto.phases_size(); ++i) {
    const v1::PhaseSpec& p = proto.phases(i);
    const FieldPath path = FieldPath("phases").Index(i).Field("spec");
    if (!p.has_spec()) return path.Invalid(internal::kIsRequired);
    absl::StatusOr<RolloutSpec> spec = RolloutSpec::FromProto(p.spec());
    if (!spec.ok()) return path.Nest(spec.status());
    data->phases.push_back({p.name(), *spec});
    PhaseSetup s;
    s.name = p.name();
    s.version = spec->version();
    s.previous_version = spec->previous_version();
    checks.push_back(std::move(s));
  }
  // Names, the version chain; plans are checked when a fleet is known.
  SLUICE_RETURN_IF_ERROR(CheckPhases(nullptr, checks, "spec"));
  return PhasedRolloutSpec(std::move(data));
}

v1::PhasedRolloutSpec PhasedRolloutSpec::ToProto() const {
  v1::PhasedRolloutSpec out;
  out.set_name(data_->name);
  out.set_description(data_->description);
  for (const PhaseSpecEntry& phase : data_->phases) {
    v1::PhaseSpec* p = out.add_phases();
    p->set_name(phase.name);
    *p->mutable_spec() = phase.spec.ToProto();
  }
  if (data_->has_bake) {
    internal::DurationToProto(data_->bake, out.mutable_bake_between_phases());
  }
  return out;
}

absl::StatusOr<PhasedRolloutSpec> PhasedRolloutSpec::Parse(
    absl::string_view text, SpecFormat format) {
  v1::PhasedRolloutSpec proto;
  SLUICE_RETURN_IF_ERROR(ParseProto(text,
                                    format == SpecFormat::kJson
                                        ? ConfigFormat::kJson
                                        : ConfigFormat::kTextProto,
                                    &proto));
  return FromProto(proto);
}

absl::StatusOr<PhasedRolloutSpec> PhasedRolloutSpec::LoadFile(
    const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(ConfigFormat format, ConfigFormatFromPath(path));
  if (format == ConfigFormat::kCsv) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     ": a phased spec is text format (.textproto) or JSON "
                     "(.json), not CSV"));
  }
  SLUICE_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  absl::StatusOr<PhasedRolloutSpec> spec =
      Parse(text, format == ConfigFormat::kJson ? SpecFormat::kJson
                                                : SpecFormat::kTextProto);
  if (!spec.ok()) return internal::PrefixStatus(spec.status(), path);
  return spec;
}

absl::Status PhasedRolloutSpec::ValidateAgainst(const Fleet& fleet) const {
  for (size_t i = 0; i < data_->phases.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(
        FieldPath("phases")
            .Index(static_cast<int>(i))
            .Field("spec")
            .Nest(data_->phases[i].spec.ValidateAgainst(fleet)));
  }
  return absl::OkStatus();
}

const std::string& PhasedRolloutSpec::name() const { return data_->name; }
const std::string& PhasedRolloutSpec::description() const {
  return data_->description;
}
const std::vector<PhaseSpecEntry>& PhasedRolloutSpec::phases() const {
  return data_->phases;
}
absl::Duration PhasedRolloutSpec::bake_between_phases() const {
  return data_->bake;
}

std::string PhasedRolloutSpec::Summary() const {
  std::string out =
      absl::StrCat(name(), ": ", data_->phases.size(), " phases, bake ",
                   absl::FormatDuration(data_->bake), " between phases");
  for (size_t i = 0; i < data_->phases.size(); ++i) {
    absl::StrAppend(&out, "\nphase ", i, " ", data_->phases[i].name, ": ",
                    data_->phases[i].spec.Summary());
  }
  return out;
}

}  // namespace sluice
