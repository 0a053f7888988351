// Copyright 2026 The Sluice Authors.
//
// WRONG WAY, MUST NOT COMPILE: a source of the `sluice` program (tools/)
// that includes a private header of the library. tools/ builds against
// public headers only; tests/layering/ (CMake and Bazel) compile this as a
// tools source and expect "No such file or directory".

#include "lib/core/status_macros.h"

namespace sluice::cli {

absl::Status LayeringCheckSeesLib() {
  return internal::InvalidArgumentAt("tools", "sees lib/");
}

}  // namespace sluice::cli
