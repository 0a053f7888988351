// Copyright 2026 The Sluice Authors.
//
// `sluice efficacy [SPEC...] [--fleet FLEET] [--history PATH...] [--runs N]
// [--good-runs N] [--seed S] [--threads T] [--traffic-cv X] [--error-cv X]
// [--latency-cv X] [--explain-false-rollbacks N]
// [--format table|markdown|json]`: the efficacy benchmark
// (sluice/sim/efficacy.h, docs/efficacy.md). Without SPECs, every gated
// spec of examples/specs; without --history, examples/data; without
// --fleet, examples/fleets/three_regions.csv. Per spec it prints the
// headline (the goals) and a row per release family; with
// --explain-false-rollbacks N, the first N stopped good releases with the
// verdict that stopped each and the numbers it was decided on.

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/fleet_io.h"
#include "sluice/proto_io.h"
#include "sluice/rollback_policy.h"
#include "sluice/sim/efficacy.h"
#include "sluice/sim/history.h"
#include "sluice/sim/monte_carlo.h"
#include "sluice/sim/result_proto.h"
#include "sluice/sim/tune.h"
#include "sluice/spec.h"
#include "sluice/verdict.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

constexpr char kCommand[] = "efficacy";
constexpr char kDefaultSpecs[] = "examples/specs";
constexpr char kDefaultHistory[] = "examples/data";
constexpr char kDefaultFleet[] = "examples/fleets/three_regions.csv";

std::string Percent(const sim::Proportion& p) {
  if (p.trials == 0) return "-";
  return absl::StrFormat("%.1f%%", 100 * p.rate);
}

std::string PercentWithCi(const sim::Proportion& p) {
  if (p.trials == 0) return "n/a";
  return absl::StrFormat("%.1f%% (%.1f-%.1f%%, n=%d)", 100 * p.rate,
                         100 * p.low, 100 * p.high, p.trials);
}

std::string Minutes(const sim::Distribution& d) {
  if (d.count == 0) return "-";
  return absl::StrFormat("%.1f", d.p50 / 60);
}

std::string Share(const sim::Distribution& d) {
  if (d.count == 0) return "-";
  return absl::StrFormat("%.1f%%", 100 * d.p50);
}

std::string Triggers(const std::vector<sim::TriggerCount>& triggers) {
  std::string text;
  for (const sim::TriggerCount& t : triggers) {
    absl::StrAppend(&text, text.empty() ? "" : ", ", t.trigger, " ", t.count);
  }
  return text.empty() ? "-" : text;
}

// "gate-fail 12 [errors-vs-baseline 9, latency-vs-baseline 3]".
std::string Stops(const std::vector<sim::TriggerCount>& triggers,
                  const std::vector<sim::TriggerCount>& gates) {
  std::string text = Triggers(triggers);
  if (!gates.empty()) absl::StrAppend(&text, " [", Triggers(gates), "]");
  return text;
}

// Stops() of good releases, then where: "gate-fail 3 [errors-vs-baseline 3];
// by stage zone 2, one-box 1".
std::string FalseStops(const sim::MonteCarloSummary& s) {
  std::string text = Stops(s.false_rollback_triggers, s.false_rollback_gates);
  if (!s.false_rollback_stages.empty()) {
    absl::StrAppend(&text, "; by stage ", Triggers(s.false_rollback_stages));
  }
  return text;
}

// The gated specs of a directory: every *.textproto with a gate policy.
std::vector<std::string> GatedSpecs(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string path = entry.path().string();
    if (!absl::EndsWith(path, ".textproto")) continue;
    absl::StatusOr<v1::RolloutSpec> spec = sim::ReadSpecMessage(path);
    if (spec.ok() && !sim::FindTunableFields(*spec).empty()) {
      out.push_back(path);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void PrintHeadline(std::ostream& out, const sim::SpecEfficacy& e) {
  const sim::EfficacyHeadline& h = e.headline;
  out << "  errors x2 everywhere: caught in the first zone "
      << PercentWithCi(h.x2_caught_in_first_zone)
      << "; before the first region completes "
      << PercentWithCi(h.x2_caught_before_region_complete) << "\n";
  out << "  errors x5 everywhere: caught in the first zone "
      << PercentWithCi(h.x5_caught_in_first_zone) << "\n";
  out << "  p99 +20%: detected " << PercentWithCi(h.p99_20_detected)
      << "; in the first zone " << PercentWithCi(h.p99_20_caught_in_first_zone)
      << "\n";
  out << "  good releases stopped (false rollbacks) "
      << PercentWithCi(h.false_rollback) << "; by trigger "
      << FalseStops(e.good) << "\n";
  out << "  errors x2 everywhere: median time to detect "
      << Minutes(h.x2_time_to_detect_s) << " min, median blast radius "
      << Share(h.x2_max_bad_weight_share) << " of weight\n";
}

// The failing verdict's observations, innermost failing child first.
void PrintObservations(std::ostream& out, const Verdict& v,
                       const std::string& indent) {
  if (!v.observations.empty()) {
    out << indent << v.gate << ":";
    for (const Observation& o : v.observations) {
      out << " " << o.name << "=" << o.value;
    }
    out << "\n";
  }
  for (const Verdict& d : v.details) {
    if (d.outcome != Outcome::kPass) PrintObservations(out, d, indent);
  }
}

// The stopped good releases of --explain-false-rollbacks, after a spec's
// figures.
void PrintStops(std::ostream& out, const sim::SpecEfficacy& e,
                const std::string& indent) {
  if (e.false_rollback_stops.empty()) return;
  out << "\n"
      << indent << "Good releases stopped (the first "
      << e.false_rollback_stops.size() << " of "
      << e.good.false_rollback.successes << "):\n";
  for (const sim::FalseRollbackStop& stop : e.false_rollback_stops) {
    const sim::RunOutcome& o = stop.outcome;
    out << indent << "- " << stop.family << ", run " << stop.run << " (seed "
        << stop.seed << "): wave " << o.stop_wave << " (" << o.stop_stage
        << ") at "
        << absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", stop.event.time,
                            absl::UTCTimeZone())
        << ", "
        << (o.stop_trigger.has_value() ? FailureTriggerName(*o.stop_trigger)
                                       : "no trigger")
        << "\n";
    if (stop.event.verdict.has_value()) {
      for (absl::string_view line :
           absl::StrSplit(stop.event.verdict->ToString(), '\n')) {
        out << indent << "    " << line << "\n";
      }
      PrintObservations(out, *stop.event.verdict, indent + "    ");
    } else {
      out << indent << "    " << stop.event.message << "\n";
    }
  }
}

void PrintTable(std::ostream& out, const sim::SpecEfficacy& e,
                const std::string& path) {
  out << "\nSpec: " << e.spec << " (" << path << ")\n";
  PrintHeadline(out, e);
  out << absl::StrFormat("  %-28s %6s %8s %8s %8s %8s %8s %8s %8s %9s  %s\n",
                         "family", "runs", "stopped", "detected", "1st zone",
                         "<region", "escaped", "ttd min", "harm min",
                         "blast p50", "stops by trigger");
  for (const sim::FamilyEfficacy& f : e.families) {
    const sim::MonteCarloSummary& s = f.summary;
    if (!f.bad) {
      out << absl::StrFormat(
          "  %-28s %6d %8s %8s %8s %8s %8s %8s %8s %9s  %s\n", f.family, s.runs,
          Percent(s.false_rollback), "-", "-", "-", "-", "-", "-", "-",
          FalseStops(s));
      continue;
    }
    int64_t stops = 0;
    for (const sim::TriggerCount& t : s.bad_release_stop_triggers) {
      stops += t.count;
    }
    out << absl::StrFormat(
        "  %-28s %6d %8s %8s %8s %8s %8s %8s %8s %9s  %s\n", f.family, s.runs,
        Percent(sim::WilsonInterval(stops, s.runs)), Percent(s.detection),
        Percent(s.caught_in_first_zone),
        Percent(s.caught_before_region_complete), Percent(s.escaped),
        Minutes(s.time_to_detect_s), Minutes(s.time_to_detect_from_harm_s),
        Share(s.max_bad_weight_share),
        Stops(s.bad_release_stop_triggers, s.bad_release_stop_gates));
  }
}

void PrintMarkdown(std::ostream& out,
                   const std::vector<sim::SpecEfficacy>& results,
                   const std::vector<std::string>& paths) {
  out << "| spec | x2 caught in 1st zone | x5 caught in 1st zone | x2 before "
         "a region completes | p99 +20% detected | false rollbacks | x2 "
         "median time to detect | x2 median blast radius |\n"
         "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (size_t i = 0; i < results.size(); ++i) {
    const sim::EfficacyHeadline& h = results[i].headline;
    out << "| `" << std::filesystem::path(paths[i]).stem().string() << "` | "
        << Percent(h.x2_caught_in_first_zone) << " | "
        << Percent(h.x5_caught_in_first_zone) << " | "
        << Percent(h.x2_caught_before_region_complete) << " | "
        << Percent(h.p99_20_detected) << " | " << Percent(h.false_rollback)
        << " | " << Minutes(h.x2_time_to_detect_s) << " min | "
        << Share(h.x2_max_bad_weight_share) << " |\n";
  }
  for (size_t i = 0; i < results.size(); ++i) {
    const sim::SpecEfficacy& e = results[i];
    out << "\n`" << std::filesystem::path(paths[i]).stem().string()
        << "`: good releases stopped " << PercentWithCi(e.good.false_rollback)
        << "; by trigger " << FalseStops(e.good)
        << "\n\n| family | stopped | detected | in 1st zone | before a "
           "region completes | escaped | time to detect p50 (min) | from "
           "harm p50 (min) | blast radius p50 | stops by trigger |\n"
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
           "--- |\n";
    for (const sim::FamilyEfficacy& f : e.families) {
      const sim::MonteCarloSummary& s = f.summary;
      if (!f.bad) {
        out << "| " << f.family << " | " << Percent(s.false_rollback)
            << " | | | | | | | | " << FalseStops(s) << " |\n";
        continue;
      }
      int64_t stops = 0;
      for (const sim::TriggerCount& t : s.bad_release_stop_triggers) {
        stops += t.count;
      }
      out << "| " << f.family << " | "
          << Percent(sim::WilsonInterval(stops, s.runs)) << " | "
          << Percent(s.detection) << " | " << Percent(s.caught_in_first_zone)
          << " | " << Percent(s.caught_before_region_complete) << " | "
          << Percent(s.escaped) << " | " << Minutes(s.time_to_detect_s) << " | "
          << Minutes(s.time_to_detect_from_harm_s) << " | "
          << Share(s.max_bad_weight_share) << " | "
          << Stops(s.bad_release_stop_triggers, s.bad_release_stop_gates)
          << " |\n";
    }
  }
}

int RunEfficacyCommand(CommandContext& context) {
  std::vector<std::string> raw = context.args;
  absl::StatusOr<std::vector<std::string>> history_paths =
      TakeListFlag(raw, "--history");
  if (!history_paths.ok()) {
    return UsageError(context, kCommand, history_paths.status().message());
  }
  absl::StatusOr<ParsedArgs> args =
      ParseArgs(raw,
                {"--fleet", "--runs", "--good-runs", "--seed", "--threads",
                 "--traffic-cv", "--error-cv", "--latency-cv", "--format",
                 "--explain-false-rollbacks"},
                {});
  if (!args.ok()) return UsageError(context, kCommand, args.status().message());
  const std::string format = args->Flag("--format").value_or("table");
  if (format != "table" && format != "markdown" && format != "json") {
    return UsageError(context, kCommand,
                      absl::StrCat("--format: must be table, markdown or json "
                                   "(got \"",
                                   format, "\")"));
  }
  int exit_code = kExitUsage;
  sim::EfficacyOptions options;
  const std::optional<int64_t> runs =
      IntFlag(context, kCommand, *args, "--runs", options.runs, 1, &exit_code);
  if (!runs.has_value()) return exit_code;
  const std::optional<int64_t> good_runs =
      IntFlag(context, kCommand, *args, "--good-runs", options.good_runs, 1,
              &exit_code);
  if (!good_runs.has_value()) return exit_code;
  const std::optional<int64_t> threads =
      IntFlag(context, kCommand, *args, "--threads", 0, 0, &exit_code);
  if (!threads.has_value()) return exit_code;
  const std::optional<uint64_t> seed =
      UintFlag(context, kCommand, *args, "--seed", 1, &exit_code);
  if (!seed.has_value()) return exit_code;
  const std::optional<double> traffic_cv =
      DoubleFlag(context, kCommand, *args, "--traffic-cv",
                 options.replay.traffic_cv, 0, 10, &exit_code);
  if (!traffic_cv.has_value()) return exit_code;
  const std::optional<double> error_cv =
      DoubleFlag(context, kCommand, *args, "--error-cv",
                 options.replay.error_cv, 0, 10, &exit_code);
  if (!error_cv.has_value()) return exit_code;
  const std::optional<double> latency_cv =
      DoubleFlag(context, kCommand, *args, "--latency-cv",
                 options.replay.latency_cv, 0, 10, &exit_code);
  if (!latency_cv.has_value()) return exit_code;
  const std::optional<int64_t> explain = IntFlag(
      context, kCommand, *args, "--explain-false-rollbacks", 0, 0, &exit_code);
  if (!explain.has_value()) return exit_code;
  options.explain_false_rollbacks = *explain;
  options.runs = *runs;
  options.good_runs = *good_runs;
  options.threads = static_cast<int>(*threads);
  options.seed = *seed;
  options.replay = {*traffic_cv, *error_cv, *latency_cv};

  std::vector<std::string> spec_paths = args->positional;
  if (spec_paths.empty()) {
    spec_paths = GatedSpecs(kDefaultSpecs);
    if (spec_paths.empty()) {
      return UsageError(
          context, kCommand,
          absl::StrCat("no SPEC given and no gated spec in ", kDefaultSpecs));
    }
  }
  if (history_paths->empty()) history_paths->push_back(kDefaultHistory);
  absl::StatusOr<std::vector<sim::HistorySeries>> history =
      sim::LoadHistory(*history_paths);
  if (!history.ok()) return Fail(context, "", history.status());
  const std::string fleet_path = args->Flag("--fleet").value_or(kDefaultFleet);
  absl::StatusOr<Fleet> fleet = LoadFleetFile(fleet_path);
  if (!fleet.ok()) return Fail(context, "", fleet.status());

  std::vector<RolloutSpec> specs;
  for (const std::string& path : spec_paths) {
    absl::StatusOr<RolloutSpec> spec = RolloutSpec::LoadFile(path);
    if (!spec.ok()) return Fail(context, "", spec.status());
    specs.push_back(*std::move(spec));
  }
  const bool progress = context.err_is_terminal;
  std::vector<sim::SpecEfficacy> results;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (progress) {
      std::ostream& err = context.err;
      const std::string name =
          std::filesystem::path(spec_paths[i]).stem().string();
      options.progress = [&err, name](int64_t done, int64_t total) {
        err << "\r" << name << ": " << done << "/" << total << " runs"
            << std::flush;
      };
    }
    absl::StatusOr<sim::SpecEfficacy> result =
        sim::RunEfficacy(specs[i], *fleet, *history, options);
    if (progress) context.err << "\n";
    if (!result.ok()) return Fail(context, spec_paths[i], result.status());
    results.push_back(*std::move(result));
  }

  const size_t rotations = sim::HistoryRotations(*history);
  if (format == "json") {
    v1::EfficacyReport report;
    report.set_fleet(fleet_path);
    report.set_fleet_size(static_cast<int64_t>(fleet->size()));
    for (const sim::HistorySeries& h : *history) report.add_history(h.path);
    report.set_seed(options.seed);
    report.set_runs(options.runs);
    report.set_good_runs(options.good_runs);
    for (size_t r = 0; r < rotations; ++r) {
      sim::Scenario scenario;
      sim::AddHistoryBackgrounds(*history, r, options.replay, scenario);
      std::string text;
      for (const sim::RecordedBackground& b : scenario.backgrounds) {
        absl::StrAppend(&text, text.empty() ? "" : ", ",
                        sim::SignalName(b.signal), "=", b.path);
      }
      report.add_rotations(text);
    }
    for (size_t i = 0; i < results.size(); ++i) {
      *report.add_specs() = sim::SpecEfficacyToProto(results[i], spec_paths[i]);
    }
    context.out << sluice::ToJson(report) << "\n";
    return kExitOk;
  }
  context.out << "Efficacy: " << specs.size() << " specs on " << fleet_path
              << " (" << fleet->size() << " targets), " << history->size()
              << " recorded series in " << rotations << " rotations, "
              << options.runs << " runs per bad family, " << options.good_runs
              << " per good family, seed " << options.seed << "\n";
  for (size_t r = 0; r < rotations; ++r) {
    sim::Scenario scenario;
    sim::AddHistoryBackgrounds(*history, r, options.replay, scenario);
    context.out << "  rotation " << r << ":";
    for (const sim::RecordedBackground& b : scenario.backgrounds) {
      context.out << " " << sim::SignalName(b.signal) << "="
                  << std::filesystem::path(b.path).stem().string();
    }
    context.out << "\n";
  }
  if (format == "markdown") {
    PrintMarkdown(context.out, results, spec_paths);
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].false_rollback_stops.empty()) continue;
      context.out << "\n`"
                  << std::filesystem::path(spec_paths[i]).stem().string()
                  << "`:\n";
      PrintStops(context.out, results[i], "");
    }
    return kExitOk;
  }
  for (size_t i = 0; i < results.size(); ++i) {
    PrintTable(context.out, results[i], spec_paths[i]);
    PrintStops(context.out, results[i], "  ");
  }
  return kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(
    efficacy, "efficacy",
    "[SPEC...] [--fleet FLEET] [--history PATH...] [--runs N] [--good-runs N] "
    "[--seed S] [--threads T] [--traffic-cv X] [--error-cv X] "
    "[--latency-cv X] [--explain-false-rollbacks N] "
    "[--format table|markdown|json]",
    "Measure how well specs' gates catch a standard suite of bad releases "
    "over recorded series, and how often they stop good ones.",
    RunEfficacyCommand);

}  // namespace sluice::cli
