// Copyright 2026 The Sluice Authors.
//
// `sluice version`: prints the library version.

#include "sluice/version.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

int RunVersion(CommandContext& context) {
  if (!context.args.empty()) {
    return UsageError(context, "version", "takes no arguments");
  }
  context.out << "sluice " << Version() << "\n";
  return kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(version, "version", "", "Print the version.", RunVersion);

}  // namespace sluice::cli
