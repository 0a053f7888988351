// Copyright 2026 The Sluice Authors.

#include "sluice/fleet.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Target MakeTarget(std::string id, std::string region, std::string zone,
                  double weight = 1.0) {
  Target t;
  t.id = std::move(id);
  t.topology = {std::move(region), std::move(zone), ""};
  t.weight = weight;
  return t;
}

TEST(FleetTest, CreatesAndIndexesTopologyByName) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, Fleet::Create({MakeTarget("c", "us-west-2", "usw2-az1"),
                                  MakeTarget("a", "eu-west-1", "b", 2),
                                  MakeTarget("b", "eu-west-1", "a", 1),
                                  MakeTarget("d", "us-west-2", "usw2-az1")}));
  EXPECT_EQ(fleet.size(), 4u);
  EXPECT_DOUBLE_EQ(fleet.total_weight(), 5.0);
  EXPECT_DOUBLE_EQ(fleet.weight_share(1), 0.4);
  EXPECT_THAT(fleet.regions(), ElementsAre("eu-west-1", "us-west-2"));
  ASSERT_EQ(fleet.zones().size(), 3u);
  EXPECT_EQ(fleet.zones()[0].name, "a");
  EXPECT_EQ(fleet.zones()[1].name, "b");
  EXPECT_EQ(fleet.zones()[2].name, "usw2-az1");
  EXPECT_EQ(fleet.zones()[2].region, 1u);
  EXPECT_EQ(fleet.region_of(0), 1u);
  EXPECT_EQ(fleet.zone_of(0), 2u);
  EXPECT_EQ(fleet.zone_of(1), 1u);
  EXPECT_EQ(fleet.zone_of(3), fleet.zone_of(0));
  EXPECT_EQ(fleet.IndexOf("b"), 2u);
  EXPECT_EQ(fleet.IndexOf("zz"), std::nullopt);
  EXPECT_EQ(fleet.RegionIndex("us-west-2"), 1u);
  EXPECT_EQ(fleet.RegionIndex("ap-south-1"), std::nullopt);
}

TEST(FleetTest, ZoneNamesAreScopedByRegion) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet,
      Fleet::Create({MakeTarget("x", "r1", "a"), MakeTarget("y", "r2", "a")}));
  EXPECT_EQ(fleet.zones().size(), 2u);
  EXPECT_NE(fleet.zone_of(0), fleet.zone_of(1));
}

TEST(FleetTest, IndexDoesNotDependOnInputOrder) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet a,
      Fleet::Create({MakeTarget("1", "r2", "z"), MakeTarget("2", "r1", "z")}));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet b,
      Fleet::Create({MakeTarget("2", "r1", "z"), MakeTarget("1", "r2", "z")}));
  EXPECT_EQ(a.regions()[0], b.regions()[0]);
  EXPECT_EQ(a.region_of(*a.IndexOf("1")), b.region_of(*b.IndexOf("1")));
}

struct BadFleetCase {
  const char* label;
  std::vector<Target> targets;
  const char* message;
};

class BadFleetTest : public ::testing::TestWithParam<BadFleetCase> {};

TEST_P(BadFleetTest, IsRejectedNamingTheField) {
  EXPECT_THAT(Fleet::Create(GetParam().targets),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(GetParam().message)));
}

Target WithLabel(Target t, std::string key) {
  t.labels[std::move(key)] = "v";
  return t;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadFleetTest,
    ::testing::Values(
        BadFleetCase{"empty", {}, "targets: must not be empty"},
        BadFleetCase{"empty_id",
                     {MakeTarget("a", "r", "z"), MakeTarget("", "r", "z")},
                     "targets[1].id: must not be empty"},
        BadFleetCase{"duplicate",
                     {MakeTarget("a", "r", "z"), MakeTarget("b", "r", "z"),
                      MakeTarget("a", "r", "z")},
                     "targets[2].id: duplicate id \"a\" (first at targets[0])"},
        BadFleetCase{"no_region",
                     {MakeTarget("a", "", "z")},
                     "targets[0].region: must not be empty"},
        BadFleetCase{"no_zone",
                     {MakeTarget("a", "r", "")},
                     "targets[0].zone: must not be empty"},
        BadFleetCase{"negative_weight",
                     {MakeTarget("a", "r", "z"), MakeTarget("b", "r", "z"),
                      MakeTarget("c", "r", "z"), MakeTarget("d", "r", "z", -1)},
                     "targets[3].weight: must be finite and >= 0 (got -1)"},
        BadFleetCase{"nan_weight",
                     {MakeTarget("a", "r", "z",
                                 std::numeric_limits<double>::quiet_NaN())},
                     "targets[0].weight: must be finite and >= 0 (got nan)"},
        BadFleetCase{"inf_weight",
                     {MakeTarget("a", "r", "z",
                                 std::numeric_limits<double>::infinity())},
                     "targets[0].weight: must be finite and >= 0 (got inf)"},
        BadFleetCase{
            "zero_total",
            {MakeTarget("a", "r", "z", 0), MakeTarget("b", "r", "z", 0)},
            "targets: the total weight must be finite and > 0"},
        BadFleetCase{"overflowing_total",
                     {MakeTarget("a", "r", "z", 1e308),
                      MakeTarget("b", "r", "z", 1e308)},
                     "targets: the total weight must be finite and > 0"},
        BadFleetCase{"empty_label_key",
                     {WithLabel(MakeTarget("a", "r", "z"), "")},
                     "targets[0].labels: label keys must not be empty"}),
    [](const ::testing::TestParamInfo<BadFleetCase>& info) {
      return std::string(info.param.label);
    });

TEST(FleetTest, ZeroWeightTargetsAreAllowedWhenTheTotalIsPositive) {
  EXPECT_THAT(Fleet::Create(
                  {MakeTarget("a", "r", "z", 0), MakeTarget("b", "r", "z", 1)}),
              IsOk());
}

TEST(FleetTest, EqualityComparesTargets) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet a,
                              Fleet::Create({MakeTarget("a", "r", "z")}));
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet b,
                              Fleet::Create({MakeTarget("a", "r", "z")}));
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet c,
                              Fleet::Create({MakeTarget("a", "r", "z", 2)}));
  Fleet copy = a;
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, copy);
  EXPECT_NE(a, c);
}

TEST(FleetTest, Prints) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet,
                              Fleet::Create({MakeTarget("a", "r1", "z1", 2),
                                             MakeTarget("b", "r2", "z1")}));
  std::ostringstream os;
  os << fleet << "; " << fleet.target(0);
  EXPECT_EQ(
      os.str(),
      "Fleet(2 targets, 2 regions, 2 zones, weight 3); a (r1/z1, weight 2)");
  Topology with_cell{"r", "z", "c7"};
  std::ostringstream cell;
  cell << with_cell;
  EXPECT_EQ(cell.str(), "r/z/c7");
}

// ---- Infrastructure targets: kind, and resources spanning zones or regions.

Target Spanning(std::string id, std::string region, std::string zone,
                std::vector<std::string> zones,
                std::vector<std::string> regions = {}) {
  Target t = MakeTarget(std::move(id), std::move(region), std::move(zone));
  t.kind = "autoscaling_group";
  t.zones = std::move(zones);
  t.regions = std::move(regions);
  return t;
}

// us-east-1: zones a, b, c; eu-west-1: zone a. One target per zone.
std::vector<Target> PerZoneTargets() {
  return {
      MakeTarget("e-a", "us-east-1", "a"), MakeTarget("e-b", "us-east-1", "b"),
      MakeTarget("e-c", "us-east-1", "c"), MakeTarget("w-a", "eu-west-1", "a")};
}

TEST(FleetSpanTest, IndexesSpannedZonesAndRegions) {
  std::vector<Target> targets = PerZoneTargets();
  targets.push_back(Spanning("asg", "us-east-1", "b", {"c", "b", "a"}));
  targets.push_back(
      Spanning("lb", "eu-west-1", "a", {}, {"us-east-1", "eu-west-1"}));
  targets.push_back(Spanning("one-zone-role", "us-east-1", "a", {"a"}));
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, Fleet::Create(targets));
  // Zones sorted (eu-west-1/a, us-east-1/a, us-east-1/b, us-east-1/c).
  EXPECT_THAT(fleet.zones_spanned(4), ElementsAre(1, 2, 3));
  EXPECT_THAT(fleet.regions_spanned(4), ElementsAre(1));
  EXPECT_THAT(fleet.regions_spanned(5), ElementsAre(0, 1));
  EXPECT_THAT(fleet.zones_spanned(5), ElementsAre(0));
  EXPECT_THAT(fleet.zones_spanned(0), ElementsAre(1));
  EXPECT_TRUE(fleet.spans_several(4));
  EXPECT_TRUE(fleet.spans_several(5));
  EXPECT_FALSE(fleet.spans_several(6));  // lists only its own zone
  EXPECT_FALSE(fleet.spans_several(0));
  EXPECT_THAT(fleet.spanning_targets(), ElementsAre(4, 5));
  EXPECT_EQ(fleet.target(4).kind, "autoscaling_group");
}

TEST(FleetSpanTest, KindAndSpansTakePartInEqualityAndPrinting) {
  Target a = Spanning("asg", "us-east-1", "a", {"a", "b", "c"});
  Target b = a;
  EXPECT_EQ(a, b);
  b.kind = "instance_role";
  EXPECT_NE(a, b);
  b = a;
  b.zones = {"a", "b"};
  EXPECT_NE(a, b);
  b = a;
  b.regions = {"us-east-1"};
  EXPECT_NE(a, b);
  std::ostringstream os;
  os << a;
  EXPECT_EQ(os.str(),
            "asg (autoscaling_group, us-east-1/a, spans zones a, b, c, "
            "weight 1)");
}

struct BadSpanCase {
  const char* label;
  Target target;
  const char* message;
};

class BadSpanTest : public ::testing::TestWithParam<BadSpanCase> {};

TEST_P(BadSpanTest, IsRejectedNamingTheField) {
  std::vector<Target> targets = PerZoneTargets();
  targets.push_back(GetParam().target);
  EXPECT_THAT(Fleet::Create(targets),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadSpanTest,
    ::testing::Values(
        BadSpanCase{"unknown_zone",
                    Spanning("asg", "us-east-1", "a", {"a", "b", "d"}),
                    "targets[4].zones[2]: unknown zone \"d\": no target of "
                    "the fleet is in us-east-1 / d"},
        BadSpanCase{"zone_of_another_region",
                    Spanning("asg", "eu-west-1", "a", {"a", "b"}),
                    "targets[4].zones[1]: unknown zone \"b\""},
        BadSpanCase{"own_zone_missing",
                    Spanning("asg", "us-east-1", "a", {"b", "c"}),
                    "targets[4].zones: must include the target's own zone "
                    "\"a\" (got b, c)"},
        BadSpanCase{"empty_zone", Spanning("asg", "us-east-1", "a", {"a", ""}),
                    "targets[4].zones[1]: must not be empty"},
        BadSpanCase{"zone_twice",
                    Spanning("asg", "us-east-1", "a", {"a", "b", "a"}),
                    "targets[4].zones[2]: zone \"a\" is listed twice"},
        BadSpanCase{
            "unknown_region",
            Spanning("lb", "us-east-1", "a", {}, {"us-east-1", "ap-south-1"}),
            "targets[4].regions[1]: unknown region \"ap-south-1\": no "
            "target of the fleet is in it"},
        BadSpanCase{"own_region_missing",
                    Spanning("lb", "us-east-1", "a", {}, {"eu-west-1"}),
                    "targets[4].regions: must include the target's own "
                    "region \"us-east-1\" (got eu-west-1)"},
        BadSpanCase{"empty_region",
                    Spanning("lb", "us-east-1", "a", {}, {"us-east-1", ""}),
                    "targets[4].regions[1]: must not be empty"},
        BadSpanCase{
            "region_twice",
            Spanning("lb", "us-east-1", "a", {}, {"us-east-1", "us-east-1"}),
            "targets[4].regions[1]: region \"us-east-1\" is listed "
            "twice"}),
    [](const ::testing::TestParamInfo<BadSpanCase>& info) {
      return std::string(info.param.label);
    });

TEST(LintFleetTest, OneZoneTargetsHaveNoWarnings) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, Fleet::Create(PerZoneTargets()));
  EXPECT_TRUE(LintFleet(fleet).empty());
}

TEST(LintFleetTest, WarnsAboutEachSpanningTargetWithItsIdAndTheCost) {
  std::vector<Target> targets = PerZoneTargets();
  targets.push_back(Spanning("asg", "us-east-1", "b", {"a", "b", "c"}));
  Target lb = Spanning("lb", "eu-west-1", "a", {}, {"us-east-1", "eu-west-1"});
  lb.kind = "";
  targets.push_back(lb);
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, Fleet::Create(targets));
  const std::vector<FleetWarning> warnings = LintFleet(fleet);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].target, 4u);
  EXPECT_EQ(warnings[0].target_id, "asg");
  EXPECT_EQ(warnings[0].message,
            "target \"asg\" (autoscaling_group) spans 3 zones of us-east-1 "
            "(a, b, c): a change to it reaches all of them at once, so the "
            "plan can no longer put it in a one-zone wave; zone-aware plans "
            "(staged) deploy it in a wave of its own after every zone it "
            "spans has been deployed and baked. Define one per zone to roll "
            "it out zone by zone.");
  EXPECT_EQ(warnings[1].target_id, "lb");
  EXPECT_THAT(warnings[1].message,
              HasSubstr("target \"lb\" spans 2 regions (eu-west-1, "
                        "us-east-1): "));
  EXPECT_THAT(warnings[1].message,
              HasSubstr("can no longer put it in a one-region wave"));
  // Deterministic.
  EXPECT_EQ(LintFleet(fleet), warnings);
}

}  // namespace
}  // namespace sluice
