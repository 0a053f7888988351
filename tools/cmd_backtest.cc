// Copyright 2026 The Sluice Authors.
//
// `sluice backtest SPEC --history SERIES... [--fleet FLEET] [--every D]
// [--canary-targets N] [--hours H] [--seed S] [--format table|json]`: runs
// a spec's gates over recorded series (sluice/sim/backtest.h) and lists
// every verdict, with each gate's false-alarm rate. Without --fleet,
// examples/fleets/three_regions.csv.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/fleet_io.h"
#include "sluice/proto_io.h"
#include "sluice/sim/backtest.h"
#include "sluice/sim/history.h"
#include "sluice/sim/tune.h"
#include "sluice/verdict.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

constexpr char kCommand[] = "backtest";
constexpr char kDefaultFleet[] = "examples/fleets/three_regions.csv";

std::string Clock(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", t, absl::UTCTimeZone());
}

std::string Json(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

int RunBacktest(CommandContext& context) {
  std::vector<std::string> raw = context.args;
  absl::StatusOr<std::vector<std::string>> history_paths =
      TakeListFlag(raw, "--history");
  if (!history_paths.ok()) {
    return UsageError(context, kCommand, history_paths.status().message());
  }
  absl::StatusOr<ParsedArgs> args =
      ParseArgs(raw,
                {"--fleet", "--every", "--canary-targets", "--hours", "--seed",
                 "--format"},
                {});
  if (!args.ok()) return UsageError(context, kCommand, args.status().message());
  if (args->positional.size() != 1) {
    return UsageError(context, kCommand, "expects exactly one SPEC");
  }
  if (history_paths->empty()) {
    return UsageError(context, kCommand, "--history is required");
  }
  const std::string format = args->Flag("--format").value_or("table");
  if (format != "table" && format != "json") {
    return UsageError(
        context, kCommand,
        absl::StrCat("--format: must be table or json (got \"", format, "\")"));
  }
  sim::BacktestSpecOptions options;
  if (std::optional<std::string> every = args->Flag("--every")) {
    absl::Duration d;
    if (!absl::ParseDuration(*every, &d) || d <= absl::ZeroDuration()) {
      return UsageError(
          context, kCommand,
          absl::StrCat("--every: must be a positive duration such as 30m or "
                       "2h (got \"",
                       *every, "\")"));
    }
    options.every = d;
  }
  int exit_code = kExitUsage;
  const std::optional<int64_t> canary =
      IntFlag(context, kCommand, *args, "--canary-targets", 1, 1, &exit_code);
  if (!canary.has_value()) return exit_code;
  const std::optional<double> hours = DoubleFlag(
      context, kCommand, *args, "--hours", 0, 0, 24 * 366, &exit_code);
  if (!hours.has_value()) return exit_code;
  const std::optional<uint64_t> seed =
      UintFlag(context, kCommand, *args, "--seed", 1, &exit_code);
  if (!seed.has_value()) return exit_code;
  options.canary_targets = static_cast<int>(*canary);
  if (*hours > 0) options.span = absl::Seconds(std::round(*hours * 3600));
  options.seed = *seed;

  const std::string& spec_path = args->positional[0];
  absl::StatusOr<v1::RolloutSpec> spec = sim::ReadSpecMessage(spec_path);
  if (!spec.ok()) return Fail(context, "", spec.status());
  const std::string fleet_path = args->Flag("--fleet").value_or(kDefaultFleet);
  absl::StatusOr<Fleet> fleet = LoadFleetFile(fleet_path);
  if (!fleet.ok()) return Fail(context, "", fleet.status());
  absl::StatusOr<std::vector<sim::HistorySeries>> history =
      sim::LoadHistory(*history_paths);
  if (!history.ok()) return Fail(context, "", history.status());
  absl::StatusOr<std::vector<sim::GateBacktest>> backtests =
      sim::BacktestSpec(*spec, *fleet, *history, options);
  if (!backtests.ok()) return Fail(context, spec_path, backtests.status());

  if (format == "json") {
    context.out << "{\"spec\": " << Json(spec_path) << ", \"gates\": [";
    for (size_t g = 0; g < backtests->size(); ++g) {
      const sim::GateBacktest& b = (*backtests)[g];
      const sim::BacktestResult& r = b.result;
      context.out << (g ? ", " : "") << "{\"stage\": " << Json(b.stage)
                  << ", \"gate\": " << Json(b.gate)
                  << ", \"evaluations\": " << r.evaluations
                  << ", \"failed\": " << r.failed
                  << ", \"inconclusive\": " << r.inconclusive
                  << ", \"errors\": " << r.errors
                  << ", \"false_alarm_rate\": " << r.false_alarm_rate.rate
                  << ", \"verdicts\": [";
      for (size_t i = 0; i < r.verdicts.size(); ++i) {
        const sim::BacktestVerdict& v = r.verdicts[i];
        context.out << (i ? ", " : "") << "{\"at\": "
                    << Json(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", v.at,
                                             absl::UTCTimeZone()))
                    << ", \"decided_at\": "
                    << Json(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", v.decided_at,
                                             absl::UTCTimeZone()))
                    << ", \"outcome\": " << Json(OutcomeName(v.outcome))
                    << ", \"gate\": " << Json(v.gate)
                    << ", \"reason\": " << Json(v.reason) << "}";
      }
      context.out << "]}";
    }
    context.out << "]}\n";
    return kExitOk;
  }
  context.out << "Backtest of " << spec_path << " on " << fleet_path << " ("
              << fleet->size() << " targets; canary: the first "
              << options.canary_targets << ") over " << history->size()
              << " recorded series, every "
              << absl::FormatDuration(options.every) << ":\n";
  for (const sim::HistorySeries& h : *history) {
    context.out << "  " << h.path << ": " << h.series << "\n";
  }
  for (const sim::GateBacktest& b : *backtests) {
    const sim::BacktestResult& r = b.result;
    context.out << "\nGate \"" << b.gate << "\""
                << (b.stage.empty() ? " (default)"
                                    : absl::StrCat(" (stage ", b.stage, ")"))
                << ": " << r.evaluations << " evaluations, " << r.failed
                << " failed, " << r.inconclusive << " inconclusive, "
                << r.errors << " errors; false alarms "
                << absl::StrFormat("%.1f%% (95%% CI %.1f%% to %.1f%%)",
                                   100 * r.false_alarm_rate.rate,
                                   100 * r.false_alarm_rate.low,
                                   100 * r.false_alarm_rate.high)
                << "\n";
    for (const sim::BacktestVerdict& v : r.verdicts) {
      context.out << "  " << Clock(v.at) << "  "
                  << absl::StrFormat("%-12s", OutcomeName(v.outcome)) << " "
                  << "(" << Clock(v.decided_at) << ") " << v.gate;
      if (!v.reason.empty()) {
        constexpr size_t kMax = 140;
        context.out << ": "
                    << (v.reason.size() > kMax
                            ? v.reason.substr(0, kMax - 3) + "..."
                            : v.reason);
      }
      context.out << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(
    backtest, "backtest",
    "SPEC --history SERIES... [--fleet FLEET] [--every D] "
    "[--canary-targets N] [--hours H] [--seed S] [--format table|json]",
    "Run a spec's gates over recorded series and list every verdict (a "
    "retrospective analysis of false alarms).",
    RunBacktest);

}  // namespace sluice::cli
