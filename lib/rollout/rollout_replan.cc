// Copyright 2026 The Sluice Authors.
//
// Rollout::Replan(): a live rollout continues on a changed fleet with a new
// plan. The rollout's state (a snapshot) is carried over to the new fleet by
// target id, checked like any restored state, and loaded into a new engine.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/rollout/rollout_codec.h"
#include "lib/rollout/rollout_config.h"
#include "lib/rollout/rollout_engine.h"
#include "lib/rollout/rollout_state_check.h"
#include "sluice/replan.h"
#include "sluice/rollout.h"

namespace sluice {
namespace {

using internal::FieldPath;
using internal::InvalidArgumentAt;

absl::Status Precondition(absl::string_view message) {
  return absl::FailedPreconditionError(absl::StrCat("Replan: ", message));
}

uint32_t ReadU32(const std::string& bytes, size_t i) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data()) + 4 * i;
  return b[0] | (b[1] << 8) | (b[2] << 16) |
         (static_cast<uint32_t>(b[3]) << 24);
}

void WriteU32(std::string& bytes, size_t i, uint32_t v) {
  for (int k = 0; k < 4; ++k) {
    bytes[4 * i + k] = static_cast<char>((v >> (8 * k)) & 0xff);
  }
}

// The plan a snapshot records.
WavePlan PlanOf(const v1::RolloutState& state) {
  WavePlan plan;
  plan.strategy = state.strategy();
  for (const v1::WaveRecord& r : state.waves()) {
    Wave w;
    w.name = r.name();
    w.stage = r.stage();
    w.targets.assign(r.targets().begin(), r.targets().end());
    if (r.has_traffic_percent()) w.traffic_percent = r.traffic_percent();
    w.cumulative_count_fraction = r.cumulative_count_fraction();
    w.cumulative_weight_fraction = r.cumulative_weight_fraction();
    w.bake = internal::DecodeDuration(r.bake());
    w.max_failed_targets = r.max_failed_targets();
    plan.waves.push_back(std::move(w));
  }
  return plan;
}

void SetWaves(const WavePlan& plan, v1::RolloutState& state) {
  state.set_strategy(plan.strategy);
  state.clear_waves();
  for (const Wave& w : plan.waves) {
    v1::WaveRecord* r = state.add_waves();
    r->set_name(w.name);
    r->set_stage(w.stage);
    for (Fleet::TargetIndex t : w.targets) r->add_targets(t);
    if (w.traffic_percent.has_value()) {
      r->set_traffic_percent(*w.traffic_percent);
    }
    r->set_cumulative_count_fraction(w.cumulative_count_fraction);
    r->set_cumulative_weight_fraction(w.cumulative_weight_fraction);
    internal::EncodeDuration(w.bake, r->mutable_bake());
    r->set_max_failed_targets(w.max_failed_targets);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Rollout>> Rollout::Replan(
    const Rollout& rollout, const Fleet& old_fleet, const Fleet& new_fleet,
    const WavePlan& new_plan, RolloutOptions options, absl::string_view who) {
  SLUICE_ASSIGN_OR_RETURN(
      v1::RolloutState p,
      internal::ParseSnapshot(rollout.Snapshot(), options.snapshot_key));
  absl::StatusOr<RolloutStatus> status = internal::ParseStatus(p.status());
  if (!status.ok()) return status.status();
  if (*status == RolloutStatus::kSucceeded ||
      *status == RolloutStatus::kRolledBack ||
      *status == RolloutStatus::kAborted || *status == RolloutStatus::kFailed) {
    return Precondition(absl::StrCat("the rollout has ended (status ",
                                     p.status(), "); start a new one"));
  }
  if (p.fleet_size() != old_fleet.size() ||
      p.fleet_fingerprint() != internal::FleetFingerprint(old_fleet)) {
    return InvalidArgumentAt(
        "old_fleet",
        absl::StrCat("is not the rollout's fleet (", old_fleet.size(),
                     " targets given, ", p.fleet_size(), " in the rollout)"));
  }
  const WavePlan old_plan = PlanOf(p);
  options.name = p.name();
  options.version = p.version();
  options.previous_version = p.previous_version();

  // The same configuration as the rollout's (gates, policy, limits).
  std::shared_ptr<const RollbackPolicy> policy =
      options.rollback_policy != nullptr
          ? options.rollback_policy
          : std::shared_ptr<const RollbackPolicy>(NewDefaultRollbackPolicy());
  const std::vector<std::string> recorded(p.config().begin(), p.config().end());
  if (!recorded.empty()) {
    const std::string change = internal::DescribeConfigChange(
        recorded, internal::DescribeConfig(old_plan, options, *policy));
    if (!change.empty()) {
      return InvalidArgumentAt(
          "options", absl::StrCat("made under another configuration: ", change,
                                  " (replan with the rollout's gates, policy "
                                  "and limits)"));
    }
  }

  // The started waves must stay as they were, minus targets that left.
  const size_t started = static_cast<size_t>(p.max_wave_started() + 1);
  std::vector<std::optional<Fleet::TargetIndex>> moved(old_fleet.size());
  for (size_t t = 0; t < old_fleet.size(); ++t) {
    moved[t] = new_fleet.IndexOf(old_fleet.target(t).id);
  }
  if (new_plan.waves.size() < started) {
    return InvalidArgumentAt("new_plan.waves",
                             absl::StrCat("must keep the ", started,
                                          " waves the rollout started (got ",
                                          new_plan.waves.size(), " waves)"));
  }
  for (size_t w = 0; w < started; ++w) {
    const Wave& before = old_plan.waves[w];
    const Wave& after = new_plan.waves[w];
    std::vector<Fleet::TargetIndex> kept;
    for (Fleet::TargetIndex t : before.targets) {
      if (moved[t].has_value()) kept.push_back(*moved[t]);
    }
    if (after.name != before.name || after.stage != before.stage ||
        after.traffic_percent != before.traffic_percent ||
        after.targets != kept) {
      return FieldPath("new_plan")
          .Field("waves")
          .Index(static_cast<int>(w))
          .Invalid(absl::StrCat(
              "must keep started wave ", w, " (\"", before.name,
              "\") as it was, minus the targets that left the fleet "
              "(make the plan with sluice::Replan())"));
    }
  }
  SLUICE_RETURN_IF_ERROR(internal::ValidatePlan(new_plan, new_fleet, started));
  const int current = p.current_wave();
  if (current >= static_cast<int>(new_plan.waves.size())) {
    return Precondition(absl::StrCat("new_plan has ", new_plan.waves.size(),
                                     " waves, but the rollout is at "
                                     "wave ",
                                     current,
                                     "; a plan must keep a wave for it"));
  }
  SLUICE_RETURN_IF_ERROR(internal::ValidateOptions(
      options, static_cast<int>(new_plan.waves.size())));

  // Targets that leave must not await an outcome.
  const size_t n_old = old_fleet.size();
  const size_t n_new = new_fleet.size();
  for (size_t t = 0; t < n_old; ++t) {
    const uint32_t seq = ReadU32(p.target_action(), t);
    if (seq != 0 && !moved[t].has_value()) {
      return Precondition(absl::StrCat(
          "target ", old_fleet.target(t).id,
          " left the fleet but awaits the outcome of action ",
          p.actions(static_cast<int>(seq) - 1).id(), ": report it first"));
    }
  }

  // Per-target state, by id; new targets are on the old version.
  const bool has_tries = !p.target_deploy_attempts().empty();
  std::string tstate(n_new, static_cast<char>(internal::kTargetOld));
  std::string tattempts(n_new, '\0');
  std::string taction(4 * n_new, '\0');
  std::string ttries(has_tries ? n_new : 0, '\0');
  bool current_wave_lost = false;
  for (size_t t = 0; t < n_old; ++t) {
    if (!moved[t].has_value()) {
      if (current >= 0 && current < static_cast<int>(old_plan.waves.size())) {
        for (Fleet::TargetIndex u : old_plan.waves[current].targets) {
          if (u == t) current_wave_lost = true;
        }
      }
      continue;
    }
    const size_t u = *moved[t];
    tstate[u] = p.target_state()[t];
    tattempts[u] = p.target_attempts()[t];
    WriteU32(taction, u, ReadU32(p.target_action(), t));
    if (has_tries) ttries[u] = p.target_deploy_attempts()[t];
  }
  int64_t touched = 0;
  int64_t fresh = 0;
  for (size_t u = 0; u < n_new; ++u) {
    const uint8_t s = static_cast<uint8_t>(tstate[u]);
    if (internal::IsTouched(s)) ++touched;
    if (s == internal::kTargetNew) ++fresh;
  }
  // The current wave's deploy failures, if it lost targets: recounted.
  if (current_wave_lost && current < static_cast<int>(started)) {
    int64_t failed = 0;
    int64_t retryable = 0;
    for (Fleet::TargetIndex u : new_plan.waves[current].targets) {
      if (static_cast<uint8_t>(tstate[u]) != internal::kTargetDeployFailed) {
        continue;
      }
      const int tries = has_tries ? static_cast<uint8_t>(ttries[u]) : 0;
      if (tries < options.deploy_attempts) {
        ++retryable;
      } else {
        ++failed;
      }
    }
    p.set_wave_deploy_failed(failed);
    p.set_wave_deploy_retryable(retryable);
  }
  for (v1::ActionRecord& a : *p.mutable_actions()) {
    std::vector<uint32_t> targets;
    for (uint32_t t : a.targets()) {
      if (t < n_old && moved[t].has_value()) targets.push_back(*moved[t]);
    }
    a.clear_targets();
    for (uint32_t t : targets) a.add_targets(t);
  }
  p.set_target_state(std::move(tstate));
  p.set_target_attempts(std::move(tattempts));
  p.set_target_action(std::move(taction));
  p.set_target_deploy_attempts(std::move(ttries));
  p.set_touched_count(touched);
  p.set_new_count(fresh);
  p.set_fleet_size(static_cast<uint32_t>(n_new));
  p.set_fleet_fingerprint(internal::FleetFingerprint(new_fleet));
  SetWaves(new_plan, p);
  std::vector<int32_t> attempts(new_plan.waves.size(), 0);
  for (size_t w = 0; w < started && w < attempts.size(); ++w) {
    attempts[w] = p.wave_attempts(static_cast<int>(w));
  }
  p.clear_wave_attempts();
  for (int32_t a : attempts) p.add_wave_attempts(a);
  // The engine records the new plan's configuration from now on.
  p.clear_config();
  p.clear_config_fingerprint();
  SLUICE_RETURN_IF_ERROR(internal::CheckRolloutState(p, n_new));

  const size_t n_waves_before = old_plan.waves.size();
  auto engine = std::make_unique<internal::RolloutEngine>(new_fleet, new_plan,
                                                          std::move(options));
  SLUICE_RETURN_IF_ERROR(engine->LoadState(p));
  engine->set_config_record({});
  size_t gone = 0;
  for (const auto& m : moved) gone += m.has_value() ? 0 : 1;
  const size_t added = n_new - (n_old - gone);
  engine->RecordConfigChange(
      who, absl::StrCat("replanned for a changed fleet: ", n_old, " -> ", n_new,
                        " targets (", added, " added, ", gone, " removed), ",
                        n_waves_before, " -> ", new_plan.waves.size(),
                        " waves; the ", started, " started waves kept"));
  return std::unique_ptr<Rollout>(std::move(engine));
}

absl::StatusOr<std::unique_ptr<Rollout>> Rollout::Replan(
    const Rollout& rollout, const WaveScheduler& scheduler,
    const Fleet& old_fleet, const Fleet& new_fleet, RolloutOptions options,
    absl::string_view who) {
  SLUICE_ASSIGN_OR_RETURN(
      v1::RolloutState p,
      internal::ParseSnapshot(rollout.Snapshot(), options.snapshot_key));
  if (p.fleet_size() != old_fleet.size() ||
      p.fleet_fingerprint() != internal::FleetFingerprint(old_fleet)) {
    return InvalidArgumentAt("old_fleet", "is not the rollout's fleet");
  }
  SLUICE_ASSIGN_OR_RETURN(
      WavePlan plan,
      sluice::Replan(scheduler, PlanOf(p),
                     static_cast<size_t>(p.max_wave_started() + 1), old_fleet,
                     new_fleet));
  return Replan(rollout, old_fleet, new_fleet, plan, std::move(options), who);
}

}  // namespace sluice
