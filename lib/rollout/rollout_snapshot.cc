// Copyright 2026 The Sluice Authors.
//
// Snapshot and restore of the rollout engine: the whole state as a
// sluice.v1.RolloutState message, followed by a checksum field so that a
// truncated or altered snapshot is refused rather than half-restored.

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/proto_bytes.h"
#include "lib/core/sha256.h"
#include "lib/core/status_macros.h"
#include "lib/rollout/rollout_codec.h"
#include "lib/rollout/rollout_config.h"
#include "lib/rollout/rollout_engine.h"
#include "lib/rollout/rollout_state_check.h"
#include "sluice/rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/v1/rollout.pb.h"

namespace sluice {
namespace internal {
namespace {

constexpr int kChecksumField = 99;
// The checksum's encoding: a 2-byte tag (field 99, wire type fixed64) and 8
// bytes, little-endian.
constexpr size_t kChecksumBytes = 10;

uint64_t Fnv1a(absl::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string ChecksumTag() {
  std::string tag;
  const uint32_t t = (kChecksumField << 3) | 1;  // wire type 1: fixed64
  tag.push_back(static_cast<char>((t & 0x7f) | 0x80));
  tag.push_back(static_cast<char>(t >> 7));
  return tag;
}

// The HMAC's encoding: field 98, wire type 2 (2-byte tag), length 32 (1
// byte), 32 bytes.
constexpr int kIntegrityField = 98;
constexpr size_t kIntegrityBytes = 35;

std::string IntegrityTag() {
  std::string tag;
  const uint32_t t = (kIntegrityField << 3) | 2;  // wire type 2: bytes
  tag.push_back(static_cast<char>((t & 0x7f) | 0x80));
  tag.push_back(static_cast<char>(t >> 7));
  tag.push_back(static_cast<char>(32));
  return tag;
}

absl::Status Bad(absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("snapshot: ", message));
}

std::string Bytes(const std::vector<uint8_t>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size());
}

// Each group of the engine's state (rollout_engine.h) to and from its
// fields of sluice.v1.RolloutState. The loaders check what they read; errors
// are Bad() ("snapshot: ...").

void SaveTargets(const TargetTable& t, v1::RolloutState& p) {
  p.set_target_state(Bytes(t.state));
  p.set_target_attempts(Bytes(t.rollback_attempts));
  std::string actions(t.action.size() * 4, '\0');
  for (size_t i = 0; i < t.action.size(); ++i) {
    const uint32_t v = t.action[i];
    actions[4 * i] = static_cast<char>(v & 0xff);
    actions[4 * i + 1] = static_cast<char>((v >> 8) & 0xff);
    actions[4 * i + 2] = static_cast<char>((v >> 16) & 0xff);
    actions[4 * i + 3] = static_cast<char>((v >> 24) & 0xff);
  }
  p.set_target_action(std::move(actions));
  p.set_target_deploy_attempts(Bytes(t.deploy_attempts));
}

absl::StatusOr<TargetTable> LoadTargets(const v1::RolloutState& p, size_t n,
                                        int64_t action_count) {
  if (p.target_state().size() != n || p.target_attempts().size() != n ||
      p.target_action().size() != 4 * n) {
    return Bad(absl::StrCat("per-target state has the wrong size for ", n,
                            " targets"));
  }
  for (size_t i = 0; i < n; ++i) {
    if (static_cast<uint8_t>(p.target_state()[i]) >= kTargetStateCount) {
      return Bad(absl::StrCat("target_state[", i, "]: unknown state ",
                              static_cast<int>(p.target_state()[i])));
    }
  }
  if (!p.target_deploy_attempts().empty() &&
      p.target_deploy_attempts().size() != n) {
    return Bad(
        absl::StrCat("target_deploy_attempts: wrong size for ", n, " targets"));
  }
  TargetTable t;
  t.action.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const auto* b =
        reinterpret_cast<const unsigned char*>(p.target_action().data()) +
        4 * i;
    t.action[i] =
        b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint32_t>(b[3]) << 24);
    if (t.action[i] > action_count) {
      return Bad(absl::StrCat("target_action[", i, "]: unknown action"));
    }
  }
  t.state.assign(p.target_state().begin(), p.target_state().end());
  t.rollback_attempts.assign(p.target_attempts().begin(),
                             p.target_attempts().end());
  if (p.target_deploy_attempts().empty()) {
    t.deploy_attempts.assign(n, 0);  // older snapshots: no try counted
  } else {
    t.deploy_attempts.assign(p.target_deploy_attempts().begin(),
                             p.target_deploy_attempts().end());
  }
  return t;
}

void SaveActions(const std::vector<ActionRecord>& actions,
                 v1::RolloutState& p) {
  for (size_t i = 0; i < actions.size(); ++i) {
    const ActionRecord& a = actions[i];
    v1::ActionRecord* r = p.add_actions();
    r->set_seq(static_cast<int64_t>(i) + 1);
    r->set_id(a.action.id);
    r->set_kind(std::string(ActionKindName(a.action.kind)));
    r->set_wave(a.action.wave);
    r->set_version(a.action.version);
    for (Fleet::TargetIndex t : a.action.targets) r->add_targets(t);
    if (a.action.traffic_percent.has_value()) {
      r->set_traffic_percent(*a.action.traffic_percent);
    }
    EncodeTime(a.action.wait_until, r->mutable_wait_until());
    r->set_message(a.action.message);
    r->set_escalate(a.action.escalate);
    r->set_state(a.state);
    r->set_remaining(a.remaining);
    r->set_total(a.total);
    r->set_succeeded(a.succeeded);
    r->set_failed(a.failed);
    r->set_first_failure(a.first_failure);
    EncodeTime(a.issued_at, r->mutable_issued_at());
  }
  p.set_next_action_seq(static_cast<int64_t>(actions.size()) + 1);
}

absl::StatusOr<std::vector<ActionRecord>> LoadActions(const v1::RolloutState& p,
                                                      size_t n) {
  const int64_t action_count = p.actions_size();
  if (p.next_action_seq() != action_count + 1) {
    return Bad("next_action_seq does not match the action ledger");
  }
  std::vector<ActionRecord> actions;
  actions.reserve(action_count);
  for (int i = 0; i < p.actions_size(); ++i) {
    const v1::ActionRecord& r = p.actions(i);
    ActionRecord a;
    if (r.seq() != i + 1) return Bad(absl::StrCat("actions[", i, "].seq"));
    a.action.id = r.id();
    absl::StatusOr<ActionKind> kind = ParseActionKind(r.kind());
    if (!kind.ok()) {
      return Bad(
          absl::StrCat("actions[", i, "].kind: ", kind.status().message()));
    }
    a.action.kind = *kind;
    a.action.wave = r.wave();
    a.action.version = r.version();
    for (uint32_t t : r.targets()) {
      if (t >= n) return Bad(absl::StrCat("actions[", i, "].targets"));
      a.action.targets.push_back(t);
    }
    if (r.has_traffic_percent()) a.action.traffic_percent = r.traffic_percent();
    a.action.wait_until = DecodeTime(r.wait_until());
    a.action.message = r.message();
    a.action.escalate = r.escalate();
    if (r.state() < 0 || r.state() > 2) {
      return Bad(absl::StrCat("actions[", i, "].state"));
    }
    a.state = r.state();
    a.remaining = r.remaining();
    a.total = r.total();
    a.succeeded = r.succeeded();
    a.failed = r.failed();
    a.first_failure = r.first_failure();
    a.issued_at = DecodeTime(r.issued_at());
    actions.push_back(std::move(a));
  }
  return actions;
}

void SaveGate(const CurrentGate& g, v1::RolloutState& p) {
  RolloutGateStateToProto(g.state, p.mutable_gate_state());
  if (g.last_verdict.has_value()) {
    p.set_has_verdict(true);
    VerdictToRecord(*g.last_verdict, true, p.mutable_last_verdict());
  }
  for (const OperatorSignal& s : g.signals) {
    v1::SignalRecord* r = p.add_signals();
    r->set_approve(s.kind == OperatorSignal::Kind::kApprove);
    r->set_who(s.who);
    EncodeTime(s.at, r->mutable_at());
  }
}

absl::StatusOr<CurrentGate> LoadGate(const v1::RolloutState& p) {
  CurrentGate g;
  absl::StatusOr<GateState> state = RolloutGateStateFromProto(p.gate_state());
  if (!state.ok()) {
    return Bad(absl::StrCat("gate_state: ", state.status().message()));
  }
  g.state = *std::move(state);
  if (p.has_verdict()) {
    absl::StatusOr<Verdict> v = VerdictFromRecord(p.last_verdict(), true);
    if (!v.ok()) {
      return Bad(absl::StrCat("last_verdict: ", v.status().message()));
    }
    g.last_verdict = *std::move(v);
  }
  for (const v1::SignalRecord& r : p.signals()) {
    OperatorSignal s;
    s.kind = r.approve() ? OperatorSignal::Kind::kApprove
                         : OperatorSignal::Kind::kReject;
    s.who = r.who();
    s.at = DecodeTime(r.at());
    g.signals.push_back(std::move(s));
  }
  return g;
}

void SaveTimers(const PhaseTimers& t, v1::RolloutState& p) {
  EncodeTime(t.phase_since, p.mutable_phase_since());
  EncodeTime(t.deployed_at, p.mutable_deployed_at());
  EncodeTime(t.gate_wake, p.mutable_gate_wake());
  EncodeTime(t.bake_until, p.mutable_bake_until());
  EncodeTime(t.retry_at, p.mutable_retry_at());
  EncodeTime(t.paused_since, p.mutable_paused_since());
  EncodeTime(t.last_wait, p.mutable_last_wait());
}

PhaseTimers LoadTimers(const v1::RolloutState& p) {
  PhaseTimers t;
  t.phase_since = DecodeTime(p.phase_since());
  t.deployed_at = DecodeTime(p.deployed_at());
  t.gate_wake = DecodeTime(p.gate_wake());
  t.bake_until = DecodeTime(p.bake_until());
  t.retry_at = DecodeTime(p.retry_at());
  t.paused_since = DecodeTime(p.paused_since());
  t.last_wait = DecodeTime(p.last_wait());
  return t;
}

void SaveCommands(const CommandState& c, v1::RolloutState& p) {
  p.set_pause_reason(c.pause_reason);
  if (c.failure_trigger.has_value()) {
    p.set_failure_trigger(std::string(FailureTriggerName(*c.failure_trigger)));
  }
  p.set_promoted(c.promoted);
  p.set_promoted_by(c.promoted_by);
  p.set_approval_pending(c.approval_pending);
  p.set_rejected_by(c.rejected_by);
}

absl::StatusOr<CommandState> LoadCommands(const v1::RolloutState& p) {
  CommandState c;
  if (!p.failure_trigger().empty()) {
    absl::StatusOr<FailureTrigger> t = ParseTrigger(p.failure_trigger());
    if (!t.ok()) return Bad(t.status().message());
    c.failure_trigger = *t;
  }
  c.pause_reason = p.pause_reason();
  c.promoted = p.promoted();
  c.promoted_by = p.promoted_by();
  c.approval_pending = p.approval_pending();
  c.rejected_by = p.rejected_by();
  return c;
}

void SaveProgress(const RunProgress& r, v1::RolloutState& p) {
  p.set_started(r.started);
  p.set_max_wave_started(r.max_wave_started);
  p.set_traffic_touched(r.traffic_touched);
  p.set_current_action(r.current_action);
  for (int32_t a : r.wave_attempts) p.add_wave_attempts(a);
}

absl::StatusOr<RunProgress> LoadProgress(const v1::RolloutState& p,
                                         int wave_count) {
  if (p.wave_attempts_size() != wave_count) {
    return Bad("wave_attempts: wrong size");
  }
  if (p.current_action() < 0 || p.current_action() > p.actions_size()) {
    return Bad("current_action out of range");
  }
  RunProgress r;
  r.started = p.started();
  r.max_wave_started = p.max_wave_started();
  r.traffic_touched = p.traffic_touched();
  r.current_action = p.current_action();
  r.wave_attempts.assign(p.wave_attempts().begin(), p.wave_attempts().end());
  return r;
}

void SaveRollback(const RollbackState& r, v1::RolloutState& p) {
  for (int32_t w : r.queue) p.add_rollback_queue(w);
  p.set_rollback_end_status(std::string(RolloutStatusName(r.end)));
  p.set_rollback_reason(r.reason);
  EncodeTime(r.retry_at, p.mutable_rollback_retry_at());
  p.set_wave_rolled_back(r.wave_rolled_back);
  p.set_traffic_rollback_attempts(r.traffic_attempts);
  p.set_traffic_rollback_failed(r.traffic_failed);
}

absl::StatusOr<RollbackState> LoadRollback(const v1::RolloutState& p,
                                           int wave_count) {
  absl::StatusOr<RolloutStatus> end = ParseStatus(p.rollback_end_status());
  if (!end.ok()) return Bad(end.status().message());
  for (int32_t w : p.rollback_queue()) {
    if (w < -1 || w >= wave_count) return Bad("rollback_queue out of range");
  }
  RollbackState r;
  r.queue.assign(p.rollback_queue().begin(), p.rollback_queue().end());
  r.end = *end;
  r.reason = p.rollback_reason();
  r.retry_at = DecodeTime(p.rollback_retry_at());
  r.wave_rolled_back = p.wave_rolled_back();
  r.traffic_attempts = p.traffic_rollback_attempts();
  r.traffic_failed = p.traffic_rollback_failed();
  return r;
}

void SaveDeployRetry(const DeployRetryState& d, v1::RolloutState& p) {
  p.set_wave_deploy_failed(d.failed);
  p.set_wave_deploy_retryable(d.retryable);
  p.set_wave_deploy_retries(d.retries);
  EncodeTime(d.retry_at, p.mutable_deploy_retry_at());
  p.set_deploy_retries_total(d.retries_total);
}

absl::StatusOr<DeployRetryState> LoadDeployRetry(const v1::RolloutState& p) {
  if (p.wave_deploy_failed() < 0 || p.wave_deploy_retryable() < 0 ||
      p.wave_deploy_retries() < 0 || p.deploy_retries_total() < 0) {
    return Bad(
        "wave_deploy_failed, wave_deploy_retryable, wave_deploy_retries and "
        "deploy_retries_total must be >= 0");
  }
  DeployRetryState d;
  d.failed = p.wave_deploy_failed();
  d.retryable = p.wave_deploy_retryable();
  d.retries = p.wave_deploy_retries();
  d.retry_at = DecodeTime(p.deploy_retry_at());
  d.retries_total = p.deploy_retries_total();
  return d;
}

void SaveWatch(const WatchState& w, v1::WatchState& p) {
  RolloutGateStateToProto(w.recheck_state, p.mutable_recheck_state());
  EncodeTime(w.recheck_at, p.mutable_recheck_at());
  p.set_rechecks_passed(w.rechecks_passed);
  p.set_background_started(w.background_started);
  EncodeTime(w.background_since, p.mutable_background_since());
  RolloutGateStateToProto(w.background_state, p.mutable_background_state());
  EncodeTime(w.background_at, p.mutable_background_at());
  p.set_background_runs(w.background_runs);
}

// Unset (snapshots written before re-checks existed): no re-check due, no
// background analysis.
absl::StatusOr<WatchState> LoadWatch(const v1::RolloutState& state) {
  WatchState w;
  if (!state.has_watch()) return w;
  const v1::WatchState& p = state.watch();
  absl::StatusOr<GateState> s = RolloutGateStateFromProto(p.recheck_state());
  if (!s.ok()) {
    return Bad(absl::StrCat("watch.recheck_state: ", s.status().message()));
  }
  w.recheck_state = *std::move(s);
  s = RolloutGateStateFromProto(p.background_state());
  if (!s.ok()) {
    return Bad(absl::StrCat("watch.background_state: ", s.status().message()));
  }
  w.background_state = *std::move(s);
  if (p.rechecks_passed() < 0 || p.background_runs() < 0) {
    return Bad("watch: negative count");
  }
  w.recheck_at = DecodeTime(p.recheck_at());
  w.rechecks_passed = p.rechecks_passed();
  w.background_started = p.background_started();
  w.background_since = DecodeTime(p.background_since());
  w.background_at = DecodeTime(p.background_at());
  w.background_runs = p.background_runs();
  return w;
}

}  // namespace

void RolloutEngine::SaveState(v1::RolloutState& p) const {
  p.set_schema_version(kRolloutStateSchemaVersion);
  p.set_state_version(state_version_);
  p.set_name(options_.name);
  p.set_version(version_);
  p.set_previous_version(previous_version_);
  p.set_fleet_size(static_cast<uint32_t>(fleet_.size()));
  p.set_fleet_fingerprint(fingerprint_);
  p.set_strategy(plan_.strategy);
  for (const Wave& w : plan_.waves) {
    v1::WaveRecord* r = p.add_waves();
    r->set_name(w.name);
    r->set_stage(w.stage);
    r->mutable_targets()->Reserve(static_cast<int>(w.targets.size()));
    for (Fleet::TargetIndex t : w.targets) r->add_targets(t);
    if (w.traffic_percent.has_value()) {
      r->set_traffic_percent(*w.traffic_percent);
    }
    r->set_cumulative_count_fraction(w.cumulative_count_fraction);
    r->set_cumulative_weight_fraction(w.cumulative_weight_fraction);
    EncodeDuration(w.bake, r->mutable_bake());
    r->set_max_failed_targets(w.max_failed_targets);
  }
  p.set_status(std::string(RolloutStatusName(status_)));
  p.set_current_wave(current_wave_);
  p.set_phase(std::string(WavePhaseName(phase_)));
  SaveTargets(targets_, p);
  SaveActions(actions_, p);
  p.set_event_sequence(event_seq_);
  EncodeTime(last_now_, p.mutable_last_now());
  SaveGate(gate_, p);
  SaveTimers(timers_, p);
  SaveCommands(commands_, p);
  SaveProgress(progress_, p);
  SaveRollback(rollback_, p);
  SaveDeployRetry(deploy_, p);
  SaveWatch(watch_, *p.mutable_watch());
  p.set_touched_count(counts_.touched);
  p.set_new_count(counts_.new_targets);
  p.set_dirty(dirty_);
  p.set_rollout_id(rollout_id_);
  const std::vector<std::string> config =
      config_record_.empty() ? DescribeConfig(plan_, options_, *policy_)
                             : config_record_;
  p.set_config_fingerprint(ConfigFingerprint(config));
  for (const std::string& line : config) p.add_config(line);
}

void RolloutEngine::RecordConfigChange(absl::string_view who,
                                       std::string message) {
  Command("config-change", who, last_now_, std::move(message));
  ++state_version_;
}

std::string RolloutEngine::Snapshot() const {
  v1::RolloutState p;
  SaveState(p);
  std::string out = DeterministicBytes(p);
  if (!options_.snapshot_key.empty()) {
    const std::string mac = DigestBytes(HmacSha256(options_.snapshot_key, out));
    out += IntegrityTag();
    out += mac;
  }
  const uint64_t sum = Fnv1a(out);
  out += ChecksumTag();
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>((sum >> (8 * i)) & 0xff));
  }
  return out;
}

absl::Status RolloutEngine::LoadState(const v1::RolloutState& p) {
  const size_t n = fleet_.size();
  const int wave_count = static_cast<int>(plan_.waves.size());
  // Read and check every group before changing anything.
  SLUICE_ASSIGN_OR_RETURN(TargetTable targets,
                          LoadTargets(p, n, p.actions_size()));
  SLUICE_ASSIGN_OR_RETURN(RunProgress progress, LoadProgress(p, wave_count));
  SLUICE_ASSIGN_OR_RETURN(DeployRetryState deploy, LoadDeployRetry(p));
  SLUICE_ASSIGN_OR_RETURN(std::vector<ActionRecord> actions, LoadActions(p, n));
  absl::StatusOr<RolloutStatus> status = ParseStatus(p.status());
  if (!status.ok()) return Bad(status.status().message());
  absl::StatusOr<WavePhase> phase = ParsePhase(p.phase());
  if (!phase.ok()) return Bad(phase.status().message());
  if (p.current_wave() < -1 || p.current_wave() > wave_count) {
    return Bad("current_wave out of range");
  }
  SLUICE_ASSIGN_OR_RETURN(RollbackState rollback, LoadRollback(p, wave_count));
  SLUICE_ASSIGN_OR_RETURN(CurrentGate gate, LoadGate(p));
  SLUICE_ASSIGN_OR_RETURN(WatchState watch, LoadWatch(p));
  SLUICE_ASSIGN_OR_RETURN(CommandState commands, LoadCommands(p));

  // Everything parsed: commit.
  state_version_ = p.state_version();
  status_ = *status;
  current_wave_ = p.current_wave();
  phase_ = *phase;
  targets_ = std::move(targets);
  settled_wave_ = -1;  // the cached settled targets were another state's
  actions_ = std::move(actions);
  event_seq_ = p.event_sequence();
  last_now_ = DecodeTime(p.last_now());
  gate_ = std::move(gate);
  timers_ = LoadTimers(p);
  commands_ = std::move(commands);
  progress_ = std::move(progress);
  rollback_ = std::move(rollback);
  deploy_ = deploy;
  watch_ = std::move(watch);
  dirty_ = p.dirty();
  rollout_id_ = p.rollout_id();
  RecountTargets();
  counts_.open_rollbacks = 0;
  for (const ActionRecord& a : actions_) {
    if (a.state == ActionRecord::kOpen &&
        a.action.kind == ActionKind::kRollBack) {
      ++counts_.open_rollbacks;
    }
  }
  if (counts_.touched != p.touched_count() ||
      counts_.new_targets != p.new_count()) {
    return Bad("per-target counters do not match the per-target state");
  }
  ComputeNextWakeup();
  return absl::OkStatus();
}

}  // namespace internal

absl::StatusOr<v1::RolloutState> ParseRolloutState(absl::string_view bytes) {
  return internal::ParseSnapshot(bytes, "");
}

namespace internal {

absl::StatusOr<v1::RolloutState> ParseSnapshot(absl::string_view bytes,
                                               absl::string_view key) {
  const std::string tag = ChecksumTag();
  if (bytes.size() < kChecksumBytes ||
      bytes.substr(bytes.size() - kChecksumBytes, 2) != tag) {
    return Bad("no checksum at the end (truncated, or not a Rollout snapshot)");
  }
  const absl::string_view body = bytes.substr(0, bytes.size() - kChecksumBytes);
  uint64_t sum = 0;
  for (int i = 0; i < 8; ++i) {
    sum |= static_cast<uint64_t>(
               static_cast<unsigned char>(bytes[bytes.size() - 8 + i]))
           << (8 * i);
  }
  if (Fnv1a(body) != sum) {
    return Bad("checksum mismatch (truncated or corrupted)");
  }
  if (!key.empty()) {
    const std::string tag = IntegrityTag();
    if (body.size() < kIntegrityBytes ||
        body.substr(body.size() - kIntegrityBytes, tag.size()) != tag) {
      return Bad(
          "integrity check failed: no HMAC (the snapshot was made without "
          "RolloutOptions::snapshot_key)");
    }
    const absl::string_view signed_part =
        body.substr(0, body.size() - kIntegrityBytes);
    const absl::string_view mac = body.substr(body.size() - 32);
    if (!ConstantTimeEquals(DigestBytes(HmacSha256(key, signed_part)), mac)) {
      return Bad(
          "integrity check failed: HMAC mismatch (another key, or the "
          "snapshot was altered)");
    }
  }
  v1::RolloutState state;
  if (!state.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return Bad("cannot parse sluice.v1.RolloutState");
  }
  state.set_checksum(sum);
  return state;
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<Rollout>> Rollout::Restore(
    const Fleet& fleet, RolloutOptions options, absl::string_view snapshot) {
  RestoreOptions unchecked;
  unchecked.check_config = false;
  return Restore(fleet, std::move(options), snapshot, unchecked);
}

absl::StatusOr<std::unique_ptr<Rollout>> Rollout::Restore(
    const Fleet& fleet, RolloutOptions options, absl::string_view snapshot,
    const RestoreOptions& restore) {
  SLUICE_ASSIGN_OR_RETURN(
      v1::RolloutState state,
      internal::ParseSnapshot(snapshot, options.snapshot_key));
  if (state.schema_version() > kRolloutStateSchemaVersion) {
    return internal::Bad(absl::StrCat("schema_version ", state.schema_version(),
                                      " is newer than this library's ",
                                      kRolloutStateSchemaVersion,
                                      "; upgrade Sluice to restore it"));
  }
  if (state.schema_version() < 1) {
    return internal::Bad(absl::StrCat("schema_version ", state.schema_version(),
                                      " is not a valid schema version"));
  }
  if (state.fleet_size() != fleet.size() ||
      state.fleet_fingerprint() != internal::FleetFingerprint(fleet)) {
    return internal::Bad(absl::StrCat(
        "fleet fingerprint ", state.fleet_fingerprint(), " (",
        state.fleet_size(), " targets) does not match the fleet given (",
        fleet.size(), " targets): the snapshot is of another fleet"));
  }
  SLUICE_RETURN_IF_ERROR(internal::CheckRolloutState(state, fleet.size()));
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
  // A replanned rollout's started waves may have lost all their targets
  // (ReplanRollout()).
  absl::Status plan_status = internal::ValidatePlan(
      plan, fleet, static_cast<size_t>(state.max_wave_started() + 1));
  if (!plan_status.ok()) {
    return internal::PrefixStatus(plan_status, "snapshot");
  }
  options.name = state.name();
  options.version = state.version();
  options.previous_version = state.previous_version();
  absl::Status options_status =
      internal::ValidateOptions(options, static_cast<int>(plan.waves.size()));
  if (!options_status.ok()) {
    return internal::PrefixStatus(options_status, "snapshot");
  }
  // The configuration that governs decisions: the snapshot's against the
  // one given (snapshots of older libraries record none).
  std::string config_change;
  std::vector<std::string> recorded(state.config().begin(),
                                    state.config().end());
  if (!recorded.empty()) {
    if (internal::ConfigFingerprint(recorded) != state.config_fingerprint()) {
      return internal::Bad(
          "config_fingerprint: does not match the recorded config");
    }
    std::shared_ptr<const RollbackPolicy> policy =
        options.rollback_policy != nullptr
            ? options.rollback_policy
            : std::shared_ptr<const RollbackPolicy>(NewDefaultRollbackPolicy());
    if (restore.check_config) {
      config_change = internal::DescribeConfigChange(
          recorded, internal::DescribeConfig(plan, options, *policy));
      recorded.clear();  // checked: the engine records its own from now on
    }
    if (!config_change.empty() && !restore.accept_config_change) {
      return internal::Bad(absl::StrCat(
          "config: made under another configuration: ", config_change,
          " (restore with the snapshot's gates, policy and limits, or set "
          "RestoreOptions::accept_config_change if the change is intended)"));
    }
  }
  auto engine = std::make_unique<internal::RolloutEngine>(
      fleet, std::move(plan), std::move(options));
  SLUICE_RETURN_IF_ERROR(engine->LoadState(state));
  // Unchecked (e.g. a command applied by a tool without the gates): the
  // snapshot's record is kept, so the next checked restore still compares
  // against the configuration that governed the rollout.
  engine->set_config_record(std::move(recorded));
  if (!config_change.empty()) {
    engine->RecordConfigChange(
        restore.who,
        absl::StrCat("configuration changed on restore: ", config_change));
  }
  return std::unique_ptr<Rollout>(std::move(engine));
}

}  // namespace sluice
