// Copyright 2026 The Sluice Authors.
//
// Restore trusts nothing: a snapshot whose checksum is valid but whose state
// is impossible is refused with the field's path, and nothing is restored.

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/spec.h"
#include "sluice/testing/rollout_testing.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/rollout.pb.h"
#include "sluice/v1/rollout_spec.pb.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice::rollout_test {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

// Re-encodes a state message as snapshot bytes with a valid checksum, as a
// buggy or hostile store could.
std::string Encode(v1::RolloutState state) {
  state.clear_checksum();
  std::string body;
  state.SerializeToString(&body);
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ull;
  }
  body.push_back(static_cast<char>((((99 << 3) | 1) & 0x7f) | 0x80));
  body.push_back(static_cast<char>(((99 << 3) | 1) >> 7));
  for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>(h >> (8 * i)));
  return body;
}

class RestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.name = "restore";
    options_.version = "2.0";
    options_.previous_version = "1.0";
    options_.gate = std::make_shared<ScriptedGate>();
    rollout_ = *Rollout::Create(fleet_, MakePlan({1, 3, 5}), options_);
    // Running, wave 0 deploying, one open deploy action.
    actions_ = *rollout_->Advance(kT0);
    state_ = *ParseRolloutState(rollout_->Snapshot());
  }

  absl::Status RestoreWith(const std::function<void(v1::RolloutState&)>& f) {
    v1::RolloutState bad = state_;
    f(bad);
    return Rollout::Restore(fleet_, options_, Encode(bad)).status();
  }

  Fleet fleet_ = MakeFleet(9);
  RolloutOptions options_;
  std::unique_ptr<Rollout> rollout_;
  std::vector<Action> actions_;
  v1::RolloutState state_;
};

TEST_F(RestoreTest, TheUnchangedStateRestores) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> r,
      Rollout::Restore(fleet_, options_, Encode(state_)));
  EXPECT_EQ(r->Snapshot(), rollout_->Snapshot());
}

TEST_F(RestoreTest, CurrentWavePastTheLastWhileDeployingIsRefused) {
  // Issue 17: a valid checksum, current_wave == number of waves, running and
  // deploying overflowed a heap buffer on the first Advance().
  ASSERT_EQ(state_.status(), "running");
  ASSERT_EQ(state_.phase(), "deploying");
  absl::Status s = RestoreWith(
      [](v1::RolloutState& p) { p.set_current_wave(p.waves_size()); });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("snapshot: current_wave: is past the last "
                                    "wave (3) but the rollout has not "
                                    "succeeded (status running, phase "
                                    "deploying, 3 waves)")));
}

struct BadField {
  std::string name;
  std::function<void(v1::RolloutState&)> mutate;
  std::string error;
};

TEST_F(RestoreTest, ImpossibleStatesAreRefusedWithTheFieldPath) {
  const double nan = std::nan("");
  const std::vector<BadField> cases = {
      {"last_now past 9999",
       [](v1::RolloutState& p) {
         p.mutable_last_now()->set_seconds(253402300800);
       },
       "snapshot: last_now: must be within 0001-01-01 and 9999-12-31"},
      {"last_now infinite future",
       [](v1::RolloutState& p) {
         p.mutable_last_now()->set_seconds(std::numeric_limits<int64_t>::max());
       },
       "snapshot: last_now: must be within"},
      {"remaining -5 on an open action",
       [](v1::RolloutState& p) { p.mutable_actions(0)->set_remaining(-5); },
       "snapshot: actions[0].remaining: must be in [0, total 1] (got -5)"},
      {"negative wave attempts",
       [](v1::RolloutState& p) { p.set_wave_attempts(0, -3); },
       "snapshot: wave_attempts[0]: must be in [0, 1000000] (got -3)"},
      {"wave attempts about to overflow",
       [](v1::RolloutState& p) {
         p.set_wave_attempts(0, std::numeric_limits<int32_t>::max());
       },
       "snapshot: wave_attempts[0]: must be in [0, 1000000]"},
      {"event sequence about to overflow",
       [](v1::RolloutState& p) {
         p.set_event_sequence(std::numeric_limits<int64_t>::max());
       },
       "snapshot: event_sequence: must be in [0, 4611686018427387904]"},
      {"negative traffic rollback attempts",
       [](v1::RolloutState& p) { p.set_traffic_rollback_attempts(-1); },
       "snapshot: traffic_rollback_attempts: must be in [0, 1000000]"},
      {"NaN fraction",
       [nan](v1::RolloutState& p) {
         p.mutable_waves(1)->set_cumulative_count_fraction(nan);
       },
       "snapshot: waves[1].cumulative_count_fraction: must be a finite "
       "fraction"},
      {"traffic percent over 100",
       [](v1::RolloutState& p) {
         p.mutable_actions(0)->set_traffic_percent(250);
       },
       "snapshot: actions[0].traffic_percent: must be a finite percent"},
      {"action of a wave the plan lacks",
       [](v1::RolloutState& p) { p.mutable_actions(0)->set_wave(7); },
       "snapshot: actions[0].wave: must be in [-1, 3) (got 7)"},
      {"succeeded beyond total",
       [](v1::RolloutState& p) { p.mutable_actions(0)->set_succeeded(4); },
       "snapshot: actions[0]: succeeded 4 + failed 0 exceed total 1"},
      {"unknown action state",
       [](v1::RolloutState& p) { p.mutable_actions(0)->set_state(5); },
       "snapshot: actions[0].state: must be 0 (open)"},
      {"pending but started",
       [](v1::RolloutState& p) { p.set_status("pending"); },
       "snapshot: status: is pending but the rollout has started"},
      {"succeeded mid-plan",
       [](v1::RolloutState& p) { p.set_status("succeeded"); },
       "snapshot: current_wave: must be 3 (past the last wave) once the "
       "rollout succeeded (got 0)"},
      {"not started but running",
       [](v1::RolloutState& p) {
         p.set_current_wave(-1);
         p.set_phase("not-started");
       },
       "snapshot: current_wave: is -1 (not started) but the rollout has "
       "started"},
      {"current wave below -1",
       [](v1::RolloutState& p) { p.set_current_wave(-2); },
       "snapshot: current_wave: must be in [-1, 3] (got -2"},
      {"negative bake",
       [](v1::RolloutState& p) {
         p.mutable_waves(0)->mutable_bake()->set_seconds(-60);
       },
       "snapshot: waves[0].bake: must be in [0, 10000 years]"},
      {"nanos out of range",
       [](v1::RolloutState& p) {
         p.mutable_deployed_at()->set_seconds(1);
         p.mutable_deployed_at()->set_nanos(-1);
       },
       "snapshot: deployed_at: nanos must be in [0, 999999999]"},
      {"max_wave_started past the plan",
       [](v1::RolloutState& p) { p.set_max_wave_started(3); },
       "snapshot: max_wave_started: must be in [-1, 3)"},
      {"negative gate count",
       [](v1::RolloutState& p) { p.mutable_gate_state()->set_failed(-1); },
       "snapshot: gate_state.failed: must be in [0, 1073741824]"},
      {"negative event sequence",
       [](v1::RolloutState& p) { p.set_event_sequence(-1); },
       "snapshot: event_sequence: must be in [0, "},
  };
  const std::string before = rollout_->Snapshot();
  for (const BadField& c : cases) {
    EXPECT_THAT(
        RestoreWith(c.mutate),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.error)))
        << c.name;
  }
  // Nothing was touched.
  EXPECT_EQ(rollout_->Snapshot(), before);
}

// Sets the open action that target `t` awaits (target_action, 4 bytes LE).
void SetTargetAction(v1::RolloutState& p, size_t t, uint32_t seq) {
  std::string bytes = p.target_action();
  for (int i = 0; i < 4; ++i) {
    bytes[4 * t + i] = static_cast<char>((seq >> (8 * i)) & 0xff);
  }
  p.set_target_action(bytes);
}

void RefuseAll(const std::vector<BadField>& cases,
               const std::function<absl::Status(
                   const std::function<void(v1::RolloutState&)>&)>& restore) {
  for (const BadField& c : cases) {
    EXPECT_THAT(restore(c.mutate), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr(c.error)))
        << c.name;
  }
}

TEST_F(RestoreTest, DeployRetryStateIsChecked) {
  const std::vector<BadField> cases = {
      // Negative counters.
      {"negative wave_deploy_failed",
       [](v1::RolloutState& p) { p.set_wave_deploy_failed(-1); },
       "snapshot: wave_deploy_failed: must be in [0, 5] (got -1)"},
      {"negative wave_deploy_retryable",
       [](v1::RolloutState& p) { p.set_wave_deploy_retryable(-2); },
       "snapshot: wave_deploy_retryable: must be in [0, 5] (got -2)"},
      {"negative wave_deploy_retries",
       [](v1::RolloutState& p) { p.set_wave_deploy_retries(-1); },
       "snapshot: wave_deploy_retries: must be in [0, 1000000] (got -1)"},
      {"wave_deploy_retries about to overflow",
       [](v1::RolloutState& p) {
         p.set_wave_deploy_retries(std::numeric_limits<int32_t>::max());
         p.set_deploy_retries_total(std::numeric_limits<int32_t>::max());
       },
       "snapshot: wave_deploy_retries: must be in [0, 1000000]"},
      {"negative deploy_retries_total",
       [](v1::RolloutState& p) { p.set_deploy_retries_total(-7); },
       "snapshot: deploy_retries_total: must be in [0, "},
      {"per-target tries beyond deploy_attempts' range",
       [](v1::RolloutState& p) {
         std::string tries = p.target_deploy_attempts();
         tries[2] = static_cast<char>(200);
         p.set_target_deploy_attempts(tries);
       },
       "snapshot: target_deploy_attempts[2]: must be in [0, 100] (got 200)"},
      // Out-of-range timestamps.
      {"deploy_retry_at past 9999",
       [](v1::RolloutState& p) {
         p.mutable_deploy_retry_at()->set_seconds(253402300800);
       },
       "snapshot: deploy_retry_at: must be within 0001-01-01 and 9999-12-31"},
      {"deploy_retry_at with negative nanos",
       [](v1::RolloutState& p) {
         p.mutable_deploy_retry_at()->set_seconds(10);
         p.mutable_deploy_retry_at()->set_nanos(-5);
       },
       "snapshot: deploy_retry_at: nanos must be in [0, 999999999]"},
      // Inconsistent with each other or with the plan.
      {"more failed targets than any wave has",
       [](v1::RolloutState& p) { p.set_wave_deploy_failed(6); },
       "snapshot: wave_deploy_failed: must be in [0, 5] (got 6)"},
      {"failed + retryable beyond the largest wave",
       [](v1::RolloutState& p) {
         p.set_wave_deploy_failed(3);
         p.set_wave_deploy_retryable(3);
       },
       "snapshot: wave_deploy_retryable: wave_deploy_failed 3 + "
       "wave_deploy_retryable 3 exceed the largest wave's 5 targets"},
      {"fewer retries in total than in the wave",
       [](v1::RolloutState& p) {
         p.set_wave_deploy_retries(4);
         p.set_deploy_retries_total(2);
       },
       "snapshot: deploy_retries_total: must be >= wave_deploy_retries 4 "
       "(got 2)"},
      {"per-target tries of another fleet size",
       [](v1::RolloutState& p) { p.set_target_deploy_attempts("\x01\x01"); },
       "snapshot: target_deploy_attempts: must be empty or one byte per "
       "target (9; got 2)"},
  };
  ASSERT_EQ(state_.target_deploy_attempts().size(), 9u);
  const std::string before = rollout_->Snapshot();
  RefuseAll(cases, [this](const auto& f) { return RestoreWith(f); });
  EXPECT_EQ(rollout_->Snapshot(), before);
}

TEST_F(RestoreTest, TargetActionReferencesAreChecked) {
  // The open deploy action of wave 0 and the target it awaits.
  int open = -1;
  for (int i = 0; i < state_.actions_size(); ++i) {
    if (state_.actions(i).state() == 0 &&
        state_.actions(i).targets_size() == 1) {
      open = i;
    }
  }
  ASSERT_GE(open, 0);
  const uint32_t seq = static_cast<uint32_t>(open + 1);
  const uint32_t deploying = state_.actions(open).targets(0);
  const size_t other = deploying == 0 ? 1 : 0;
  const int ledger = state_.actions_size();
  const std::vector<BadField> cases = {
      {"an action past the ledger",
       [other, ledger](v1::RolloutState& p) {
         SetTargetAction(p, other, ledger + 4);
       },
       absl::StrCat("snapshot: target_action[", other, "]: names action ",
                    ledger + 4, ", but the ledger has ", ledger, " actions")},
      {"an open action that does not name the target",
       [other, seq](v1::RolloutState& p) { SetTargetAction(p, other, seq); },
       absl::StrCat("snapshot: target_action[", other, "]: names action ", seq,
                    ", which is open but does not name the target")},
      {"a closed action",
       [open](v1::RolloutState& p) {
         p.mutable_actions(open)->set_state(2);
         p.mutable_actions(open)->set_remaining(0);
       },
       absl::StrCat("snapshot: target_action[", deploying, "]: names action ",
                    seq, ", which is closed")},
  };
  RefuseAll(cases, [this](const auto& f) { return RestoreWith(f); });
}

TEST_F(RestoreTest, WatchStateIsChecked) {
  const std::vector<BadField> cases = {
      // Negative counters.
      {"negative rechecks_passed",
       [](v1::RolloutState& p) { p.mutable_watch()->set_rechecks_passed(-1); },
       "snapshot: watch.rechecks_passed: must be in [0, 1073741824] (got -1)"},
      {"negative background_runs",
       [](v1::RolloutState& p) {
         p.mutable_watch()->set_background_started(true);
         p.mutable_watch()->mutable_background_since()->set_seconds(100);
         p.mutable_watch()->set_background_runs(-3);
       },
       "snapshot: watch.background_runs: must be in [0, "},
      {"negative count in the re-check's gate state",
       [](v1::RolloutState& p) {
         p.mutable_watch()->mutable_recheck_state()->set_failed(-1);
       },
       "snapshot: watch.recheck_state.failed: must be in [0, 1073741824]"},
      {"negative count in the background run's gate state",
       [](v1::RolloutState& p) {
         p.mutable_watch()->mutable_background_state()->set_error(-4);
       },
       "snapshot: watch.background_state.error: must be in [0, 1073741824]"},
      // Out-of-range timestamps.
      {"recheck_at past 9999",
       [](v1::RolloutState& p) {
         p.mutable_watch()->mutable_recheck_at()->set_seconds(253402300800);
       },
       "snapshot: watch.recheck_at: must be within 0001-01-01 and 9999-12-31"},
      {"background_since before year 1",
       [](v1::RolloutState& p) {
         p.mutable_watch()->mutable_background_since()->set_seconds(
             -62135596801);
       },
       "snapshot: watch.background_since: must be within 0001-01-01"},
      {"background_at with nanos out of range",
       [](v1::RolloutState& p) {
         p.mutable_watch()->mutable_background_at()->set_seconds(1);
         p.mutable_watch()->mutable_background_at()->set_nanos(1'000'000'000);
       },
       "snapshot: watch.background_at: nanos must be in [0, 999999999]"},
      {"re-check gate started past 9999",
       [](v1::RolloutState& p) {
         p.mutable_watch()
             ->mutable_recheck_state()
             ->mutable_started_at()
             ->set_seconds(253402300800);
       },
       "snapshot: watch.recheck_state.started_at: must be within"},
      // Inconsistent with each other.
      {"runs counted while the background analysis never started",
       [](v1::RolloutState& p) {
         p.mutable_watch()->set_background_started(false);
         p.mutable_watch()->set_background_runs(2);
       },
       "snapshot: watch.background_runs: must be 0 while the background "
       "analysis has not started (got 2)"},
      {"started without a start time",
       [](v1::RolloutState& p) {
         p.mutable_watch()->set_background_started(true);
         p.mutable_watch()->mutable_background_since()->set_seconds(
             std::numeric_limits<int64_t>::min());
       },
       "snapshot: watch.background_since: must be a finite time once the "
       "background analysis started"},
  };
  ASSERT_TRUE(state_.has_watch());
  const std::string before = rollout_->Snapshot();
  RefuseAll(cases, [this](const auto& f) { return RestoreWith(f); });
  EXPECT_EQ(rollout_->Snapshot(), before);
}

TEST_F(RestoreTest, SnapshotUnderOtherGatesIsRefusedUnlessTheChangeIsIntended) {
  // Issue 17: a replica restored with no gates moved past the wave whose gate
  // should have failed it.
  RolloutOptions no_gates = options_;
  no_gates.gate = nullptr;
  const std::string snapshot = rollout_->Snapshot();
  const RestoreOptions checked;
  EXPECT_THAT(Rollout::Restore(fleet_, no_gates, snapshot, checked),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("snapshot: config: made under another "
                                 "configuration: \"wave 0 (one-box): gate "
                                 "error-rate\" is now \"wave 0 (one-box): "
                                 "gate none\"")));
  // Another rollback policy, or other limits, likewise.
  RolloutOptions other_policy = options_;
  other_policy.rollback_policy = NewPauseAndEscalatePolicy();
  EXPECT_THAT(Rollout::Restore(fleet_, other_policy, snapshot, checked),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"rollback policy: ")));
  RolloutOptions other_deadline = options_;
  other_deadline.progress_deadline = absl::Minutes(3);
  EXPECT_THAT(Rollout::Restore(fleet_, other_deadline, snapshot, checked),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"progress_deadline: 10m\" is now "
                                 "\"progress_deadline: 3m\"")));
  // Declared: restored, and an event records the change.
  sluice::testing::RecordingEventSink sink;
  no_gates.event_sink = &sink;
  RestoreOptions intended;
  intended.accept_config_change = true;
  intended.who = "carol@example.com";
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> r,
      Rollout::Restore(fleet_, no_gates, snapshot, intended));
  ASSERT_EQ(sink.events().size(), 1u);
  const RolloutEvent& e = sink.events()[0];
  EXPECT_EQ(e.kind, EventKind::kOperatorCommand);
  EXPECT_EQ(e.command, "config-change");
  EXPECT_EQ(e.who, "carol@example.com");
  EXPECT_THAT(e.message, HasSubstr("gate none"));
  EXPECT_EQ(r->event_sequence(), rollout_->event_sequence() + 1);
  // Its snapshot records the new configuration: it restores without gates.
  SLUICE_ASSERT_OK(
      Rollout::Restore(fleet_, no_gates, r->Snapshot(), checked).status());
}

TEST_F(RestoreTest, UncheckedRestoreKeepsTheRecordedConfiguration) {
  // A tool that applies a command without the gates (the 3-argument
  // Restore) neither fails nor erases the record: a checked restore without
  // the gates is still refused afterwards.
  RolloutOptions no_gates = options_;
  no_gates.gate = nullptr;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> tool,
      Rollout::Restore(fleet_, no_gates, rollout_->Snapshot()));
  SLUICE_ASSERT_OK(tool->Pause("ops@example.com", kT0 + absl::Minutes(1)));
  const std::string after = tool->Snapshot();
  EXPECT_THAT(Rollout::Restore(fleet_, no_gates, after, RestoreOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("gate error-rate\" is now")));
  SLUICE_ASSERT_OK(
      Rollout::Restore(fleet_, options_, after, RestoreOptions()).status());
}

TEST_F(RestoreTest, AlteredConfigRecordIsRefused) {
  absl::Status s = RestoreWith([](v1::RolloutState& p) {
    p.set_config(0, "wave 0 (one-box): gate none");
  });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("snapshot: config_fingerprint: does not "
                                    "match")));
}

TEST_F(RestoreTest, KeyedIntegrityCheck) {
  RolloutOptions keyed = options_;
  keyed.snapshot_key = "0123456789abcdef0123456789abcdef";
  std::unique_ptr<Rollout> r =
      *Rollout::Create(fleet_, MakePlan({1, 3, 5}), keyed);
  SLUICE_ASSERT_OK(r->Advance(kT0).status());
  const std::string sealed = r->Snapshot();
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> back,
                              Rollout::Restore(fleet_, keyed, sealed));
  EXPECT_EQ(back->Snapshot(), sealed);
  // A state re-encoded with a valid checksum (what a hostile store can do)
  // fails the HMAC.
  v1::RolloutState state = *ParseRolloutState(sealed);
  state.clear_integrity_tag();
  state.set_traffic_rollback_attempts(0);
  state.set_event_sequence(state.event_sequence() + 1);
  EXPECT_THAT(Rollout::Restore(fleet_, keyed, Encode(state)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("snapshot: integrity check failed: no HMAC")));
  // The tag of another key, or altered bytes under the tag.
  RolloutOptions other = keyed;
  other.snapshot_key = "another key";
  EXPECT_THAT(Rollout::Restore(fleet_, other, sealed),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("integrity check failed: HMAC mismatch")));
  // Without a key, the keyed snapshot still restores (checksum only).
  SLUICE_ASSERT_OK(Rollout::Restore(fleet_, options_, sealed).status());
  // A keyed reader refuses an unkeyed snapshot.
  EXPECT_THAT(Rollout::Restore(fleet_, keyed, rollout_->Snapshot()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("integrity check failed: no HMAC")));
}

TEST(RestoreFromSpecTest, ContinuesARolloutMadeFromTheSameSpec) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/regional_waves_gated.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> rollout,
                              Rollout::FromSpec(spec, fleet, RolloutOptions()));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> first, rollout->Advance(kT0));
  const std::string snapshot = rollout->Snapshot();
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> restored,
      Rollout::RestoreFromSpec(spec, fleet, RolloutOptions(), snapshot));
  EXPECT_EQ(restored->Snapshot(), snapshot);
  EXPECT_EQ(restored->PendingActions(), rollout->PendingActions());
  // Restore() with hand-built options that lack the spec's gates is refused.
  EXPECT_THAT(
      Rollout::Restore(fleet, RolloutOptions(), snapshot, RestoreOptions()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("snapshot: config: ")));
  // A spec whose metrics or gates changed under the same gate names is
  // noticed (RolloutOptions::config_id).
  v1::RolloutSpec changed = spec.ToProto();
  ASSERT_GT(changed.metrics_size(), 0);
  changed.mutable_metrics(0)->set_query("another query");
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec edited,
                              RolloutSpec::FromProto(changed));
  EXPECT_THAT(
      Rollout::RestoreFromSpec(edited, fleet, RolloutOptions(), snapshot),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("snapshot: config: made under another "
                         "configuration")));
}

TEST(OptionsFromSpecTest, RestoresWhatFromSpecMadeWithTheConfigChecked) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/regional_waves_gated.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> rollout,
                              Rollout::FromSpec(spec, fleet, RolloutOptions()));
  SLUICE_ASSERT_OK(rollout->Advance(kT0).status());
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> scheduler,
                              NewScheduler(spec));
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan, scheduler->Plan(fleet));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutOptions options,
      Rollout::OptionsFromSpec(spec, plan, RolloutOptions()));
  EXPECT_EQ(options.version, spec.version());
  EXPECT_EQ(options.previous_version, spec.previous_version());
  EXPECT_FALSE(options.config_id.empty());
  EXPECT_FALSE(options.stage_gates.empty());
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> restored,
      Rollout::Restore(fleet, options, rollout->Snapshot(), RestoreOptions()));
  EXPECT_EQ(restored->Snapshot(), rollout->Snapshot());
  // A spec without previous_version, and none in the options: the field.
  v1::RolloutSpec without = spec.ToProto();
  without.clear_previous_version();
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec bare,
                              RolloutSpec::FromProto(without));
  EXPECT_THAT(Rollout::OptionsFromSpec(bare, plan, RolloutOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("previous_version")));
}

}  // namespace
}  // namespace sluice::rollout_test
