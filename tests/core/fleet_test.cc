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

}  // namespace
}  // namespace sluice
