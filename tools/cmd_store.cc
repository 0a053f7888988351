// Copyright 2026 The Sluice Authors.
//
// Operator commands through a rollout store (issue 12):
//
//   sluice pause|resume|abort|approve|reject|promote|retry ROLLOUT
//       --store URL --by WHO --fleet FLEET
//   sluice status [ROLLOUT] --store URL [--fleet FLEET]
//       [--watch | --watch-for DURATION]
//   sluice status SNAPSHOT_FILE [--fleet FLEET]
//
// URL: sqlite:PATH, postgres://... or postgresql://... (libpq URIs, e.g.
// postgresql:///deploys?host=/run/pg). A command goes through the store's
// compare-and-swap (read, restore, command, swap; retried on a lost race),
// so it is safe while controllers run; the rollout is then due at once and
// its controller acts on it. Restoring needs the fleet the rollout was made
// for (the snapshot holds only its fingerprint), hence --fleet; `status`
// shows a rollout's blockers (Rollout::Blockers()) only with --fleet.

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "sluice/blocker.h"
#include "sluice/clock.h"
#include "sluice/fleet_io.h"
#include "sluice/rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/store/controller.h"
#include "sluice/store/rollout_store.h"
#include "tools/cli.h"
#ifdef SLUICE_HAVE_STORE_SQLITE
#include "sluice/store/sqlite_store.h"
#endif
#ifdef SLUICE_HAVE_STORE_POSTGRES
#include "sluice/store/postgres_store.h"
#endif

namespace sluice::cli {

absl::StatusOr<std::unique_ptr<RolloutStore>> OpenStore(
    const std::string& url) {
  if (absl::StartsWith(url, "sqlite:")) {
#ifdef SLUICE_HAVE_STORE_SQLITE
    absl::StatusOr<std::unique_ptr<SqliteStore>> s =
        SqliteStore::Open(url.substr(7));
    if (!s.ok()) return s.status();
    return std::unique_ptr<RolloutStore>(std::move(*s));
#else
    return absl::FailedPreconditionError(
        "--store: this sluice was built without SQLite (SLUICE_STORE_SQLITE)");
#endif
  }
  if (absl::StartsWith(url, "postgres://") ||
      absl::StartsWith(url, "postgresql://")) {
#ifdef SLUICE_HAVE_STORE_POSTGRES
    absl::StatusOr<std::unique_ptr<PostgresStore>> s = PostgresStore::Open(url);
    if (!s.ok()) return s.status();
    return std::unique_ptr<RolloutStore>(std::move(*s));
#else
    return absl::FailedPreconditionError(
        "--store: this sluice was built without PostgreSQL "
        "(SLUICE_STORE_POSTGRES)");
#endif
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--store: unknown URL \"", url,
      "\" (expected sqlite:PATH, postgres://... or postgresql://...)"));
}

namespace {

int RunOperator(CommandContext& context, const char* name) {
  absl::StatusOr<ParsedArgs> args =
      ParseArgs(context.args, {"--store", "--by", "--fleet"}, {});
  if (!args.ok()) return UsageError(context, name, args.status().message());
  if (args->positional.size() != 1) {
    return UsageError(context, name, "expects exactly one ROLLOUT");
  }
  for (const char* flag : {"--store", "--by", "--fleet"}) {
    if (!args->Flag(flag).has_value()) {
      return UsageError(context, name, absl::StrCat(flag, ": required"));
    }
  }
  absl::StatusOr<OperatorCommand> command = ParseOperatorCommand(name);
  if (!command.ok()) return Fail(context, "", command.status());
  absl::StatusOr<Fleet> fleet = LoadFleetFile(*args->Flag("--fleet"));
  if (!fleet.ok()) return Fail(context, "", fleet.status());
  absl::StatusOr<std::unique_ptr<RolloutStore>> store =
      OpenStore(*args->Flag("--store"));
  if (!store.ok()) return Fail(context, "", store.status());
  const std::string& id = args->positional[0];
  RolloutConfig config;
  config.fleet = std::make_shared<const Fleet>(*std::move(fleet));
  absl::StatusOr<StoredRollout> row = (*store)->Get(id);
  if (!row.ok()) return Fail(context, "", row.status());
  absl::StatusOr<v1::RolloutState> state = ParseRolloutState(row->state);
  if (!state.ok()) return Fail(context, id, state.status());
  config.options.version = state->version();
  config.options.previous_version = state->previous_version();
  config.options.name = state->name();
  // Only a command, without the gates: the snapshot's configuration record
  // is kept (the controllers compare it when they step).
  config.restore.check_config = false;
  absl::Status s = ApplyCommand(**store, id, config, Clock::Real(), *command,
                                *args->Flag("--by"));
  if (!s.ok()) return Fail(context, id, s);
  absl::StatusOr<StoredRollout> after = (*store)->Get(id);
  if (!after.ok()) return Fail(context, id, after.status());
  context.out << id << ": " << name << " by " << *args->Flag("--by")
              << " applied; now " << after->status << " (state version "
              << after->version << ")\n";
  return kExitOk;
}

// One rollout's status from its snapshot bytes.
void PrintStatus(std::ostream& out, const std::string& id,
                 const v1::RolloutState& s, absl::Time wakeup) {
  out << id << ": " << s.status() << ", wave " << s.current_wave() << " of "
      << s.waves_size() << " (" << s.phase() << "), " << s.version()
      << " (rollback to " << s.previous_version() << "), state version "
      << s.state_version() << ", " << s.event_sequence() << " events\n";
  if (wakeup != absl::InfiniteFuture() && wakeup != absl::InfinitePast()) {
    out << "  next wakeup: " << absl::FormatTime(wakeup) << "\n";
  }
  if (s.has_verdict()) {
    out << "  last verdict: [" << s.last_verdict().outcome() << "] "
        << s.last_verdict().gate() << ": " << s.last_verdict().reason() << "\n";
  }
  for (const v1::ActionRecord& a : s.actions()) {
    if (a.state() != 0) continue;  // complete or cancelled
    if (a.kind() != "deploy" && a.kind() != "set-traffic" &&
        a.kind() != "roll-back") {
      continue;
    }
    out << "  pending: " << a.id() << " (" << a.kind() << " " << a.version()
        << ", " << a.remaining() << " of " << a.total()
        << " targets awaiting outcomes)\n";
  }
}

// One rollout's blockers at `now`: the rollout restored from `snapshot` with
// `fleet` (null: says that blockers need --fleet). The options a snapshot
// does not hold (gates, policy) are the defaults: gate blockers that come
// from the host's gates are not shown, the ones in the state (bakes,
// approvals, pauses, actions in flight, backoffs) are.
absl::Status PrintBlockers(std::ostream& out, const v1::RolloutState& state,
                           const std::string& snapshot, const Fleet* fleet,
                           absl::Time now) {
  if (fleet == nullptr) {
    out << "  blockers: need --fleet FLEET (the fleet the rollout was made "
           "for)\n";
    return absl::OkStatus();
  }
  RolloutOptions options;
  options.version = state.version();
  options.previous_version = state.previous_version();
  options.name = state.name();
  absl::StatusOr<std::unique_ptr<Rollout>> rollout =
      Rollout::Restore(*fleet, std::move(options), snapshot);
  if (!rollout.ok()) return rollout.status();
  std::vector<Blocker> blockers = (*rollout)->Blockers(now);
  if (blockers.empty()) out << "  blockers: none\n";
  for (const Blocker& b : blockers) {
    out << "  blocker: " << BlockerKindName(b.kind) << ": "
        << DescribeBlocker(b, now) << "\n";
  }
  return absl::OkStatus();
}

int RunStatus(CommandContext& context) {
  absl::StatusOr<ParsedArgs> args = ParseArgs(
      context.args, {"--store", "--fleet", "--watch-for"}, {"--watch"});
  if (!args.ok()) return UsageError(context, "status", args.status().message());
  if (args->positional.size() > 1) {
    return UsageError(context, "status", "expects at most one ROLLOUT");
  }
  std::optional<Fleet> fleet;
  if (std::optional<std::string> file = args->Flag("--fleet")) {
    absl::StatusOr<Fleet> loaded = LoadFleetFile(*file);
    if (!loaded.ok()) return Fail(context, "", loaded.status());
    fleet = *std::move(loaded);
  }
  const Fleet* fleet_or_null = fleet.has_value() ? &*fleet : nullptr;
  // --watch-for DURATION: a bounded --watch (for scripts and tests).
  absl::Time watch_until = absl::InfiniteFuture();
  const bool bounded = args->Flag("--watch-for").has_value();
  if (bounded) {
    absl::Duration d;
    if (!absl::ParseDuration(*args->Flag("--watch-for"), &d) ||
        d < absl::ZeroDuration()) {
      return UsageError(context, "status",
                        absl::StrCat("--watch-for: expected a duration >= 0 "
                                     "such as 30s or 5m, got \"",
                                     *args->Flag("--watch-for"), "\""));
    }
    watch_until = absl::Now() + d;
  }
  std::optional<std::string> url = args->Flag("--store");
  if (!url.has_value() && (bounded || args->Flag("--watch").has_value())) {
    return UsageError(context, "status", "--watch needs --store URL");
  }
  if (!url.has_value()) {
    // A snapshot file.
    if (args->positional.size() != 1) {
      return UsageError(context, "status",
                        "expects a SNAPSHOT file, or --store URL");
    }
    std::ifstream in(args->positional[0], std::ios::binary);
    if (!in) {
      return Fail(context, args->positional[0],
                  absl::NotFoundError("cannot open"));
    }
    std::stringstream bytes;
    bytes << in.rdbuf();
    absl::StatusOr<v1::RolloutState> state = ParseRolloutState(bytes.str());
    if (!state.ok()) return Fail(context, args->positional[0], state.status());
    PrintStatus(context.out,
                state->name().empty() ? args->positional[0] : state->name(),
                *state, absl::InfiniteFuture());
    absl::Status s = PrintBlockers(context.out, *state, bytes.str(),
                                   fleet_or_null, absl::Now());
    if (!s.ok()) return Fail(context, args->positional[0], s);
    return kExitOk;
  }
  absl::StatusOr<std::unique_ptr<RolloutStore>> store = OpenStore(*url);
  if (!store.ok()) return Fail(context, "", store.status());
  const bool watch = bounded || args->Flag("--watch").has_value();
  while (true) {
    std::vector<std::string> ids;
    if (args->positional.size() == 1) {
      ids.push_back(args->positional[0]);
    } else {
      absl::StatusOr<std::vector<std::string>> all = (*store)->List();
      if (!all.ok()) return Fail(context, "", all.status());
      ids = *std::move(all);
    }
    bool all_terminal = true;
    for (const std::string& id : ids) {
      absl::StatusOr<StoredRollout> row = (*store)->Get(id);
      if (!row.ok()) return Fail(context, "", row.status());
      absl::StatusOr<v1::RolloutState> state = ParseRolloutState(row->state);
      if (!state.ok()) return Fail(context, id, state.status());
      PrintStatus(context.out, id, *state, row->next_wakeup);
      absl::Status s = PrintBlockers(context.out, *state, row->state,
                                     fleet_or_null, absl::Now());
      if (!s.ok()) return Fail(context, id, s);
      all_terminal = all_terminal && row->terminal;
    }
    if (!watch || all_terminal) return kExitOk;
    // Until something changes (PostgreSQL's NOTIFY, SQLite's data version).
    const absl::Time now = absl::Now();
    if (now >= watch_until) return kExitOk;
    (void)(*store)->WaitForChange(
        std::min(absl::Seconds(2), watch_until - now));
    context.out << "--\n";
  }
}

int RunPause(CommandContext& c) { return RunOperator(c, "pause"); }
int RunResume(CommandContext& c) { return RunOperator(c, "resume"); }
int RunAbort(CommandContext& c) { return RunOperator(c, "abort"); }
int RunApprove(CommandContext& c) { return RunOperator(c, "approve"); }
int RunReject(CommandContext& c) { return RunOperator(c, "reject"); }
int RunPromote(CommandContext& c) { return RunOperator(c, "promote"); }
int RunRetry(CommandContext& c) { return RunOperator(c, "retry"); }

constexpr char kOperatorUsage[] = "ROLLOUT --store URL --by WHO --fleet FLEET";

}  // namespace

SLUICE_CLI_COMMAND(pause, "pause", kOperatorUsage,
                   "Pause a rollout in a store.", RunPause);
SLUICE_CLI_COMMAND(resume, "resume", kOperatorUsage,
                   "Resume a paused rollout in a store.", RunResume);
SLUICE_CLI_COMMAND(abort, "abort", kOperatorUsage,
                   "Abort (roll back) a rollout in a store.", RunAbort);
SLUICE_CLI_COMMAND(approve, "approve", kOperatorUsage,
                   "Approve a rollout's pending approval in a store.",
                   RunApprove);
SLUICE_CLI_COMMAND(reject, "reject", kOperatorUsage,
                   "Reject a rollout's pending approval in a store.",
                   RunReject);
SLUICE_CLI_COMMAND(promote, "promote", kOperatorUsage,
                   "Promote a rollout in a store (skip gates and bakes).",
                   RunPromote);
SLUICE_CLI_COMMAND(retry, "retry", kOperatorUsage,
                   "Retry a rollout's failed wave in a store.", RunRetry);
SLUICE_CLI_COMMAND(
    status, "status",
    "[ROLLOUT] --store URL [--fleet FLEET] "
    "[--watch | --watch-for DURATION] | SNAPSHOT [--fleet FLEET]",
    "Show rollouts in a store (or a snapshot file); their "
    "blockers with --fleet.",
    RunStatus);

}  // namespace sluice::cli
