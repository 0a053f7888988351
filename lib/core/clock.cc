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

absl::Time ManualClock::Now() const {
  absl::MutexLock lock(&mu_);
  return now_;
}

bool ManualClock::Advance(absl::Duration d) {
  if (d < absl::ZeroDuration()) return false;
  absl::MutexLock lock(&mu_);
  now_ += d;
  return true;
}

bool ManualClock::SetTime(absl::Time t) {
  absl::MutexLock lock(&mu_);
  if (t < now_) return false;
  now_ = t;
  return true;
}

}  // namespace sluice
