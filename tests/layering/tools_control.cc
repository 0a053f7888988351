// Copyright 2026 The Sluice Authors.
//
// The control of the tools check: a tools source including what the
// `sluice` program may include (public headers of every component, and
// tools/cli.h). It must compile.

#include "sluice/proto_io.h"
#include "sluice/rollout.h"
#include "sluice/spec.h"
#include "tools/cli.h"

namespace sluice::cli {

bool LayeringCheckControl() { return IsTerminal(RolloutStatus::kFailed); }

}  // namespace sluice::cli
