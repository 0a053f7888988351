// Copyright 2026 The Sluice Authors.
//
// WavesConfig holds RolloutSpec.waves as values (lib/waves/spec_waves.h):
// FromProto() converts once, ToProto() gives back the message read, byte for
// byte, with the presence of every field (set to its default or not), and
// NewScheduler() plans as the factory given the same options.

#include <algorithm>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "lib/core/proto_bytes.h"
#include "lib/core/status_macros.h"
#include "lib/waves/spec_waves.h"
#include "sluice/batch_schedulers.h"
#include "sluice/composite_scheduler.h"
#include "sluice/percent_schedulers.h"
#include "sluice/staged_scheduler.h"
#include "sluice/testing/fleets.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/waves.pb.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using ::sluice::internal::WavesConfig;
using ::sluice::testing::GridFleet;
using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Bytes(const google::protobuf::Message& message) {
  return internal::DeterministicBytes(message);
}

v1::WaveStrategy Parse(const std::string& text) {
  v1::WaveStrategy proto;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &proto))
      << text;
  return proto;
}

std::string Text(const v1::WaveStrategy& proto) {
  std::string out;
  google::protobuf::TextFormat::PrintToString(proto, &out);
  return out;
}

// Converts `text`, checks that ToProto() gives the same bytes and that
// converting those again does too, and returns the config.
WavesConfig ExpectRoundTrip(const std::string& text) {
  const v1::WaveStrategy read = Parse(text);
  absl::StatusOr<WavesConfig> config = WavesConfig::FromProto(read);
  EXPECT_THAT(config, IsOk()) << text;
  if (!config.ok()) return WavesConfig();
  const v1::WaveStrategy back = config->ToProto();
  EXPECT_EQ(Bytes(back), Bytes(read)) << "read:\n"
                                      << Text(read) << "back:\n"
                                      << Text(back);
  absl::StatusOr<WavesConfig> again = WavesConfig::FromProto(back);
  EXPECT_THAT(again, IsOk());
  if (again.ok()) {
    EXPECT_EQ(Bytes(again->ToProto()), Bytes(read)) << text;
    EXPECT_EQ(again->Summary(), config->Summary());
    EXPECT_EQ(again->stages(), config->stages());
  }
  return *std::move(config);
}

// Every field of each of the 13 strategies set (where two fields exclude
// each other, or rounding needs target waves, a second case sets the other).
constexpr const char* kEveryFieldSet[] = {
    "all_at_once { bake { seconds: 60 } max_failed_targets: 2 }",
    "one_at_a_time { bake { seconds: 30 nanos: 5 } }",
    "half_at_a_time { bake { seconds: 45 } }",
    "batches { size { percent: 25 } bake { seconds: 60 } "
    "max_failed_per_batch { count: 1 } rounding: ROUND_DOWN }",
    "batches { size { count: 3 } max_failed_per_batch { percent: 50 } }",
    // The largest count the factories accept: exact through the double.
    "batches { size { count: 4294967295 } }",
    "min_healthy { host_count: 6 bake { seconds: 10 } }",
    "min_healthy { fleet_percent: 75.5 bake { nanos: 1000 } }",
    "rolling { max_surge { count: 2 } max_unavailable { percent: 10 } "
    "bake { seconds: 5 } }",
    "linear { step_percent: 20 interval { seconds: 120 } "
    "final_bake { seconds: 600 } rounding: ROUND_UP }",
    "linear { step_percent: 25 deployment_duration { seconds: 600 } "
    "final_bake { seconds: 60 } traffic_routed: true }",
    "canary { percent: 10 interval { seconds: 300 } final_bake { seconds: 60 } "
    "rounding: ROUND_NEAREST }",
    "canary { percent: 5 traffic_routed: true }",
    "exponential { growth_factor: 10 multiplier: 3 deployment_duration "
    "{ seconds: 1200 } final_bake { seconds: 60 } traffic_routed: true }",
    "exponential { growth_factor: 5 deployment_duration { seconds: 60 } "
    "rounding: ROUND_DOWN }",
    "steps { steps { percent: 10 bake { seconds: 60 } } steps { percent: 50 } "
    "steps { percent: 100 bake { seconds: 1 } } final_bake { seconds: 30 } "
    "rounding: ROUND_DOWN }",
    "steps { steps { percent: 20 } traffic_routed: true }",
    "flagger { step_weight: 20 max_weight: 60 interval { seconds: 30 } "
    "final_bake { seconds: 10 } target_waves: true rounding: ROUND_UP }",
    "flagger { step_weight: 25 }",
    "staged { region_order: \"r1\" region_order: \"r0\" "
    "region_order_default: BY_NAME one_box_max_weight_percent: 5 "
    "one_box_every_region: true first_zone_batch { percent: 20 } "
    "max_zones_per_wave: 2 max_regions_per_wave: 3 first_region_wave_size: 2 "
    "region_growth: 3 bakes { one_box { seconds: 1 } first_zone_batch "
    "{ seconds: 2 } first_zone { seconds: 3 } zone { seconds: 4 } "
    "first_region { seconds: 5 } region_one_box { seconds: 6 } region_wave "
    "{ seconds: 7 } final_bake { seconds: 8 } zone_batch { seconds: 9 } } "
    "max_failed_per_wave { count: 0 } rounding: ROUND_NEAREST "
    "zone_batch { percent: 50 } }",
    "staged { region_order_default: LEAST_WEIGHT_FIRST no_one_box: true "
    "no_first_zone_batch: true bakes { zone { seconds: 60 } } "
    "max_failed_per_wave { percent: 5 } }",
    "composite { stages { name: \"canary\" selector { regions: \"r0\" zones: "
    "\"r0-z0\" cells: \"c1\" labels { key: \"tier\" value: \"canary\" } "
    "labels { key: \"a\" value: \"b\" } } scheduler { one_at_a_time { bake "
    "{ seconds: 60 } } } } stages { name: \"rest\" scheduler { composite { "
    "stages { name: \"inner\" scheduler { staged { bakes { zone { seconds: 9 "
    "} } } } } } } } }",
};

TEST(WavesConfigTest, EveryStrategyWithEveryFieldSetRoundTrips) {
  std::vector<size_t> strategies;
  for (const char* text : kEveryFieldSet) {
    SCOPED_TRACE(text);
    const WavesConfig config = ExpectRoundTrip(text);
    EXPECT_TRUE(config.has_strategy());
    strategies.push_back(config.strategy().index());
  }
  // All 13 strategies (index() is the oneof's field number).
  for (size_t field = 1; field <= 13; ++field) {
    EXPECT_NE(std::find(strategies.begin(), strategies.end(), field),
              strategies.end())
        << field;
  }
}

// Fields with presence set to the value their default has: ToProto() keeps
// them set, where the option structs alone could not tell.
constexpr const char* kDefaultsSet[] = {
    "all_at_once { bake {} }",
    "one_at_a_time { bake {} }",
    "half_at_a_time { bake {} }",
    "batches { size { count: 1 } bake {} max_failed_per_batch { count: 0 } "
    "rounding: PERCENT_ROUNDING_DEFAULT }",
    "min_healthy { host_count: 0 bake {} }",
    "rolling { max_surge { percent: 25 } max_unavailable { percent: 25 } "
    "bake {} }",
    "linear { step_percent: 10 interval { seconds: 60 } final_bake {} }",
    "canary { percent: 10 interval { seconds: 300 } final_bake {} }",
    "exponential { growth_factor: 10 multiplier: 2 deployment_duration "
    "{ seconds: 1200 } final_bake {} }",
    "steps { steps { percent: 50 bake {} } final_bake {} }",
    "flagger { step_weight: 10 max_weight: 100 interval { seconds: 60 } "
    "final_bake {} }",
    "staged { first_zone_batch { percent: 10 } max_zones_per_wave: 1 "
    "first_region_wave_size: 1 region_growth: 2 bakes { one_box "
    "{ seconds: 1800 } first_zone_batch { seconds: 1800 } first_zone "
    "{ seconds: 3600 } zone { seconds: 1800 } first_region { seconds: 7200 } "
    "region_one_box { seconds: 1800 } region_wave { seconds: 1800 } "
    "zone_batch { seconds: 1800 } } max_failed_per_wave { percent: 1 } }",
    "staged { bakes {} }",
    "composite { stages { name: \"all\" selector {} scheduler { all_at_once "
    "{ bake {} } } } }",
};

// The same strategies with nothing optional set.
constexpr const char* kDefaultsUnset[] = {
    "all_at_once {}",
    "one_at_a_time {}",
    "half_at_a_time {}",
    "batches { size { count: 1 } }",
    "min_healthy { host_count: 0 }",
    "rolling {}",
    "linear { step_percent: 10 }",
    "canary { percent: 10 }",
    "exponential { growth_factor: 10 deployment_duration { seconds: 1200 } }",
    "steps { steps { percent: 50 } }",
    "flagger { step_weight: 10 }",
    "staged {}",
    "staged {}",
    "composite { stages { name: \"all\" scheduler { all_at_once {} } } }",
};

TEST(WavesConfigTest, FieldsSetToTheirDefaultsKeepTheirPresence) {
  static_assert(std::size(kDefaultsSet) == std::size(kDefaultsUnset));
  const Fleet fleet = GridFleet(2, 2, 5);
  for (size_t i = 0; i < std::size(kDefaultsSet); ++i) {
    SCOPED_TRACE(kDefaultsSet[i]);
    const WavesConfig set = ExpectRoundTrip(kDefaultsSet[i]);
    const WavesConfig unset = ExpectRoundTrip(kDefaultsUnset[i]);
    // The same options: the same plan and summary...
    EXPECT_EQ(set.Summary(), unset.Summary());
    absl::StatusOr<std::unique_ptr<WaveScheduler>> a = set.NewScheduler();
    absl::StatusOr<std::unique_ptr<WaveScheduler>> b = unset.NewScheduler();
    ASSERT_THAT(a, IsOk());
    ASSERT_THAT(b, IsOk());
    absl::StatusOr<WavePlan> plan_a = (*a)->Plan(fleet);
    absl::StatusOr<WavePlan> plan_b = (*b)->Plan(fleet);
    ASSERT_THAT(plan_a, IsOk());
    ASSERT_THAT(plan_b, IsOk());
    EXPECT_EQ(*plan_a, *plan_b);
    // ...but not the same message back.
    EXPECT_NE(Bytes(set.ToProto()), Bytes(unset.ToProto()));
  }
}

TEST(WavesConfigTest, NoStrategy) {
  SLUICE_ASSERT_OK_AND_ASSIGN(WavesConfig config,
                              WavesConfig::FromProto(v1::WaveStrategy()));
  EXPECT_FALSE(config.has_strategy());
  EXPECT_TRUE(std::holds_alternative<std::monostate>(config.strategy()));
  EXPECT_EQ(config.Summary(), "");
  EXPECT_TRUE(config.stages().empty());
  EXPECT_EQ(Bytes(config.ToProto()), "");
  EXPECT_THAT(config.NewScheduler(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves: is required")));
  EXPECT_THAT(config.ValidateAgainst(GridFleet(1, 1, 1)), IsOk());
}

TEST(WavesConfigTest, HoldsTheConvertedOptions) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      WavesConfig config,
      WavesConfig::FromProto(
          Parse("staged { region_order: \"r1\" no_first_zone_batch: true "
                "max_regions_per_wave: 2 bakes { zone { seconds: 60 } } }")));
  ASSERT_TRUE(std::holds_alternative<internal::StagedSpec>(config.strategy()));
  const internal::StagedSpec& staged =
      std::get<internal::StagedSpec>(config.strategy());
  EXPECT_THAT(staged.options.region_order, ElementsAre("r1"));
  EXPECT_FALSE(staged.options.first_zone_batch.has_value());
  EXPECT_EQ(staged.options.max_regions_per_wave, 2);
  EXPECT_EQ(staged.options.bakes.zone, absl::Minutes(1));
  // CodeDeploy's fallback, converted once: the first zone bakes as the zone.
  EXPECT_EQ(staged.options.bakes.first_zone, absl::Minutes(1));
  EXPECT_FALSE(staged.present.bakes_first_zone);
  EXPECT_TRUE(staged.present.bakes_zone);
  EXPECT_TRUE(staged.present.bakes);
  // ...and not written back.
  EXPECT_FALSE(config.ToProto().staged().bakes().has_first_zone());

  SLUICE_ASSERT_OK_AND_ASSIGN(
      config, WavesConfig::FromProto(Parse(
                  "composite { stages { name: \"b\" scheduler { batches { "
                  "size { percent: 50 } } } } stages { name: \"a\" selector "
                  "{ cells: \"c\" } scheduler { all_at_once {} } } }")));
  const auto& composite = std::get<internal::CompositeSpec>(config.strategy());
  ASSERT_EQ(composite.stages.size(), 2u);
  EXPECT_EQ(composite.stages[0].name, "b");
  EXPECT_FALSE(composite.stages[0].selector_present);
  EXPECT_EQ(std::get<internal::BatchesSpec>(composite.stages[0].scheduler)
                .options.size,
            CountOrPercent::Percent(50));
  EXPECT_TRUE(composite.stages[1].selector_present);
  EXPECT_THAT(composite.stages[1].selector.cells, ElementsAre("c"));
  EXPECT_THAT(config.stages(), ElementsAre("a", "b"));
  EXPECT_EQ(config.Summary(),
            "waves: composite(b: batches(50%); a: all-at-once)");
}

// The scheduler a converted config builds plans as the factory called
// directly with the options the message describes.
struct FactoryCase {
  const char* text;
  std::function<absl::StatusOr<std::unique_ptr<WaveScheduler>>()> factory;
};

TEST(WavesConfigTest, NewSchedulerPlansAsTheFactory) {
  const FactoryCase cases[] = {
      {"all_at_once { bake { seconds: 60 } max_failed_targets: 2 }",
       [] {
         AllAtOnceOptions o;
         o.bake = absl::Minutes(1);
         o.max_failed_targets = 2;
         return NewAllAtOnceScheduler(o);
       }},
      {"one_at_a_time { bake { seconds: 30 } }",
       [] {
         OneAtATimeOptions o;
         o.bake = absl::Seconds(30);
         return NewOneAtATimeScheduler(o);
       }},
      {"half_at_a_time { bake { seconds: 45 } }",
       [] {
         HalfAtATimeOptions o;
         o.bake = absl::Seconds(45);
         return NewHalfAtATimeScheduler(o);
       }},
      {"batches { size { percent: 25 } bake { seconds: 60 } "
       "max_failed_per_batch { count: 1 } rounding: ROUND_DOWN }",
       [] {
         BatchOptions o;
         o.size = CountOrPercent::Percent(25);
         o.bake = absl::Minutes(1);
         o.max_failed_per_batch = CountOrPercent::Count(1);
         o.rounding = PercentRounding::kDown;
         return NewBatchScheduler(o);
       }},
      {"min_healthy { fleet_percent: 75 bake { seconds: 10 } }",
       [] {
         MinHealthyOptions o;
         o.min_healthy = CountOrPercent::Percent(75);
         o.bake = absl::Seconds(10);
         return NewMinHealthyScheduler(o);
       }},
      {"rolling { max_surge { count: 2 } max_unavailable { percent: 10 } "
       "bake { seconds: 5 } }",
       [] {
         RollingOptions o;
         o.max_surge = CountOrPercent::Count(2);
         o.max_unavailable = CountOrPercent::Percent(10);
         o.bake = absl::Seconds(5);
         return NewRollingScheduler(o);
       }},
      {"linear { step_percent: 25 deployment_duration { seconds: 600 } "
       "final_bake { seconds: 60 } rounding: ROUND_UP }",
       [] {
         LinearOptions o;
         o.step_percent = 25;
         o.deployment_duration = absl::Minutes(10);
         o.final_bake = absl::Minutes(1);
         o.rounding = PercentRounding::kUp;
         return NewLinearScheduler(o);
       }},
      {"canary { percent: 15 interval { seconds: 120 } final_bake "
       "{ seconds: 60 } traffic_routed: true }",
       [] {
         CanaryOptions o;
         o.percent = 15;
         o.interval = absl::Minutes(2);
         o.final_bake = absl::Minutes(1);
         o.traffic_routed = true;
         return NewCanaryScheduler(o);
       }},
      {"exponential { growth_factor: 10 multiplier: 3 deployment_duration "
       "{ seconds: 1200 } final_bake { seconds: 60 } rounding: ROUND_NEAREST }",
       [] {
         ExponentialOptions o;
         o.growth_factor = 10;
         o.multiplier = 3;
         o.deployment_duration = absl::Minutes(20);
         o.final_bake = absl::Minutes(1);
         o.rounding = PercentRounding::kNearest;
         return NewExponentialScheduler(o);
       }},
      {"steps { steps { percent: 10 bake { seconds: 60 } } steps { percent: "
       "50 } final_bake { seconds: 30 } }",
       [] {
         StepsOptions o;
         o.steps = {{10, absl::Minutes(1)}, {50, absl::ZeroDuration()}};
         o.final_bake = absl::Seconds(30);
         return NewStepsScheduler(o);
       }},
      {"flagger { step_weight: 20 max_weight: 60 interval { seconds: 30 } "
       "final_bake { seconds: 10 } target_waves: true }",
       [] {
         FlaggerOptions o;
         o.step_weight = 20;
         o.max_weight = 60;
         o.interval = absl::Seconds(30);
         o.final_bake = absl::Seconds(10);
         o.traffic_routed = false;
         return NewFlaggerScheduler(o);
       }},
      {"staged { region_order: \"r2\" region_order_default: BY_NAME "
       "first_zone_batch { count: 2 } max_zones_per_wave: 2 "
       "one_box_every_region: true bakes { one_box { seconds: 1 } zone "
       "{ seconds: 4 } final_bake { seconds: 8 } } max_failed_per_wave "
       "{ count: 0 } }",
       [] {
         StagedOptions o;
         o.region_order = {"r2"};
         o.region_order_default = RegionOrder::kByName;
         o.first_zone_batch = CountOrPercent::Count(2);
         o.max_zones_per_wave = 2;
         o.one_box_every_region = true;
         o.bakes.one_box = absl::Seconds(1);
         o.bakes.zone = absl::Seconds(4);
         o.bakes.first_zone = absl::Seconds(4);  // falls back to the zone's
         o.bakes.final_bake = absl::Seconds(8);
         o.max_failed_per_wave = CountOrPercent::Count(0);
         return NewStagedScheduler(o);
       }},
      {"composite { stages { name: \"r0\" selector { regions: \"r0\" } "
       "scheduler { one_at_a_time {} } } stages { name: \"rest\" scheduler { "
       "batches { size { count: 4 } } } } }",
       []() -> absl::StatusOr<std::unique_ptr<WaveScheduler>> {
         CompositeOptions o;
         CompositeStage r0;
         r0.name = "r0";
         r0.selector.regions = {"r0"};
         SLUICE_ASSIGN_OR_RETURN(r0.scheduler, NewOneAtATimeScheduler());
         o.stages.push_back(std::move(r0));
         CompositeStage rest;
         rest.name = "rest";
         BatchOptions batches;
         batches.size = CountOrPercent::Count(4);
         SLUICE_ASSIGN_OR_RETURN(rest.scheduler, NewBatchScheduler(batches));
         o.stages.push_back(std::move(rest));
         return NewCompositeScheduler(std::move(o));
       }},
  };
  const Fleet fleet = GridFleet(3, 2, 5);
  for (const FactoryCase& c : cases) {
    SCOPED_TRACE(c.text);
    SLUICE_ASSERT_OK_AND_ASSIGN(WavesConfig config,
                                WavesConfig::FromProto(Parse(c.text)));
    SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> converted,
                                config.NewScheduler());
    SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> direct,
                                c.factory());
    EXPECT_EQ(converted->name(), direct->name());
    EXPECT_EQ(config.Summary(), "waves: " + direct->name());
    SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan a, converted->Plan(fleet));
    SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan b, direct->Plan(fleet));
    EXPECT_EQ(a, b);
    EXPECT_FALSE(a.waves.empty());
  }
}

// The free functions are WavesConfig's operations on a message.
TEST(WavesConfigTest, FreeFunctionsAgreeWithTheConfig) {
  const v1::WaveStrategy valid = Parse("canary { percent: 20 }");
  SLUICE_ASSERT_OK_AND_ASSIGN(WavesConfig config,
                              WavesConfig::FromProto(valid));
  EXPECT_THAT(internal::ValidateWaveStrategy(valid), IsOk());
  EXPECT_EQ(internal::SummarizeWaveStrategy(valid), config.Summary());
  EXPECT_THAT(internal::StagesOfStrategy(valid), ElementsAre("canary", "rest"));
  EXPECT_THAT(internal::NewSchedulerFromSpec(valid), IsOk());

  const v1::WaveStrategy invalid = Parse("canary { percent: 200 }");
  EXPECT_THAT(internal::ValidateWaveStrategy(invalid),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves.canary.percent: must be in (0, 100] "
                                 "(got 200)")));
  EXPECT_EQ(internal::SummarizeWaveStrategy(invalid), "waves: invalid");
  EXPECT_TRUE(internal::StagesOfStrategy(invalid).empty());
  EXPECT_EQ(internal::SummarizeWaveStrategy(v1::WaveStrategy()), "");
  EXPECT_THAT(internal::NewSchedulerFromSpec(v1::WaveStrategy()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves: is required")));
}

// A composite reports a stage's errors before those of later stages, and
// its own (names) after all stages': the order of the message's fields.
TEST(WavesConfigTest, CompositeErrorsInFieldOrder) {
  EXPECT_THAT(
      WavesConfig::FromProto(Parse(
          "composite { stages { name: \"\" scheduler { canary { percent: 0 "
          "} } } stages { name: \"b\" scheduler { batches {} } } }")),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          HasSubstr("waves.composite.stages[0].scheduler.canary.percent")));
  EXPECT_THAT(
      WavesConfig::FromProto(Parse(
          "composite { stages { name: \"\" scheduler { canary { percent: 10 "
          "} } } stages { name: \"b\" scheduler { batches {} } } }")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("waves.composite.stages[1].scheduler.batches.size: "
                         "is required")));
  EXPECT_THAT(
      WavesConfig::FromProto(Parse(
          "composite { stages { name: \"\" scheduler { canary { percent: 10 "
          "} } } }")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("waves.composite.stages[0].name")));
}

}  // namespace
}  // namespace sluice
