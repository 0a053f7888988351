// Copyright 2026 The Sluice Authors.
//
// FakeClock: a Clock that moves only when the test says so.
//
// Example:
//
//   sluice::testing::FakeClock clock(absl::FromUnixSeconds(1'700'000'000));
//   clock.Advance(absl::Minutes(5));
//   EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(1'700'000'300));

#ifndef SLUICE_TESTING_FAKE_CLOCK_H_
#define SLUICE_TESTING_FAKE_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "sluice/clock.h"

namespace sluice::testing {

// A manually driven Clock. Time never goes backwards: Advance() takes a
// non-negative duration and SetTime() a time not before Now(); other calls
// are ignored and reported by returning false.
// Thread-safe.
class FakeClock : public Clock {
 public:
  // Starts at `start`. Default: the Unix epoch.
  explicit FakeClock(absl::Time start = absl::UnixEpoch()) : now_(start) {}

  // Returns the fake current time.
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }

  // Moves time forward by `d`; returns false and does nothing if d < 0.
  bool Advance(absl::Duration d) {
    if (d < absl::ZeroDuration()) return false;
    absl::MutexLock lock(&mu_);
    now_ += d;
    return true;
  }

  // Sets the time to `t`; returns false and does nothing if t < Now().
  bool SetTime(absl::Time t) {
    absl::MutexLock lock(&mu_);
    if (t < now_) return false;
    now_ = t;
    return true;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// A gMock mock of Clock, for tests that check how often time is read.
// Thread-compatible.
class MockClock : public Clock {
 public:
  MOCK_METHOD(absl::Time, Now, (), (const, override));
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_FAKE_CLOCK_H_
