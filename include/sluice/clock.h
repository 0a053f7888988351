// Copyright 2026 The Sluice Authors.
//
// Clock: where a driver loop gets the current time.
//
// Sluice's decisions are pure functions of the time they are given: gates,
// schedulers, policies and the rollout engine take `absl::Time now` as an
// argument and never read the wall clock. Only a driver (the host's loop, the
// `sluice` tool, the simulator) reads a Clock and passes the time on. Tests
// use sluice::testing::FakeClock, which advances only when told.
//
// Example:
//
//   sluice::Clock& clock = sluice::Clock::Real();
//   absl::Time now = clock.Now();

#ifndef SLUICE_CLOCK_H_
#define SLUICE_CLOCK_H_

#include "absl/time/time.h"

namespace sluice {

// A source of the current time. Host interface: the host may implement it
// (e.g. over a test harness's virtual time). Implementations must not block
// and must not call back into Sluice. Sluice borrows a Clock: the owner keeps
// it alive for as long as the object it was handed to.
// Thread-safe: implementations must allow concurrent calls to Now().
class Clock {
 public:
  virtual ~Clock() = default;

  // Returns the current time.
  virtual absl::Time Now() const = 0;

  // The process-wide real-time clock (absl::Now()). Never destroyed.
  static Clock& Real();
};

}  // namespace sluice

#endif  // SLUICE_CLOCK_H_
