// Copyright 2026 The Sluice Authors.
//
// WRONG WAY, MUST NOT COMPILE: a source of the stats component that
// includes a public header of a component above it (rollout). Built as part
// of lib/stats by tests/layering/ (CMake and Bazel), which expect the
// compiler to stop at this include with "No such file or directory".

#include "sluice/rollout.h"

namespace sluice::stats {

bool LayeringCheckSeesRollout() { return IsTerminal(RolloutStatus::kFailed); }

}  // namespace sluice::stats
