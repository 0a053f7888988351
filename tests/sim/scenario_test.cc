// Copyright 2026 The Sluice Authors.

#include "sluice/sim/scenario.h"

#include <sstream>
#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/proto_io.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/scenario.pb.h"
#include "tests/sim/sim_test_util.h"

namespace sluice::sim {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

absl::StatusOr<Scenario> FromText(const std::string& text,
                                  absl::string_view base_dir = "") {
  v1::Scenario proto;
  absl::Status status = ParseTextProto(text, &proto);
  if (!status.ok()) return status;
  return ScenarioFromProto(proto, base_dir);
}

TEST(ScenarioTest, DefaultsMatchTheDocumentation) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Scenario s, FromText(""));
  EXPECT_EQ(s, Scenario());
  EXPECT_EQ(s.duration, absl::Hours(24));
  EXPECT_EQ(
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", s.start, absl::UTCTimeZone()),
      "2026-01-05T08:00:00Z");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_FALSE(s.fault.bad);
  EXPECT_THAT(ValidateScenario(s), IsOk());
}

TEST(ScenarioTest, ConvertsEveryField) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Scenario s, FromText(R"pb(
        name: "bad-zone"
        hours: 6
        start_time: "2026-11-30T08:00:00Z"
        seed: 9
        deploy {
          median_duration { seconds: 90 }
          duration_spread: 0.5
          failure_probability: 0.01
        }
        traffic {
          requests_per_second: 50
          diurnal_amplitude: 0.4
          peak_hour_utc: 18
          minute_noise: 0.2
          target_spread: 0
        }
        errors { error_rate: 0.002 }
        latency {
          median_ms: 30
          sigma: 0.5
          tail_probability: 0.05
          tail_scale_ms: 100
          tail_shape: 2
          minute_noise: 0
        }
        fault {
          bad: true
          error_multiplier: 20
          latency_shift_ms: 15
          onset_delay { seconds: 300 }
          scope { zone: "us-east-1/us-east-1-a" }
        }
        delivery {
          lag { seconds: 120 }
          drop_probability: 0.1
          error_probability: 0.05
        }
        metrics { metric: "errs" signal: SIM_SIGNAL_ERROR_RATE }
        metrics { metric: "p95" signal: SIM_SIGNAL_LATENCY_MS quantile: 0.95 }
        alarms {
          name: "5xx"
          signal: SIM_SIGNAL_ERROR_RATE
          threshold: 0.01
          evaluation_periods: 5
          datapoints_to_alarm: 3
          scope: SCOPE_WAVE
        }
      )pb"));
  EXPECT_EQ(s.name, "bad-zone");
  EXPECT_EQ(s.duration, absl::Hours(6));
  EXPECT_EQ(s.seed, 9u);
  EXPECT_EQ(s.deploy.median_duration, absl::Seconds(90));
  EXPECT_EQ(s.deploy.failure_probability, 0.01);
  EXPECT_EQ(s.traffic.requests_per_second, 50);
  EXPECT_EQ(s.traffic.target_spread, 0);
  EXPECT_EQ(s.error_rate, 0.002);
  EXPECT_EQ(s.latency.tail_shape, 2);
  EXPECT_TRUE(s.fault.bad);
  EXPECT_EQ(s.fault.scope.kind, FaultScope::Kind::kZone);
  EXPECT_EQ(s.fault.scope.region, "us-east-1");
  EXPECT_EQ(s.fault.scope.zone, "us-east-1-a");
  EXPECT_EQ(s.fault.onset_delay, absl::Minutes(5));
  EXPECT_EQ(s.delivery.lag, absl::Minutes(2));
  ASSERT_EQ(s.metrics.size(), 2u);
  EXPECT_EQ(s.metrics[1].quantile, 0.95);
  ASSERT_EQ(s.alarms.size(), 1u);
  EXPECT_EQ(s.alarms[0].scope, AlarmRule::Scope::kWave);
  EXPECT_EQ(s.alarms[0].datapoints_to_alarm, 3);
  std::ostringstream os;
  os << s;
  EXPECT_EQ(os.str(),
            "Scenario(bad-zone: 6h, bad release (errors x20, +15ms, onset 5m, "
            "zone us-east-1/us-east-1-a), 1 alarm)");
}

TEST(ScenarioTest, ConvertsTheProductionNoiseAndFaultFields) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Scenario s, FromText(R"pb(
                             traffic {
                               peak_hour_local: 14
                               low_traffic {
                                 start_hour: 2
                                 duration { seconds: 10800 }
                                 factor: 0.05
                               }
                               overdispersion: 0.01
                             }
                             errors { target_spread: 0.4 overdispersion: 0.2 }
                             latency { target_spread: 0.1 }
                             regions { name: "us-east-1" utc_offset_hours: -5 }
                             incidents {
                               zone_rate_per_day: 0.5
                               region_rate_per_day: 0.1
                               median_duration { seconds: 900 }
                               duration_spread: 0.7
                               error_multiplier: 4
                               latency_multiplier: 2
                             }
                             fault {
                               bad: true
                               error_rate_added: 0.003
                               latency_multiplier: 1.1
                               tail_multiplier: 1.5
                               ramp { seconds: 3600 }
                               intermittent {
                                 period { seconds: 3600 }
                                 on { seconds: 600 }
                               }
                               min_load_rps: 12
                               needs_whole_region: true
                               crash {
                                 deploy_failure_probability: 0.2
                                 die_probability: 0.1
                                 after { seconds: 300 }
                               }
                             }
                             metrics {
                               metric: "lat"
                               signal: SIM_SIGNAL_LATENCY_MS
                               distribution: DISTRIBUTION_OBSERVATIONS
                               buckets_ms: [ 10, 100 ]
                               max_observations_per_minute: 50
                             }
                             metrics {
                               metric: "slow"
                               signal: SIM_SIGNAL_SLOW_COUNT
                               slower_than_ms: 300
                             }
                             backgrounds {
                               path: "data/elb_request_count_8c0756.csv"
                               signal: SIM_SIGNAL_ERROR_RATE
                               zone: "us-east-1/us-east-1-a"
                               zone_replay: ZONE_REPLAY_SAME
                             }
                           )pb",
                           "examples"));
  EXPECT_EQ(s.traffic.peak_hour_local, 14);
  ASSERT_EQ(s.traffic.low_traffic.size(), 1u);
  EXPECT_EQ(s.traffic.low_traffic[0],
            (LowTrafficPeriod{2, absl::Hours(3), 0.05}));
  EXPECT_EQ(s.traffic.overdispersion, 0.01);
  EXPECT_EQ(s.errors, (ErrorNoise{0.4, 0.2}));
  EXPECT_EQ(s.latency.target_spread, 0.1);
  ASSERT_EQ(s.regions.size(), 1u);
  EXPECT_EQ(s.regions[0], (RegionTimeZone{"us-east-1", -5}));
  EXPECT_EQ(s.incidents.median_duration, absl::Minutes(15));
  EXPECT_EQ(s.incidents.error_multiplier, 4);
  EXPECT_EQ(s.incidents.latency_multiplier, 2);
  EXPECT_EQ(s.fault.error_rate_added, 0.003);
  EXPECT_EQ(s.fault.tail_multiplier, 1.5);
  EXPECT_EQ(s.fault.ramp, absl::Hours(1));
  EXPECT_EQ(s.fault.intermittent,
            (Intermittence{absl::Hours(1), absl::Minutes(10)}));
  EXPECT_EQ(s.fault.min_load_rps, 12);
  EXPECT_TRUE(s.fault.needs_whole_region);
  EXPECT_EQ(s.fault.crash, (CrashModel{0.2, 0.1, absl::Minutes(5)}));
  ASSERT_EQ(s.metrics.size(), 2u);
  EXPECT_EQ(s.metrics[1].signal, Signal::kSlowCount);
  EXPECT_EQ(s.metrics[1].slower_than_ms, 300);
  EXPECT_EQ(s.metrics[0].slower_than_ms, kDefaultSlowerThanMs);
  EXPECT_EQ(s.metrics[0].distribution,
            MetricBinding::Distribution::kObservations);
  EXPECT_EQ(s.metrics[0].buckets_ms, (std::vector<double>{10, 100}));
  EXPECT_EQ(s.metrics[0].max_observations_per_minute, 50);
  ASSERT_EQ(s.backgrounds.size(), 1u);
  EXPECT_EQ(s.backgrounds[0].zone, "us-east-1-a");
  EXPECT_EQ(s.backgrounds[0].region, "us-east-1");
  EXPECT_FALSE(s.backgrounds[0].offset.has_value());
  EXPECT_EQ(s.backgrounds[0].EffectiveZoneReplay(),
            RecordedBackground::ZoneReplay::kSame);
  EXPECT_EQ(s.AllBackgrounds().size(), 1u);
  std::ostringstream os;
  os << s;
  EXPECT_THAT(os.str(), HasSubstr("ramp 1h"));
  EXPECT_THAT(os.str(), HasSubstr("10m of every 1h"));
  EXPECT_THAT(os.str(), HasSubstr("crashes"));
  EXPECT_THAT(os.str(), HasSubstr("in us-east-1-a"));
  EXPECT_THAT(os.str(), HasSubstr("incidents"));
  const Fleet fleet = testing::MakeFleet(2);
  EXPECT_THAT(ValidateScenarioAgainst(s, fleet), IsOk());
}

TEST(ScenarioTest, BackgroundReplayDefaultsFollowTheSignal) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RecordedSeries series,
      RecordedSeries::FromPoints(
          {{absl::UnixEpoch(), 1}, {absl::UnixEpoch() + absl::Hours(1), 2}}));
  RecordedBackground b{"x.csv", series, Signal::kRequestRate};
  EXPECT_EQ(b.EffectiveZoneReplay(), RecordedBackground::ZoneReplay::kSame);
  b.signal = Signal::kErrorRate;
  EXPECT_EQ(b.EffectiveZoneReplay(), RecordedBackground::ZoneReplay::kShifted);
  b.zone_replay = RecordedBackground::ZoneReplay::kSame;
  EXPECT_EQ(b.EffectiveZoneReplay(), RecordedBackground::ZoneReplay::kSame);
}

TEST(ScenarioTest, ParsesJson) {
  v1::Scenario proto;
  ASSERT_THAT(ParseJsonProto(
                  R"({"hours": 2, "fault": {"bad": true, "onsetDelay": "60s",
                      "scope": {"share": 0.25}}})",
                  &proto),
              IsOk());
  SLUICE_ASSERT_OK_AND_ASSIGN(Scenario s, ScenarioFromProto(proto));
  EXPECT_EQ(s.fault.scope.kind, FaultScope::Kind::kShare);
  EXPECT_EQ(s.fault.scope.share, 0.25);
  EXPECT_EQ(s.fault.onset_delay, absl::Minutes(1));
}

struct BadCase {
  const char* text;
  const char* message;
};

class ScenarioBadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ScenarioBadInputTest, NamesTheField) {
  EXPECT_THAT(FromText(GetParam().text),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Table, ScenarioBadInputTest,
    ::testing::Values(
        BadCase{"hours: 0", "hours: must be > 0 (got 0)"},
        BadCase{"hours: -3", "hours: must be > 0 (got -3)"},
        BadCase{"hours: 9000", "hours: must be at most 8784"},
        BadCase{"start_time: \"monday\"", "start_time: want RFC 3339"},
        BadCase{"deploy { failure_probability: 1.5 }",
                "deploy.failure_probability: must be in [0, 1] (got 1.5)"},
        BadCase{"deploy { median_duration { seconds: -5 } }",
                "deploy.median_duration: must be >= 0 (got -5s)"},
        BadCase{"deploy { duration_spread: 4 }",
                "deploy.duration_spread: must be in [0, 3] (got 4)"},
        BadCase{"traffic { requests_per_second: 0 }",
                "traffic.requests_per_second: must be finite and > 0"},
        BadCase{"traffic { diurnal_amplitude: 1 }",
                "traffic.diurnal_amplitude: must be in [0, 1) (got 1)"},
        BadCase{"traffic { peak_hour_utc: 24 }", "traffic.peak_hour_utc"},
        BadCase{"errors { error_rate: -0.1 }",
                "errors.error_rate: must be in [0, 1] (got -0.1)"},
        BadCase{"latency { sigma: 0 }", "latency.sigma: must be in (0, 3]"},
        BadCase{"latency { tail_probability: 2 }",
                "latency.tail_probability: must be in [0, 1] (got 2)"},
        BadCase{"fault { error_multiplier: -1 }",
                "fault.error_multiplier: must be finite and >= 0 (got -1)"},
        BadCase{"fault { onset_delay { seconds: -60 } }",
                "fault.onset_delay: must be >= 0 (got -1m)"},
        BadCase{"fault { scope { share: 1.2 } }",
                "fault.scope.share: must be in [0, 1] (got 1.2)"},
        BadCase{"fault { scope { zone: \"\" } }",
                "fault.scope.zone: must not be empty"},
        BadCase{"delivery { drop_probability: 1.01 }",
                "delivery.drop_probability: must be in [0, 1] (got 1.01)"},
        BadCase{"delivery { error_probability: -0.5 }",
                "delivery.error_probability: must be in [0, 1] (got -0.5)"},
        BadCase{"delivery { lag { seconds: -1 } }",
                "delivery.lag: must be >= 0 (got -1s)"},
        BadCase{"metrics { metric: \"x\" }", "metrics[0].signal: is required"},
        BadCase{"metrics { metric: \"x\" signal: SIM_SIGNAL_ERROR_RATE } "
                "metrics { metric: \"x\" signal: SIM_SIGNAL_ERROR_COUNT }",
                "metrics[1].metric: duplicate \"x\""},
        BadCase{"metrics { metric: \"l\" signal: SIM_SIGNAL_LATENCY_MS "
                "quantile: 1 }",
                "metrics[0].quantile: must be in (0, 1) (got 1)"},
        BadCase{"alarms { name: \"a\" signal: SIM_SIGNAL_ERROR_RATE "
                "evaluation_periods: 0 }",
                "alarms[0].evaluation_periods: must be in [1, 1440] (got 0)"},
        BadCase{"alarms { name: \"a\" signal: SIM_SIGNAL_ERROR_RATE "
                "evaluation_periods: 2 datapoints_to_alarm: 3 }",
                "alarms[0].datapoints_to_alarm: must be in [1, "
                "evaluation_periods = 2] (got 3)"},
        BadCase{"alarms { name: \"a\" signal: SIM_SIGNAL_ERROR_RATE } "
                "alarms { name: \"a\" signal: SIM_SIGNAL_ERROR_RATE }",
                "alarms[1].name: duplicate \"a\""},
        BadCase{"background { signal: SIM_SIGNAL_REQUEST_RATE }",
                "background.path: must not be empty"},
        BadCase{"background { path: "
                "\"examples/data/elb_request_count_8c0756.csv\" "
                "signal: SIM_SIGNAL_ERROR_COUNT }",
                "background.signal: must be request_rate, error_rate or "
                "latency_ms (got error_count)"},
        BadCase{"backgrounds { signal: SIM_SIGNAL_ERROR_RATE }",
                "backgrounds[0].path: must not be empty"},
        BadCase{"backgrounds { path: "
                "\"examples/data/elb_request_count_8c0756.csv\" "
                "signal: SIM_SIGNAL_ERROR_RATE } backgrounds { path: "
                "\"examples/data/elb_request_count_8c0756.csv\" "
                "signal: SIM_SIGNAL_LATENCY_MS strength: 11 }",
                "backgrounds[1].strength: must be in [0, 10] (got 11)"},
        BadCase{"backgrounds { path: "
                "\"examples/data/elb_request_count_8c0756.csv\" "
                "signal: SIM_SIGNAL_ERROR_RATE strength: 1 cv: 0.2 }",
                "backgrounds[0].cv: set either strength or cv, not both"},
        BadCase{"backgrounds { path: "
                "\"examples/data/elb_request_count_8c0756.csv\" "
                "signal: SIM_SIGNAL_ERROR_RATE cv: 12 }",
                "backgrounds[0].cv: must be in [0, 10] (got 12)"},
        BadCase{"traffic { peak_hour_local: 24 }",
                "traffic.peak_hour_local: must be in [0, 24) (got 24)"},
        BadCase{"traffic { low_traffic { start_hour: 1 } }",
                "traffic.low_traffic[0].duration: is required"},
        BadCase{"traffic { low_traffic { start_hour: 25 duration { seconds: "
                "60 } } }",
                "traffic.low_traffic[0].start_hour: must be in [0, 24) (got "
                "25)"},
        BadCase{"traffic { low_traffic { duration { seconds: 90000 } } }",
                "traffic.low_traffic[0].duration: must be in (0, 24h] (got "
                "25h)"},
        BadCase{"traffic { low_traffic { duration { seconds: 60 } factor: 2 "
                "} }",
                "traffic.low_traffic[0].factor: must be in [0, 1] (got 2)"},
        BadCase{"traffic { overdispersion: -1 }",
                "traffic.overdispersion: must be finite and >= 0 (got -1)"},
        BadCase{"errors { target_spread: 4 }",
                "errors.target_spread: must be in [0, 3] (got 4)"},
        BadCase{"errors { overdispersion: 101 }",
                "errors.overdispersion: must be in [0, 100] (got 101)"},
        BadCase{"latency { target_spread: -0.1 }",
                "latency.target_spread: must be in [0, 3] (got -0.1)"},
        BadCase{"regions { utc_offset_hours: 1 }",
                "regions[0].name: must not be empty"},
        BadCase{"regions { name: \"a\" utc_offset_hours: 15 }",
                "regions[0].utc_offset_hours: must be in [-12, 14] (got 15)"},
        BadCase{"regions { name: \"a\" } regions { name: \"a\" }",
                "regions[1].name: duplicate \"a\""},
        BadCase{"incidents { zone_rate_per_day: -1 }",
                "incidents.zone_rate_per_day: must be finite and >= 0"},
        BadCase{"incidents { median_duration { seconds: -1 } }",
                "incidents.median_duration: must be > 0 (got -1s)"},
        BadCase{"incidents { latency_multiplier: 0 }",
                "incidents.latency_multiplier: must be finite and > 0"},
        BadCase{"fault { error_rate_added: 1.5 }",
                "fault.error_rate_added: must be in [0, 1] (got 1.5)"},
        BadCase{"fault { latency_multiplier: 0 }",
                "fault.latency_multiplier: must be finite and > 0 (got 0)"},
        BadCase{"fault { tail_multiplier: -2 }",
                "fault.tail_multiplier: must be finite and > 0 (got -2)"},
        BadCase{"fault { ramp { seconds: -60 } }",
                "fault.ramp: must be >= 0 (got -1m)"},
        BadCase{"fault { intermittent { on { seconds: 60 } } }",
                "fault.intermittent.period: is required"},
        BadCase{"fault { intermittent { period { seconds: 60 } on { seconds: "
                "120 } } }",
                "fault.intermittent.on: must be in (0, period = 1m] (got 2m)"},
        BadCase{"fault { min_load_rps: -3 }",
                "fault.min_load_rps: must be finite and >= 0 (got -3)"},
        BadCase{"fault { crash { die_probability: 2 } }",
                "fault.crash.die_probability: must be in [0, 1] (got 2)"},
        BadCase{"fault { crash { after { seconds: -5 } } }",
                "fault.crash.after: must be > 0 (got -5s)"},
        BadCase{"metrics { metric: \"l\" signal: SIM_SIGNAL_LATENCY_MS "
                "buckets_ms: [ 10, 10 ] }",
                "metrics[0].buckets_ms[1]: must be > the previous bound (got "
                "10 <= 10)"},
        BadCase{"metrics { metric: \"l\" signal: SIM_SIGNAL_LATENCY_MS "
                "buckets_ms: [ 0 ] }",
                "metrics[0].buckets_ms[0]: must be finite and > 0 (got 0)"},
        BadCase{"metrics { metric: \"l\" signal: SIM_SIGNAL_LATENCY_MS "
                "max_observations_per_minute: 0 }",
                "metrics[0].max_observations_per_minute: must be in [1, "
                "100000] (got 0)"},
        BadCase{"metrics { metric: \"s\" signal: SIM_SIGNAL_SLOW_COUNT "
                "slower_than_ms: -1 }",
                "metrics[0].slower_than_ms: must be finite and > 0 (got -1)"}));

// Durations go through the one conversion (lib/core/field_path.h): a
// google.protobuf.Duration that is not valid, only possible in a message
// built in code (the parser refuses it), is refused naming the field.
TEST(ScenarioTest, InvalidDurationsBuiltInCodeNameTheField) {
  v1::Scenario proto;
  proto.mutable_fault()->mutable_ramp()->set_seconds(-1);
  proto.mutable_fault()->mutable_ramp()->set_nanos(5);
  EXPECT_THAT(ScenarioFromProto(proto),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "fault.ramp: not a valid duration (seconds -1, nanos "
                       "5)"));
  proto.clear_fault();
  proto.mutable_delivery()->mutable_lag()->set_nanos(2'000'000'000);
  EXPECT_THAT(ScenarioFromProto(proto),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "delivery.lag: not a valid duration (seconds 0, nanos "
                       "2000000000)"));
  proto.clear_delivery();
  v1::LowTrafficPeriod* low = proto.mutable_traffic()->add_low_traffic();
  low->mutable_duration()->set_seconds(315'576'000'001);
  EXPECT_THAT(ScenarioFromProto(proto),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "traffic.low_traffic[0].duration: not a valid duration "
                       "(seconds 315576000001, nanos 0)"));
}

TEST(ScenarioTest, ChecksTheFaultScopeAgainstTheFleet) {
  const Fleet fleet = testing::MakeFleet(2);
  Scenario s;
  s.fault.bad = true;
  s.fault.scope.kind = FaultScope::Kind::kZone;
  s.fault.scope.zone = "use1-az9";
  EXPECT_THAT(ValidateScenarioAgainst(s, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fault.scope.zone: the fleet has no zone "
                                 "\"use1-az9\"")));
  s.fault.scope.zone = "us-east-1-a";
  EXPECT_THAT(ValidateScenarioAgainst(s, fleet), IsOk());
  s.fault.scope.region = "eu-west-1";
  EXPECT_THAT(ValidateScenarioAgainst(s, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fault.scope.zone: the fleet has no zone "
                                 "\"us-east-1-a\" in region \"eu-west-1\"")));
  s.fault.scope.kind = FaultScope::Kind::kRegion;
  s.fault.scope.region = "ap-south-9";
  EXPECT_THAT(ValidateScenarioAgainst(s, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fault.scope.region: the fleet has no region "
                                 "\"ap-south-9\"")));
  s.fault.scope.region = "us-west-2";
  EXPECT_THAT(ValidateScenarioAgainst(s, fleet), IsOk());
}

TEST(ScenarioTest, ChecksBackgroundZonesAndRegionsAgainstTheFleet) {
  const Fleet fleet = testing::MakeFleet(2);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RecordedSeries series,
      RecordedSeries::FromPoints(
          {{absl::UnixEpoch(), 1}, {absl::UnixEpoch() + absl::Hours(1), 2}}));
  Scenario s;
  s.backgrounds.push_back({"a.csv", series, Signal::kErrorRate});
  s.backgrounds.push_back({"b.csv", series, Signal::kErrorRate});
  s.backgrounds[1].zone = "use1-az9";
  EXPECT_THAT(ValidateScenarioAgainst(s, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("backgrounds[1].zone: the fleet has no zone "
                                 "\"use1-az9\"")));
  s.backgrounds[1].zone = "us-east-1-a";
  EXPECT_THAT(ValidateScenarioAgainst(s, fleet), IsOk());
  s.regions.push_back({"mars-1", 3});
  EXPECT_THAT(ValidateScenarioAgainst(s, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("regions[0].name: the fleet has no region "
                                 "\"mars-1\"")));
}

TEST(ScenarioTest, LoadsABackgroundRelativeToTheFile) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Scenario s, FromText("background { path: "
                           "\"data/elb_request_count_8c0756.csv\" signal: "
                           "SIM_SIGNAL_REQUEST_RATE strength: 0.5 }",
                           "examples"));
  ASSERT_TRUE(s.background.has_value());
  EXPECT_EQ(s.background->path, "data/elb_request_count_8c0756.csv");
  EXPECT_EQ(s.background->series.points().size(), 4032u);
  EXPECT_EQ(s.background->strength, 0.5);
  EXPECT_THAT(
      FromText("background { path: \"none.csv\" "
               "signal: SIM_SIGNAL_REQUEST_RATE }",
               "tests/sim/testdata"),
      StatusIs(absl::StatusCode::kNotFound,
               HasSubstr("background.path: tests/sim/testdata/none.csv")));
}

TEST(ScenarioTest, LoadFilePrefixesThePath) {
  EXPECT_THAT(
      LoadScenarioFile("tests/sim/testdata/bad_probability.textproto"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("tests/sim/testdata/bad_probability.textproto: "
                         "deploy.failure_probability: must be in "
                         "[0, 1] (got 1.5)")));
}

TEST(ScenarioTest, InfersBindingsFromNames) {
  struct Case {
    const char* name;
    Signal signal;
    double quantile;
  };
  for (const Case& c : {Case{"error_rate", Signal::kErrorRate, 0.99},
                        Case{"http_5xx_error_ratio", Signal::kErrorRate, 0.99},
                        Case{"errors", Signal::kErrorCount, 0.99},
                        Case{"p999_latency", Signal::kLatencyMs, 0.999},
                        Case{"latency_p50_ms", Signal::kLatencyMs, 0.5},
                        Case{"latency", Signal::kLatencyMs, 0.99},
                        Case{"request_rate", Signal::kRequestRate, 0.99},
                        Case{"qps", Signal::kRequestRate, 0.99},
                        Case{"requests", Signal::kRequestCount, 0.99},
                        Case{"slow_requests", Signal::kSlowCount, 0.99}}) {
    std::optional<MetricBinding> b = InferBinding(c.name);
    ASSERT_TRUE(b.has_value()) << c.name;
    EXPECT_EQ(b->signal, c.signal) << c.name;
    EXPECT_EQ(b->quantile, c.quantile) << c.name;
  }
  EXPECT_FALSE(InferBinding("cpu").has_value());
  Scenario s;
  s.metrics.push_back({"cpu", Signal::kRequestRate, 0.99});
  EXPECT_EQ(s.BindingFor("cpu")->signal, Signal::kRequestRate);
}

}  // namespace
}  // namespace sluice::sim
