// Copyright 2026 The Sluice Authors.
//
// The control of the stats checks: the same kind of source as
// stats_includes_rollout.cc, including what a stats source may include (its
// own public and private headers, and those of core, below it). It must
// compile, so the wrong-way checks cannot fail for another reason (a broken
// include path, a missing generated header).

#include "lib/core/status_macros.h"
#include "lib/stats/rank.h"
#include "sluice/fleet.h"
#include "sluice/stats/mann_whitney.h"

namespace sluice::stats {

absl::Status LayeringCheckControl() {
  return internal::InvalidArgumentAt("control", "compiles");
}

}  // namespace sluice::stats
