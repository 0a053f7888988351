// Copyright 2026 The Sluice Authors.
//
// Runs `sluice ARGS...` in-process for the command tests.

#ifndef SLUICE_TESTS_TOOLS_CLI_TEST_UTIL_H_
#define SLUICE_TESTS_TOOLS_CLI_TEST_UTIL_H_

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tools/cli.h"

namespace sluice::cli {

// What one run of the program returned and printed.
struct CliRun {
  int code;
  std::string out;
  std::string err;
};

// Runs `sluice` with `args` (without the program name) on string streams.
inline CliRun Sluice(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = RunCli(std::move(args), out, err);
  return {code, out.str(), err.str()};
}

}  // namespace sluice::cli

#endif  // SLUICE_TESTS_TOOLS_CLI_TEST_UTIL_H_
