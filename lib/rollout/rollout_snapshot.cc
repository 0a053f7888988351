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
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
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
  p.set_target_state(std::string(reinterpret_cast<const char*>(tstate_.data()),
                                 tstate_.size()));
  p.set_target_attempts(std::string(
      reinterpret_cast<const char*>(tattempts_.data()), tattempts_.size()));
  std::string actions(taction_.size() * 4, '\0');
  for (size_t i = 0; i < taction_.size(); ++i) {
    const uint32_t v = taction_[i];
    actions[4 * i] = static_cast<char>(v & 0xff);
    actions[4 * i + 1] = static_cast<char>((v >> 8) & 0xff);
    actions[4 * i + 2] = static_cast<char>((v >> 16) & 0xff);
    actions[4 * i + 3] = static_cast<char>((v >> 24) & 0xff);
  }
  p.set_target_action(std::move(actions));
  for (size_t i = 0; i < actions_.size(); ++i) {
    const ActionRecord& a = actions_[i];
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
  p.set_next_action_seq(static_cast<int64_t>(actions_.size()) + 1);
  p.set_event_sequence(event_seq_);
  EncodeTime(last_now_, p.mutable_last_now());
  RolloutGateStateToProto(gate_state_, p.mutable_gate_state());
  if (last_verdict_.has_value()) {
    p.set_has_verdict(true);
    VerdictToRecord(*last_verdict_, true, p.mutable_last_verdict());
  }
  for (const OperatorSignal& s : signals_) {
    v1::SignalRecord* r = p.add_signals();
    r->set_approve(s.kind == OperatorSignal::Kind::kApprove);
    r->set_who(s.who);
    EncodeTime(s.at, r->mutable_at());
  }
  for (int32_t a : wave_attempts_) p.add_wave_attempts(a);
  EncodeTime(phase_since_, p.mutable_phase_since());
  EncodeTime(deployed_at_, p.mutable_deployed_at());
  EncodeTime(gate_wake_, p.mutable_gate_wake());
  EncodeTime(bake_until_, p.mutable_bake_until());
  EncodeTime(retry_at_, p.mutable_retry_at());
  EncodeTime(paused_since_, p.mutable_paused_since());
  EncodeTime(last_wait_, p.mutable_last_wait());
  p.set_pause_reason(pause_reason_);
  if (failure_trigger_.has_value()) {
    p.set_failure_trigger(std::string(FailureTriggerName(*failure_trigger_)));
  }
  p.set_promoted(promoted_);
  p.set_promoted_by(promoted_by_);
  p.set_approval_pending(approval_pending_);
  for (int32_t w : rollback_queue_) p.add_rollback_queue(w);
  p.set_rollback_end_status(std::string(RolloutStatusName(rollback_end_)));
  p.set_rollback_reason(rollback_reason_);
  EncodeTime(rollback_retry_at_, p.mutable_rollback_retry_at());
  p.set_wave_rolled_back(wave_rolled_back_);
  p.set_touched_count(touched_count_);
  p.set_new_count(new_count_);
  p.set_max_wave_started(max_wave_started_);
  p.set_started(started_);
  p.set_dirty(dirty_);
  p.set_current_action(current_action_);
  p.set_traffic_rollback_attempts(traffic_rollback_attempts_);
  p.set_traffic_rollback_failed(traffic_rollback_failed_);
  p.set_rejected_by(rejected_by_);
  p.set_traffic_touched(traffic_touched_);
  v1::WatchState* watch = p.mutable_watch();
  RolloutGateStateToProto(recheck_state_, watch->mutable_recheck_state());
  EncodeTime(recheck_at_, watch->mutable_recheck_at());
  watch->set_rechecks_passed(rechecks_passed_);
  watch->set_background_started(background_started_);
  EncodeTime(background_since_, watch->mutable_background_since());
  RolloutGateStateToProto(background_state_, watch->mutable_background_state());
  EncodeTime(background_at_, watch->mutable_background_at());
  watch->set_background_runs(background_runs_);
  p.set_target_deploy_attempts(
      std::string(reinterpret_cast<const char*>(tdeploy_attempts_.data()),
                  tdeploy_attempts_.size()));
  p.set_wave_deploy_failed(wave_deploy_failed_);
  p.set_wave_deploy_retryable(wave_deploy_retryable_);
  p.set_wave_deploy_retries(wave_deploy_retries_);
  EncodeTime(deploy_retry_at_, p.mutable_deploy_retry_at());
  p.set_deploy_retries_total(deploy_retries_total_);
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
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    p.SerializeToCodedStream(&coded);
  }
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
  if (p.wave_attempts_size() != static_cast<int>(plan_.waves.size())) {
    return Bad("wave_attempts: wrong size");
  }
  if (!p.target_deploy_attempts().empty() &&
      p.target_deploy_attempts().size() != n) {
    return Bad(
        absl::StrCat("target_deploy_attempts: wrong size for ", n, " targets"));
  }
  if (p.wave_deploy_failed() < 0 || p.wave_deploy_retryable() < 0 ||
      p.wave_deploy_retries() < 0 || p.deploy_retries_total() < 0) {
    return Bad(
        "wave_deploy_failed, wave_deploy_retryable, wave_deploy_retries and "
        "deploy_retries_total must be >= 0");
  }
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
  std::vector<uint32_t> taction(n);
  for (size_t i = 0; i < n; ++i) {
    const auto* b =
        reinterpret_cast<const unsigned char*>(p.target_action().data()) +
        4 * i;
    taction[i] =
        b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint32_t>(b[3]) << 24);
    if (taction[i] > action_count) {
      return Bad(absl::StrCat("target_action[", i, "]: unknown action"));
    }
  }
  absl::StatusOr<RolloutStatus> status = ParseStatus(p.status());
  if (!status.ok()) return Bad(status.status().message());
  absl::StatusOr<WavePhase> phase = ParsePhase(p.phase());
  if (!phase.ok()) return Bad(phase.status().message());
  absl::StatusOr<RolloutStatus> end = ParseStatus(p.rollback_end_status());
  if (!end.ok()) return Bad(end.status().message());
  if (p.current_wave() < -1 ||
      p.current_wave() > static_cast<int>(plan_.waves.size())) {
    return Bad("current_wave out of range");
  }
  if (p.current_action() < 0 || p.current_action() > action_count) {
    return Bad("current_action out of range");
  }
  absl::StatusOr<GateState> gate_state =
      RolloutGateStateFromProto(p.gate_state());
  if (!gate_state.ok()) {
    return Bad(absl::StrCat("gate_state: ", gate_state.status().message()));
  }
  GateState recheck_state;
  GateState background_state;
  if (p.has_watch()) {
    absl::StatusOr<GateState> s =
        RolloutGateStateFromProto(p.watch().recheck_state());
    if (!s.ok()) {
      return Bad(absl::StrCat("watch.recheck_state: ", s.status().message()));
    }
    recheck_state = *std::move(s);
    s = RolloutGateStateFromProto(p.watch().background_state());
    if (!s.ok()) {
      return Bad(
          absl::StrCat("watch.background_state: ", s.status().message()));
    }
    background_state = *std::move(s);
    if (p.watch().rechecks_passed() < 0 || p.watch().background_runs() < 0) {
      return Bad("watch: negative count");
    }
  }
  std::optional<Verdict> verdict;
  if (p.has_verdict()) {
    absl::StatusOr<Verdict> v = VerdictFromRecord(p.last_verdict(), true);
    if (!v.ok()) {
      return Bad(absl::StrCat("last_verdict: ", v.status().message()));
    }
    verdict = *std::move(v);
  }
  std::optional<FailureTrigger> trigger;
  if (!p.failure_trigger().empty()) {
    absl::StatusOr<FailureTrigger> t = ParseTrigger(p.failure_trigger());
    if (!t.ok()) return Bad(t.status().message());
    trigger = *t;
  }
  for (int32_t w : p.rollback_queue()) {
    if (w < -1 || w >= static_cast<int>(plan_.waves.size())) {
      return Bad("rollback_queue out of range");
    }
  }

  // Everything parsed: commit.
  state_version_ = p.state_version();
  status_ = *status;
  current_wave_ = p.current_wave();
  phase_ = *phase;
  tstate_.assign(p.target_state().begin(), p.target_state().end());
  tattempts_.assign(p.target_attempts().begin(), p.target_attempts().end());
  taction_ = std::move(taction);
  actions_ = std::move(actions);
  event_seq_ = p.event_sequence();
  last_now_ = DecodeTime(p.last_now());
  gate_state_ = *std::move(gate_state);
  last_verdict_ = std::move(verdict);
  recheck_state_ = std::move(recheck_state);
  background_state_ = std::move(background_state);
  if (p.has_watch()) {
    const v1::WatchState& watch = p.watch();
    recheck_at_ = DecodeTime(watch.recheck_at());
    rechecks_passed_ = watch.rechecks_passed();
    background_started_ = watch.background_started();
    background_since_ = DecodeTime(watch.background_since());
    background_at_ = DecodeTime(watch.background_at());
    background_runs_ = watch.background_runs();
  } else {
    recheck_at_ = absl::InfiniteFuture();
    rechecks_passed_ = 0;
    ResetBackground();
  }
  signals_.clear();
  for (const v1::SignalRecord& r : p.signals()) {
    OperatorSignal s;
    s.kind = r.approve() ? OperatorSignal::Kind::kApprove
                         : OperatorSignal::Kind::kReject;
    s.who = r.who();
    s.at = DecodeTime(r.at());
    signals_.push_back(std::move(s));
  }
  wave_attempts_.assign(p.wave_attempts().begin(), p.wave_attempts().end());
  phase_since_ = DecodeTime(p.phase_since());
  deployed_at_ = DecodeTime(p.deployed_at());
  gate_wake_ = DecodeTime(p.gate_wake());
  bake_until_ = DecodeTime(p.bake_until());
  retry_at_ = DecodeTime(p.retry_at());
  paused_since_ = DecodeTime(p.paused_since());
  last_wait_ = DecodeTime(p.last_wait());
  pause_reason_ = p.pause_reason();
  failure_trigger_ = trigger;
  promoted_ = p.promoted();
  promoted_by_ = p.promoted_by();
  approval_pending_ = p.approval_pending();
  rollback_queue_.assign(p.rollback_queue().begin(), p.rollback_queue().end());
  rollback_end_ = *end;
  rollback_reason_ = p.rollback_reason();
  rollback_retry_at_ = DecodeTime(p.rollback_retry_at());
  wave_rolled_back_ = p.wave_rolled_back();
  max_wave_started_ = p.max_wave_started();
  started_ = p.started();
  dirty_ = p.dirty();
  current_action_ = p.current_action();
  traffic_rollback_attempts_ = p.traffic_rollback_attempts();
  traffic_rollback_failed_ = p.traffic_rollback_failed();
  rejected_by_ = p.rejected_by();
  traffic_touched_ = p.traffic_touched();
  if (p.target_deploy_attempts().empty()) {
    tdeploy_attempts_.assign(n, 0);
  } else {
    tdeploy_attempts_.assign(p.target_deploy_attempts().begin(),
                             p.target_deploy_attempts().end());
  }
  wave_deploy_failed_ = p.wave_deploy_failed();
  wave_deploy_retryable_ = p.wave_deploy_retryable();
  wave_deploy_retries_ = p.wave_deploy_retries();
  deploy_retry_at_ = DecodeTime(p.deploy_retry_at());
  deploy_retries_total_ = p.deploy_retries_total();
  rollout_id_ = p.rollout_id();
  RecountTargets();
  open_rollback_actions_ = 0;
  for (const ActionRecord& a : actions_) {
    if (a.state == ActionRecord::kOpen &&
        a.action.kind == ActionKind::kRollBack) {
      ++open_rollback_actions_;
    }
  }
  if (touched_count_ != p.touched_count() || new_count_ != p.new_count()) {
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
