// Copyright 2026 The Sluice Authors.
//
// Rollback policies: the built-ins as a decision table, the combinators,
// validation, the spec form; and events through proto and JSON.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/spec.h"
#include "sluice/testing/rollout_testing.h"
#include "sluice/testing/status_matchers.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

FailureContext Context(FailureTrigger trigger, int attempt = 1) {
  FailureContext c;
  c.trigger = trigger;
  c.wave_index = 2;
  c.wave_count = 5;
  c.attempt = attempt;
  c.reason = "p99 412ms > 300ms";
  c.anything_deployed = true;
  return c;
}

struct Row {
  FailureTrigger trigger;
  Decision::Kind kind;
};

TEST(DefaultRollbackPolicyTest, RollsBackQuicklyAndEscalatesEarly) {
  std::unique_ptr<RollbackPolicy> policy = NewDefaultRollbackPolicy();
  EXPECT_EQ(policy->name(), "default");
  const std::vector<Row> table = {
      {FailureTrigger::kGateFail, Decision::Kind::kRollBackAll},
      {FailureTrigger::kGateError, Decision::Kind::kRollBackAll},
      {FailureTrigger::kDeployFailures, Decision::Kind::kRollBackAll},
      {FailureTrigger::kProgressDeadline, Decision::Kind::kRollBackAll},
      {FailureTrigger::kRejected, Decision::Kind::kRollBackAll},
      {FailureTrigger::kGateInconclusive, Decision::Kind::kPauseAndEscalate},
  };
  for (const Row& row : table) {
    SCOPED_TRACE(FailureTriggerName(row.trigger));
    // attempt 2: an inconclusive wave's bake was already extended once.
    const Decision d = policy->Decide(Context(row.trigger, 2));
    EXPECT_EQ(d.kind, row.kind);
    EXPECT_TRUE(d.escalate);
    if (d.kind == Decision::Kind::kRollBackAll) {
      EXPECT_EQ(d.order, RollbackOrder::kAllAtOnce);
    }
    EXPECT_THAT(d.reason, HasSubstr("wave 2"));
  }
}

TEST(DefaultRollbackPolicyTest, InconclusiveExtendsTheBakeOnceThenEscalates) {
  std::unique_ptr<RollbackPolicy> policy = NewDefaultRollbackPolicy();
  const Decision first =
      policy->Decide(Context(FailureTrigger::kGateInconclusive, 1));
  EXPECT_EQ(first.kind, Decision::Kind::kRetryWave);
  EXPECT_EQ(first.retry_after, absl::ZeroDuration());
  EXPECT_THAT(first.reason, HasSubstr("extending the bake"));
  const Decision second =
      policy->Decide(Context(FailureTrigger::kGateInconclusive, 2));
  EXPECT_EQ(second.kind, Decision::Kind::kPauseAndEscalate);
  EXPECT_TRUE(second.escalate);
  EXPECT_THAT(second.reason,
              HasSubstr("still inconclusive after an extended bake"));
}

TEST(RollbackPolicyTest, BuiltInsDecideTheSameWhateverTheTrigger) {
  EXPECT_EQ(NewRollBackAllPolicy(RollbackOrder::kReverseWaves)
                ->Decide(Context(FailureTrigger::kGateInconclusive))
                .kind,
            Decision::Kind::kRollBackAll);
  EXPECT_EQ(NewRollBackCurrentWavePolicy()
                ->Decide(Context(FailureTrigger::kGateFail))
                .kind,
            Decision::Kind::kRollBackCurrentWaveAndPause);
  EXPECT_EQ(NewPauseAndEscalatePolicy()
                ->Decide(Context(FailureTrigger::kGateFail))
                .kind,
            Decision::Kind::kPauseAndEscalate);
  EXPECT_EQ(NewRollBackAllPolicy()->name(), "roll-back-all(reverse-waves)");
}

TEST(RetryThenPolicyTest, BacksOffThenFallsBack) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<RollbackPolicy> policy,
      NewRetryThenPolicy(3, absl::Minutes(1),
                         NewRollBackAllPolicy(RollbackOrder::kAllAtOnce)));
  EXPECT_EQ(policy->name(), "retry-then(3, 1m, roll-back-all(all-at-once))");
  const std::vector<absl::Duration> waits = {absl::Minutes(1), absl::Minutes(2),
                                             absl::Minutes(4)};
  for (int attempt = 1; attempt <= 3; ++attempt) {
    const Decision d =
        policy->Decide(Context(FailureTrigger::kGateFail, attempt));
    EXPECT_EQ(d.kind, Decision::Kind::kRetryWave);
    EXPECT_EQ(d.retry_after, waits[attempt - 1]);
    EXPECT_FALSE(d.escalate);
    EXPECT_THAT(d.reason,
                HasSubstr("retry " + std::to_string(attempt) + " of 3"));
  }
  const Decision last = policy->Decide(Context(FailureTrigger::kGateFail, 4));
  EXPECT_EQ(last.kind, Decision::Kind::kRollBackAll);
  EXPECT_THAT(last.reason, HasSubstr("3 retries used up"));
}

TEST(RetryThenPolicyTest, BackoffIsCappedAtADay) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<RollbackPolicy> policy,
      NewRetryThenPolicy(100, absl::Hours(1), NewRollBackAllPolicy(), 10.0));
  EXPECT_EQ(policy->Decide(Context(FailureTrigger::kGateFail, 50)).retry_after,
            absl::Hours(24));
}

TEST(RetryThenPolicyTest, Validates) {
  EXPECT_THAT(NewRetryThenPolicy(0, absl::Minutes(1), NewRollBackAllPolicy()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("retries: must be in [1, 100] (got 0)")));
  EXPECT_THAT(NewRetryThenPolicy(1, absl::Minutes(-1), NewRollBackAllPolicy()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "backoff: must be finite and >= 0 (got -1m)"));
  EXPECT_THAT(
      NewRetryThenPolicy(1, absl::Minutes(1), NewRollBackAllPolicy(), 0.5),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("multiplier:")));
  EXPECT_THAT(NewRetryThenPolicy(1, absl::Minutes(1), nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("then: must not be null")));
}

TEST(PerTriggerPolicyTest, DispatchesOnTheTrigger) {
  PerTriggerPolicies p;
  p.on_fail = NewRollBackAllPolicy(RollbackOrder::kReverseWaves);
  p.on_inconclusive = NewRollBackCurrentWavePolicy();
  p.on_error = NewPauseAndEscalatePolicy();
  p.on_deadline =
      *NewRetryThenPolicy(1, absl::Seconds(30), NewPauseAndEscalatePolicy());
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<RollbackPolicy> policy,
                              NewPerTriggerPolicy(std::move(p)));
  const std::vector<Row> table = {
      {FailureTrigger::kGateFail, Decision::Kind::kRollBackAll},
      {FailureTrigger::kDeployFailures, Decision::Kind::kRollBackAll},
      {FailureTrigger::kRejected, Decision::Kind::kRollBackAll},
      {FailureTrigger::kGateInconclusive,
       Decision::Kind::kRollBackCurrentWaveAndPause},
      {FailureTrigger::kGateError, Decision::Kind::kPauseAndEscalate},
      {FailureTrigger::kProgressDeadline, Decision::Kind::kRetryWave},
  };
  for (const Row& row : table) {
    SCOPED_TRACE(FailureTriggerName(row.trigger));
    EXPECT_EQ(policy->Decide(Context(row.trigger)).kind, row.kind);
  }
}

TEST(PerTriggerPolicyTest, UnsetEntriesKeepTheDefault) {
  PerTriggerPolicies p;
  p.on_error = NewPauseAndEscalatePolicy();
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<RollbackPolicy> policy,
                              NewPerTriggerPolicy(std::move(p)));
  EXPECT_EQ(policy->Decide(Context(FailureTrigger::kGateFail)).kind,
            Decision::Kind::kRollBackAll);
  EXPECT_EQ(policy->Decide(Context(FailureTrigger::kGateInconclusive)).kind,
            Decision::Kind::kPauseAndEscalate);
  EXPECT_EQ(policy->Decide(Context(FailureTrigger::kGateError)).kind,
            Decision::Kind::kPauseAndEscalate);
}

TEST(DecisionTest, Prints) {
  std::ostringstream os;
  os << Decision::RetryWave(absl::Minutes(1), "retry 1 of 2");
  EXPECT_EQ(os.str(), "RetryWave(after 1m): retry 1 of 2");
}

v1::RollbackPolicySpec ParseSpec(const std::string& text) {
  v1::RollbackPolicySpec spec;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &spec));
  return spec;
}

TEST(RollbackPolicySpecTest, BuildsPerTriggerPolicies) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<RollbackPolicy> policy,
      RollbackPolicyFromProto(ParseSpec(R"pb(
        on_fail {
          action: ROLL_BACK_ALL_REVERSE_WAVES
          retry {
            retries: 2
            backoff { seconds: 60 }
          }
        }
        on_inconclusive { action: ROLL_BACK_CURRENT_WAVE_AND_PAUSE }
      )pb")));
  EXPECT_EQ(policy->Decide(Context(FailureTrigger::kGateFail, 1)).kind,
            Decision::Kind::kRetryWave);
  const Decision after = policy->Decide(Context(FailureTrigger::kGateFail, 3));
  EXPECT_EQ(after.kind, Decision::Kind::kRollBackAll);
  EXPECT_EQ(after.order, RollbackOrder::kReverseWaves);
  EXPECT_EQ(policy->Decide(Context(FailureTrigger::kGateInconclusive)).kind,
            Decision::Kind::kRollBackCurrentWaveAndPause);
  // Unset triggers keep the default.
  EXPECT_EQ(policy->Decide(Context(FailureTrigger::kGateError)).kind,
            Decision::Kind::kRollBackAll);
}

TEST(RollbackPolicySpecTest, ErrorsNameTheField) {
  EXPECT_THAT(RollbackPolicyFromProto(ParseSpec(R"pb(
                on_fail {
                  action: ROLL_BACK_ALL_AT_ONCE
                  retry { retries: 0 }
                }
              )pb")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rollback.on_fail.retry.retries: must be in "
                                 "[1, 100] (got 0)")));
  EXPECT_THAT(RollbackPolicyFromProto(ParseSpec(R"pb(
                on_error { retry { retries: 1 } }
              )pb")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rollback.on_error.action: must be set when "
                                 "retry is set")));
  RolloutOptions options;
  EXPECT_THAT(
      ApplyRollbackPolicySpec(ParseSpec("rollback_attempts: 500"), options),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("rollback.rollback_attempts: must be in "
                         "[1, 100]")));
}

TEST(RollbackPolicySpecTest, AppliesEngineLimits) {
  RolloutOptions options;
  SLUICE_ASSERT_OK(
      ApplyRollbackPolicySpec(ParseSpec(R"pb(
                                rollback_attempts: 5
                                rollback_retry_backoff { seconds: 10 }
                                progress_deadline { seconds: 1200 }
                              )pb"),
                              options));
  EXPECT_EQ(options.rollback_attempts, 5);
  EXPECT_EQ(options.rollback_retry_backoff, absl::Seconds(10));
  EXPECT_EQ(options.progress_deadline, absl::Minutes(20));
  ASSERT_NE(options.rollback_policy, nullptr);
  EXPECT_EQ(options.rollback_policy->name(), "default");
}

constexpr char kSpec[] = R"pb(
  name: "checkout-api 2026-11-28"
  service: "checkout-api"
  version: "2.4.1"
  previous_version: "2.4.0"
  rollback {
    on_fail { action: ROLL_BACK_ALL_REVERSE_WAVES }
    rollback_attempts: 4
  }
)pb";

TEST(RollbackPolicySpecTest, SpecValidatesAndSummarizesTheRollbackField) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec, RolloutSpec::Parse(kSpec, SpecFormat::kTextProto));
  EXPECT_THAT(spec.Summary(),
              HasSubstr("rollback: fail roll back all (reverse waves)"));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<RollbackPolicy> policy,
                              RollbackPolicyFromSpec(spec));
  EXPECT_EQ(policy->Decide(Context(FailureTrigger::kGateFail)).order,
            RollbackOrder::kReverseWaves);
  EXPECT_THAT(
      RolloutSpec::Parse(
          "name: \"x\" version: \"2\" rollback { on_fail { action: "
          "PAUSE_AND_ESCALATE retry { retries: 101 } } }",
          SpecFormat::kTextProto),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("rollback.on_fail.retry.retries: must be in [1, 100] "
                         "(got 101)")));
}

TEST(RollbackPolicySpecTest, DeployAttemptsComeFromTheSpec) {
  EXPECT_THAT(
      RolloutSpec::Parse("name: \"x\" version: \"2\" rollback { "
                         "deploy_attempts: 101 }",
                         SpecFormat::kTextProto),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("rollback.deploy_attempts: must be in [1, 100]")));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::Parse("name: \"x\" version: \"2\" previous_version: "
                         "\"1\" rollback { deploy_attempts: 1 }",
                         SpecFormat::kTextProto));
  const Fleet fleet = rollout_test::MakeFleet(3);
  ::sluice::testing::RecordingEventSink sink;
  RolloutOptions options;
  options.event_sink = &sink;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> rollout,
      Rollout::FromSpec(spec, fleet, rollout_test::MakePlan({3}), options));
  const absl::Time t0 = rollout_test::kT0;
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> a, rollout->Advance(t0));
  SLUICE_ASSERT_OK(
      rollout->ReportOutcome(a[0].id, {TargetResult::Failed(0, "boom")}, t0));
  SLUICE_ASSERT_OK(rollout->Advance(t0).status());
  EXPECT_EQ(sink.OfKind(EventKind::kWaveFailed).size(), 1u);
}

TEST(RollbackPolicySpecTest, RolloutFromSpec) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec, RolloutSpec::Parse(kSpec, SpecFormat::kTextProto));
  const Fleet fleet = rollout_test::MakeFleet(6);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> rollout,
      Rollout::FromSpec(spec, fleet, rollout_test::MakePlan({1, 2, 3}),
                        RolloutOptions()));
  EXPECT_EQ(rollout->version(), "2.4.1");
  EXPECT_EQ(rollout->previous_version(), "2.4.0");
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec no_previous,
      RolloutSpec::Parse("name: \"x\" version: \"2\"", SpecFormat::kTextProto));
  EXPECT_THAT(
      Rollout::FromSpec(no_previous, fleet, rollout_test::MakePlan({1, 2, 3}),
                        RolloutOptions()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("previous_version: must be set")));
}

TEST(RollbackPolicySpecTest, RolloutEntirelyFromASpecFile) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/regional_waves.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> rollout,
                              Rollout::FromSpec(spec, fleet, RolloutOptions()));
  EXPECT_GT(rollout->plan().waves.size(), 3u);
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> actions,
                              rollout->Advance(rollout_test::kT0));
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(actions[0].kind, ActionKind::kDeploy);
  EXPECT_EQ(actions[0].version, "2.4.1");
  EXPECT_EQ(actions[0].targets.size(), 1u);  // the one-box
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec no_waves,
      RolloutSpec::Parse("name: \"x\" version: \"2\" previous_version: \"1\"",
                         SpecFormat::kTextProto));
  EXPECT_THAT(Rollout::FromSpec(no_waves, fleet, RolloutOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves: is required")));
}

TEST(EventProtoTest, RoundTripsThroughJsonLines) {
  rollout_test::RunResult r = rollout_test::RunScenario(
      rollout_test::ScriptedScenarios()[1], /*crash_every_step=*/false);
  SLUICE_ASSERT_OK(r.status);
  ASSERT_FALSE(r.events.empty());
  for (const RolloutEvent& e : r.events) {
    const std::string line = EventToJsonLine(e);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    SLUICE_ASSERT_OK_AND_ASSIGN(RolloutEvent back, EventFromJsonLine(line));
    EXPECT_EQ(back, e) << line;
  }
}

TEST(EventProtoTest, RejectsUnknownNames) {
  v1::Event p;
  p.set_kind("wave-begun");
  EXPECT_THAT(EventFromProto(p),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("kind: unknown event kind \"wave-begun\"")));
  EXPECT_THAT(EventFromJsonLine("{"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace sluice
