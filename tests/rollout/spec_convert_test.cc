// Copyright 2026 The Sluice Authors.
//
// RolloutSpec holds converted values: FromProto() converts each part at its
// component's edge (RollbackConfig, WatchConfig, WavesConfig), ToProto()
// reassembles the message. The round trip gives back the message read.

#include <filesystem>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "lib/core/proto_bytes.h"
#include "lib/rollout/spec_data.h"
#include "lib/rollout/spec_rollback.h"
#include "lib/rollout/spec_watch.h"
#include "sluice/proto_io.h"
#include "sluice/rollout.h"
#include "sluice/spec.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::string Bytes(const google::protobuf::Message& message) {
  return internal::DeterministicBytes(message);
}

v1::RolloutSpec ParseText(const std::string& text) {
  v1::RolloutSpec proto;
  EXPECT_THAT(ParseProto(text, ConfigFormat::kTextProto, &proto), IsOk());
  return proto;
}

// Every part set, presence-only fields included.
constexpr char kFullSpec[] = R"pb(
  name: "checkout"
  service: "checkout-api"
  version: "2.4.1"
  previous_version: "2.4.0"
  description: "every part"
  labels { key: "team" value: "payments" }
  labels { key: "tier" value: "1" }
  waves { staged { max_regions_per_wave: 2 } }
  metrics { name: "errors" unit: "ratio" }
  gates {
    default {
      threshold {
        metric: "errors"
        aggregate: "mean"
        max: 0.01
        window { seconds: 300 }
      }
    }
  }
  rollback {
    on_fail {
      action: ROLL_BACK_ALL_REVERSE_WAVES
      retry {
        retries: 2
        backoff { seconds: 60 }
        multiplier: 3
      }
    }
    on_inconclusive { action: PAUSE_AND_ESCALATE }
    on_error {}
    rollback_attempts: 4
    rollback_retry_backoff { seconds: 30 }
    progress_deadline { seconds: 7200 }
    deploy_attempts: 2
    deploy_retry_backoff { nanos: 500000000 }
  }
  watch {
    bake_recheck_interval { seconds: 120 }
    background {
      gates {
        threshold {
          metric: "errors"
          aggregate: "mean"
          max: 0.05
          window { seconds: 300 }
        }
      }
      interval { seconds: 600 }
      starting_wave: 1
    }
    baseline: BASELINE_ALL_REMAINING
  }
)pb";

TEST(SpecConvertTest, EveryExampleSpecRoundTrips) {
  int checked = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator("examples/specs")) {
    const std::string path = entry.path().string();
    v1::RolloutSpec read;
    ASSERT_THAT(ParseProtoFile(path, &read), IsOk()) << path;
    SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec, RolloutSpec::FromProto(read));
    const v1::RolloutSpec back = spec.ToProto();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(read, back))
        << path << "\nread:\n"
        << ToTextProto(read) << "\nback:\n"
        << ToTextProto(back);
    EXPECT_EQ(Bytes(read), Bytes(back)) << path;
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

TEST(SpecConvertTest, EveryPartRoundTripsWithItsPresence) {
  const v1::RolloutSpec read = ParseText(kFullSpec);
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec, RolloutSpec::FromProto(read));
  const v1::RolloutSpec back = spec.ToProto();
  EXPECT_EQ(Bytes(read), Bytes(back)) << ToTextProto(back);
  EXPECT_TRUE(back.rollback().has_on_error());
  EXPECT_FALSE(back.rollback().has_on_deadline());
  // And again: what ToProto() gives is a valid spec with the same summary.
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec again, RolloutSpec::FromProto(back));
  EXPECT_EQ(again.Summary(), spec.Summary());
  EXPECT_EQ(Bytes(again.ToProto()), Bytes(read));
}

TEST(SpecConvertTest, AbsentPartsStayAbsent) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::FromProto(ParseText(R"pb(name: "n" version: "1")pb")));
  const v1::RolloutSpec back = spec.ToProto();
  EXPECT_FALSE(back.has_waves());
  EXPECT_FALSE(back.has_gates());
  EXPECT_FALSE(back.has_rollback());
  EXPECT_FALSE(back.has_watch());
  EXPECT_TRUE(spec.metric_names().empty());
  EXPECT_THAT(NewScheduler(spec), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("waves: is required")));
}

TEST(SpecConvertTest, AccessorsReadConvertedValues) {
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec,
                              RolloutSpec::FromProto(ParseText(kFullSpec)));
  EXPECT_EQ(spec.name(), "checkout");
  EXPECT_EQ(spec.service(), "checkout-api");
  EXPECT_EQ(spec.description(), "every part");
  EXPECT_THAT(spec.labels(),
              ElementsAre(Pair("team", "payments"), Pair("tier", "1")));
  EXPECT_THAT(spec.metric_names(), ElementsAre("errors"));
}

TEST(SpecConvertTest, RollbackPartIsConvertedToValues) {
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec,
                              RolloutSpec::FromProto(ParseText(kFullSpec)));
  const internal::SpecData& data = internal::DataOf(spec);
  ASSERT_TRUE(data.rollback.has_value());
  const internal::RollbackConfig& r = *data.rollback;
  using Action = internal::FailureResponseConfig::Action;
  ASSERT_TRUE(r.on_fail.has_value());
  EXPECT_EQ(r.on_fail->action, Action::kRollBackAllReverseWaves);
  ASSERT_TRUE(r.on_fail->retry.has_value());
  EXPECT_EQ(r.on_fail->retry->retries, 2);
  EXPECT_EQ(r.on_fail->retry->backoff, absl::Minutes(1));
  EXPECT_EQ(r.on_fail->retry->multiplier, 3);
  ASSERT_TRUE(r.on_inconclusive.has_value());
  EXPECT_EQ(r.on_inconclusive->action, Action::kPauseAndEscalate);
  ASSERT_TRUE(r.on_error.has_value());
  EXPECT_EQ(r.on_error->action, Action::kUnspecified);
  EXPECT_FALSE(r.on_deadline.has_value());
  EXPECT_EQ(r.rollback_attempts, 4);
  EXPECT_EQ(r.rollback_retry_backoff, absl::Seconds(30));
  EXPECT_EQ(r.progress_deadline, absl::Hours(2));
  EXPECT_EQ(r.deploy_attempts, 2);
  EXPECT_EQ(r.deploy_retry_backoff, absl::Milliseconds(500));

  // What the rollout reads: the engine limits set in the options.
  RolloutOptions options;
  ASSERT_THAT(r.Apply(options, "rollback"), IsOk());
  EXPECT_EQ(options.rollback_attempts, 4);
  EXPECT_EQ(options.rollback_retry_backoff, absl::Seconds(30));
  EXPECT_EQ(options.progress_deadline, absl::Hours(2));
  EXPECT_EQ(options.deploy_attempts, 2);
  EXPECT_EQ(options.deploy_retry_backoff, absl::Milliseconds(500));
  ASSERT_NE(options.rollback_policy, nullptr);
}

TEST(SpecConvertTest, WatchPartIsConvertedToValues) {
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec,
                              RolloutSpec::FromProto(ParseText(kFullSpec)));
  const internal::SpecData& data = internal::DataOf(spec);
  ASSERT_TRUE(data.watch.has_value());
  EXPECT_EQ(data.watch->bake_recheck_interval, absl::Minutes(2));
  ASSERT_TRUE(data.watch->background.has_value());
  EXPECT_EQ(data.watch->background->interval, absl::Minutes(10));
  EXPECT_EQ(data.watch->background->starting_wave, 1);
  EXPECT_EQ(data.watch->background->gates.size(), 1u);
  EXPECT_EQ(data.watch->baseline, BaselineCohort::kAllRemaining);

  RolloutOptions options;
  ASSERT_THAT(data.watch->Apply(data.metrics, options), IsOk());
  EXPECT_EQ(options.bake_recheck_interval, absl::Minutes(2));
  EXPECT_EQ(options.background_interval, absl::Minutes(10));
  EXPECT_EQ(options.background_start_wave, 1);
  EXPECT_NE(options.background_gate, nullptr);
  EXPECT_EQ(options.baseline, BaselineCohort::kAllRemaining);
}

TEST(SpecConvertTest, RollbackConfigRejectsWhatTheSpecRejects) {
  v1::RollbackPolicySpec proto;
  proto.mutable_on_fail()->mutable_retry()->set_retries(2);
  EXPECT_THAT(internal::RollbackConfig::FromProto(proto, "rollback"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rollback.on_fail.action: must be set")));
  proto.mutable_on_fail()->set_action(
      v1::FailureResponseSpec::ROLL_BACK_ALL_AT_ONCE);
  proto.mutable_on_fail()->mutable_retry()->set_retries(0);
  EXPECT_THAT(internal::RollbackConfig::FromProto(proto, "rollback"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rollback.on_fail.retry.retries")));
  v1::RollbackPolicySpec attempts;
  attempts.set_deploy_attempts(101);
  EXPECT_THAT(internal::RollbackConfig::FromProto(attempts, "rollback"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rollback.deploy_attempts: must be in")));
}

TEST(SpecConvertTest, DurationsAreCheckedByTheOneConversion) {
  const struct {
    const char* part;
    const char* message;
  } kCases[] = {
      {"rollback { progress_deadline {} }",
       "rollback.progress_deadline: must be > 0 (got 0)"},
      {"rollback { deploy_retry_backoff { seconds: -3 } }",
       "rollback.deploy_retry_backoff: must be >= 0 (got -3s)"},
      {"watch { bake_recheck_interval { seconds: -60 } }",
       "watch.bake_recheck_interval: must be >= 0 (got -1m)"},
      {"watch { background { gates { bake { duration { seconds: 60 } } } "
       "interval {} } }",
       "watch.background.interval: must be > 0 (got 0)"},
  };
  for (const auto& c : kCases) {
    const v1::RolloutSpec proto =
        ParseText(std::string("name: \"n\" version: \"1\" ") + c.part);
    EXPECT_THAT(
        RolloutSpec::FromProto(proto),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.part;
  }
}

// Messages built in code can hold what the text parser refuses (nanos of
// the other sign than seconds); the conversion refuses it too.
TEST(SpecConvertTest, InvalidDurationsBuiltInCodeAreRejected) {
  v1::RolloutSpec base;
  base.set_name("n");
  base.set_version("1");

  v1::RolloutSpec deadline = base;
  deadline.mutable_rollback()->mutable_progress_deadline()->set_seconds(1);
  deadline.mutable_rollback()->mutable_progress_deadline()->set_nanos(-5);
  EXPECT_THAT(RolloutSpec::FromProto(deadline),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rollback.progress_deadline: not a valid "
                                 "duration (seconds 1, nanos -5)")));

  v1::RolloutSpec backoff = base;
  v1::FailureResponseSpec* on_fail =
      backoff.mutable_rollback()->mutable_on_fail();
  on_fail->set_action(v1::FailureResponseSpec::ROLL_BACK_ALL_AT_ONCE);
  on_fail->mutable_retry()->set_retries(1);
  on_fail->mutable_retry()->mutable_backoff()->set_seconds(-1);
  on_fail->mutable_retry()->mutable_backoff()->set_nanos(5);
  EXPECT_THAT(RolloutSpec::FromProto(backoff),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rollback.on_fail.retry.backoff: not a valid "
                                 "duration")));

  v1::RolloutSpec recheck = base;
  recheck.mutable_watch()->mutable_bake_recheck_interval()->set_seconds(2);
  recheck.mutable_watch()->mutable_bake_recheck_interval()->set_nanos(-1);
  EXPECT_THAT(RolloutSpec::FromProto(recheck),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("watch.bake_recheck_interval: not a valid "
                                 "duration")));
}

}  // namespace
}  // namespace sluice
