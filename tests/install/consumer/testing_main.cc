// Copyright 2026 The Sluice Authors.
//
// Uses the installed testing kit (sluice::testing, found with
// find_package(sluice COMPONENTS testing), which brings GoogleTest and
// gMock): a fake clock and a gMock mock. Prints "testing consumer ok".

#include <iostream>

#include "gmock/gmock.h"
#include "sluice/testing/fake_clock.h"
#include "sluice/testing/mock_clock.h"

int main() {
  sluice::testing::FakeClock clock(absl::UnixEpoch());
  clock.Advance(absl::Minutes(2));
  testing::NiceMock<sluice::testing::MockClock> mock;
  ON_CALL(mock, Now()).WillByDefault(testing::Return(clock.Now()));
  if (mock.Now() != absl::UnixEpoch() + absl::Minutes(2)) return 1;
  std::cout << "testing consumer ok\n";
  return 0;
}
