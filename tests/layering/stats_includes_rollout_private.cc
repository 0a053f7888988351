// Copyright 2026 The Sluice Authors.
//
// WRONG WAY, MUST NOT COMPILE: a source of the stats component that
// includes a private header of a component above it (the rollout engine).
// Built as part of lib/stats by tests/layering/ (CMake and Bazel), which
// expect the compiler to stop at this include with "No such file or
// directory".

#include "lib/rollout/rollout_engine.h"

namespace sluice::stats {

int LayeringCheckSeesTheEngine() { return sizeof(internal::RolloutEngine); }

}  // namespace sluice::stats
