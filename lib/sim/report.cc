// Copyright 2026 The Sluice Authors.

#include "sluice/sim/report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "sluice/rollback_policy.h"

namespace sluice::sim {
namespace {

constexpr double kWidth = 920;
constexpr double kLeft = 70;
constexpr double kRight = 20;
constexpr double kTop = 24;
constexpr double kBottom = 32;

std::string Escape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string F(double v) { return absl::StrFormat("%.1f", v); }

std::string Num(double v) {
  if (v != 0 && (std::fabs(v) >= 1e6 || std::fabs(v) < 1e-3)) {
    return absl::StrFormat("%.3g", v);
  }
  return absl::StrFormat("%.4g", v);
}

std::string Clock(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", t, absl::UTCTimeZone());
}

std::string Minutes(double seconds) {
  return absl::StrFormat("%.1f min", seconds / 60.0);
}

// Maps virtual time to x.
struct TimeAxis {
  absl::Time start;
  absl::Time end;
  double X(absl::Time t) const {
    const double span = std::max(1.0, absl::ToDoubleSeconds(end - start));
    const double f = absl::ToDoubleSeconds(t - start) / span;
    return kLeft + std::clamp(f, 0.0, 1.0) * (kWidth - kLeft - kRight);
  }
};

// Hour ticks along the bottom of a chart of height `height`.
std::string TimeTicks(const TimeAxis& axis, double height) {
  std::string out;
  const double hours = absl::ToDoubleHours(axis.end - axis.start);
  const int step = hours <= 6 ? 1 : hours <= 24 ? 3 : hours <= 96 ? 12 : 24;
  const double y = height - kBottom;
  absl::StrAppend(&out, "<line class=\"axis\" x1=\"", F(kLeft), "\" y1=\"",
                  F(y), "\" x2=\"", F(kWidth - kRight), "\" y2=\"", F(y),
                  "\"/>");
  for (int h = 0; h <= hours + 1e-9; h += step) {
    const double x = axis.X(axis.start + absl::Hours(h));
    absl::StrAppend(&out, "<line class=\"tick\" x1=\"", F(x), "\" y1=\"", F(y),
                    "\" x2=\"", F(x), "\" y2=\"", F(y + 4),
                    "\"/><text class=\"tick-label\" x=\"", F(x), "\" y=\"",
                    F(y + 16), "\" text-anchor=\"middle\">+", h, "h</text>");
  }
  return out;
}

std::string SvgOpen(absl::string_view id, absl::string_view extra_class,
                    double height, absl::string_view label) {
  return absl::StrCat("<svg id=\"", id, "\" class=\"sluice-chart ", extra_class,
                      "\" role=\"img\" aria-label=\"", Escape(label),
                      "\" viewBox=\"0 0 ", F(kWidth), " ", F(height),
                      "\" width=\"", F(kWidth), "\" height=\"", F(height),
                      "\" xmlns=\"http://www.w3.org/2000/svg\">");
}

const TimelineEvent* FindRollback(const RunTrace& trace) {
  for (const TimelineEvent& e : trace.events) {
    if (e.kind == TimelineEvent::Kind::kRollbackStarted) return &e;
  }
  return nullptr;
}

std::string RollbackLine(const RunTrace& trace, const TimeAxis& axis,
                         double height) {
  const TimelineEvent* rollback = FindRollback(trace);
  if (rollback == nullptr) return "";
  const double x = axis.X(rollback->time);
  return absl::StrCat(
      "<g class=\"rollback\"><line x1=\"", F(x), "\" y1=\"", F(kTop - 10),
      "\" x2=\"", F(x), "\" y2=\"", F(height - kBottom), "\"/><text x=\"",
      F(x + 4), "\" y=\"", F(kTop - 12),
      "\">rollback</text><title>rollback at ", Clock(rollback->time), ": ",
      Escape(rollback->detail), "</title></g>");
}

std::string TimelineChart(const RunTrace& trace) {
  const TimeAxis axis{trace.start, trace.end};
  const size_t n = std::max<size_t>(1, trace.waves.size());
  const double row = std::clamp(360.0 / static_cast<double>(n), 3.0, 22.0);
  const double height = kTop + row * static_cast<double>(n) + kBottom + 8;
  std::string out =
      SvgOpen("timeline", "timeline-chart", height, "waves on a timeline");
  absl::StrAppend(&out, TimeTicks(axis, height));
  for (size_t i = 0; i < trace.waves.size(); ++i) {
    const WaveSpan& w = trace.waves[i];
    const double y = kTop + row * static_cast<double>(i);
    const double x0 = axis.X(w.start);
    const double x1 = std::max(x0 + 2, axis.X(w.end));
    absl::StrAppend(&out, "<rect class=\"wave wave-", Escape(w.status),
                    "\" x=\"", F(x0), "\" y=\"", F(y + 1), "\" width=\"",
                    F(x1 - x0), "\" height=\"", F(std::max(2.0, row - 2)),
                    "\"><title>wave ", w.index, " ", Escape(w.label), ": ",
                    w.targets, " targets, ", Clock(w.start), " to ",
                    Clock(w.end), ", ", Escape(w.status), "</title></rect>");
    if (row >= 10) {
      absl::StrAppend(&out, "<text class=\"wave-label\" x=\"", F(kLeft - 6),
                      "\" y=\"", F(y + row * 0.7), "\" text-anchor=\"end\">",
                      Escape(w.label.substr(0, 12)), "</text>");
    }
  }
  for (const TimelineEvent& e : trace.events) {
    if (e.kind != TimelineEvent::Kind::kGate) continue;
    const double y = kTop + row * (std::max(0, e.wave) + 0.5);
    absl::StrAppend(&out, "<circle class=\"verdict ",
                    e.passed ? "verdict-pass" : "verdict-fail", "\" cx=\"",
                    F(axis.X(e.time)), "\" cy=\"", F(y), "\" r=\"",
                    F(std::clamp(row / 3, 2.5, 5.0)), "\"><title>",
                    Clock(e.time), " wave ", e.wave, ": ", Escape(e.detail),
                    "</title></circle>");
  }
  absl::StrAppend(&out, RollbackLine(trace, axis, height), "</svg>");
  return out;
}

std::string MetricChart(const RunTrace& trace, int index,
                        const std::string& metric,
                        const std::vector<const MetricCurve*>& curves) {
  const TimeAxis axis{trace.start, trace.end};
  const double height = 220;
  double lo = INFINITY, hi = -INFINITY;
  for (const MetricCurve* c : curves) {
    for (const Sample& s : c->points) {
      if (!std::isfinite(s.value)) continue;
      lo = std::min(lo, s.value);
      hi = std::max(hi, s.value);
    }
  }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  lo = std::min(lo, 0.0);
  if (hi <= lo) hi = lo + 1;
  hi *= 1.05;
  auto y_of = [&](double v) {
    return height - kBottom - (v - lo) / (hi - lo) * (height - kTop - kBottom);
  };
  std::string out =
      SvgOpen(absl::StrCat("metric-", index), "metric-chart", height,
              absl::StrCat(metric, ": canary and baseline"));
  absl::StrAppend(&out, TimeTicks(axis, height));
  absl::StrAppend(&out, "<text class=\"chart-title\" x=\"", F(kLeft), "\" y=\"",
                  F(kTop - 8), "\">", Escape(metric), "</text>");
  for (double f : {0.0, 0.5, 1.0}) {
    const double v = lo + f * (hi - lo);
    absl::StrAppend(&out, "<text class=\"tick-label\" x=\"", F(kLeft - 6),
                    "\" y=\"", F(y_of(v) + 4), "\" text-anchor=\"end\">",
                    Num(v), "</text><line class=\"grid\" x1=\"", F(kLeft),
                    "\" y1=\"", F(y_of(v)), "\" x2=\"", F(kWidth - kRight),
                    "\" y2=\"", F(y_of(v)), "\"/>");
  }
  for (const TimelineEvent& e : trace.events) {
    if (e.kind != TimelineEvent::Kind::kGate) continue;
    const double x = axis.X(e.time);
    absl::StrAppend(&out, "<line class=\"verdict-line ",
                    e.passed ? "verdict-pass" : "verdict-fail", "\" x1=\"",
                    F(x), "\" y1=\"", F(kTop), "\" x2=\"", F(x), "\" y2=\"",
                    F(height - kBottom), "\"><title>", Escape(e.detail),
                    "</title></line>");
  }
  for (const MetricCurve* c : curves) {
    std::vector<std::string> points;
    points.reserve(c->points.size());
    for (const Sample& s : c->points) {
      if (!std::isfinite(s.value)) continue;
      points.push_back(absl::StrCat(F(axis.X(s.time)), ",", F(y_of(s.value))));
    }
    if (points.size() == 1) points.push_back(points.front());
    absl::StrAppend(&out, "<polyline class=\"curve curve-", Escape(c->cohort),
                    "\" points=\"", absl::StrJoin(points, " "), "\"><title>",
                    Escape(c->cohort), "</title></polyline>");
  }
  absl::StrAppend(&out, RollbackLine(trace, axis, height));
  // Legend.
  double lx = kWidth - kRight - 200;
  for (const MetricCurve* c : curves) {
    absl::StrAppend(&out, "<g class=\"legend\"><line class=\"curve curve-",
                    Escape(c->cohort), "\" x1=\"", F(lx), "\" y1=\"",
                    F(kTop - 12), "\" x2=\"", F(lx + 18), "\" y2=\"",
                    F(kTop - 12), "\"/><text x=\"", F(lx + 22), "\" y=\"",
                    F(kTop - 8), "\">", Escape(c->cohort), "</text></g>");
    lx += 100;
  }
  absl::StrAppend(&out, "</svg>");
  return out;
}

std::string Histogram(absl::string_view id, absl::string_view title,
                      std::vector<double> values, absl::string_view unit) {
  const double height = 200;
  std::string out =
      SvgOpen(id, "dist-chart", height, absl::StrCat("distribution: ", title));
  absl::StrAppend(&out, "<text class=\"chart-title\" x=\"", F(kLeft), "\" y=\"",
                  F(kTop - 8), "\">", Escape(title), " (", values.size(),
                  " runs)</text>");
  const double y0 = height - kBottom;
  absl::StrAppend(&out, "<line class=\"axis\" x1=\"", F(kLeft), "\" y1=\"",
                  F(y0), "\" x2=\"", F(kWidth - kRight), "\" y2=\"", F(y0),
                  "\"/>");
  if (values.empty()) {
    absl::StrAppend(&out, "<text class=\"empty\" x=\"", F(kWidth / 2),
                    "\" y=\"", F(height / 2),
                    "\" text-anchor=\"middle\">no runs</text></svg>");
    return out;
  }
  std::sort(values.begin(), values.end());
  const double lo = values.front();
  double hi = values.back();
  constexpr int kBins = 24;
  if (hi <= lo) hi = lo + 1;
  std::vector<int> bins(kBins, 0);
  for (double v : values) {
    int b = static_cast<int>((v - lo) / (hi - lo) * kBins);
    bins[std::clamp(b, 0, kBins - 1)]++;
  }
  const int top = *std::max_element(bins.begin(), bins.end());
  const double bw = (kWidth - kLeft - kRight) / kBins;
  for (int b = 0; b < kBins; ++b) {
    const double h = (height - kTop - kBottom) * bins[b] / std::max(1, top);
    const double from = lo + (hi - lo) * b / kBins;
    const double to = lo + (hi - lo) * (b + 1) / kBins;
    absl::StrAppend(&out, "<rect class=\"bar\" x=\"", F(kLeft + b * bw + 1),
                    "\" y=\"", F(y0 - h), "\" width=\"", F(bw - 2),
                    "\" height=\"", F(h), "\"><title>", Num(from), " to ",
                    Num(to), " ", Escape(unit), ": ", bins[b],
                    " runs</title></rect>");
  }
  for (double f : {0.0, 0.5, 1.0}) {
    absl::StrAppend(&out, "<text class=\"tick-label\" x=\"",
                    F(kLeft + f * (kWidth - kLeft - kRight)), "\" y=\"",
                    F(y0 + 16), "\" text-anchor=\"middle\">",
                    Num(lo + f * (hi - lo)), " ", Escape(unit), "</text>");
  }
  absl::StrAppend(&out, "</svg>");
  return out;
}

std::string ProportionText(const Proportion& p) {
  if (p.trials == 0) return "n/a (0 runs)";
  return absl::StrFormat("%.1f%% (%d/%d; 95%% CI %.1f%% to %.1f%%)",
                         100 * p.rate, p.successes, p.trials, 100 * p.low,
                         100 * p.high);
}

std::string DistributionRow(absl::string_view name, const Distribution& d,
                            bool seconds) {
  auto v = [&](double x) { return seconds ? Minutes(x) : Num(x); };
  if (d.count == 0) {
    return absl::StrCat("<tr><th>", name,
                        "</th><td colspan=\"5\">n/a (0 runs)</td></tr>");
  }
  return absl::StrCat("<tr><th>", name, "</th><td>", v(d.p50), "</td><td>",
                      v(d.p90), "</td><td>", v(d.p99), "</td><td>", v(d.max),
                      "</td><td>", d.count, "</td></tr>");
}

std::string TriggersText(const std::vector<TriggerCount>& triggers) {
  if (triggers.empty()) return "none";
  std::string text;
  for (const TriggerCount& t : triggers) {
    absl::StrAppend(&text, text.empty() ? "" : ", ", Escape(t.trigger), " ",
                    t.count);
  }
  return text;
}

// One run's outcome: where it stopped and why, how far the fault spread.
std::string OutcomeTable(const RunOutcome& o) {
  auto row = [](absl::string_view name, const std::string& value) {
    return absl::StrCat("<tr><th>", name, "</th><td>", value, "</td></tr>");
  };
  std::string fate;
  if (o.bad_release) {
    fate = o.detected  ? "bad release detected"
           : o.stopped ? "bad release stopped, not by its symptoms"
           : o.escaped ? "bad release escaped (completed)"
                       : "bad release not detected";
  } else {
    fate = o.false_rollback ? "good release falsely stopped" : "good release";
  }
  std::string out =
      absl::StrCat("<table class=\"outcome\">", row("outcome", fate));
  if (o.stopped) {
    absl::StrAppend(
        &out,
        row("stopped by",
            Escape(o.stop_trigger.has_value()
                       ? std::string(FailureTriggerName(*o.stop_trigger))
                       : "unknown")),
        row("in wave", Escape(absl::StrCat(o.stop_wave, " ", o.stop_stage))),
        row("decisive gate",
            o.decisive_gate.empty() ? "none" : Escape(o.decisive_gate)));
  }
  absl::StrAppend(&out,
                  row("zones / regions reached",
                      absl::StrCat(o.zones_reached, " / ", o.regions_reached)));
  if (o.time_to_detect.has_value()) {
    absl::StrAppend(
        &out,
        row("time to detect",
            absl::StrCat(Minutes(absl::ToDoubleSeconds(*o.time_to_detect)),
                         " from the first bad target")));
  }
  if (o.time_to_detect_from_harm.has_value()) {
    absl::StrAppend(
        &out,
        row("", absl::StrCat(
                    Minutes(absl::ToDoubleSeconds(*o.time_to_detect_from_harm)),
                    " from the first harmed request")));
  }
  if (o.bad_release) {
    absl::StrAppend(
        &out, row("blast radius",
                  absl::StrCat(o.max_bad_targets, " targets, ",
                               F(100 * o.max_bad_weight_share), "% of weight, ",
                               Num(o.bad_requests), " bad requests, ",
                               Num(o.excess_errors), " excess errors")));
  }
  return absl::StrCat(out, "</table>\n");
}

constexpr char kStyle[] = R"css(
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2330; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d6dae3; padding: 4px 10px; text-align: left; }
.sluice-chart { display: block; background: #fbfcfe; border: 1px solid #e1e5ee; margin: 8px 0; }
.axis { stroke: #5b6478; stroke-width: 1; } .tick { stroke: #5b6478; }
.grid { stroke: #e6e9f0; stroke-width: 1; }
.tick-label, .wave-label, .legend text, .chart-title, .empty { font-size: 11px; fill: #3b4356; }
.chart-title { font-weight: 600; }
.wave { fill: #6b8fd6; } .wave-passed { fill: #4caf7a; } .wave-failed { fill: #e0533d; }
.wave-rolled_back { fill: #b0b6c3; } .wave-running { fill: #f2b233; }
.verdict { stroke: #1d2330; stroke-width: 0.8; } .verdict-pass { fill: #2e8b57; stroke: #2e8b57; }
.verdict-fail { fill: #d62d20; stroke: #d62d20; }
.verdict-line { stroke-width: 1; stroke-dasharray: 3 3; opacity: 0.6; }
.rollback line { stroke: #d62d20; stroke-width: 2; } .rollback text { fill: #d62d20; font-size: 11px; }
.curve { fill: none; stroke-width: 1.5; } .curve-canary { stroke: #e0533d; } .curve-baseline { stroke: #3f6fd1; }
.bar { fill: #6b8fd6; }
)css";

// Marks each chart as laid out (for tests and for people: a chart with a
// zero box shows up as data-rendered="0x0").
constexpr char kScript[] = R"js(
document.querySelectorAll('svg.sluice-chart').forEach(function (svg) {
  var box = svg.getBoundingClientRect();
  var shown = getComputedStyle(svg).visibility !== 'hidden' &&
              getComputedStyle(svg).display !== 'none';
  svg.setAttribute('data-rendered',
                   shown ? Math.round(box.width) + 'x' + Math.round(box.height)
                         : '0x0');
  svg.setAttribute('data-shapes', String(svg.querySelectorAll(
      'rect,polyline,circle,line').length));
});
)js";

}  // namespace

std::string RenderHtmlReport(const ReportInput& input) {
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>",
      Escape(input.title), "</title><style>", kStyle,
      "</style></head><body>\n<h1>", Escape(input.title), "</h1>\n");
  if (!input.facts.empty()) {
    absl::StrAppend(&html, "<table class=\"facts\">");
    for (const auto& [key, value] : input.facts) {
      absl::StrAppend(&html, "<tr><th>", Escape(key), "</th><td>",
                      Escape(value), "</td></tr>");
    }
    absl::StrAppend(&html, "</table>\n");
  }
  if (input.summary.has_value()) {
    const MonteCarloSummary& s = *input.summary;
    absl::StrAppend(
        &html, "<h2>Summary of ", s.runs, " runs (seed ", s.seed,
        ")</h2>\n<table class=\"summary\"><tr><th>detected (bad releases)</th>"
        "<td colspan=\"5\">",
        ProportionText(s.detection),
        "</td></tr><tr><th>false rollbacks (good releases)</th><td "
        "colspan=\"5\">",
        ProportionText(s.false_rollback),
        "</td></tr><tr><th>false rollbacks by trigger</th><td "
        "colspan=\"5\">",
        TriggersText(s.false_rollback_triggers),
        "</td></tr><tr><th>false rollbacks by gate</th><td colspan=\"5\">",
        TriggersText(s.false_rollback_gates),
        "</td></tr><tr><th>false rollbacks by stage</th><td colspan=\"5\">",
        TriggersText(s.false_rollback_stages),
        "</td></tr><tr><th>caught in the first zone</th><td colspan=\"5\">",
        ProportionText(s.caught_in_first_zone),
        "</td></tr><tr><th>caught before a region is done</th><td "
        "colspan=\"5\">",
        ProportionText(s.caught_before_region_complete),
        "</td></tr><tr><th>escaped (bad releases completed)</th><td "
        "colspan=\"5\">",
        ProportionText(s.escaped),
        "</td></tr><tr><th>bad releases' stops by trigger</th><td "
        "colspan=\"5\">",
        TriggersText(s.bad_release_stop_triggers),
        "</td></tr><tr><th>bad releases' stops by gate</th><td "
        "colspan=\"5\">",
        TriggersText(s.bad_release_stop_gates),
        "</td></tr><tr><th>completed</th><td colspan=\"5\">",
        ProportionText(s.completion),
        "</td></tr><tr><th>measure</th><th>p50</th><th>p90</th><th>p99</th>"
        "<th>max</th><th>runs</th></tr>",
        DistributionRow("time to detect", s.time_to_detect_s, true),
        DistributionRow("time to detect from the first harmed request",
                        s.time_to_detect_from_harm_s, true),
        DistributionRow("max bad targets", s.max_bad_targets, false),
        DistributionRow("max bad weight share", s.max_bad_weight_share, false),
        DistributionRow("bad requests", s.bad_requests, false),
        DistributionRow("excess errors", s.excess_errors, false),
        DistributionRow("time to full rollout", s.time_to_full_rollout_s, true),
        "</table>\n");
  }
  if (input.trace.has_value()) {
    const RunTrace& trace = *input.trace;
    absl::StrAppend(&html, "<h2>Run ", trace.outcome.run, " (seed ",
                    trace.outcome.seed,
                    "): ", Escape(absl::StrCat(trace.outcome.final_state)),
                    "</h2>\n<p>", Clock(trace.start), " to ", Clock(trace.end),
                    " UTC, virtual time.</p>\n", OutcomeTable(trace.outcome),
                    "<h2>Waves</h2>\n", TimelineChart(trace), "\n");
    // Group curves by metric, in first-seen order.
    std::vector<std::string> metrics;
    std::map<std::string, std::vector<const MetricCurve*>> by_metric;
    for (const MetricCurve& c : trace.curves) {
      if (by_metric.find(c.metric) == by_metric.end()) {
        metrics.push_back(c.metric);
      }
      by_metric[c.metric].push_back(&c);
    }
    if (!metrics.empty()) absl::StrAppend(&html, "<h2>Metrics</h2>\n");
    for (size_t i = 0; i < metrics.size(); ++i) {
      absl::StrAppend(&html,
                      MetricChart(trace, static_cast<int>(i), metrics[i],
                                  by_metric[metrics[i]]),
                      "\n");
    }
    bool any_gate = false;
    for (const TimelineEvent& e : trace.events) {
      any_gate = any_gate || e.kind == TimelineEvent::Kind::kGate;
    }
    absl::StrAppend(&html,
                    "<h2>Timeline</h2>\n<table class=\"events\">"
                    "<tr><th>time</th><th>event</th><th>wave</th>"
                    "<th>detail</th></tr>");
    for (const TimelineEvent& e : trace.events) {
      absl::StrAppend(&html, "<tr class=\"event-",
                      TimelineEventKindName(e.kind), "\"><td>", Clock(e.time),
                      "</td><td>", TimelineEventKindName(e.kind), "</td><td>",
                      e.wave >= 0 ? absl::StrCat(e.wave) : "", "</td><td>",
                      Escape(e.detail), "</td></tr>");
    }
    absl::StrAppend(&html, "</table>\n");
    (void)any_gate;
  }
  if (input.outcomes.size() >= 2) {
    std::vector<double> ttd, targets, requests, full;
    for (const RunOutcome& o : input.outcomes) {
      if (o.time_to_detect.has_value()) {
        ttd.push_back(absl::ToDoubleMinutes(*o.time_to_detect));
      }
      if (o.bad_release) {
        targets.push_back(static_cast<double>(o.max_bad_targets));
        requests.push_back(o.bad_requests);
      }
      if (o.time_to_full_rollout.has_value()) {
        full.push_back(absl::ToDoubleMinutes(*o.time_to_full_rollout));
      }
    }
    absl::StrAppend(&html, "<h2>Distributions</h2>\n",
                    Histogram("dist-time-to-detect", "time to detect",
                              std::move(ttd), "min"),
                    "\n",
                    Histogram("dist-max-bad-targets", "max bad targets",
                              std::move(targets), "targets"),
                    "\n",
                    Histogram("dist-bad-requests", "bad requests",
                              std::move(requests), "requests"),
                    "\n",
                    Histogram("dist-time-to-full-rollout",
                              "time to full rollout", std::move(full), "min"),
                    "\n");
  }
  absl::StrAppend(&html, "<script>", kScript, "</script>\n</body></html>\n");
  return html;
}

}  // namespace sluice::sim
