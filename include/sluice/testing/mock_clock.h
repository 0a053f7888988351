// Copyright 2026 The Sluice Authors.
//
// MockClock: a gMock mock of sluice::Clock, for tests that check how often
// time is read. Tests that only need time to stand still or move on use
// FakeClock (sluice/testing/fake_clock.h).

#ifndef SLUICE_TESTING_MOCK_CLOCK_H_
#define SLUICE_TESTING_MOCK_CLOCK_H_

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "sluice/clock.h"

namespace sluice::testing {

// A gMock mock of Clock. Thread-safe as gMock mocks are (expectations are
// set before the calls).
class MockClock : public Clock {
 public:
  MOCK_METHOD(absl::Time, Now, (), (const, override));
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_MOCK_CLOCK_H_
