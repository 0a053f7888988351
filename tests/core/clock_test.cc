// Copyright 2026 The Sluice Authors.

#include "sluice/clock.h"

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/fake_clock.h"

namespace sluice {
namespace {

TEST(ClockTest, RealClockIsCloseToAbslNow) {
  absl::Time before = absl::Now();
  absl::Time now = Clock::Real().Now();
  absl::Time after = absl::Now();
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
  EXPECT_EQ(&Clock::Real(), &Clock::Real());
}

TEST(ManualClockTest, MovesOnlyForwardAndOnlyWhenTold) {
  testing::FakeClock clock(absl::FromUnixSeconds(100));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(100));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(100));
  EXPECT_TRUE(clock.Advance(absl::Seconds(5)));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(105));
  EXPECT_FALSE(clock.Advance(absl::Seconds(-1)));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(105));
  EXPECT_FALSE(clock.SetTime(absl::FromUnixSeconds(104)));
  EXPECT_TRUE(clock.SetTime(absl::FromUnixSeconds(200)));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(200));
  EXPECT_EQ(testing::FakeClock().Now(), absl::UnixEpoch());
}

TEST(MockClockTest, CanBeScripted) {
  testing::MockClock clock;
  EXPECT_CALL(clock, Now())
      .WillOnce(::testing::Return(absl::FromUnixSeconds(7)));
  const Clock& as_clock = clock;
  EXPECT_EQ(as_clock.Now(), absl::FromUnixSeconds(7));
}

}  // namespace
}  // namespace sluice
