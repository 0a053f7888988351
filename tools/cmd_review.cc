// Copyright 2026 The Sluice Authors.
//
// `sluice review EVENTS [--spec SPEC --fleet FLEET] [--rollout NAME]
// [--out FILE.md]`: writes a post-incident review draft, in Markdown, from a
// rollout's events (JSON lines, as `sluice timeline` reads them). With the
// spec and the fleet, the plan is made again (plans are deterministic) so
// the draft gives fleet weight and zones. A file with the events of several
// rollouts needs --rollout. The library function is sluice::ReviewDraft()
// (sluice/review.h); `sluice simulate --review` writes the same for a
// simulated incident.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "sluice/fleet.h"
#include "sluice/fleet_io.h"
#include "sluice/proto_io.h"
#include "sluice/review.h"
#include "sluice/spec.h"
#include "sluice/wave_plan.h"
#include "sluice/wave_scheduler.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

constexpr char kCommand[] = "review";

int RunReview(CommandContext& context) {
  absl::StatusOr<ParsedArgs> args =
      ParseArgs(context.args, {"--spec", "--fleet", "--rollout", "--out"}, {});
  if (!args.ok()) return UsageError(context, kCommand, args.status().message());
  if (args->positional.size() != 1) {
    return UsageError(context, kCommand, "expects exactly one EVENTS file");
  }
  const std::optional<std::string> spec_path = args->Flag("--spec");
  const std::optional<std::string> fleet_path = args->Flag("--fleet");
  if (spec_path.has_value() != fleet_path.has_value()) {
    return UsageError(context, kCommand,
                      spec_path.has_value() ? "--spec needs --fleet"
                                            : "--fleet needs --spec");
  }
  const std::string& events_path = args->positional[0];
  absl::StatusOr<std::vector<RolloutEvent>> events =
      ReadEventsFile(events_path);
  if (!events.ok()) return Fail(context, "", events.status());

  ReviewInput input;
  input.source = events_path;
  if (std::optional<std::string> name = args->Flag("--rollout")) {
    for (RolloutEvent& e : *events) {
      if (e.rollout == *name) input.events.push_back(std::move(e));
    }
    if (input.events.empty()) {
      return Fail(context, events_path,
                  absl::NotFoundError(absl::StrCat(
                      "--rollout: no event of rollout \"", *name, "\"")));
    }
  } else {
    input.events = *std::move(events);
  }

  std::optional<Fleet> fleet;
  std::optional<WavePlan> plan;
  if (spec_path.has_value()) {
    absl::StatusOr<RolloutSpec> spec = RolloutSpec::LoadFile(*spec_path);
    if (!spec.ok()) return Fail(context, "", spec.status());
    absl::StatusOr<Fleet> loaded = LoadFleetFile(*fleet_path);
    if (!loaded.ok()) return Fail(context, "", loaded.status());
    fleet = *std::move(loaded);
    absl::StatusOr<std::unique_ptr<WaveScheduler>> scheduler =
        NewScheduler(*spec);
    if (!scheduler.ok()) return Fail(context, *spec_path, scheduler.status());
    absl::StatusOr<WavePlan> planned = (*scheduler)->Plan(*fleet);
    if (!planned.ok()) {
      return Fail(
          context, *spec_path,
          absl::Status(planned.status().code(),
                       absl::StrCat("waves.", planned.status().message())));
    }
    plan = *std::move(planned);
    input.fleet = &*fleet;
    input.plan = &*plan;
  }

  absl::StatusOr<std::string> draft = ReviewDraft(input);
  if (!draft.ok()) return Fail(context, events_path, draft.status());
  if (std::optional<std::string> out = args->Flag("--out")) {
    if (absl::Status s = WriteStringToFile(*out, *draft); !s.ok()) {
      return Fail(context, "", s);
    }
    context.err << "wrote " << *out << "\n";
    return kExitOk;
  }
  context.out << *draft;
  return kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(review, kCommand,
                   "EVENTS [--spec SPEC --fleet FLEET] [--rollout NAME] "
                   "[--out FILE.md]",
                   "Write a post-incident review draft (Markdown) from a "
                   "rollout's events.",
                   RunReview);

}  // namespace sluice::cli
