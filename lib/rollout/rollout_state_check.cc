// Copyright 2026 The Sluice Authors.
//
// CheckRolloutState(): every field of a parsed snapshot, and their
// consistency, before the engine takes any of it.

#include "lib/rollout/rollout_state_check.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/rollout/rollout_codec.h"
#include "lib/rollout/rollout_engine.h"
#include "sluice/rollout.h"

namespace sluice::internal {
namespace {

// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, protobuf's Timestamp range.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;
// protobuf's Duration range: +-10,000 years.
constexpr int64_t kMaxDurationSeconds = 315576000000;

// "snapshot: <path>: <message>".
absl::Status Bad(const FieldPath& path, absl::string_view message) {
  return PrefixStatus(path.Invalid(message), "snapshot");
}
absl::Status Bad(absl::string_view path, absl::string_view message) {
  return Bad(FieldPath(path), message);
}

// A finite time in range, or (when `infinite_ok`) one of the sentinels that
// EncodeTime() writes for infinite times.
absl::Status CheckTime(const google::protobuf::Timestamp& t,
                       const FieldPath& path, bool infinite_ok = true) {
  const bool sentinel = t.seconds() == std::numeric_limits<int64_t>::min() ||
                        t.seconds() == std::numeric_limits<int64_t>::max();
  if (sentinel && t.nanos() == 0 && infinite_ok) return absl::OkStatus();
  if (t.seconds() < kMinSeconds || t.seconds() > kMaxSeconds) {
    return Bad(path, absl::StrCat("must be within 0001-01-01 and 9999-12-31 "
                                  "(got ",
                                  t.seconds(), " s since 1970)"));
  }
  if (t.nanos() < 0 || t.nanos() > 999'999'999) {
    return Bad(path, absl::StrCat("nanos must be in [0, 999999999] (got ",
                                  t.nanos(), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckDuration(const google::protobuf::Duration& d,
                           const FieldPath& path) {
  if (d.seconds() < 0 || d.seconds() > kMaxDurationSeconds || d.nanos() < 0 ||
      d.nanos() > 999'999'999) {
    return Bad(path, absl::StrCat("must be in [0, 10000 years] (got ",
                                  d.seconds(), " s ", d.nanos(), " ns)"));
  }
  return absl::OkStatus();
}

absl::Status CheckFraction(double v, const FieldPath& path) {
  if (!std::isfinite(v) || v < 0 || v > 1) {
    return Bad(path, absl::StrCat("must be a finite fraction in [0, 1] (got ",
                                  v, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckPercent(double v, const FieldPath& path) {
  if (!std::isfinite(v) || v < 0 || v > 100) {
    return Bad(path, absl::StrCat("must be a finite percent in [0, 100] (got ",
                                  v, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckNonNegative(int64_t v, const FieldPath& path) {
  if (v < 0) return Bad(path, absl::StrCat("must be >= 0 (got ", v, ")"));
  return absl::OkStatus();
}

// A counter the engine increments: >= 0 and far enough from the type's
// maximum that no later increment overflows.
absl::Status CheckCounter(int64_t v, int64_t max, const FieldPath& path) {
  if (v < 0 || v > max) {
    return Bad(path, absl::StrCat("must be in [0, ", max, "] (got ", v, ")"));
  }
  return absl::OkStatus();
}
constexpr int64_t kMaxSequence = int64_t{1} << 62;
constexpr int64_t kMaxAttempts = 1'000'000;
constexpr int64_t kMaxGateCount = int64_t{1} << 30;
// RolloutOptions::deploy_attempts' upper bound.
constexpr int kMaxDeployAttempts = 100;

absl::Status CheckVerdict(const v1::VerdictRecord& r, const FieldPath& path,
                          int depth) {
  if (depth > 64) return Bad(path, "verdict details nest too deeply");
  SLUICE_RETURN_IF_ERROR(CheckTime(r.hold_until(), path.Field("hold_until")));
  if (r.has_sample_count()) {
    SLUICE_RETURN_IF_ERROR(
        CheckNonNegative(r.sample_count(), path.Field("sample_count")));
  }
  for (int i = 0; i < r.details_size(); ++i) {
    SLUICE_RETURN_IF_ERROR(
        CheckVerdict(r.details(i), path.Field("details").Index(i), depth + 1));
  }
  return absl::OkStatus();
}

absl::Status CheckGateState(const v1::GateState& g, const FieldPath& path,
                            int depth) {
  if (depth > 64) return Bad(path, "gate state children nest too deeply");
  SLUICE_RETURN_IF_ERROR(CheckTime(g.started_at(), path.Field("started_at"),
                                   /*infinite_ok=*/true));
  const std::pair<int64_t, absl::string_view> counts[] = {
      {g.count(), "count"},
      {g.successful(), "successful"},
      {g.failed(), "failed"},
      {g.inconclusive(), "inconclusive"},
      {g.error(), "error"},
      {g.consecutive_error(), "consecutive_error"},
      {g.consecutive_success(), "consecutive_success"}};
  for (const auto& [value, name] : counts) {
    // The gates increment these (int32 in the message).
    SLUICE_RETURN_IF_ERROR(
        CheckCounter(value, kMaxGateCount, path.Field(name)));
  }
  SLUICE_RETURN_IF_ERROR(
      CheckCounter(g.samples(), kMaxSequence, path.Field("samples")));
  for (int i = 0; i < g.children_size(); ++i) {
    SLUICE_RETURN_IF_ERROR(CheckGateState(
        g.children(i), path.Field("children").Index(i), depth + 1));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckRolloutState(const v1::RolloutState& p, size_t fleet_size) {
  const int waves = p.waves_size();
  const int64_t action_count = p.actions_size();
  SLUICE_RETURN_IF_ERROR(CheckCounter(p.state_version(), kMaxSequence,
                                      FieldPath("state_version")));
  SLUICE_RETURN_IF_ERROR(CheckCounter(p.event_sequence(), kMaxSequence,
                                      FieldPath("event_sequence")));

  // The plan.
  for (int i = 0; i < waves; ++i) {
    const v1::WaveRecord& w = p.waves(i);
    const FieldPath path = FieldPath("waves").Index(i);
    if (w.has_traffic_percent()) {
      SLUICE_RETURN_IF_ERROR(
          CheckPercent(w.traffic_percent(), path.Field("traffic_percent")));
    }
    SLUICE_RETURN_IF_ERROR(
        CheckFraction(w.cumulative_count_fraction(),
                      path.Field("cumulative_count_fraction")));
    SLUICE_RETURN_IF_ERROR(
        CheckFraction(w.cumulative_weight_fraction(),
                      path.Field("cumulative_weight_fraction")));
    SLUICE_RETURN_IF_ERROR(CheckDuration(w.bake(), path.Field("bake")));
    SLUICE_RETURN_IF_ERROR(CheckNonNegative(w.max_failed_targets(),
                                            path.Field("max_failed_targets")));
  }

  // Status, phase and the current wave, together.
  absl::StatusOr<RolloutStatus> status = ParseStatus(p.status());
  if (!status.ok()) return Bad("status", status.status().message());
  absl::StatusOr<WavePhase> phase = ParsePhase(p.phase());
  if (!phase.ok()) return Bad("phase", phase.status().message());
  absl::StatusOr<RolloutStatus> end = ParseStatus(p.rollback_end_status());
  if (!end.ok()) {
    return Bad("rollback_end_status", end.status().message());
  }
  if (!p.failure_trigger().empty()) {
    absl::StatusOr<FailureTrigger> t = ParseTrigger(p.failure_trigger());
    if (!t.ok()) return Bad("failure_trigger", t.status().message());
  }
  const int w = p.current_wave();
  const std::string state_text = absl::StrCat("status ", p.status(), ", phase ",
                                              p.phase(), ", ", waves, " waves");
  if (w < -1 || w > waves) {
    return Bad("current_wave",
               absl::StrCat("must be in [-1, ", waves, "] (got ", w, "; ",
                            state_text, ")"));
  }
  if (w == waves && *status != RolloutStatus::kSucceeded) {
    return Bad("current_wave", absl::StrCat("is past the last wave (", w,
                                            ") but the rollout "
                                            "has not succeeded (",
                                            state_text, ")"));
  }
  if (w == -1) {
    if (*phase != WavePhase::kNotStarted) {
      return Bad("phase", absl::StrCat("must be not-started before the first "
                                       "wave (current_wave -1; ",
                                       state_text, ")"));
    }
    if (*status == RolloutStatus::kRunning ||
        *status == RolloutStatus::kRollingBack ||
        *status == RolloutStatus::kSucceeded) {
      return Bad("current_wave", absl::StrCat("is -1 (not started) but the "
                                              "rollout has started (",
                                              state_text, ")"));
    }
  }
  if (*status == RolloutStatus::kPending && (w != -1 || p.started())) {
    return Bad("status", absl::StrCat("is pending but the rollout has started "
                                      "(current_wave ",
                                      w, ", started ", p.started(), ")"));
  }
  if (*status == RolloutStatus::kSucceeded && w != waves) {
    return Bad("current_wave", absl::StrCat("must be ", waves,
                                            " (past the last wave) once the "
                                            "rollout succeeded (got ",
                                            w, ")"));
  }

  // Counters.
  if (p.wave_attempts_size() != waves) {
    return Bad("wave_attempts",
               absl::StrCat("must have one entry per wave (", waves, "; got ",
                            p.wave_attempts_size(), ")"));
  }
  for (int i = 0; i < p.wave_attempts_size(); ++i) {
    SLUICE_RETURN_IF_ERROR(
        CheckCounter(p.wave_attempts(i), kMaxAttempts,
                     FieldPath("wave_attempts").Index(static_cast<int>(i))));
  }
  SLUICE_RETURN_IF_ERROR(CheckCounter(p.traffic_rollback_attempts(),
                                      kMaxAttempts,
                                      FieldPath("traffic_rollback_attempts")));
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative(p.touched_count(), FieldPath("touched_count")));
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative(p.new_count(), FieldPath("new_count")));
  if (p.max_wave_started() < -1 || p.max_wave_started() >= waves) {
    return Bad("max_wave_started",
               absl::StrCat("must be in [-1, ", waves, ") (got ",
                            p.max_wave_started(), ")"));
  }
  for (int i = 0; i < p.rollback_queue_size(); ++i) {
    if (p.rollback_queue(i) < -1 || p.rollback_queue(i) >= waves) {
      return Bad(FieldPath("rollback_queue").Index(static_cast<int>(i)),
                 absl::StrCat("must be in [-1, ", waves, ") (got ",
                              p.rollback_queue(i), ")"));
    }
  }

  // The action ledger.
  if (p.next_action_seq() != action_count + 1) {
    return Bad("next_action_seq",
               absl::StrCat("must be ", action_count + 1,
                            " (one past the action ledger; got ",
                            p.next_action_seq(), ")"));
  }
  for (int i = 0; i < p.actions_size(); ++i) {
    const v1::ActionRecord& r = p.actions(i);
    const FieldPath path = FieldPath("actions").Index(i);
    if (r.seq() != i + 1) {
      return Bad(path.Field("seq"),
                 absl::StrCat("must be ", i + 1, " (got ", r.seq(), ")"));
    }
    absl::StatusOr<ActionKind> kind = ParseActionKind(r.kind());
    if (!kind.ok()) return Bad(path.Field("kind"), kind.status().message());
    if (r.wave() < -1 || r.wave() >= waves) {
      return Bad(path.Field("wave"), absl::StrCat("must be in [-1, ", waves,
                                                  ") (got ", r.wave(), ")"));
    }
    if (r.state() < ActionRecord::kOpen ||
        r.state() > ActionRecord::kCancelled) {
      return Bad(path.Field("state"),
                 absl::StrCat("must be 0 (open), 1 (complete) or 2 "
                              "(cancelled) (got ",
                              r.state(), ")"));
    }
    for (int j = 0; j < r.targets_size(); ++j) {
      if (r.targets(j) >= fleet_size) {
        return Bad(path.Field("targets").Index(j),
                   absl::StrCat("index ", r.targets(j), " out of range (",
                                fleet_size, " targets)"));
      }
    }
    if (r.has_traffic_percent()) {
      SLUICE_RETURN_IF_ERROR(
          CheckPercent(r.traffic_percent(), path.Field("traffic_percent")));
    }
    SLUICE_RETURN_IF_ERROR(CheckNonNegative(r.total(), path.Field("total")));
    if (r.remaining() < 0 || r.remaining() > r.total()) {
      return Bad(path.Field("remaining"),
                 absl::StrCat("must be in [0, total ", r.total(), "] (got ",
                              r.remaining(), ")"));
    }
    SLUICE_RETURN_IF_ERROR(
        CheckNonNegative(r.succeeded(), path.Field("succeeded")));
    SLUICE_RETURN_IF_ERROR(CheckNonNegative(r.failed(), path.Field("failed")));
    if (r.succeeded() > r.total() || r.failed() > r.total() - r.succeeded()) {
      return Bad(path, absl::StrCat("succeeded ", r.succeeded(), " + failed ",
                                    r.failed(), " exceed total ", r.total()));
    }
    SLUICE_RETURN_IF_ERROR(CheckTime(r.wait_until(), path.Field("wait_until")));
    SLUICE_RETURN_IF_ERROR(CheckTime(r.issued_at(), path.Field("issued_at")));
  }
  if (p.current_action() < 0 || p.current_action() > action_count) {
    return Bad("current_action",
               absl::StrCat("must be in [0, ", action_count, "] (got ",
                            p.current_action(), ")"));
  }

  // Per-target state.
  const size_t n = fleet_size;
  if (p.target_state().size() != n || p.target_attempts().size() != n ||
      p.target_action().size() != 4 * n) {
    return Bad("target_state", absl::StrCat("per-target state has the wrong "
                                            "size for ",
                                            n, " targets"));
  }
  for (size_t i = 0; i < n; ++i) {
    if (static_cast<uint8_t>(p.target_state()[i]) >= kTargetStateCount) {
      return Bad(
          FieldPath("target_state").Index(static_cast<int>(i)),
          absl::StrCat("unknown state ", static_cast<int>(static_cast<uint8_t>(
                                             p.target_state()[i]))));
    }
  }

  // Which open action awaits each target's outcome: an open action of the
  // ledger that names the target.
  {
    std::vector<uint32_t> taction(n);
    const auto* bytes =
        reinterpret_cast<const unsigned char*>(p.target_action().data());
    for (size_t i = 0; i < n; ++i) {
      const unsigned char* b = bytes + 4 * i;
      taction[i] = b[0] | (b[1] << 8) | (b[2] << 16) |
                   (static_cast<uint32_t>(b[3]) << 24);
      if (taction[i] > action_count) {
        return Bad(FieldPath("target_action").Index(static_cast<int>(i)),
                   absl::StrCat("names action ", taction[i],
                                ", but the "
                                "ledger has ",
                                action_count, " actions"));
      }
    }
    std::vector<bool> named(n, false);
    for (int i = 0; i < p.actions_size(); ++i) {
      for (uint32_t t : p.actions(i).targets()) {
        if (taction[t] == static_cast<uint32_t>(i + 1)) named[t] = true;
      }
    }
    for (size_t i = 0; i < n; ++i) {
      if (taction[i] == 0) continue;
      const v1::ActionRecord& r = p.actions(static_cast<int>(taction[i]) - 1);
      if (r.state() != ActionRecord::kOpen || !named[i]) {
        return Bad(FieldPath("target_action").Index(static_cast<int>(i)),
                   absl::StrCat("names action ", taction[i], ", which is ",
                                r.state() != ActionRecord::kOpen
                                    ? "closed"
                                    : "open but does not name the target"));
      }
    }
  }

  // Deploy retries (RolloutOptions::deploy_attempts).
  if (!p.target_deploy_attempts().empty()) {
    if (p.target_deploy_attempts().size() != n) {
      return Bad(
          "target_deploy_attempts",
          absl::StrCat("must be empty or one byte per target (", n, "; got ",
                       p.target_deploy_attempts().size(), ")"));
    }
    for (size_t i = 0; i < n; ++i) {
      const int tries = static_cast<uint8_t>(p.target_deploy_attempts()[i]);
      if (tries > kMaxDeployAttempts) {
        return Bad(
            FieldPath("target_deploy_attempts").Index(static_cast<int>(i)),
            absl::StrCat("must be in [0, ", kMaxDeployAttempts, "] (got ",
                         tries, ")"));
      }
    }
  }
  // Both count targets of one wave (kept after it ends until the next wave
  // deploys): at most the largest wave.
  int64_t wave_size = 0;
  for (const v1::WaveRecord& r : p.waves()) {
    wave_size = std::max<int64_t>(wave_size, r.targets_size());
  }
  SLUICE_RETURN_IF_ERROR(CheckCounter(p.wave_deploy_failed(), wave_size,
                                      FieldPath("wave_deploy_failed")));
  SLUICE_RETURN_IF_ERROR(CheckCounter(p.wave_deploy_retryable(), wave_size,
                                      FieldPath("wave_deploy_retryable")));
  if (p.wave_deploy_failed() + p.wave_deploy_retryable() > wave_size) {
    return Bad(
        "wave_deploy_retryable",
        absl::StrCat("wave_deploy_failed ", p.wave_deploy_failed(),
                     " + wave_deploy_retryable ", p.wave_deploy_retryable(),
                     " exceed the largest wave's ", wave_size, " targets"));
  }
  SLUICE_RETURN_IF_ERROR(CheckCounter(p.wave_deploy_retries(), kMaxAttempts,
                                      FieldPath("wave_deploy_retries")));
  SLUICE_RETURN_IF_ERROR(CheckCounter(p.deploy_retries_total(), kMaxSequence,
                                      FieldPath("deploy_retries_total")));
  if (p.deploy_retries_total() < p.wave_deploy_retries()) {
    return Bad(
        "deploy_retries_total",
        absl::StrCat("must be >= wave_deploy_retries ", p.wave_deploy_retries(),
                     " (got ", p.deploy_retries_total(), ")"));
  }
  SLUICE_RETURN_IF_ERROR(
      CheckTime(p.deploy_retry_at(), FieldPath("deploy_retry_at")));

  // Bake re-checks and background analysis (absent in older snapshots).
  if (p.has_watch()) {
    const v1::WatchState& watch = p.watch();
    const FieldPath at("watch");
    SLUICE_RETURN_IF_ERROR(
        CheckGateState(watch.recheck_state(), at.Field("recheck_state"), 0));
    SLUICE_RETURN_IF_ERROR(
        CheckTime(watch.recheck_at(), at.Field("recheck_at")));
    SLUICE_RETURN_IF_ERROR(CheckCounter(watch.rechecks_passed(), kMaxGateCount,
                                        at.Field("rechecks_passed")));
    SLUICE_RETURN_IF_ERROR(CheckGateState(watch.background_state(),
                                          at.Field("background_state"), 0));
    SLUICE_RETURN_IF_ERROR(
        CheckTime(watch.background_since(), at.Field("background_since")));
    SLUICE_RETURN_IF_ERROR(
        CheckTime(watch.background_at(), at.Field("background_at")));
    SLUICE_RETURN_IF_ERROR(CheckCounter(watch.background_runs(), kMaxSequence,
                                        at.Field("background_runs")));
    const bool since_finite = watch.background_since().seconds() !=
                                  std::numeric_limits<int64_t>::min() &&
                              watch.background_since().seconds() !=
                                  std::numeric_limits<int64_t>::max();
    if (watch.background_started() && !since_finite) {
      return Bad(at.Field("background_since"),
                 "must be a finite time once the background analysis "
                 "started (watch.background_started)");
    }
    if (!watch.background_started() && watch.background_runs() != 0) {
      return Bad(at.Field("background_runs"),
                 absl::StrCat("must be 0 while the background analysis has "
                              "not started (got ",
                              watch.background_runs(), ")"));
    }
  }

  // Timers.
  // last_now may be "never" (infinite past), but not the infinite future:
  // every later call would be refused as going back in time.
  if (p.last_now().seconds() != std::numeric_limits<int64_t>::min()) {
    SLUICE_RETURN_IF_ERROR(
        CheckTime(p.last_now(), FieldPath("last_now"), /*infinite_ok=*/false));
  }
  const std::pair<const google::protobuf::Timestamp*, absl::string_view>
      timers[] = {{&p.phase_since(), "phase_since"},
                  {&p.deployed_at(), "deployed_at"},
                  {&p.gate_wake(), "gate_wake"},
                  {&p.bake_until(), "bake_until"},
                  {&p.retry_at(), "retry_at"},
                  {&p.paused_since(), "paused_since"},
                  {&p.last_wait(), "last_wait"},
                  {&p.rollback_retry_at(), "rollback_retry_at"}};
  for (const auto& [t, name] : timers) {
    SLUICE_RETURN_IF_ERROR(CheckTime(*t, FieldPath(name)));
  }
  for (int i = 0; i < p.signals_size(); ++i) {
    SLUICE_RETURN_IF_ERROR(CheckTime(
        p.signals(i).at(), FieldPath("signals").Index(i).Field("at")));
  }
  SLUICE_RETURN_IF_ERROR(
      CheckGateState(p.gate_state(), FieldPath("gate_state"), 0));
  if (p.has_verdict()) {
    SLUICE_RETURN_IF_ERROR(
        CheckVerdict(p.last_verdict(), FieldPath("last_verdict"), 0));
  }
  return absl::OkStatus();
}

}  // namespace sluice::internal
