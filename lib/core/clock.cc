// Copyright 2026 The Sluice Authors.

#include "sluice/clock.h"

#include "absl/time/clock.h"

namespace sluice {
namespace {

class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

Clock& Clock::Real() {
  static Clock* const clock = new RealClock();
  return *clock;
}

}  // namespace sluice
