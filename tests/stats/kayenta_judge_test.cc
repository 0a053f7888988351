// Copyright 2026 The Sluice Authors.

#include "sluice/stats/kayenta_judge.h"

#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::stats {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

// A metric result as Kayenta's ScorerSuite builds them.
struct Scored {
  std::string name;
  MetricLabel label;
  std::string group;
  bool critical = false;
};

struct ScorerCase {
  const char* test;  // the ScorerSuite test name
  std::vector<std::pair<std::string, double>> weights;
  std::vector<Scored> metrics;
  double want_score;
  std::vector<double> want_group_scores = {};  // sorted; empty: unchecked
};

absl::StatusOr<JudgeResult> Score(const ScorerCase& c) {
  KayentaJudgeConfig config;
  std::vector<JudgedMetric> results;
  auto add_group = [&config, &c](const std::string& name) {
    for (const MetricGroup& g : config.groups) {
      if (g.name == name) return;
    }
    MetricGroup g{name, std::nullopt};
    for (const auto& [n, w] : c.weights) {
      if (n == name) g.weight = w;
    }
    config.groups.push_back(g);
  };
  for (const auto& [n, w] : c.weights) add_group(n);
  for (const Scored& s : c.metrics) {
    add_group(s.group);
    JudgedMetricConfig m;
    m.name = s.name;
    m.groups = {s.group};
    m.classifier.critical = s.critical;
    config.metrics.push_back(m);
    JudgedMetric r;
    r.name = s.name;
    r.classification.label = s.label;
    r.classification.critical = s.critical;
    r.classification.reason = std::string(MetricLabelName(s.label));
    results.push_back(r);
  }
  return ScoreMetrics(config, results);
}

// Kayenta's ScorerSuite (WeightedSumScorer), with its expected scores.
TEST(KayentaJudgeTest, ReproducesKayentaScorerSuite) {
  using L = MetricLabel;
  const std::vector<ScorerCase> cases = {
      {"Single Metric Pass", {}, {{"m", L::kPass, "test-group"}}, 100.0},
      {"Single Metric Fail", {}, {{"m", L::kHigh, "test-group"}}, 0.0},
      {"Single group Nodata",
       {},
       {{"m", L::kNodata, "test-group-nodata"}},
       0.0,
       {0.0}},
      {"Two Groups, one Pass, one Nodata",
       {},
       {{"a", L::kPass, "test-group-pass"},
        {"b", L::kPass, "test-group-pass"},
        {"c", L::kNodata, "test-group-nodata"}},
       100.0,
       {0.0, 100.0}},
      {"One Group, Two Metrics",
       {},
       {{"p", L::kPass, "g"}, {"h", L::kHigh, "g"}},
       50.0},
      {"One Group, Three Metrics",
       {},
       {{"p", L::kPass, "g"}, {"h", L::kHigh, "g"}, {"l", L::kLow, "g"}},
       33.33},
      {"Two Groups, Three Metrics",
       {{"group-1", 75.0}, {"group-2", 25.0}},
       {{"p1", L::kPass, "group-1"},
        {"p2", L::kPass, "group-1"},
        {"f", L::kHigh, "group-2"}},
       75.0},
      {"Two Groups, Three Metrics (Equal Weight)",
       {{"group-1", 50.0}, {"group-2", 50.0}},
       {{"p", L::kPass, "group-1"},
        {"f1", L::kHigh, "group-1"},
        {"f2", L::kHigh, "group-2"}},
       25.0},
      {"Two Groups, Three Metrics (Equal Weight), one NoData",
       {{"group-1", 50.0}, {"group-2", 50.0}},
       {{"p", L::kPass, "group-1"},
        {"n", L::kNodata, "group-1"},
        {"f", L::kHigh, "group-2"}},
       50.0},
      {"Two Metrics, one good (normal), one fail (critical)",
       {},
       {{"p", L::kPass, "g"}, {"h", L::kHigh, "g", true}},
       0.0},
      {"Two Metrics, one low (normal), one good (critical)",
       {},
       {{"l", L::kLow, "g"}, {"p", L::kPass, "g", true}},
       50.0},
      {"Two Metrics, one good (normal), one nodata (critical)",
       {},
       {{"p", L::kPass, "g"}, {"n", L::kNodata, "g", true}},
       0.0},
      {"Two Groups (Unequal Weight), Four Metrics",
       {{"group1", 15.0}, {"group2", 85.0}},
       {{"h", L::kHigh, "group1"},
        {"l", L::kLow, "group1"},
        {"p", L::kPass, "group1"},
        {"f", L::kHigh, "group2"}},
       5.0},
  };
  for (const ScorerCase& c : cases) {
    SCOPED_TRACE(c.test);
    SLUICE_ASSERT_OK_AND_ASSIGN(JudgeResult r, Score(c));
    EXPECT_EQ(r.score, c.want_score) << r;
    if (!c.want_group_scores.empty()) {
      std::vector<double> got;
      for (const GroupScore& g : r.groups) got.push_back(g.score);
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, c.want_group_scores);
    }
  }
}

TEST(KayentaJudgeTest, ReasonsAndLabels) {
  ScorerCase critical{"critical",
                      {},
                      {{"p", MetricLabel::kPass, "g"},
                       {"errors", MetricLabel::kHigh, "g", true}},
                      0};
  SLUICE_ASSERT_OK_AND_ASSIGN(JudgeResult r, Score(critical));
  EXPECT_EQ(r.label, ScoreLabel::kFail);
  EXPECT_EQ(r.reason, "Canary Failed: High");

  ScorerCase nodata{
      "nodata",
      {},
      {{"a", MetricLabel::kNodata, "g"}, {"b", MetricLabel::kPass, "g"}},
      0};
  SLUICE_ASSERT_OK_AND_ASSIGN(r, Score(nodata));
  EXPECT_EQ(r.score, 0);
  EXPECT_EQ(r.reason, "Canary Failed: 50% or more metrics returned NODATA");

  // NodataFailMetric counts as a failure in its group.
  ScorerCase fail_metric{"nodata fail metric",
                         {},
                         {{"a", MetricLabel::kNodataFailMetric, "g"},
                          {"b", MetricLabel::kPass, "g"}},
                         0};
  SLUICE_ASSERT_OK_AND_ASSIGN(r, Score(fail_metric));
  EXPECT_EQ(r.score, 50);
  EXPECT_TRUE(r.reason.empty());
}

TEST(KayentaJudgeTest, ThresholdsGivePassMarginalFail) {
  // One group, four metrics: 75, 50 and 100 with thresholds 95 / 75.
  auto judge = [](int passing) {
    ScorerCase c{"t", {}, {}, 0};
    for (int i = 0; i < 4; ++i) {
      c.metrics.push_back(
          {"m" + std::to_string(i),
           i < passing ? MetricLabel::kPass : MetricLabel::kHigh, "g"});
    }
    return Score(c);
  };
  SLUICE_ASSERT_OK_AND_ASSIGN(JudgeResult r, judge(4));
  EXPECT_EQ(r.label, ScoreLabel::kPass);
  SLUICE_ASSERT_OK_AND_ASSIGN(r, judge(3));
  EXPECT_EQ(r.score, 75);
  EXPECT_EQ(r.label, ScoreLabel::kMarginal);  // 75 >= marginal 75
  SLUICE_ASSERT_OK_AND_ASSIGN(r, judge(2));
  EXPECT_EQ(r.label, ScoreLabel::kFail);
}

// Where Sluice differs on purpose: with a marginal threshold of 0, Kayenta
// would call a critical failure (score 0) Marginal.
TEST(KayentaJudgeTest, CriticalFailureIsFailWhateverTheThresholds) {
  KayentaJudgeConfig config;
  config.groups = {{"g", std::nullopt}};
  JudgedMetricConfig m;
  m.name = "errors";
  m.groups = {"g"};
  m.classifier.critical = true;
  config.metrics = {m};
  config.thresholds = {/*pass=*/0, /*marginal=*/0};
  JudgedMetric r;
  r.name = "errors";
  r.classification.label = MetricLabel::kHigh;
  r.classification.critical = true;
  SLUICE_ASSERT_OK_AND_ASSIGN(JudgeResult result, ScoreMetrics(config, {r}));
  EXPECT_EQ(result.score, 0);
  EXPECT_EQ(result.label, ScoreLabel::kFail);
}

TEST(KayentaJudgeTest, MutedMetricsAreReportedButNotScored) {
  KayentaJudgeConfig config;
  config.groups = {{"g", std::nullopt}};
  JudgedMetricConfig a, b;
  a.name = "a";
  a.groups = {"g"};
  b.name = "b";
  b.groups = {"g"};
  b.muted = true;
  config.metrics = {a, b};
  JudgedMetric ra{"a", {}, false};
  JudgedMetric rb{"b", {}, true};
  rb.classification.label = MetricLabel::kHigh;
  SLUICE_ASSERT_OK_AND_ASSIGN(JudgeResult r, ScoreMetrics(config, {ra, rb}));
  EXPECT_EQ(r.score, 100);
  ASSERT_EQ(r.metrics.size(), 2u);
  EXPECT_TRUE(r.metrics[1].muted);
}

TEST(KayentaJudgeTest, RoundsTheScoreHalfUpToTwoDecimals) {
  // Weights 1/3 of 100 each via three unweighted groups; one of three
  // metrics failing in one group: 100 * 2/3 + 100 * 2/3 ... = 66.67.
  ScorerCase c{"round",
               {},
               {{"a", MetricLabel::kPass, "g1"},
                {"b", MetricLabel::kPass, "g2"},
                {"c", MetricLabel::kHigh, "g3"}},
               0};
  SLUICE_ASSERT_OK_AND_ASSIGN(JudgeResult r, Score(c));
  EXPECT_EQ(r.score, 66.67);
}

KayentaJudgeConfig ValidConfig() {
  KayentaJudgeConfig config;
  config.groups = {{"latency", 60.0}, {"errors", 40.0}};
  JudgedMetricConfig latency;
  latency.name = "p50";
  latency.groups = {"latency"};
  latency.classifier.direction = MetricDirection::kIncrease;
  JudgedMetricConfig errors;
  errors.name = "error_rate";
  errors.groups = {"errors"};
  errors.classifier.critical = true;
  errors.classifier.nan_strategy = NanStrategy::kReplace;
  config.metrics = {latency, errors};
  return config;
}

TEST(KayentaJudgeTest, ValidateNamesTheField) {
  EXPECT_THAT(ValidConfig().Validate(), IsOk());
  struct Bad {
    void (*mutate)(KayentaJudgeConfig&);
    const char* message;
  };
  const Bad bad[] = {
      {[](KayentaJudgeConfig& c) { c.groups.clear(); },
       "groups: must not be empty"},
      {[](KayentaJudgeConfig& c) { c.groups[1].weight = 120; },
       "groups[1].weight: must be in [0, 100] (got 120)"},
      {[](KayentaJudgeConfig& c) { c.groups[1].weight = 30; },
       "groups: weights must sum to 100 (got 90)"},
      {[](KayentaJudgeConfig& c) {
         c.groups.push_back({"other", 50.0});
         c.metrics[0].groups.push_back("other");
       },
       "groups: weights must sum to 100 (got 150)"},
      {[](KayentaJudgeConfig& c) {
         c.groups.push_back({"other", std::nullopt});
         c.groups[1].weight = 50;
         c.metrics[0].groups.push_back("other");
       },
       "groups: weights must sum to 100; the weighted groups already sum to "
       "110"},
      {[](KayentaJudgeConfig& c) { c.groups[1].name = "latency"; },
       "groups[1].name: duplicate group \"latency\""},
      {[](KayentaJudgeConfig& c) { c.groups[0].name = ""; },
       "groups[0].name: must not be empty"},
      {[](KayentaJudgeConfig& c) { c.metrics.clear(); },
       "metrics: must not be empty"},
      {[](KayentaJudgeConfig& c) { c.metrics[1].groups = {"latncy"}; },
       "metrics[1].groups[0]: unknown group \"latncy\""},
      {[](KayentaJudgeConfig& c) { c.metrics[1].groups.clear(); },
       "metrics[1].groups: must name at least one group"},
      {[](KayentaJudgeConfig& c) { c.metrics[1].name = "p50"; },
       "metrics[1].name: duplicate metric \"p50\""},
      {[](KayentaJudgeConfig& c) { c.metrics[0].classifier.confidence = 1.5; },
       "metrics[0].confidence: must be in (0, 1) (got 1.5)"},
      {[](KayentaJudgeConfig& c) { c.metrics[1].groups = {"latency"}; },
       "groups[1]: no metric belongs to group \"errors\""},
      {[](KayentaJudgeConfig& c) {
         c.thresholds = {80, 90};
       },
       "thresholds.marginal: must be <= thresholds.pass (got 90 > 80)"},
      {[](KayentaJudgeConfig& c) { c.thresholds.pass = 101; },
       "thresholds.pass: must be in [0, 100] (got 101)"},
  };
  for (const Bad& b : bad) {
    KayentaJudgeConfig config = ValidConfig();
    b.mutate(config);
    EXPECT_THAT(config.Validate(), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr(b.message)));
  }
}

TEST(KayentaJudgeTest, JudgesSamplesEndToEnd) {
  const KayentaJudgeConfig config = ValidConfig();
  std::vector<double> base_latency, canary_latency, base_err, canary_err;
  for (int i = 0; i < 60; ++i) {
    base_latency.push_back(100 + (i * 37 % 23));
    canary_latency.push_back(100 + (i * 41 % 23) + 40);  // clearly slower
    base_err.push_back(i % 10 == 0 ? 1 : 0);
    canary_err.push_back(i % 10 == 3 ? 1 : 0);
  }
  SLUICE_ASSERT_OK_AND_ASSIGN(
      JudgeResult r,
      JudgeCanary(config, {{"p50", base_latency, canary_latency},
                           {"error_rate", base_err, canary_err}}));
  ASSERT_EQ(r.metrics.size(), 2u);
  EXPECT_EQ(r.metrics[0].classification.label, MetricLabel::kHigh) << r;
  EXPECT_EQ(r.metrics[1].classification.label, MetricLabel::kPass) << r;
  EXPECT_EQ(r.score, 40);  // errors' 40 of 100
  EXPECT_EQ(r.label, ScoreLabel::kFail);

  // A metric without samples is Nodata; one of two is too many.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      r, JudgeCanary(config, {{"p50", base_latency, base_latency}}));
  EXPECT_EQ(r.metrics[1].classification.label, MetricLabel::kPass)
      << "kReplace: no data means no errors";
  EXPECT_EQ(r.score, 100);
  EXPECT_EQ(r.label, ScoreLabel::kPass);

  EXPECT_THAT(JudgeCanary(config, {{"p99", {1}, {2}}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("samples[0].name: no metric \"p99\"")));
  EXPECT_THAT(JudgeCanary(config, {{"p50", {1}, {2}}, {"p50", {1}, {2}}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("samples[1].name: duplicate metric")));
  KayentaJudgeConfig bad = config;
  bad.thresholds = {50, 60};
  EXPECT_THAT(JudgeCanary(bad, {}), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("thresholds.marginal")));
}

TEST(KayentaJudgeTest, ValueTypesCompareAndPrint) {
  EXPECT_EQ(ValidConfig(), ValidConfig());
  KayentaJudgeConfig other = ValidConfig();
  other.metrics[0].muted = true;
  EXPECT_NE(ValidConfig(), other);
  std::ostringstream os;
  os << ValidConfig();
  EXPECT_THAT(os.str(), HasSubstr("{name: \"latency\", weight: 60}"));
}

}  // namespace
}  // namespace sluice::stats
