// Copyright 2026 The Sluice Authors.
//
// The simulator's HTML report: one self-contained file (inline CSS and SVG,
// no scripts or fonts fetched from anywhere) that a browser opens offline.
// It shows the facts of the study, the summary table, and SVG charts: the
// waves on a timeline with gate verdicts and the rollback if any
// (svg#timeline), the canary and baseline curves of each gated metric
// (svg#metric-0, svg#metric-1, ...), and for Monte Carlo studies the
// distributions of the measures (svg#dist-time-to-detect,
// svg#dist-max-bad-targets, svg#dist-bad-requests,
// svg#dist-time-to-full-rollout). Every chart has the class "sluice-chart";
// a small inline script marks each with data-rendered="WxH" once laid out,
// which tests read back from a headless browser.
//
// Example:
//
//   sluice::sim::ReportInput input;
//   input.title = "checkout-api on three_regions";
//   input.trace = first_run_trace;
//   input.outcomes = outcomes;
//   input.summary = sluice::sim::Summarize(outcomes, seed);
//   std::string html = sluice::sim::RenderHtmlReport(input);

#ifndef SLUICE_SIM_REPORT_H_
#define SLUICE_SIM_REPORT_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sluice/sim/monte_carlo.h"
#include "sluice/sim/outcome.h"

namespace sluice::sim {

// What a report shows. Value type; thread-compatible.
struct ReportInput {
  // The page's title. Default: "Sluice simulation".
  std::string title = "Sluice simulation";
  // Facts listed at the top, e.g. {"spec", "examples/specs/x.textproto"}.
  // Default: none.
  std::vector<std::pair<std::string, std::string>> facts;
  // One run's trace (the timeline and metric charts). Default: none.
  std::optional<RunTrace> trace;
  // Every run's outcome (distribution charts when there are two or more).
  // Default: none.
  std::vector<RunOutcome> outcomes;
  // The Monte Carlo summary table. Default: none.
  std::optional<MonteCarloSummary> summary;
};

// Renders the report. Deterministic: the same input gives the same bytes.
std::string RenderHtmlReport(const ReportInput& input);

}  // namespace sluice::sim

#endif  // SLUICE_SIM_REPORT_H_
