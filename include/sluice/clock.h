// Copyright 2026 The Sluice Authors.
//
// Clock: where a driver loop gets the current time.
//
// Sluice's decisions are pure functions of the time they are given: gates,
// schedulers, policies and the rollout engine take `absl::Time now` as an
// argument and never read the wall clock. Only a driver (the host's loop, the
// `sluice` tool, the simulator) reads a Clock and passes the time on. The
// simulator and tests use ManualClock (also known as
// sluice::testing::FakeClock), which moves only when told.
//
// Example:
//
//   sluice::Clock& clock = sluice::Clock::Real();
//   absl::Time now = clock.Now();

#ifndef SLUICE_CLOCK_H_
#define SLUICE_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
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

// A Clock that moves only when its owner says so: the one manual clock of
// the simulator (virtual time) and of tests (sluice::testing::FakeClock is
// this class). Time never goes backwards: Advance() takes a non-negative
// duration and SetTime() a time not before Now(); other calls change nothing
// and return false.
// Thread-safe: Now(), Advance() and SetTime() may be called concurrently.
class ManualClock : public Clock {
 public:
  // A clock showing `start`. Default: the Unix epoch.
  explicit ManualClock(absl::Time start = absl::UnixEpoch()) : now_(start) {}

  // Returns the time the clock shows.
  absl::Time Now() const override;

  // Moves the time forward by `d`; returns false and does nothing if d < 0.
  bool Advance(absl::Duration d);

  // Sets the time to `t`; returns false and does nothing if t < Now().
  bool SetTime(absl::Time t);

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sluice

#endif  // SLUICE_CLOCK_H_
