// Copyright 2026 The Sluice Authors.

#include "sluice/sim/report.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/rollback_policy.h"

namespace sluice::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ReportInput MakeInput() {
  ReportInput input;
  input.title = "checkout <api> & co";
  input.facts = {{"spec", "examples/specs/regional_waves.textproto"}};
  RunTrace trace;
  trace.start = absl::FromUnixSeconds(1767600000);
  trace.end = trace.start + absl::Hours(6);
  trace.outcome.final_state = "rolled_back";
  trace.outcome.bad_release = true;
  trace.outcome.detected = true;
  trace.outcome.stopped = true;
  trace.outcome.stop_trigger = FailureTrigger::kGateFail;
  trace.outcome.stop_wave = 1;
  trace.outcome.stop_stage = "zone";
  trace.outcome.decisive_gate = "error-rate";
  trace.outcome.zones_reached = 2;
  trace.outcome.regions_reached = 1;
  trace.outcome.time_to_detect = absl::Minutes(65);
  trace.outcome.time_to_detect_from_harm = absl::Minutes(25);
  trace.waves = {
      {0, "one-box", trace.start, trace.start + absl::Minutes(30), 1, "passed"},
      {1, "zone", trace.start + absl::Minutes(30),
       trace.start + absl::Minutes(70), 12, "failed"}};
  TimelineEvent gate;
  gate.time = trace.start + absl::Minutes(25);
  gate.kind = TimelineEvent::Kind::kGate;
  gate.wave = 0;
  gate.detail = "error-rate: pass";
  trace.events.push_back(gate);
  gate.time = trace.start + absl::Minutes(65);
  gate.wave = 1;
  gate.passed = false;
  gate.detail = "error-rate: fail (0.02 > 0.01)";
  trace.events.push_back(gate);
  TimelineEvent rollback;
  rollback.time = trace.start + absl::Minutes(66);
  rollback.kind = TimelineEvent::Kind::kRollbackStarted;
  rollback.detail = "policy: roll back";
  trace.events.push_back(rollback);
  MetricCurve canary{"error_rate", "canary", {}};
  MetricCurve baseline{"error_rate", "baseline", {}};
  for (int m = 0; m < 70; ++m) {
    canary.points.push_back(
        {trace.start + absl::Minutes(m), m > 40 ? 0.02 : 0.001});
    baseline.points.push_back({trace.start + absl::Minutes(m), 0.001});
  }
  trace.curves = {canary, baseline};
  input.trace = trace;
  for (int i = 0; i < 20; ++i) {
    RunOutcome o;
    o.run = i;
    o.bad_release = true;
    o.detected = i % 5 != 0;
    if (o.detected) o.time_to_detect = absl::Minutes(10 + i);
    o.max_bad_targets = i * 3;
    o.bad_requests = 100.0 * i;
    input.outcomes.push_back(o);
  }
  input.outcomes[1].stopped = true;
  input.outcomes[1].stop_trigger = FailureTrigger::kDeployFailures;
  input.summary = Summarize(input.outcomes, 1);
  return input;
}

TEST(ReportTest, HasEveryChart) {
  const std::string html = RenderHtmlReport(MakeInput());
  EXPECT_THAT(html, HasSubstr("<svg id=\"timeline\""));
  EXPECT_THAT(html, HasSubstr("<svg id=\"metric-0\""));
  EXPECT_THAT(html, HasSubstr("class=\"curve curve-canary\""));
  EXPECT_THAT(html, HasSubstr("class=\"curve curve-baseline\""));
  EXPECT_THAT(html, HasSubstr("class=\"verdict verdict-fail\""));
  EXPECT_THAT(html, HasSubstr("class=\"rollback\""));
  EXPECT_THAT(html, HasSubstr("class=\"wave wave-failed\""));
  EXPECT_THAT(html, HasSubstr("<svg id=\"dist-time-to-detect\""));
  EXPECT_THAT(html, HasSubstr("<svg id=\"dist-max-bad-targets\""));
  EXPECT_THAT(html, HasSubstr("<svg id=\"dist-bad-requests\""));
  EXPECT_THAT(html, HasSubstr("class=\"bar\""));
  EXPECT_THAT(html, HasSubstr("detected (bad releases)"));
  EXPECT_THAT(html, HasSubstr("80.0% (16/20"));
  // The run's outcome: where, by what, how far.
  EXPECT_THAT(html, HasSubstr("<table class=\"outcome\">"));
  EXPECT_THAT(html, HasSubstr("<th>stopped by</th><td>gate-fail</td>"));
  EXPECT_THAT(html, HasSubstr("<th>in wave</th><td>1 zone</td>"));
  EXPECT_THAT(html, HasSubstr("<th>decisive gate</th><td>error-rate</td>"));
  EXPECT_THAT(html,
              HasSubstr("<th>zones / regions reached</th><td>2 / 1</td>"));
  EXPECT_THAT(html, HasSubstr("25.0 min from the first harmed request"));
  // The summary's new rows.
  EXPECT_THAT(html, HasSubstr("<th>caught in the first zone</th>"));
  EXPECT_THAT(html, HasSubstr("<th>bad releases' stops by trigger</th><td "
                              "colspan=\"5\">deploy-failures 1</td>"));
  EXPECT_THAT(html, HasSubstr("time to detect from the first harmed request"));
}

TEST(ReportTest, BreaksStopsDownByGateAndStage) {
  ReportInput input;
  std::vector<RunOutcome> outcomes;
  for (int i = 0; i < 10; ++i) {
    RunOutcome o;
    o.run = i;
    if (i < 3) {
      o.stopped = true;
      o.false_rollback = true;
      o.stop_trigger = FailureTrigger::kGateFail;
      o.decisive_gate = i == 0 ? "latency <sb>" : "errors sb";
      o.stop_stage = i == 2 ? "region-one-box" : "one-box";
    }
    outcomes.push_back(o);
  }
  RunOutcome bad;
  bad.run = 10;
  bad.bad_release = true;
  bad.stopped = true;
  bad.detected = true;
  bad.stop_trigger = FailureTrigger::kGateFail;
  bad.decisive_gate = "errors sb";
  outcomes.push_back(bad);
  input.summary = Summarize(outcomes, 1);
  const std::string html = RenderHtmlReport(input);
  EXPECT_THAT(html, HasSubstr("<th>false rollbacks by gate</th><td "
                              "colspan=\"5\">errors sb 2, latency &lt;sb&gt; "
                              "1</td>"));
  EXPECT_THAT(html,
              HasSubstr("<th>false rollbacks by stage</th><td "
                        "colspan=\"5\">one-box 2, region-one-box 1</td>"));
  EXPECT_THAT(html, HasSubstr("<th>bad releases' stops by gate</th><td "
                              "colspan=\"5\">errors sb 1</td>"));
}

TEST(ReportTest, IsSelfContainedAndEscaped) {
  const std::string html = RenderHtmlReport(MakeInput());
  EXPECT_THAT(html, HasSubstr("<title>checkout &lt;api&gt; &amp; co</title>"));
  EXPECT_THAT(html, Not(HasSubstr("<api>")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("href=")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  // The only URL is the SVG namespace.
  std::string rest = html;
  size_t pos = 0;
  while ((pos = rest.find("http", pos)) != std::string::npos) {
    EXPECT_EQ(rest.compare(pos, 26, "http://www.w3.org/2000/svg"), 0);
    pos += 4;
  }
}

TEST(ReportTest, IsDeterministic) {
  EXPECT_EQ(RenderHtmlReport(MakeInput()), RenderHtmlReport(MakeInput()));
}

TEST(ReportTest, SingleRunHasNoDistributions) {
  ReportInput input = MakeInput();
  input.outcomes.resize(1);
  input.summary.reset();
  const std::string html = RenderHtmlReport(input);
  EXPECT_THAT(html, HasSubstr("id=\"timeline\""));
  EXPECT_THAT(html, Not(HasSubstr("id=\"dist-")));
}

}  // namespace
}  // namespace sluice::sim
