// Copyright 2026 The Sluice Authors.

#include "sluice/wave_plan.h"

#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/fleets.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/wave_plan_proto.h"

namespace sluice {
namespace {

using ::sluice::testing::FlatFleet;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

WavePlan TwoWaves() {
  WavePlan plan;
  plan.strategy = "test";
  Wave a;
  a.name = "first";
  a.stage = "one-box";
  a.targets = {2};
  a.bake = absl::Minutes(30);
  Wave b;
  b.name = "rest";
  b.stage = "batch";
  b.targets = {0, 1, 3};
  b.max_failed_targets = 1;
  plan.waves = {a, b};
  return plan;
}

TEST(WavePlanTest, EqualityComparesEveryField) {
  const WavePlan plan = TwoWaves();
  EXPECT_EQ(plan, TwoWaves());
  WavePlan other = TwoWaves();
  other.waves[1].max_failed_targets = 2;
  EXPECT_NE(plan, other);
  other = TwoWaves();
  other.waves[0].traffic_percent = 10;
  EXPECT_NE(plan, other);
  other = TwoWaves();
  other.strategy = "x";
  EXPECT_NE(plan, other);
  other = TwoWaves();
  other.waves[0].bake = absl::Minutes(31);
  EXPECT_NE(plan, other);
}

TEST(WavePlanTest, Lookups) {
  const WavePlan plan = TwoWaves();
  EXPECT_EQ(plan.target_count(), 4u);
  EXPECT_EQ(plan.WaveOf(2), 0u);
  EXPECT_EQ(plan.WaveOf(3), 1u);
  EXPECT_EQ(plan.WaveOf(7), std::nullopt);
  EXPECT_THAT(plan.WaveIndexByTarget(5), ElementsAre(1, 1, 0, 1, -1));
  EXPECT_FALSE(plan.traffic_routed());
}

TEST(WavePlanTest, TrafficRoutedWhenEveryWaveHasAPercent) {
  WavePlan plan;
  Wave w;
  w.traffic_percent = 10;
  plan.waves = {w, w};
  EXPECT_TRUE(plan.traffic_routed());
  plan.waves[1].traffic_percent.reset();
  EXPECT_FALSE(plan.traffic_routed());
  EXPECT_FALSE(WavePlan().traffic_routed());
}

TEST(WavePlanTest, FillCumulativeFractionsByCountAndWeight) {
  std::vector<Target> targets(4);
  for (int i = 0; i < 4; ++i) {
    targets[i].id = absl::StrCat("t", i);
    targets[i].topology = {"r", "z", ""};
    targets[i].weight = i + 1;  // total 10
  }
  const Fleet fleet = *Fleet::Create(targets);
  WavePlan plan = TwoWaves();
  FillCumulativeFractions(fleet, plan);
  EXPECT_DOUBLE_EQ(plan.waves[0].cumulative_count_fraction, 0.25);
  EXPECT_DOUBLE_EQ(plan.waves[0].cumulative_weight_fraction, 0.3);
  EXPECT_EQ(plan.waves[1].cumulative_count_fraction, 1.0);
  EXPECT_EQ(plan.waves[1].cumulative_weight_fraction, 1.0);

  Wave traffic;
  traffic.traffic_percent = 40;
  plan.waves = {traffic};
  FillCumulativeFractions(fleet, plan);
  EXPECT_DOUBLE_EQ(plan.waves[0].cumulative_count_fraction, 0.4);
  EXPECT_DOUBLE_EQ(plan.waves[0].cumulative_weight_fraction, 0.4);
}

TEST(WavePlanTest, PrintsOneLinePerWave) {
  std::ostringstream os;
  WavePlan plan = TwoWaves();
  FillCumulativeFractions(FlatFleet(4), plan);
  os << plan;
  EXPECT_EQ(os.str(),
            "WavePlan(test, 2 waves)\n"
            "  0: Wave(\"first\", stage one-box, 1 targets, cumulative 25.00% "
            "count / 25.00% weight, bake 30m, max failed 0)\n"
            "  1: Wave(\"rest\", stage batch, 3 targets, cumulative 100.00% "
            "count / 100.00% weight, bake 0, max failed 1)");
}

TEST(WavePlanTest, TableListsWavesAndFewIds) {
  const Fleet fleet = FlatFleet(4);
  WavePlan plan = TwoWaves();
  FillCumulativeFractions(fleet, plan);
  const std::string table = WavePlanToTable(plan, fleet, /*max_ids=*/1);
  EXPECT_EQ(
      table,
      "strategy: test\n"
      "wave  name   stage    targets   count%  weight%  bake  max failed\n"
      "   0  first  one-box  1 (h2)    25.00%   25.00%   30m           0\n"
      "   1  rest   batch    3        100.00%  100.00%     0           1\n");
}

TEST(WavePlanTest, TableOfTrafficPlanShowsPercents) {
  WavePlan plan;
  plan.strategy = "canary";
  Wave a;
  a.name = "canary 10%";
  a.stage = "canary";
  a.traffic_percent = 10;
  a.bake = absl::Minutes(5);
  Wave b = a;
  b.name = "rest 100%";
  b.stage = "rest";
  b.traffic_percent = 100;
  b.bake = absl::ZeroDuration();
  plan.waves = {a, b};
  EXPECT_EQ(WavePlanToTable(plan, FlatFleet(1)),
            "strategy: canary\n"
            "wave  name        stage   at  traffic  bake\n"
            "   0  canary 10%  canary   0      10%    5m\n"
            "   1  rest 100%   rest    5m     100%     0\n");
}

TEST(WavePlanTest, StartTimesAddUpBakes) {
  WavePlan plan = TwoWaves();
  EXPECT_THAT(WaveStartTimes(plan),
              ElementsAre(absl::ZeroDuration(), absl::Minutes(30)));
  EXPECT_THAT(WaveStartTimes(WavePlan()), ::testing::IsEmpty());
}

TEST(WavePlanProtoTest, RoundTripsThroughIds) {
  const Fleet fleet = FlatFleet(4);
  WavePlan plan = TwoWaves();
  FillCumulativeFractions(fleet, plan);
  const v1::WavePlan proto = WavePlanToProto(plan, fleet);
  ASSERT_EQ(proto.waves_size(), 2);
  EXPECT_THAT(proto.waves(1).targets(), ElementsAre("h0", "h1", "h3"));
  EXPECT_DOUBLE_EQ(proto.waves(0).cumulative_count_percent(), 25);
  EXPECT_EQ(proto.waves(0).bake().seconds(), 1800);
  EXPECT_THAT(WavePlanFromProto(proto, fleet),
              ::sluice::testing::IsOkAndHolds(plan));
}

TEST(WavePlanProtoTest, FromProtoNamesTheBadField) {
  const Fleet fleet = FlatFleet(2);
  v1::WavePlan proto;
  proto.add_waves()->add_targets("h0");
  proto.add_waves()->add_targets("web-9");
  EXPECT_THAT(WavePlanFromProto(proto, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves[1].targets[0]: no target \"web-9\"")));
  proto.mutable_waves(1)->set_targets(0, "h1");
  proto.mutable_waves(1)->set_traffic_percent(120);
  EXPECT_THAT(WavePlanFromProto(proto, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves[1].traffic_percent: must be in "
                                 "(0, 100] (got 120)")));
  proto.mutable_waves(1)->clear_traffic_percent();
  proto.mutable_waves(0)->mutable_bake()->set_seconds(-1);
  EXPECT_THAT(WavePlanFromProto(proto, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves[0].bake: must be >= 0 (got -1s)")));
  // The one Duration conversion refuses a Duration that is not valid.
  proto.mutable_waves(0)->mutable_bake()->set_seconds(1);
  proto.mutable_waves(0)->mutable_bake()->set_nanos(-1);
  EXPECT_THAT(WavePlanFromProto(proto, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "waves[0].bake: not a valid duration (seconds 1, "
                       "nanos -1)"));
  proto.mutable_waves(0)->clear_bake();
  proto.mutable_waves(0)->set_max_failed_targets(-2);
  EXPECT_THAT(WavePlanFromProto(proto, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves[0].max_failed_targets: must be >= 0")));
}

TEST(WavePlanTest, NoteIsComparedPrintedAndShownUnderItsRow) {
  const Fleet fleet = FlatFleet(4);
  WavePlan plan = TwoWaves();
  FillCumulativeFractions(fleet, plan);
  WavePlan other = plan;
  other.waves[1].note = "why";
  EXPECT_NE(plan, other);
  std::ostringstream os;
  os << other.waves[1];
  EXPECT_THAT(os.str(), HasSubstr("max failed 1, note: why)"));
  EXPECT_EQ(
      WavePlanToTable(other, fleet, /*max_ids=*/1),
      "strategy: test\n"
      "wave  name   stage    targets   count%  weight%  bake  max failed\n"
      "   0  first  one-box  1 (h2)    25.00%   25.00%   30m           0\n"
      "   1  rest   batch    3        100.00%  100.00%     0           1\n"
      "      note: why\n");
}

TEST(WavePlanProtoTest, NoteRoundTrips) {
  const Fleet fleet = FlatFleet(4);
  WavePlan plan = TwoWaves();
  plan.waves[0].note = "deployed alone";
  FillCumulativeFractions(fleet, plan);
  const v1::WavePlan proto = WavePlanToProto(plan, fleet);
  EXPECT_EQ(proto.waves(0).note(), "deployed alone");
  EXPECT_EQ(proto.waves(1).note(), "");
  EXPECT_THAT(WavePlanFromProto(proto, fleet),
              ::sluice::testing::IsOkAndHolds(plan));
}

}  // namespace
}  // namespace sluice
