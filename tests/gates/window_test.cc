// Copyright 2026 The Sluice Authors.
//
// Deploy windows and blackouts. The zones are loaded by name from the
// system's zoneinfo; the machine's local zone (TZ) never matters.

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/gates.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

absl::TimeZone NewYork() {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("America/New_York", &tz))
      << "tzdata (America/New_York) is not installed";
  return tz;
}

absl::Time NY(int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), NewYork());
}

// Mon-Thu 09:00-16:00 America/New_York.
DeployWindowOptions BusinessHours() {
  DeployWindowOptions o;
  o.time_zone = "America/New_York";
  o.windows.push_back({{absl::Weekday::monday, absl::Weekday::tuesday,
                        absl::Weekday::wednesday, absl::Weekday::thursday},
                       absl::Hours(9),
                       absl::Hours(16)});
  return o;
}

Verdict At(const HealthGate& gate, absl::Time t) {
  Harness h;
  GateState state;
  return gate.Evaluate(h.Context(t), state);
}

struct Case {
  std::string name;
  absl::Time now;
  Outcome want;
  absl::Time hold_until;
};

TEST(WindowGateTest, WeeklyWindow) {
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate,
                              NewDeployWindowGate("hours", BusinessHours()));
  // 2026-11-30 is a Monday.
  std::vector<Case> cases = {
      {"monday 09:00 opens", NY(2026, 11, 30, 9), Outcome::kPass, {}},
      {"monday 15:59", NY(2026, 11, 30, 15, 59), Outcome::kPass, {}},
      {"monday 16:00 closed", NY(2026, 11, 30, 16), Outcome::kHold,
       NY(2026, 12, 1, 9)},
      {"monday 08:00", NY(2026, 11, 30, 8), Outcome::kHold,
       NY(2026, 11, 30, 9)},
      {"thursday evening", NY(2026, 12, 3, 17), Outcome::kHold,
       NY(2026, 12, 7, 9)},
      {"friday", NY(2026, 12, 4, 10), Outcome::kHold, NY(2026, 12, 7, 9)},
      {"sunday", NY(2026, 12, 6, 23, 59), Outcome::kHold, NY(2026, 12, 7, 9)},
  };
  for (const Case& c : cases) {
    Verdict v = At(*gate, c.now);
    EXPECT_EQ(v.outcome, c.want) << c.name << ": " << v;
    if (c.want == Outcome::kHold) {
      EXPECT_EQ(v.hold_until, c.hold_until) << c.name << ": " << v;
    }
  }
}

TEST(WindowGateTest, ReasonsSayWhereAndUntilWhen) {
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate,
                              NewDeployWindowGate("hours", BusinessHours()));
  Verdict v = At(*gate, NY(2026, 12, 4, 10));
  EXPECT_EQ(v.reason,
            "2026-12-04 10:00:00 EST is outside deploy windows "
            "(Mon,Tue,Wed,Thu 09:00-16:00 America/New_York); next allowed at "
            "2026-12-07 09:00:00 EST");
  EXPECT_EQ(v.FindObservation("seconds_until_allowed")->value,
            absl::ToDoubleSeconds(NY(2026, 12, 7, 9) - NY(2026, 12, 4, 10)));
  Verdict ok = At(*gate, NY(2026, 11, 30, 10));
  EXPECT_EQ(ok.reason,
            "2026-11-30 10:00:00 EST: inside deploy window Mon,Tue,Wed,Thu "
            "09:00-16:00 America/New_York");
}

TEST(WindowGateTest, FollowsDaylightSavingTime) {
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate,
                              NewDeployWindowGate("hours", BusinessHours()));
  // US DST starts Sunday 2026-03-08: Monday 09:00 is EDT, 13:00 UTC.
  Verdict v = At(*gate, NY(2026, 3, 6, 17));  // Friday, EST
  ASSERT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(v.hold_until, absl::FromUnixSeconds(1773061200));  // 13:00Z
  EXPECT_EQ(v.hold_until, NY(2026, 3, 9, 9));
  // And back: 2026-11-02 09:00 EST is 14:00 UTC.
  Verdict w = At(*gate, NY(2026, 10, 30, 17));
  EXPECT_EQ(w.hold_until, NY(2026, 11, 2, 9));
  EXPECT_EQ(absl::FormatTime("%H:%M", w.hold_until, absl::UTCTimeZone()),
            "14:00");
}

TEST(WindowGateTest, WindowInsideTheSkippedHourOpensWhenTheClockJumps) {
  DeployWindowOptions o;
  o.time_zone = "America/New_York";
  o.windows.push_back({{absl::Weekday::sunday},
                       absl::Hours(2),
                       absl::Hours(2) + absl::Minutes(30)});
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewDeployWindowGate("odd", o));
  // 02:00-02:30 does not exist on 2026-03-08; the gate never loops and
  // finds the next Sunday's window.
  Verdict v = At(*gate, NY(2026, 3, 8, 1));
  ASSERT_EQ(v.outcome, Outcome::kHold);
  EXPECT_GT(v.hold_until, NY(2026, 3, 8, 1));
  EXPECT_LE(v.hold_until, NY(2026, 3, 15, 2));
}

TEST(WindowGateTest, TheMachinesLocalZoneDoesNotMatter) {
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate,
                              NewDeployWindowGate("hours", BusinessHours()));
  const char* old = std::getenv("TZ");
  std::string saved = old == nullptr ? "" : old;
  Verdict before = At(*gate, NY(2026, 12, 4, 10));
  setenv("TZ", "Asia/Kolkata", 1);
  Verdict after = At(*gate, NY(2026, 12, 4, 10));
  if (old == nullptr) {
    unsetenv("TZ");
  } else {
    setenv("TZ", saved.c_str(), 1);
  }
  EXPECT_EQ(before, after);
}

TEST(WindowGateTest, BlackoutHoldsUntilItEnds) {
  DeployWindowOptions o;
  o.time_zone = "America/New_York";
  o.blackouts.push_back({absl::CivilSecond(2026, 11, 26, 0, 0, 0),
                         absl::CivilSecond(2026, 11, 30, 0, 0, 0),
                         "Thanksgiving freeze"});
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewDeployWindowGate("freeze", o));
  EXPECT_EQ(At(*gate, NY(2026, 11, 25, 23, 59)).outcome, Outcome::kPass);
  Verdict v = At(*gate, NY(2026, 11, 27, 12));
  ASSERT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(v.hold_until, NY(2026, 11, 30, 0));
  EXPECT_THAT(v.reason, HasSubstr("in blackout \"Thanksgiving freeze\" "
                                  "[2026-11-26T00:00:00, 2026-11-30T00:00:00) "
                                  "America/New_York"));
  EXPECT_EQ(At(*gate, NY(2026, 11, 30, 0)).outcome, Outcome::kPass);
}

TEST(WindowGateTest, BlackoutAndWindowsTogether) {
  DeployWindowOptions o = BusinessHours();
  // A freeze Monday 2026-12-21 to Thursday 2026-12-24 noon.
  o.blackouts.push_back({absl::CivilSecond(2026, 12, 21, 0, 0, 0),
                         absl::CivilSecond(2026, 12, 24, 12, 0, 0),
                         "holidays"});
  // A second freeze back to back with the first.
  o.blackouts.push_back({absl::CivilSecond(2026, 12, 24, 12, 0, 0),
                         absl::CivilSecond(2027, 1, 4, 10, 0, 0), "new year"});
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewDeployWindowGate("both", o));
  Verdict v = At(*gate, NY(2026, 12, 18, 17));  // Friday evening
  ASSERT_EQ(v.outcome, Outcome::kHold);
  // Monday 21st is frozen; the freezes end Monday 2027-01-04 10:00, inside
  // the window.
  EXPECT_EQ(v.hold_until, NY(2027, 1, 4, 10));
  // A freeze ending outside a window waits for the next window.
  DeployWindowOptions p = BusinessHours();
  p.blackouts.push_back({absl::CivilSecond(2026, 12, 1, 0, 0, 0),
                         absl::CivilSecond(2026, 12, 3, 18, 0, 0), ""});
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate2, NewDeployWindowGate("p", p));
  EXPECT_EQ(At(*gate2, NY(2026, 12, 1, 10)).hold_until, NY(2026, 12, 7, 9));
}

TEST(WindowGateTest, SeveralWindows) {
  DeployWindowOptions o;
  o.time_zone = "Europe/Berlin";
  o.windows.push_back(
      {{absl::Weekday::monday}, absl::Hours(6), absl::Hours(8)});
  o.windows.push_back(
      {{absl::Weekday::monday}, absl::Hours(20), absl::Hours(24)});
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewDeployWindowGate("two", o));
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  auto B = [&](int d, int h) {
    return absl::FromCivil(absl::CivilSecond(2026, 11, d, h, 0, 0), berlin);
  };
  EXPECT_EQ(At(*gate, B(30, 9)).hold_until, B(30, 20));
  EXPECT_EQ(At(*gate, B(30, 23)).outcome, Outcome::kPass);
  EXPECT_EQ(At(*gate, B(30, 7)).outcome, Outcome::kPass);
}

TEST(WindowGateTest, BadInputNamesTheField) {
  DeployWindowOptions unknown = BusinessHours();
  unknown.time_zone = "America/Nowhere";
  EXPECT_THAT(NewDeployWindowGate("w", unknown),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("time_zone: unknown time zone "
                                 "\"America/Nowhere\"")));
  DeployWindowOptions empty_zone = BusinessHours();
  empty_zone.time_zone = "";
  EXPECT_THAT(NewDeployWindowGate("w", empty_zone),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("time_zone: must not be empty")));
  DeployWindowOptions inverted = BusinessHours();
  inverted.windows[0].start = absl::Hours(17);
  EXPECT_THAT(NewDeployWindowGate("w", inverted),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("windows[0].end: must be after start (got "
                                 "16:00 <= 17:00")));
  DeployWindowOptions empty_window = BusinessHours();
  empty_window.windows[0].end = absl::Hours(9);
  EXPECT_THAT(NewDeployWindowGate("w", empty_window),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("windows[0].end: must be after start (got "
                                 "09:00 <= 09:00")));
  DeployWindowOptions no_days = BusinessHours();
  no_days.windows[0].days.clear();
  EXPECT_THAT(NewDeployWindowGate("w", no_days),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("windows[0].days: must not be empty")));
  DeployWindowOptions late = BusinessHours();
  late.windows[0].end = absl::Hours(25);
  EXPECT_THAT(NewDeployWindowGate("w", late),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("windows[0].end: must be at most 24:00")));
  DeployWindowOptions bad_blackout = BusinessHours();
  bad_blackout.blackouts.push_back({absl::CivilSecond(2026, 12, 2, 0, 0, 0),
                                    absl::CivilSecond(2026, 12, 1, 0, 0, 0),
                                    ""});
  EXPECT_THAT(NewDeployWindowGate("w", bad_blackout),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("blackouts[0].end: must be after start")));
  DeployWindowOptions empty_blackout = BusinessHours();
  empty_blackout.blackouts.push_back({absl::CivilSecond(2026, 12, 1, 0, 0, 0),
                                      absl::CivilSecond(2026, 12, 1, 0, 0, 0),
                                      ""});
  EXPECT_THAT(NewDeployWindowGate("w", empty_blackout),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("blackouts[0].end: must be after start")));
}

}  // namespace
}  // namespace sluice
