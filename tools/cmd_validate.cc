// Copyright 2026 The Sluice Authors.
//
// `sluice validate SPEC [--fleet FLEET]`: checks a spec (and a fleet, and the
// spec against the fleet) and prints a one-line summary, or each error with
// its field path. Warnings about the fleet (LintFleet(): a resource spanning
// several zones or regions) go to stderr and do not fail it. SPEC may also be
// a phased spec (sluice.v1.PhasedRolloutSpec, sluice/phased_rollout.h); then
// the summary has a line per phase.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "sluice/fleet.h"
#include "sluice/fleet_io.h"
#include "sluice/phased_rollout.h"
#include "sluice/spec.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

// A phased spec: a file that is no RolloutSpec because it has `phases` or
// `bake_between_phases`.
// Returns nullopt when `path` is not one (the RolloutSpec error stands).
std::optional<int> ValidatePhased(
    CommandContext& context, const std::string& path,
    const absl::Status& as_spec, const std::optional<std::string>& fleet_path) {
  if (!LooksLikePhasedSpec(as_spec)) return std::nullopt;
  absl::StatusOr<PhasedRolloutSpec> spec = PhasedRolloutSpec::LoadFile(path);
  bool ok = spec.ok();
  if (!ok) context.err << "error: " << spec.status().message() << "\n";
  std::optional<Fleet> fleet;
  if (fleet_path.has_value()) {
    absl::StatusOr<Fleet> loaded = LoadFleetFile(*fleet_path);
    if (!loaded.ok()) {
      context.err << "error: " << loaded.status().message() << "\n";
      ok = false;
    } else {
      fleet = *std::move(loaded);
    }
  }
  if (spec.ok() && fleet.has_value()) {
    absl::Status against = spec->ValidateAgainst(*fleet);
    if (!against.ok()) {
      context.err << "error: " << path << ": " << against.message() << "\n";
      ok = false;
    }
  }
  if (!ok) return kExitFailure;
  context.out << "ok: " << spec->Summary() << "\n";
  return kExitOk;
}

int RunValidate(CommandContext& context) {
  absl::StatusOr<ParsedArgs> args = ParseArgs(context.args, {"--fleet"}, {});
  if (!args.ok()) {
    return UsageError(context, "validate", args.status().message());
  }
  if (args->positional.size() != 1) {
    return UsageError(context, "validate", "expects exactly one SPEC");
  }
  bool ok = true;
  absl::StatusOr<RolloutSpec> spec = RolloutSpec::LoadFile(args->positional[0]);
  if (!spec.ok()) {
    if (std::optional<int> phased =
            ValidatePhased(context, args->positional[0], spec.status(),
                           args->Flag("--fleet"))) {
      return *phased;
    }
    context.err << "error: " << spec.status().message() << "\n";
    ok = false;
  }
  std::optional<Fleet> fleet;
  if (std::optional<std::string> fleet_path = args->Flag("--fleet")) {
    absl::StatusOr<Fleet> loaded = LoadFleetFile(*fleet_path);
    if (!loaded.ok()) {
      context.err << "error: " << loaded.status().message() << "\n";
      ok = false;
    } else {
      fleet = *std::move(loaded);
    }
  }
  if (spec.ok() && fleet.has_value()) {
    absl::Status against = spec->ValidateAgainst(*fleet);
    if (!against.ok()) {
      context.err << "error: " << args->positional[0] << ": "
                  << against.message() << "\n";
      ok = false;
    }
  }
  if (!ok) return kExitFailure;
  if (fleet.has_value()) {
    // Warnings do not fail validation: the fleet works, at a cost.
    for (const FleetWarning& warning : LintFleet(*fleet)) {
      context.err << "warning: " << *args->Flag("--fleet") << ": targets["
                  << warning.target << "]: " << warning.message << "\n";
    }
  }
  context.out << "ok: " << spec->Summary();
  if (fleet.has_value()) {
    context.out << "; fleet: " << fleet->size() << " targets in "
                << fleet->regions().size() << " regions, "
                << fleet->zones().size() << " zones";
  }
  context.out << "\n";
  return kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(validate, "validate", "SPEC [--fleet FLEET]",
                   "Check a spec (and a fleet) and print a summary.",
                   RunValidate);

}  // namespace sluice::cli
