// Copyright 2026 The Sluice Authors.
//
// `sluice plan SPEC --fleet FLEET [--format table|json]`: the spec's wave plan
// for the fleet, as a table for people (wave, name, stage, targets,
// cumulative percent of the fleet by count and by weight, bake, failures
// tolerated; ids of waves of one or two targets) or as the sluice.v1.WavePlan
// message in JSON.

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/fleet_io.h"
#include "sluice/proto_io.h"
#include "sluice/spec.h"
#include "sluice/wave_plan.h"
#include "sluice/wave_plan_proto.h"
#include "sluice/wave_scheduler.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

int Fail(CommandContext& context, absl::string_view where,
         const absl::Status& status) {
  context.err << "error: ";
  if (!where.empty()) context.err << where << ": ";
  context.err << status.message() << "\n";
  return kExitFailure;
}

int RunPlan(CommandContext& context) {
  absl::StatusOr<ParsedArgs> args =
      ParseArgs(context.args, {"--fleet", "--format"}, {});
  if (!args.ok()) return UsageError(context, "plan", args.status().message());
  if (args->positional.size() != 1) {
    return UsageError(context, "plan", "expects exactly one SPEC");
  }
  const std::optional<std::string> fleet_path = args->Flag("--fleet");
  if (!fleet_path.has_value()) {
    return UsageError(context, "plan", "--fleet is required");
  }
  const std::string format = args->Flag("--format").value_or("table");
  if (format != "table" && format != "json") {
    return UsageError(
        context, "plan",
        absl::StrCat("--format: must be table or json (got \"", format, "\")"));
  }
  const std::string& spec_path = args->positional[0];
  absl::StatusOr<RolloutSpec> spec = RolloutSpec::LoadFile(spec_path);
  if (!spec.ok()) return Fail(context, "", spec.status());
  absl::StatusOr<Fleet> fleet = LoadFleetFile(*fleet_path);
  if (!fleet.ok()) return Fail(context, "", fleet.status());
  absl::StatusOr<std::unique_ptr<WaveScheduler>> scheduler =
      NewScheduler(*spec);
  if (!scheduler.ok()) return Fail(context, spec_path, scheduler.status());
  absl::StatusOr<WavePlan> plan = (*scheduler)->Plan(*fleet);
  if (!plan.ok()) {
    // Plan errors name the option; in the spec it lives under "waves.".
    return Fail(context, spec_path,
                absl::Status(plan.status().code(),
                             absl::StrCat("waves.", plan.status().message())));
  }

  if (format == "json") {
    context.out << ToJson(WavePlanToProto(*plan, *fleet));
    return kExitOk;
  }
  context.out << spec->name() << ": " << spec->version() << " on "
              << fleet->size() << " targets in " << fleet->regions().size()
              << " regions, " << fleet->zones().size() << " zones\n";
  context.out << WavePlanToTable(*plan, *fleet, /*max_ids=*/2);
  absl::Duration total = absl::ZeroDuration();
  for (const Wave& wave : plan->waves) total += wave.bake;
  context.out << plan->waves.size() << " waves; total bake "
              << absl::FormatDuration(total) << "\n";
  return kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(plan, "plan", "SPEC --fleet FLEET [--format table|json]",
                   "Print a spec's wave plan for a fleet.", RunPlan);

}  // namespace sluice::cli
