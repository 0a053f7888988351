// Copyright 2026 The Sluice Authors.
//
// FakeClock: a Clock that moves only when the test says so. It is
// sluice::ManualClock (sluice/clock.h), the one manual clock the simulator
// uses too, under the name tests know it by.
//
// Example:
//
//   sluice::testing::FakeClock clock(absl::FromUnixSeconds(1'700'000'000));
//   clock.Advance(absl::Minutes(5));
//   EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(1'700'000'300));

#ifndef SLUICE_TESTING_FAKE_CLOCK_H_
#define SLUICE_TESTING_FAKE_CLOCK_H_

#include "sluice/clock.h"
#include "sluice/testing/mock_clock.h"

namespace sluice::testing {

// A manually driven Clock: sluice::ManualClock. Thread-safe.
using FakeClock = ::sluice::ManualClock;

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_FAKE_CLOCK_H_
