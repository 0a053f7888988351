// Copyright 2026 The Sluice Authors.
//
// `sluice tune SPEC --fleet FLEET --history SERIES... [--max-false-rollbacks
// R] [--good-runs N] [--power-runs N] [--seed S] [--threads T] [--output
// FILE]`: calibrates a spec's gate parameters by Monte Carlo over recorded
// series (sluice/sim/tune.h) so the false-rollback rate meets the target at
// the highest power; prints the trade-off and writes the tuned spec (by
// default beside SPEC, as STEM.tuned.textproto).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "sluice/fleet.h"
#include "sluice/fleet_io.h"
#include "sluice/proto_io.h"
#include "sluice/sim/history.h"
#include "sluice/sim/monte_carlo.h"
#include "sluice/sim/tune.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

constexpr char kCommand[] = "tune";

std::string Rate(const sim::Proportion& p) {
  return absl::StrFormat("%5.1f%% (%.1f-%.1f%%)", 100 * p.rate, 100 * p.low,
                         100 * p.high);
}

std::string Row(const sim::TunePoint& p, absl::string_view note) {
  return absl::StrFormat(
      "  %8.3g %8.3g  %-22s %-22s %10s  %s\n", p.duration_scale, p.looseness,
      Rate(p.false_rollback), Rate(p.power),
      p.time_to_full_rollout_s.count > 0
          ? absl::StrFormat("%.0f min", p.time_to_full_rollout_s.p50 / 60)
          : std::string("-"),
      note);
}

std::string Value(const sim::SpecField& f, double v) {
  if (f.row->kind == sim::TunableField::Kind::kDuration &&
      std::string(f.row->field) != "count") {
    return absl::StrFormat("%gs", v);
  }
  return absl::StrFormat("%.6g", v);
}

int RunTune(CommandContext& context) {
  std::vector<std::string> raw = context.args;
  absl::StatusOr<std::vector<std::string>> history_paths =
      TakeListFlag(raw, "--history");
  if (!history_paths.ok()) {
    return UsageError(context, kCommand, history_paths.status().message());
  }
  absl::StatusOr<ParsedArgs> args =
      ParseArgs(raw,
                {"--fleet", "--max-false-rollbacks", "--good-runs",
                 "--power-runs", "--seed", "--threads", "--output"},
                {});
  if (!args.ok()) return UsageError(context, kCommand, args.status().message());
  if (args->positional.size() != 1) {
    return UsageError(context, kCommand, "expects exactly one SPEC");
  }
  const std::optional<std::string> fleet_path = args->Flag("--fleet");
  if (!fleet_path.has_value()) {
    return UsageError(context, kCommand, "--fleet is required");
  }
  if (history_paths->empty()) {
    return UsageError(context, kCommand, "--history is required");
  }
  sim::TuneOptions options;
  int exit_code = kExitUsage;
  const std::optional<double> target =
      DoubleFlag(context, kCommand, *args, "--max-false-rollbacks",
                 options.max_false_rollbacks, 1e-6, 0.999, &exit_code);
  if (!target.has_value()) return exit_code;
  const std::optional<int64_t> good_runs =
      IntFlag(context, kCommand, *args, "--good-runs", options.good_runs, 1,
              &exit_code);
  if (!good_runs.has_value()) return exit_code;
  const std::optional<int64_t> power_runs =
      IntFlag(context, kCommand, *args, "--power-runs", options.power_runs, 1,
              &exit_code);
  if (!power_runs.has_value()) return exit_code;
  const std::optional<int64_t> threads =
      IntFlag(context, kCommand, *args, "--threads", 0, 0, &exit_code);
  if (!threads.has_value()) return exit_code;
  const std::optional<uint64_t> seed =
      UintFlag(context, kCommand, *args, "--seed", 1, &exit_code);
  if (!seed.has_value()) return exit_code;
  options.max_false_rollbacks = *target;
  options.good_runs = *good_runs;
  options.power_runs = *power_runs;
  options.threads = static_cast<int>(*threads);
  options.seed = *seed;

  const std::string& spec_path = args->positional[0];
  absl::StatusOr<v1::RolloutSpec> spec = sim::ReadSpecMessage(spec_path);
  if (!spec.ok()) return Fail(context, "", spec.status());
  absl::StatusOr<Fleet> fleet = LoadFleetFile(*fleet_path);
  if (!fleet.ok()) return Fail(context, "", fleet.status());
  absl::StatusOr<std::vector<sim::HistorySeries>> history =
      sim::LoadHistory(*history_paths);
  if (!history.ok()) return Fail(context, "", history.status());

  const std::vector<sim::SpecField> fields = sim::FindTunableFields(*spec);
  context.out << "Tuning " << spec_path << " on " << *fleet_path << " ("
              << fleet->size() << " targets) over " << history->size()
              << " recorded series, for at most "
              << absl::StrFormat("%g%%", 100 * options.max_false_rollbacks)
              << " false rollbacks (" << options.good_runs
              << " good releases per point; power over errors x2 and x5 "
                 "everywhere and p99 +20%, "
              << options.power_runs << " runs each)\n";
  context.out << "Tunable fields:\n";
  for (const sim::SpecField& f : fields) {
    context.out << "  " << f.path << " = " << Value(f, f.original) << "  ("
                << f.row->meaning << ")\n";
  }
  if (context.err_is_terminal) {
    std::ostream& err = context.err;
    options.progress = [&err](int64_t done, int64_t total) {
      err << "\rtuning: point " << done << " of at most " << total
          << std::flush;
    };
  }
  absl::StatusOr<sim::TuneResult> result =
      sim::TuneSpec(*spec, *fleet, *history, options);
  if (context.err_is_terminal) context.err << "\n";
  if (!result.ok()) return Fail(context, spec_path, result.status());

  context.out << "\nTrade-off (D scales durations, L loosens limits):\n"
              << absl::StrFormat("  %8s %8s  %-22s %-22s %10s\n", "D", "L",
                                 "false rollbacks", "power", "full rollout");
  context.out << Row(result->original, "as written");
  for (const sim::TunePoint& p : result->curve) {
    const bool chosen = result->chosen.has_value() &&
                        result->chosen->duration_scale == p.duration_scale &&
                        result->chosen->looseness == p.looseness;
    context.out << Row(p, chosen       ? "<- chosen"
                          : p.feasible ? ""
                                       : "misses the target even at its "
                                         "loosest");
  }
  std::string comment = absl::StrFormat(
      "Tuned by `sluice tune` from %s for at most %g%% false rollbacks on %s "
      "over %d recorded series (seed %d).",
      spec_path, 100 * options.max_false_rollbacks, *fleet_path,
      history->size(), options.seed);
  if (result->chosen.has_value()) {
    const sim::TunePoint& c = *result->chosen;
    absl::StrAppend(
        &comment,
        absl::StrFormat("\nLooseness %.3g, duration scale %.3g: false "
                        "rollbacks %.1f%% (95%% interval %.1f-%.1f%%), "
                        "power %.1f%%.",
                        c.looseness, c.duration_scale,
                        100 * c.false_rollback.rate, 100 * c.false_rollback.low,
                        100 * c.false_rollback.high, 100 * c.power.rate));
    if (c.false_rollback.high > options.max_false_rollbacks) {
      // The fewest good releases whose interval, with none stopped, stays
      // within the target (its upper bound falls as the runs grow).
      auto resolves = [&](int64_t n) {
        return sim::WilsonInterval(0, n).high <= options.max_false_rollbacks;
      };
      int64_t enough = 1;
      while (!resolves(enough)) enough *= 2;
      for (int64_t lo = enough / 2 + 1; lo < enough;) {
        const int64_t mid = lo + (enough - lo) / 2;
        if (resolves(mid)) {
          enough = mid;
        } else {
          lo = mid + 1;
        }
      }
      const std::string note = absl::StrFormat(
          "%d good releases per point cannot show %g%%: the chosen point's "
          "95%% interval reaches %.1f%%. With none stopped, %d resolve it "
          "(--good-runs %d).",
          options.good_runs, 100 * options.max_false_rollbacks,
          100 * c.false_rollback.high, enough, enough);
      context.out << "\nNote: " << note << "\n";
      absl::StrAppend(&comment, "\nNote: ", note);
    }
  } else {
    context.out << "\nNo point met the target: the tuned spec is the "
                   "loosest tried; the gates cannot reach it by their "
                   "parameters alone.\n";
    absl::StrAppend(&comment,
                    "\nNo point met the target: this is the loosest tried.");
  }
  context.out << "\nTuned fields:\n";
  for (const sim::SpecField& f : result->fields) {
    context.out << "  " << f.path << ": " << Value(f, f.original) << " -> "
                << Value(f, f.tuned) << "\n";
  }
  std::string output = args->Flag("--output").value_or("");
  if (output.empty()) {
    const std::filesystem::path path(spec_path);
    output = (path.parent_path() / (path.stem().string() + ".tuned.textproto"))
                 .string();
  }
  if (absl::Status status = sluice::WriteStringToFile(
          output, sim::SpecToText(result->tuned, comment));
      !status.ok()) {
    return Fail(context, "", status);
  }
  context.out << "\nWrote " << output << "\n";
  return result->chosen.has_value() ? kExitOk : kExitFailure;
}

}  // namespace

SLUICE_CLI_COMMAND(
    tune, "tune",
    "SPEC --fleet FLEET --history SERIES... [--max-false-rollbacks R] "
    "[--good-runs N] [--power-runs N] [--seed S] [--threads T] "
    "[--output FILE]",
    "Calibrate a spec's gates on recorded series for a false-rollback "
    "target at the highest power; write the tuned spec.",
    RunTune);

}  // namespace sluice::cli
