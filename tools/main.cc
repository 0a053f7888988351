// Copyright 2026 The Sluice Authors.
//
// The `sluice` program: see `sluice help` and docs/index.md.

#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "tools/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return sluice::cli::RunCli(args, std::cout, std::cerr,
                             isatty(STDERR_FILENO) != 0);
}
