// Copyright 2026 The Sluice Authors.
//
// The canary analysis gate (sluice/canary_analysis_gate.h): Kayenta's
// judgements over a canary's lifetime, against scores computed by hand.
//
// The judge has two groups, "errors" (weight 60) and "latency" (40), one
// metric each. Every minute each cohort has one sample per metric; the
// baseline's values are 100 + (minute mod 10), and so are the canary's
// unless the metric is "bad" in that minute, when they are 200 + (minute mod
// 10). A window where a metric is good everywhere has identical cohorts
// (Pass); one where it is bad everywhere has every canary value above every
// baseline value (High). So a judgement's score is 100 (both good), 60
// (latency bad), 40 (errors bad) or 0 (both bad).

#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/canary_analysis_gate.h"
#include "sluice/gate_policy.h"
#include "sluice/gate_state_proto.h"
#include "sluice/health_gate.h"
#include "sluice/spec.h"
#include "sluice/testing/fake_metric_source.h"
#include "sluice/v1/gates.pb.h"

namespace sluice {
namespace {

using ::testing::HasSubstr;

const absl::Time kDeploy = absl::FromUnixSeconds(1'764'000'000);

// Minutes [from, to) after the deploy in which a metric is bad.
struct Bad {
  std::string metric;
  int from = 0;
  int to = 0;
};

void AddSeries(testing::FakeMetricSource& metrics, const std::string& name,
               const std::vector<Bad>& bad) {
  std::vector<Sample> baseline;
  std::vector<Sample> canary;
  for (int m = -30; m < 300; ++m) {
    const absl::Time t = kDeploy + absl::Minutes(m) + absl::Seconds(30);
    const double v = 100 + (m % 10 + 10) % 10;
    bool is_bad = false;
    for (const Bad& b : bad) {
      is_bad = is_bad || (b.metric == name && m >= b.from && m < b.to);
    }
    baseline.push_back({t, v});
    canary.push_back({t, is_bad ? v + 100 : v});
  }
  metrics.AddSamples(name, Cohort::kBaseline, baseline);
  metrics.AddSamples(name, Cohort::kWave, canary);
  metrics.UseSamples(name, Cohort::kBaseline, kDeploy - absl::Hours(1));
  metrics.UseSamples(name, Cohort::kWave, kDeploy - absl::Hours(1));
}

CanaryAnalysisGateOptions Options(double pass, double marginal) {
  CanaryAnalysisGateOptions o;
  o.judge.judge.groups = {{"errors", 60.0}, {"latency", 40.0}};
  stats::JudgedMetricConfig errors;
  errors.name = "error_rate";
  errors.groups = {"errors"};
  errors.classifier.direction = stats::MetricDirection::kIncrease;
  stats::JudgedMetricConfig latency;
  latency.name = "latency";
  latency.groups = {"latency"};
  latency.classifier.direction = stats::MetricDirection::kIncrease;
  o.judge.judge.metrics = {errors, latency};
  o.judge.judge.thresholds = {pass, marginal};
  o.lifetime = absl::Minutes(60);
  o.interval = absl::Minutes(20);
  o.warmup = absl::Minutes(10);
  return o;
}

struct Outcomes {
  Verdict verdict;
  std::vector<absl::Time> evaluated_at;  // the times it was asked
};

// Evaluates the gate as the engine does (at each hold_until) until it
// decides; with `through_proto`, the state goes through its proto form
// between evaluations, as a snapshot would.
Outcomes Judge(const HealthGate& gate, testing::FakeMetricSource& metrics,
               bool through_proto) {
  Outcomes out;
  GateState state;
  GateContext context;
  context.wave_index = 0;
  context.wave_deployed_at = kDeploy;
  context.metric_source = &metrics;
  const std::vector<std::string> wave = {"web-0"};
  const std::vector<std::string> baseline = {"web-1"};
  context.wave_targets = wave;
  context.baseline_targets = baseline;
  absl::Time now = kDeploy;
  for (int step = 0; step < 100; ++step) {
    context.now = now;
    out.evaluated_at.push_back(now);
    out.verdict = gate.Evaluate(context, state);
    if (out.verdict.outcome != Outcome::kHold) break;
    if (through_proto) {
      absl::StatusOr<GateState> back =
          GateStateFromProto(GateStateToProto(state));
      EXPECT_TRUE(back.ok()) << back.status();
      EXPECT_EQ(*back, state);
      state = *std::move(back);
    }
    now = out.verdict.hold_until;
  }
  return out;
}

double Obs(const Verdict& v, const std::string& name) {
  const Observation* o = v.FindObservation(name);
  EXPECT_NE(o, nullptr) << name << " in " << v;
  return o == nullptr ? -1 : o->value;
}

class CanaryAnalysisTest : public ::testing::TestWithParam<bool> {};

// Sliding windows of 20 minutes: judgements at 30, 50 and 70 minutes over
// [10, 30), [30, 50), [50, 70). Latency bad in [30, 50): scores 100, 60,
// 100. 60 is above marginal 50, and the final score 100 passes.
TEST_P(CanaryAnalysisTest, SlidingWindowsFinalScoreDecides) {
  testing::FakeMetricSource metrics;
  AddSeries(metrics, "error_rate", {});
  AddSeries(metrics, "latency", {{"latency", 30, 50}});
  CanaryAnalysisGateOptions o = Options(95, 50);
  o.lookback = absl::Minutes(20);
  auto gate = NewCanaryAnalysisGate("aca", o);
  ASSERT_TRUE(gate.ok()) << gate.status();
  Outcomes r = Judge(**gate, metrics, GetParam());
  EXPECT_EQ(r.verdict.outcome, Outcome::kPass) << r.verdict;
  EXPECT_EQ(Obs(r.verdict, "score.1"), 100);
  EXPECT_EQ(Obs(r.verdict, "score.2"), 60);
  EXPECT_EQ(Obs(r.verdict, "score.3"), 100);
  EXPECT_EQ(Obs(r.verdict, "score"), 100);
  EXPECT_EQ(Obs(r.verdict, "judgements"), 3);
  EXPECT_THAT(r.evaluated_at,
              ::testing::ElementsAre(kDeploy, kDeploy + absl::Minutes(30),
                                     kDeploy + absl::Minutes(50),
                                     kDeploy + absl::Minutes(70)));
  // The windows queried: [10, 30), [30, 50), [50, 70) minutes.
  std::vector<std::pair<int, int>> windows;
  for (const testing::RecordedMetricQuery& q : metrics.queries()) {
    if (q.metric != "latency" || q.cohort != Cohort::kWave) continue;
    windows.emplace_back((q.start - kDeploy) / absl::Minutes(1),
                         (q.end - kDeploy) / absl::Minutes(1));
  }
  EXPECT_THAT(windows,
              ::testing::ElementsAre(std::pair(10, 30), std::pair(30, 50),
                                     std::pair(50, 70)));
}

// The same canary with marginal 75: judgement 2's score 60 <= 75 fails the
// canary at once, at minute 50.
TEST_P(CanaryAnalysisTest, AJudgementAtOrBelowMarginalFailsAtOnce) {
  testing::FakeMetricSource metrics;
  AddSeries(metrics, "error_rate", {});
  AddSeries(metrics, "latency", {{"latency", 30, 50}});
  CanaryAnalysisGateOptions o = Options(95, 75);
  o.lookback = absl::Minutes(20);
  auto gate = NewCanaryAnalysisGate("aca", o);
  ASSERT_TRUE(gate.ok()) << gate.status();
  Outcomes r = Judge(**gate, metrics, GetParam());
  EXPECT_EQ(r.verdict.outcome, Outcome::kFail) << r.verdict;
  EXPECT_EQ(r.evaluated_at.back(), kDeploy + absl::Minutes(50));
  EXPECT_EQ(Obs(r.verdict, "score"), 60);
  EXPECT_EQ(Obs(r.verdict, "judgement"), 2);
  EXPECT_THAT(r.verdict.reason,
              HasSubstr("judgement 2 of 3 (window 30m..50m): score 60 <= "
                        "marginal 75"));
  // Exactly at marginal also fails (orca: "not above the marginal score").
  o = Options(95, 60);
  o.lookback = absl::Minutes(20);
  gate = NewCanaryAnalysisGate("aca", o);
  ASSERT_TRUE(gate.ok()) << gate.status();
  r = Judge(**gate, metrics, GetParam());
  EXPECT_EQ(r.verdict.outcome, Outcome::kFail) << r.verdict;
  EXPECT_EQ(Obs(r.verdict, "judgement"), 2);
}

// Errors bad in the last interval only: scores 100, 100, 40. The final
// score decides, not the mean (80): 40 <= marginal 50 fails.
TEST_P(CanaryAnalysisTest, TheLastScoreIsTheAggregate) {
  testing::FakeMetricSource metrics;
  AddSeries(metrics, "error_rate", {{"error_rate", 50, 70}});
  AddSeries(metrics, "latency", {});
  CanaryAnalysisGateOptions o = Options(95, 50);
  o.lookback = absl::Minutes(20);
  auto gate = NewCanaryAnalysisGate("aca", o);
  ASSERT_TRUE(gate.ok()) << gate.status();
  Outcomes r = Judge(**gate, metrics, GetParam());
  EXPECT_EQ(r.verdict.outcome, Outcome::kFail) << r.verdict;
  EXPECT_EQ(Obs(r.verdict, "score.1"), 100);
  EXPECT_EQ(Obs(r.verdict, "score.2"), 100);
  EXPECT_EQ(Obs(r.verdict, "score"), 40);
}

// A final score below pass but above marginal: latency bad in the last
// interval gives 100, 100, 60; with pass 95 and marginal 50 the canary is
// marginal, which fails by default (orca) and is what `marginal` says
// otherwise.
TEST_P(CanaryAnalysisTest, AMarginalFinalScore) {
  for (Outcome marginal : {Outcome::kFail, Outcome::kInconclusive}) {
    testing::FakeMetricSource metrics;
    AddSeries(metrics, "error_rate", {});
    AddSeries(metrics, "latency", {{"latency", 50, 70}});
    CanaryAnalysisGateOptions o = Options(95, 50);
    o.lookback = absl::Minutes(20);
    o.marginal = marginal;
    auto gate = NewCanaryAnalysisGate("aca", o);
    ASSERT_TRUE(gate.ok()) << gate.status();
    Outcomes r = Judge(**gate, metrics, GetParam());
    EXPECT_EQ(r.verdict.outcome, marginal) << r.verdict;
    EXPECT_EQ(Obs(r.verdict, "score"), 60);
    EXPECT_THAT(r.verdict.reason, HasSubstr("< pass 95 (final"));
  }
}

// Growing windows (no lookback): every judgement starts at the end of the
// warm-up, [10, 30), [10, 50), [10, 70).
TEST_P(CanaryAnalysisTest, GrowingWindows) {
  testing::FakeMetricSource metrics;
  AddSeries(metrics, "error_rate", {});
  AddSeries(metrics, "latency", {});
  auto gate = NewCanaryAnalysisGate("aca", Options(95, 50));
  ASSERT_TRUE(gate.ok()) << gate.status();
  Outcomes r = Judge(**gate, metrics, GetParam());
  EXPECT_EQ(r.verdict.outcome, Outcome::kPass) << r.verdict;
  std::vector<std::pair<int, int>> windows;
  for (const testing::RecordedMetricQuery& q : metrics.queries()) {
    if (q.metric != "error_rate" || q.cohort != Cohort::kBaseline) continue;
    windows.emplace_back((q.start - kDeploy) / absl::Minutes(1),
                         (q.end - kDeploy) / absl::Minutes(1));
  }
  EXPECT_THAT(windows,
              ::testing::ElementsAre(std::pair(10, 30), std::pair(10, 50),
                                     std::pair(10, 70)));
}

// A lookback longer than the time since the deploy is clipped at the
// deploy; an interval longer than the lifetime means one judgement.
TEST_P(CanaryAnalysisTest, LookbackClippedAndOneJudgement) {
  testing::FakeMetricSource metrics;
  AddSeries(metrics, "error_rate", {});
  AddSeries(metrics, "latency", {});
  CanaryAnalysisGateOptions o = Options(95, 50);
  o.warmup = absl::ZeroDuration();
  o.lookback = absl::Minutes(45);
  o.interval = absl::Hours(2);
  auto gate = NewCanaryAnalysisGate("aca", o);
  ASSERT_TRUE(gate.ok()) << gate.status();
  Outcomes r = Judge(**gate, metrics, GetParam());
  EXPECT_EQ(r.verdict.outcome, Outcome::kPass) << r.verdict;
  EXPECT_EQ(Obs(r.verdict, "judgements"), 1);
  // One judgement at 60 minutes over [15, 60).
  const testing::RecordedMetricQuery q = metrics.queries().front();
  EXPECT_EQ(q.start, kDeploy + absl::Minutes(15));
  EXPECT_EQ(q.end, kDeploy + absl::Minutes(60));

  testing::FakeMetricSource early;
  AddSeries(early, "error_rate", {});
  AddSeries(early, "latency", {});
  o.interval = absl::Minutes(20);
  gate = NewCanaryAnalysisGate("aca", o);
  ASSERT_TRUE(gate.ok()) << gate.status();
  r = Judge(**gate, early, GetParam());
  // The first judgement, at 20 minutes, looks back to the deploy only.
  EXPECT_EQ(early.queries().front().start, kDeploy);
  EXPECT_EQ(early.queries().front().end, kDeploy + absl::Minutes(20));
}

// Growing windows [10, 30), [10, 50), [10, 70): 20, 40 and 60 points a
// cohort and metric. With min_samples 30 the first judgement has too few
// and counts for nothing; the next two judge (100, 100) and the canary
// passes. With 70 every judgement has too few: INCONCLUSIVE, not FAIL.
TEST_P(CanaryAnalysisTest, JudgementsWithTooFewSamplesCountForNothing) {
  testing::FakeMetricSource metrics;
  AddSeries(metrics, "error_rate", {});
  AddSeries(metrics, "latency", {});
  CanaryAnalysisGateOptions o = Options(95, 75);
  o.judge.min_samples = 30;
  auto gate = NewCanaryAnalysisGate("aca", o);
  ASSERT_TRUE(gate.ok()) << gate.status();
  Outcomes r = Judge(**gate, metrics, GetParam());
  EXPECT_EQ(r.verdict.outcome, Outcome::kPass) << r.verdict;
  EXPECT_TRUE(std::isnan(Obs(r.verdict, "score.1")));
  EXPECT_EQ(Obs(r.verdict, "score.2"), 100);
  EXPECT_EQ(Obs(r.verdict, "score.3"), 100);
  EXPECT_EQ(Obs(r.verdict, "score"), 100);

  o.judge.min_samples = 70;
  gate = NewCanaryAnalysisGate("aca", o);
  ASSERT_TRUE(gate.ok()) << gate.status();
  r = Judge(**gate, metrics, GetParam());
  EXPECT_EQ(r.verdict.outcome, Outcome::kInconclusive) << r.verdict;
  EXPECT_THAT(r.verdict.reason,
              HasSubstr("judgement 3 of 3 (window 10m..1h10m): too few "
                        "samples to judge: error_rate has 60 data points"));
  EXPECT_THAT(r.verdict.reason, HasSubstr("(final)"));
  EXPECT_EQ(r.evaluated_at.back(), kDeploy + absl::Minutes(70));
}

INSTANTIATE_TEST_SUITE_P(StateThroughProto, CanaryAnalysisTest,
                         ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "ThroughProto" : "InMemory";
                         });

TEST(CanaryAnalysisOptionsTest, BadOptionsNameTheField) {
  CanaryAnalysisGateOptions o = Options(95, 50);
  o.lifetime = absl::ZeroDuration();
  EXPECT_THAT(std::string(NewCanaryAnalysisGate("aca", o).status().message()),
              HasSubstr("lifetime: must be finite and > 0"));
  o = Options(95, 50);
  o.lookback = absl::Minutes(-1);
  EXPECT_THAT(std::string(NewCanaryAnalysisGate("aca", o).status().message()),
              HasSubstr("lookback: must be finite and >= 0"));
  o = Options(95, 50);
  o.warmup = absl::Minutes(-1);
  EXPECT_THAT(std::string(NewCanaryAnalysisGate("aca", o).status().message()),
              HasSubstr("warmup: must be finite and >= 0"));
  o = Options(50, 95);
  absl::Status s = NewCanaryAnalysisGate("aca", o).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("judge.judge.thresholds"));
  o = Options(95, 50);
  o.interval = absl::Seconds(1);
  o.lifetime = absl::Hours(24);
  EXPECT_THAT(std::string(NewCanaryAnalysisGate("aca", o).status().message()),
              HasSubstr("interval: must allow at most 10000 judgements"));
  o = Options(95, 50);
  o.marginal = Outcome::kHold;
  EXPECT_THAT(std::string(NewCanaryAnalysisGate("aca", o).status().message()),
              HasSubstr("marginal"));
}

// In a spec: gates { default { canary_analysis { ... } } } builds the same
// gate, with the same scores.
constexpr char kSpecHead[] = R"pb(
  name: "x"
  version: "2"
  metrics { name: "error_rate" }
  metrics { name: "latency" unit: "ms" }
)pb";

constexpr char kJudge[] = R"pb(
  judge {
    groups { name: "errors" weight: 60 }
    groups { name: "latency" weight: 40 }
    metrics {
      name: "error_rate"
      groups: "errors"
      direction: DIRECTION_INCREASE
    }
    metrics { name: "latency" groups: "latency" direction: DIRECTION_INCREASE }
    thresholds { pass: 95 marginal: 75 }
  }
)pb";

TEST(CanaryAnalysisSpecTest, FromASpec) {
  absl::StatusOr<RolloutSpec> spec = RolloutSpec::Parse(
      absl::StrCat(kSpecHead,
                   "gates { default { name: \"aca\" "
                   "canary_analysis { ",
                   kJudge,
                   " lifetime { seconds: 3600 } interval { seconds: 1200 } "
                   "warmup { seconds: 600 } lookback { seconds: 1200 } } } }"),
      SpecFormat::kTextProto);
  ASSERT_TRUE(spec.ok()) << spec.status();
  absl::StatusOr<GatePolicy> policy = GatePolicyFromSpec(*spec);
  ASSERT_TRUE(policy.ok()) << policy.status();
  testing::FakeMetricSource metrics;
  AddSeries(metrics, "error_rate", {});
  AddSeries(metrics, "latency", {{"latency", 30, 50}});
  Outcomes r = Judge(policy->ForStage("one-box"), metrics, false);
  ASSERT_EQ(r.verdict.details.size(), 1u) << r.verdict;
  const Verdict& v = r.verdict.details[0];
  EXPECT_EQ(v.outcome, Outcome::kFail) << v;
  EXPECT_EQ(Obs(v, "score"), 60);
  EXPECT_EQ(r.evaluated_at.back(), kDeploy + absl::Minutes(50));
}

TEST(CanaryAnalysisSpecTest, BadSpecNamesThePath) {
  auto parse = [](const std::string& body) {
    return RolloutSpec::Parse(
               absl::StrCat(kSpecHead, "gates { default { canary_analysis { ",
                            body, " } } }"),
               SpecFormat::kTextProto)
        .status();
  };
  EXPECT_THAT(std::string(parse(kJudge).message()),
              HasSubstr("gates.default[0].canary_analysis.lifetime: is "
                        "required"));
  EXPECT_THAT(std::string(parse("lifetime { seconds: 60 }").message()),
              HasSubstr("gates.default[0].canary_analysis.judge: is required"));
  EXPECT_THAT(std::string(parse(absl::StrCat(kJudge,
                                             " lifetime { seconds: 60 } "
                                             "lookback { seconds: -5 }"))
                              .message()),
              HasSubstr("gates.default[0].canary_analysis.lookback: must be "
                        "finite and >= 0"));
}

}  // namespace
}  // namespace sluice
