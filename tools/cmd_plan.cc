// Copyright 2026 The Sluice Authors.
//
// `sluice plan SPEC --fleet FLEET [--format table|json]`: the spec's wave plan
// for the fleet, as a table for people (wave, name, stage, targets,
// cumulative percent of the fleet by count and by weight, bake, failures
// tolerated; ids of waves of one or two targets) or as the sluice.v1.WavePlan
// message in JSON. SPEC may also be a phased spec (sluice.v1.PhasedRolloutSpec,
// sluice/phased_rollout.h): then each phase's plan in order, with the bake
// between phases, or the sluice.v1.PhasedWavePlan message in JSON.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "sluice/fleet.h"
#include "sluice/fleet_io.h"
#include "sluice/phased_rollout.h"
#include "sluice/proto_io.h"
#include "sluice/spec.h"
#include "sluice/v1/phased.pb.h"
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

// The spec's plan for the fleet. Plan errors name the option; in the spec
// it lives under "waves.", after `prefix`.
absl::StatusOr<WavePlan> PlanSpec(const RolloutSpec& spec, const Fleet& fleet,
                                  absl::string_view prefix) {
  absl::StatusOr<std::unique_ptr<WaveScheduler>> scheduler = NewScheduler(spec);
  if (!scheduler.ok()) {
    return absl::Status(scheduler.status().code(),
                        absl::StrCat(prefix, scheduler.status().message()));
  }
  absl::StatusOr<WavePlan> plan = (*scheduler)->Plan(fleet);
  if (!plan.ok()) {
    return absl::Status(
        plan.status().code(),
        absl::StrCat(prefix, "waves.", plan.status().message()));
  }
  return plan;
}

std::string FleetLine(const Fleet& fleet) {
  return absl::StrCat(fleet.size(), " targets in ", fleet.regions().size(),
                      " regions, ", fleet.zones().size(), " zones");
}

absl::Duration TotalBake(const WavePlan& plan) {
  absl::Duration total = absl::ZeroDuration();
  for (const Wave& wave : plan.waves) total += wave.bake;
  return total;
}

// `sluice plan` of a phased spec: every phase's plan, in order, with the
// bake between phases.
int RunPhasedPlan(CommandContext& context, const std::string& spec_path,
                  const std::string& fleet_path, const std::string& format) {
  absl::StatusOr<PhasedRolloutSpec> spec =
      PhasedRolloutSpec::LoadFile(spec_path);
  if (!spec.ok()) return Fail(context, "", spec.status());
  absl::StatusOr<Fleet> fleet = LoadFleetFile(fleet_path);
  if (!fleet.ok()) return Fail(context, "", fleet.status());
  const std::vector<PhaseSpecEntry>& phases = spec->phases();
  std::vector<WavePlan> plans;
  for (size_t i = 0; i < phases.size(); ++i) {
    absl::StatusOr<WavePlan> plan =
        PlanSpec(phases[i].spec, *fleet, absl::StrCat("phases[", i, "].spec."));
    if (!plan.ok()) return Fail(context, spec_path, plan.status());
    plans.push_back(*std::move(plan));
  }
  // A later phase's previous version is the earlier phase's (filled in when
  // its spec leaves it empty).
  auto previous_version = [&](size_t i) {
    const std::string& own = phases[i].spec.previous_version();
    return own.empty() && i > 0 ? phases[i - 1].spec.version() : own;
  };

  if (format == "json") {
    v1::PhasedWavePlan message;
    message.set_name(spec->name());
    *message.mutable_bake_between_phases() =
        google::protobuf::util::TimeUtil::NanosecondsToDuration(
            absl::ToInt64Nanoseconds(spec->bake_between_phases()));
    for (size_t i = 0; i < phases.size(); ++i) {
      v1::PhasedWavePlan::PhasePlan* phase = message.add_phases();
      phase->set_name(phases[i].name);
      phase->set_version(phases[i].spec.version());
      phase->set_previous_version(previous_version(i));
      *phase->mutable_plan() = WavePlanToProto(plans[i], *fleet);
    }
    context.out << ToJson(message);
    return kExitOk;
  }
  context.out << spec->name() << ": " << phases.size() << " phases on "
              << FleetLine(*fleet) << "\n";
  absl::Duration total = absl::ZeroDuration();
  size_t waves = 0;
  for (size_t i = 0; i < phases.size(); ++i) {
    if (i > 0) {
      context.out << "\nbake between phases: "
                  << absl::FormatDuration(spec->bake_between_phases())
                  << " (after \"" << phases[i - 1].name
                  << "\" succeeded everywhere)\n";
      total += spec->bake_between_phases();
    }
    const std::string previous = previous_version(i);
    context.out << "\nphase " << i << " " << phases[i].name << ": "
                << phases[i].spec.version();
    if (!previous.empty()) context.out << " (from " << previous << ")";
    context.out << "\n";
    context.out << WavePlanToTable(plans[i], *fleet, /*max_ids=*/2);
    const absl::Duration bake = TotalBake(plans[i]);
    context.out << plans[i].waves.size() << " waves; total bake "
                << absl::FormatDuration(bake) << "\n";
    total += bake;
    waves += plans[i].waves.size();
  }
  context.out << "\n"
              << phases.size() << " phases, " << waves << " waves; total bake "
              << absl::FormatDuration(total) << " (with " << phases.size() - 1
              << " x " << absl::FormatDuration(spec->bake_between_phases())
              << " between phases)\n";
  return kExitOk;
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
  if (!spec.ok()) {
    if (LooksLikePhasedSpec(spec.status())) {
      return RunPhasedPlan(context, spec_path, *fleet_path, format);
    }
    return Fail(context, "", spec.status());
  }
  absl::StatusOr<Fleet> fleet = LoadFleetFile(*fleet_path);
  if (!fleet.ok()) return Fail(context, "", fleet.status());
  absl::StatusOr<WavePlan> plan = PlanSpec(*spec, *fleet, "");
  if (!plan.ok()) return Fail(context, spec_path, plan.status());

  if (format == "json") {
    context.out << ToJson(WavePlanToProto(*plan, *fleet));
    return kExitOk;
  }
  context.out << spec->name() << ": " << spec->version() << " on "
              << FleetLine(*fleet) << "\n";
  context.out << WavePlanToTable(*plan, *fleet, /*max_ids=*/2);
  context.out << plan->waves.size() << " waves; total bake "
              << absl::FormatDuration(TotalBake(*plan)) << "\n";
  return kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(plan, "plan", "SPEC --fleet FLEET [--format table|json]",
                   "Print a spec's wave plan for a fleet (a phased spec: "
                   "each phase's).",
                   RunPlan);

}  // namespace sluice::cli
