// Copyright 2026 The Sluice Authors.
//
// `sluice simulate SPEC --fleet FLEET --scenario SCENARIO [--runs N]
// [--seed S] [--threads T] [--format table|json] [--report FILE.html]
// [--events FILE.jsonl] [--review FILE.md] [--faulty-phase PHASE]`:
// tries a rollout policy on a virtual fleet (sluice/sim/simulator.h). Prints
// the plan, the first run's timeline and verdict, and for several runs the
// Monte Carlo summary; or the sluice.v1.SimulationResult message as JSON.
// --events writes the first run's engine events (JSON lines, for `sluice
// timeline` and `sluice review`); --review its post-incident review draft.
// A progress bar goes to standard error when it is a terminal.
//
// SPEC may also be a phased spec (sluice.v1.PhasedRolloutSpec,
// sluice/phased_rollout.h): then the PhasedSimulator runs it, the fault
// carried by --faulty-phase's version (default: the last phase) and every
// later one's; it prints the first run's milestones (each phase's start,
// failed waves, rollbacks, end) and outcome, and for several runs a tally of
// the outcomes. --events writes the first run's events (with their phase).

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/fleet_io.h"
#include "sluice/phased_rollout.h"
#include "sluice/proto_io.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout_proto.h"
#include "sluice/sim/monte_carlo.h"
#include "sluice/sim/phased_simulator.h"
#include "sluice/sim/report.h"
#include "sluice/sim/result_proto.h"
#include "sluice/sim/scenario.h"
#include "sluice/sim/simulator.h"
#include "sluice/spec.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

constexpr char kCommand[] = "simulate";

std::string Clock(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, absl::UTCTimeZone());
}

std::string Minutes(double seconds) {
  return absl::StrFormat("%.1f min", seconds / 60);
}

std::string ProportionText(const sim::Proportion& p) {
  if (p.trials == 0) return "n/a (0 runs)";
  return absl::StrFormat("%5.1f%%  (%d of %d; 95%% CI %.1f%% to %.1f%%)",
                         100 * p.rate, p.successes, p.trials, 100 * p.low,
                         100 * p.high);
}

std::string DistributionRow(absl::string_view name, const sim::Distribution& d,
                            bool seconds) {
  auto v = [&](double x) {
    return seconds ? Minutes(x) : absl::StrFormat("%.4g", x);
  };
  if (d.count == 0) return absl::StrFormat("  %-22s n/a (0 runs)\n", name);
  return absl::StrFormat("  %-22s %12s %12s %12s %12s  (%d runs)\n", name,
                         v(d.p50), v(d.p90), v(d.p99), v(d.max), d.count);
}

void PrintPlan(std::ostream& out, const WavePlan& plan, const Fleet& fleet) {
  out << "Plan: " << plan.strategy << ", " << plan.waves.size()
      << " waves over " << fleet.size() << " targets\n";
  out << absl::StrFormat("  %4s  %-20s %8s %8s %8s\n", "wave", "stage",
                         "targets", "weight%", "bake");
  for (size_t i = 0; i < plan.waves.size(); ++i) {
    const Wave& w = plan.waves[i];
    const std::string targets =
        w.traffic_percent.has_value()
            ? absl::StrFormat("%.4g%%", *w.traffic_percent)
            : absl::StrCat(w.targets.size());
    out << absl::StrFormat("  %4d  %-20s %8s %7.1f%% %8s\n", i,
                           w.stage.empty() ? w.name : w.stage, targets,
                           100 * w.cumulative_weight_fraction,
                           absl::FormatDuration(w.bake));
  }
}

void PrintTimeline(std::ostream& out, const sim::RunTrace& trace) {
  out << "\nTimeline of run " << trace.outcome.run << " (seed "
      << trace.outcome.seed << "), virtual time UTC:\n";
  for (const sim::TimelineEvent& e : trace.events) {
    out << "  " << Clock(e.time) << "  "
        << absl::StrFormat("%-16s", sim::TimelineEventKindName(e.kind));
    if (e.wave >= 0) out << " wave " << e.wave;
    if (!e.detail.empty()) {
      // One line per event: long gate reasons are cut (the JSON and the
      // report have them whole).
      constexpr size_t kMax = 150;
      out << "  "
          << (e.detail.size() > kMax ? e.detail.substr(0, kMax - 3) + "..."
                                     : e.detail);
    }
    out << "\n";
  }
}

// "wave 3 (zone), 2 zones and 1 region reached".
std::string Where(const sim::RunOutcome& o) {
  std::string where = absl::StrCat("wave ", o.stop_wave);
  if (!o.stop_stage.empty()) absl::StrAppend(&where, " (", o.stop_stage, ")");
  absl::StrAppend(&where, ", ", o.zones_reached,
                  o.zones_reached == 1 ? " zone and " : " zones and ",
                  o.regions_reached,
                  o.regions_reached == 1 ? " region" : " regions", " reached");
  return where;
}

std::string TriggerText(const sim::RunOutcome& o) {
  return o.stop_trigger.has_value()
             ? std::string(FailureTriggerName(*o.stop_trigger))
             : "unknown";
}

void PrintVerdict(std::ostream& out, const sim::RunOutcome& o) {
  out << "\nVerdict: ";
  if (o.bad_release) {
    if (o.detected) {
      out << "bad release caught after "
          << absl::FormatDuration(*o.time_to_detect);
      if (o.time_to_detect_from_harm.has_value()) {
        out << " (" << absl::FormatDuration(*o.time_to_detect_from_harm)
            << " after the first harmed request)";
      }
      out << " in " << Where(o);
      if (!o.decisive_gate.empty()) {
        out << ", by gate \"" << o.decisive_gate << "\"";
      } else if (o.stopped_by_fault) {
        out << ", by its own deploy failures";
      }
      out << "; ";
    } else if (o.stopped) {
      out << "bad release stopped by " << TriggerText(o)
          << " but NOT caught by its symptoms; ";
    } else if (o.escaped) {
      out << "bad release NOT caught: it ESCAPED to the whole fleet; ";
    } else {
      out << "bad release NOT caught; ";
    }
    out << "at most " << o.max_bad_targets << " targets ("
        << absl::StrFormat("%.1f%%", 100 * o.max_bad_weight_share)
        << " of weight) on it, " << absl::StrFormat("%.4g", o.bad_requests)
        << " bad requests";
  } else if (o.false_rollback) {
    out << "good release wrongly stopped (" << TriggerText(o) << ") in "
        << Where(o);
    if (!o.decisive_gate.empty()) {
      out << ", by gate \"" << o.decisive_gate << "\"";
    }
  } else {
    out << "good release";
  }
  out << "; rollout " << o.final_state;
  if (o.time_to_full_rollout.has_value()) {
    out << " after " << absl::FormatDuration(*o.time_to_full_rollout);
  }
  out << "\n";
}

std::string TriggersText(const std::vector<sim::TriggerCount>& triggers) {
  std::string text;
  for (const sim::TriggerCount& t : triggers) {
    absl::StrAppend(&text, text.empty() ? "" : ", ", t.trigger, " ", t.count);
  }
  return text;
}

void PrintSummary(std::ostream& out, const sim::MonteCarloSummary& s) {
  out << "\nMonte Carlo: " << s.runs << " runs, seed " << s.seed << "\n";
  out << "  detected (bad releases)   " << ProportionText(s.detection) << "\n";
  if (s.detection.trials > 0) {
    out << "    in the first zone       "
        << ProportionText(s.caught_in_first_zone) << "\n";
    out << "    before a region is done "
        << ProportionText(s.caught_before_region_complete) << "\n";
    out << "    escaped (completed)     " << ProportionText(s.escaped) << "\n";
    if (!s.bad_release_stop_triggers.empty()) {
      out << "    stops by trigger        "
          << TriggersText(s.bad_release_stop_triggers) << "\n";
    }
  }
  out << "  false rollbacks (good)    " << ProportionText(s.false_rollback)
      << "\n";
  if (!s.false_rollback_triggers.empty()) {
    out << "    by trigger              "
        << TriggersText(s.false_rollback_triggers) << "\n";
  }
  if (!s.false_rollback_stages.empty()) {
    out << "    by stage                "
        << TriggersText(s.false_rollback_stages) << "\n";
  }
  out << "  completed                 " << ProportionText(s.completion) << "\n";
  out << absl::StrFormat("  %-22s %12s %12s %12s %12s\n", "measure", "p50",
                         "p90", "p99", "max");
  out << DistributionRow("time to detect", s.time_to_detect_s, true);
  out << DistributionRow("  from first harm", s.time_to_detect_from_harm_s,
                         true);
  out << DistributionRow("max bad targets", s.max_bad_targets, false);
  out << DistributionRow("max bad weight share", s.max_bad_weight_share, false);
  out << DistributionRow("bad requests", s.bad_requests, false);
  out << DistributionRow("excess errors", s.excess_errors, false);
  out << DistributionRow("time to full rollout", s.time_to_full_rollout_s,
                         true);
}

// "rolled-back [succeeded, rolled-back]".
std::string PhasedOutcomeKey(const sim::PhasedRunOutcome& o) {
  return absl::StrCat(o.final_state, " [", absl::StrJoin(o.phase_states, ", "),
                      "]");
}

// `sluice simulate` of a phased spec (see the file comment).
int RunPhasedSimulate(CommandContext& context, const ParsedArgs& args,
                      const std::string& spec_path,
                      const std::string& fleet_path,
                      const std::string& scenario_path, int64_t runs,
                      std::optional<uint64_t> seed) {
  for (absl::string_view flag : {"--threads", "--report", "--review"}) {
    if (args.Flag(flag).has_value()) {
      return UsageError(
          context, kCommand,
          absl::StrCat(flag, ": not supported for a phased spec"));
    }
  }
  if (args.Flag("--format").value_or("table") != "table") {
    return UsageError(context, kCommand,
                      "--format: a phased spec's simulation is a table only");
  }
  absl::StatusOr<PhasedRolloutSpec> spec =
      PhasedRolloutSpec::LoadFile(spec_path);
  if (!spec.ok()) return Fail(context, "", spec.status());
  absl::StatusOr<Fleet> fleet = LoadFleetFile(fleet_path);
  if (!fleet.ok()) return Fail(context, "", fleet.status());
  absl::StatusOr<sim::Scenario> scenario = sim::LoadScenarioFile(scenario_path);
  if (!scenario.ok()) return Fail(context, "", scenario.status());
  if (absl::Status status = sim::ValidateScenarioAgainst(*scenario, *fleet);
      !status.ok()) {
    return Fail(context, scenario_path, status);
  }
  const std::string faulty_phase =
      args.Flag("--faulty-phase").value_or(spec->phases().back().name);
  std::vector<std::string> names;
  for (const PhaseSpecEntry& phase : spec->phases()) {
    names.push_back(phase.name);
  }
  if (std::find(names.begin(), names.end(), faulty_phase) == names.end()) {
    return UsageError(
        context, kCommand,
        absl::StrCat("--faulty-phase: no phase \"", faulty_phase,
                     "\" (phases: ", absl::StrJoin(names, ", "), ")"));
  }
  absl::StatusOr<sim::PhasedSimulator> simulator =
      sim::PhasedSimulator::Create(*spec, *fleet, *scenario, faulty_phase);
  if (!simulator.ok()) return Fail(context, spec_path, simulator.status());

  const uint64_t base_seed = seed.value_or(scenario->seed);
  std::vector<RolloutEvent> events;
  std::vector<sim::PhasedRunOutcome> outcomes;
  for (int64_t run = 0; run < runs; ++run) {
    absl::StatusOr<sim::PhasedRunOutcome> outcome = simulator->Run(
        sim::RunSeed(base_seed, run), run == 0 ? &events : nullptr);
    if (!outcome.ok()) {
      return Fail(context, absl::StrCat("run ", run), outcome.status());
    }
    outcomes.push_back(*std::move(outcome));
  }
  if (std::optional<std::string> events_path = args.Flag("--events")) {
    std::string lines;
    for (const RolloutEvent& e : events) {
      absl::StrAppend(&lines, EventToJsonLine(e), "\n");
    }
    if (absl::Status status = WriteStringToFile(*events_path, lines);
        !status.ok()) {
      return Fail(context, "", status);
    }
  }

  context.out << "Spec: " << spec->Summary() << "\n";
  context.out << "Scenario: " << *scenario << "\n";
  context.out << "Fault carried by: "
              << (scenario->fault.bad ? absl::StrCat("phase \"", faulty_phase,
                                                     "\" and every later one")
                                      : std::string("none (a good release)"))
              << "\n";
  context.out << "\nMilestones of run 0 (seed " << outcomes[0].seed
              << "), virtual time UTC:\n";
  for (const RolloutEvent& e : events) {
    switch (e.kind) {
      case EventKind::kRolloutStarted:
      case EventKind::kWaveFailed:
      case EventKind::kRollbackStarted:
      case EventKind::kRollbackCompleted:
      case EventKind::kRollbackFailed:
      case EventKind::kRolloutFinished:
        break;
      default:
        continue;
    }
    context.out << "  " << Clock(e.time) << "  "
                << absl::StrFormat("%-10s ", e.phase) << EventKindName(e.kind);
    if (e.wave >= 0) context.out << " wave " << e.wave;
    if (e.kind == EventKind::kRolloutFinished) {
      context.out << ": " << e.status;
    }
    context.out << "\n";
  }
  context.out << "\nOutcome: " << outcomes[0] << "\n";
  if (runs > 1) {
    std::map<std::string, int64_t> tally;
    std::vector<double> elapsed_hours;
    for (const sim::PhasedRunOutcome& o : outcomes) {
      ++tally[PhasedOutcomeKey(o)];
      elapsed_hours.push_back(absl::ToDoubleHours(o.elapsed));
    }
    std::sort(elapsed_hours.begin(), elapsed_hours.end());
    context.out << "\n" << runs << " runs, seed " << base_seed << ":\n";
    for (const auto& [key, count] : tally) {
      context.out << "  " << count << " x " << key << "\n";
    }
    context.out << absl::StrFormat(
        "  elapsed: p50 %.1f h, max %.1f h\n",
        elapsed_hours[(elapsed_hours.size() - 1) / 2], elapsed_hours.back());
  }
  return kExitOk;
}

int RunSimulate(CommandContext& context) {
  absl::StatusOr<ParsedArgs> args = ParseArgs(
      context.args,
      {"--fleet", "--scenario", "--runs", "--seed", "--threads", "--format",
       "--report", "--events", "--review", "--faulty-phase"},
      {});
  if (!args.ok()) return UsageError(context, kCommand, args.status().message());
  if (args->positional.size() != 1) {
    return UsageError(context, kCommand, "expects exactly one SPEC");
  }
  const std::optional<std::string> fleet_path = args->Flag("--fleet");
  const std::optional<std::string> scenario_path = args->Flag("--scenario");
  if (!fleet_path.has_value()) {
    return UsageError(context, kCommand, "--fleet is required");
  }
  if (!scenario_path.has_value()) {
    return UsageError(context, kCommand, "--scenario is required");
  }
  const std::string format = args->Flag("--format").value_or("table");
  if (format != "table" && format != "json") {
    return UsageError(
        context, kCommand,
        absl::StrCat("--format: must be table or json (got \"", format, "\")"));
  }
  int exit_code = kExitUsage;
  const std::optional<int64_t> runs =
      IntFlag(context, kCommand, *args, "--runs", 1, 1, &exit_code);
  if (!runs.has_value()) return exit_code;
  const std::optional<int64_t> threads =
      IntFlag(context, kCommand, *args, "--threads", 0, 0, &exit_code);
  if (!threads.has_value()) return exit_code;
  std::optional<uint64_t> seed;
  if (args->Flag("--seed").has_value()) {
    seed = UintFlag(context, kCommand, *args, "--seed", 0, &exit_code);
    if (!seed.has_value()) return exit_code;
  }

  const std::string& spec_path = args->positional[0];
  absl::StatusOr<RolloutSpec> spec = RolloutSpec::LoadFile(spec_path);
  if (!spec.ok()) {
    if (LooksLikePhasedSpec(spec.status())) {
      return RunPhasedSimulate(context, *args, spec_path, *fleet_path,
                               *scenario_path, *runs, seed);
    }
    return Fail(context, "", spec.status());
  }
  if (args->Flag("--faulty-phase").has_value()) {
    return UsageError(context, kCommand,
                      "--faulty-phase: only for a phased spec");
  }
  absl::StatusOr<Fleet> fleet = LoadFleetFile(*fleet_path);
  if (!fleet.ok()) return Fail(context, "", fleet.status());
  absl::StatusOr<sim::Scenario> scenario =
      sim::LoadScenarioFile(*scenario_path);
  if (!scenario.ok()) return Fail(context, "", scenario.status());
  if (absl::Status status = sim::ValidateScenarioAgainst(*scenario, *fleet);
      !status.ok()) {
    return Fail(context, *scenario_path, status);
  }
  absl::StatusOr<sim::Simulator> simulator =
      sim::Simulator::Create(*spec, *fleet, *scenario);
  if (!simulator.ok()) return Fail(context, spec_path, simulator.status());

  sim::MonteCarloOptions options;
  options.runs = *runs;
  options.seed = seed.value_or(scenario->seed);
  options.threads = static_cast<int>(*threads);
  const bool progress = context.err_is_terminal && *runs > 1;
  if (progress) {
    std::ostream& err = context.err;
    options.progress = [&err](int64_t done, int64_t total) {
      constexpr int kWidth = 40;
      const int filled = static_cast<int>(kWidth * done / total);
      err << "\rsimulating [" << std::string(filled, '#')
          << std::string(kWidth - filled, ' ') << "] " << done << "/" << total
          << std::flush;
    };
  }
  absl::StatusOr<std::vector<sim::RunOutcome>> outcomes =
      simulator->RunMany(options);
  if (progress) context.err << "\n";
  if (!outcomes.ok()) return Fail(context, "", outcomes.status());
  sim::RunTrace trace;
  absl::StatusOr<sim::RunOutcome> first =
      simulator->Run(0, sim::RunSeed(options.seed, 0), &trace);
  if (!first.ok()) return Fail(context, "", first.status());
  const sim::MonteCarloSummary summary =
      sim::Summarize(*outcomes, options.seed);

  if (std::optional<std::string> report_path = args->Flag("--report")) {
    sim::ReportInput input;
    input.title = absl::StrCat("Sluice simulation: ", spec->name());
    input.facts = {
        {"spec", spec_path},
        {"fleet", absl::StrCat(*fleet_path, " (", fleet->size(), " targets)")},
        {"scenario", absl::StrFormat("%s: %s", *scenario_path,
                                     absl::FormatStreamed(*scenario))},
        {"plan", absl::StrCat(simulator->plan().strategy, ", ",
                              simulator->plan().waves.size(), " waves")},
        {"runs", absl::StrCat(*runs, " (seed ", options.seed, ")")}};
    input.trace = trace;
    input.outcomes = *outcomes;
    if (*runs > 1) input.summary = summary;
    if (absl::Status status =
            WriteStringToFile(*report_path, sim::RenderHtmlReport(input));
        !status.ok()) {
      return Fail(context, "", status);
    }
  }

  // Run 0's engine events, as a host's EventSink would have written them.
  if (std::optional<std::string> events_path = args->Flag("--events")) {
    std::string lines;
    for (const RolloutEvent& e : trace.rollout_events) {
      absl::StrAppend(&lines, EventToJsonLine(e), "\n");
    }
    if (absl::Status status = WriteStringToFile(*events_path, lines);
        !status.ok()) {
      return Fail(context, "", status);
    }
  }
  // Run 0's post-incident review draft, when it failed.
  if (std::optional<std::string> review_path = args->Flag("--review")) {
    absl::StatusOr<std::string> draft =
        sim::ReviewDraftForRun(*simulator, trace);
    if (!draft.ok()) return Fail(context, "--review", draft.status());
    if (absl::Status status = WriteStringToFile(*review_path, *draft);
        !status.ok()) {
      return Fail(context, "", status);
    }
  }

  if (format == "json") {
    v1::SimulationResult result;
    result.set_spec(spec_path);
    result.set_scenario(*scenario_path);
    result.set_fleet_size(static_cast<int64_t>(fleet->size()));
    *result.mutable_summary() = sim::SummaryToProto(summary);
    for (const sim::RunOutcome& o : *outcomes) {
      *result.add_outcomes() = sim::RunOutcomeToProto(o);
    }
    for (const sim::TimelineEvent& e : trace.events) {
      *result.add_timeline() = sim::TimelineEventToProto(e);
    }
    context.out << ToJson(result) << "\n";
    return kExitOk;
  }
  context.out << "Spec: " << spec->Summary() << "\n";
  context.out << "Scenario: " << *scenario << "\n";
  PrintPlan(context.out, simulator->plan(), *fleet);
  PrintTimeline(context.out, trace);
  PrintVerdict(context.out, *first);
  if (*runs > 1) PrintSummary(context.out, summary);
  return kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(
    simulate, "simulate",
    "SPEC --fleet FLEET --scenario SCENARIO [--runs N] [--seed S] "
    "[--threads T] [--format table|json] [--report FILE.html] "
    "[--events FILE.jsonl] [--review FILE.md] [--faulty-phase PHASE]",
    "Try a rollout policy (or a phased spec) on a virtual fleet (Monte Carlo "
    "with --runs).",
    RunSimulate);

}  // namespace sluice::cli
