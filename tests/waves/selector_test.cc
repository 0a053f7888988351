// Copyright 2026 The Sluice Authors.

#include "sluice/selector.h"

#include <sstream>
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

Fleet SmallFleet() {
  std::vector<Target> t(4);
  t[0] = {"a", {"us", "us-1", "c1"}, 1, {{"tier", "canary"}}};
  t[1] = {"b", {"us", "us-2", "c2"}, 1, {{"tier", "main"}}};
  t[2] = {"c", {"eu", "eu-1", ""}, 1, {{"tier", "canary"}, {"hw", "arm"}}};
  t[3] = {"d", {"eu", "us-1", "c1"}, 1, {}};
  return *Fleet::Create(t);
}

TEST(SelectorTest, EmptyMatchesEverything) {
  const Selector s;
  EXPECT_TRUE(s.empty());
  EXPECT_THAT(s.Select(SmallFleet()), ElementsAre(0, 1, 2, 3));
}

TEST(SelectorTest, EachCriterionNarrows) {
  const Fleet fleet = SmallFleet();
  Selector s;
  s.regions = {"eu"};
  EXPECT_THAT(s.Select(fleet), ElementsAre(2, 3));
  s = {};
  s.zones = {"us-1"};  // a zone name in any region
  EXPECT_THAT(s.Select(fleet), ElementsAre(0, 3));
  s = {};
  s.cells = {"c1", "c2"};
  EXPECT_THAT(s.Select(fleet), ElementsAre(0, 1, 3));
  s = {};
  s.labels = {{"tier", "canary"}};
  EXPECT_THAT(s.Select(fleet), ElementsAre(0, 2));
  s.labels["hw"] = "arm";  // every label must match
  EXPECT_THAT(s.Select(fleet), ElementsAre(2));
  s = {};
  s.regions = {"us"};
  s.labels = {{"tier", "canary"}};  // criteria combine with AND
  EXPECT_THAT(s.Select(fleet), ElementsAre(0));
  s.regions = {"asia"};
  EXPECT_TRUE(s.Select(fleet).empty());
}

TEST(SelectorTest, ValidationNamesTheField) {
  Selector s;
  EXPECT_THAT(ValidateSelector(s), IsOk());
  s.zones = {"a", ""};
  EXPECT_THAT(ValidateSelector(s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("zones[1]: must not be empty")));
  s.zones.clear();
  s.labels[""] = "x";
  EXPECT_THAT(ValidateSelector(s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("labels: keys must not be empty")));
}

TEST(SelectorTest, Prints) {
  Selector s;
  std::ostringstream empty;
  empty << s;
  EXPECT_EQ(empty.str(), "all targets");
  s.regions = {"us", "eu"};
  s.cells = {"c1"};
  s.labels = {{"tier", "canary"}};
  EXPECT_EQ(s.ToString(),
            "region in (us, eu), cell in (c1), label tier=canary");
  EXPECT_EQ(s, s);
  Selector t = s;
  t.zones = {"z"};
  EXPECT_NE(s, t);
}

TEST(SelectorTest, ASpanningTargetMatchesOnlyWhenEveryZoneAndRegionIs) {
  std::vector<Target> t(5);
  t[0] = {"a1", {"us", "a", ""}, 1, {}};
  t[1] = {"b1", {"us", "b", ""}, 1, {}};
  t[2] = {"e1", {"eu", "a", ""}, 1, {}};
  t[3] = {"asg", {"us", "a", ""}, 1, {}};
  t[3].zones = {"a", "b"};
  t[4] = {"lb", {"us", "a", ""}, 1, {}};
  t[4].regions = {"us", "eu"};
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, Fleet::Create(t));
  Selector s;
  s.zones = {"a"};
  // The group in zone a also spans b: a zone-a stage must not take it.
  EXPECT_THAT(s.Select(fleet), ElementsAre(0, 2, 4));
  s.zones = {"a", "b"};
  EXPECT_THAT(s.Select(fleet), ElementsAre(0, 1, 2, 3, 4));
  s = {};
  s.regions = {"us"};
  EXPECT_THAT(s.Select(fleet), ElementsAre(0, 1, 3));
  s.regions = {"us", "eu"};
  EXPECT_THAT(s.Select(fleet), ElementsAre(0, 1, 2, 3, 4));
}

}  // namespace
}  // namespace sluice
