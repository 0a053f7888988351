// Copyright 2026 The Sluice Authors.

#include "sluice/stats/kayenta_classifier.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::stats {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Named samples: tests/stats/testdata/kayenta_classifier_samples.txt and the
// "Large Input" pair of kayenta_large_input.txt (large_x, large_y).
const std::map<std::string, std::vector<double>>& Samples() {
  static const auto* samples = [] {
    auto* m = new std::map<std::string, std::vector<double>>;
    auto read = [m](const std::string& path, const std::string& prefix) {
      std::ifstream in(path);
      EXPECT_TRUE(in.is_open()) << path << ": run from the source root";
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const size_t space = line.find(' ');
        std::vector<double>& v = (*m)[prefix + line.substr(0, space)];
        for (absl::string_view token :
             absl::StrSplit(line.substr(space + 1), ", ")) {
          double d;
          EXPECT_TRUE(absl::SimpleAtod(token, &d)) << token;
          v.push_back(d);
        }
      }
    };
    read("tests/stats/testdata/kayenta_classifier_samples.txt", "");
    read("tests/stats/testdata/kayenta_large_input.txt", "large_");
    return m;
  }();
  return *samples;
}

std::vector<double> Get(const std::string& name) {
  auto it = Samples().find(name);
  EXPECT_NE(it, Samples().end()) << name;
  return it == Samples().end() ? std::vector<double>() : it->second;
}

struct Case {
  const char* test;  // the ClassifierSuite test name
  std::vector<double> experiment;
  std::vector<double> control;
  MetricDirection direction = MetricDirection::kEither;
  double tolerance = 0.10;
  double confidence = 0.95;
  std::optional<std::pair<double, double>> effect;    // (decrease, increase)
  std::optional<std::pair<double, double>> critical;  // (decrease, increase)
  EffectSizeMeasure measure = EffectSizeMeasure::kMeanRatio;
  NanStrategy nan = NanStrategy::kRemove;
  bool is_critical = false;
  MetricLabel want = MetricLabel::kPass;
  std::optional<bool> want_critical;
};

Case& Add(std::vector<Case>& cases, const char* test,
          std::vector<double> experiment, std::vector<double> control,
          MetricDirection direction = MetricDirection::kEither) {
  Case c;
  c.test = test;
  c.experiment = std::move(experiment);
  c.control = std::move(control);
  c.direction = direction;
  cases.push_back(std::move(c));
  return cases.back();
}

Case& Cles(Case& c, double decrease, double increase) {
  c.tolerance = 0.20;
  c.confidence = 0.98;
  c.effect = {{decrease, increase}};
  c.measure = EffectSizeMeasure::kCles;
  return c;
}

std::vector<Case> KayentaCases() {
  using D = MetricDirection;
  using L = MetricLabel;
  const std::vector<double> high5 = {20.0, 22.0, 21.0, 25.0, 30.0};
  const std::vector<double> low5 = {1.0, 2.2, 1.1, 2.5, 3.0};
  const std::vector<double> zeros5(5, 0.0);
  const std::vector<double> around55 = {54.9, 54.5, 55.1, 55.6, 57.4};
  std::vector<Case> c;
  Add(c, "Pass Metric", Get("normal_10"), Get("normal_10b"));
  c.back().want = L::kPass;
  Add(c, "High Metric", Get("normal_20"), Get("normal_10b"));
  c.back().want = L::kHigh;
  Add(c, "Low Metric", Get("normal_10"), Get("normal_20b"));
  c.back().want = L::kLow;
  Add(c, "Directional Test: Increase", Get("normal_10"), Get("normal_20b"),
      D::kIncrease);
  c.back().want = L::kPass;
  Add(c, "Directional Test: Decrease", Get("normal_20"), Get("normal_10b"),
      D::kDecrease);
  c.back().want = L::kPass;
  Add(c, "Directional Test: High Metric", Get("normal_20"), Get("normal_10b"),
      D::kIncrease);
  c.back().want = L::kHigh;
  c.back().want_critical = false;
  Add(c, "Directional Test: Low Metric", Get("normal_10"), Get("normal_20b"),
      D::kDecrease);
  c.back().want = L::kLow;
  Add(c, "High Metric (Large Input)", Get("large_x"), Get("large_y"));
  c.back().want = L::kHigh;
  c.back().want_critical = false;
  Add(c, "Mean Ratio Effect Size: High", high5, low5);
  c.back().effect = {{0.8, 1.2}};
  c.back().want = L::kHigh;
  Add(c, "Mean Ratio Effect Size: Low", Get("normal_10"), Get("normal_20b"),
      D::kDecrease);
  c.back().effect = {{0.8, 1.2}};
  c.back().want = L::kLow;
  Add(c, "Mean Ratio Effect Size: Pass", {10.0, 12.2, 10.1, 12.5, 23.0}, high5);
  c.back().effect = {{0.5, 1.0}};
  c.back().want = L::kPass;
  Add(c, "Mean Ratio Effect Size: Pass (Large Input)", Get("large_x"),
      Get("large_y"));
  c.back().effect = {{1.0, 5.0}};
  c.back().want = L::kPass;
  Add(c, "CLES Effect Size: Pass", Get("cles_pass_experiment"),
      Get("cles_pass_control"));
  Cles(c.back(), 0.5, 0.8);
  c.back().want = L::kPass;
  Add(c, "CLES Effect Size: High", Get("cles_high_experiment"),
      Get("cles_high_control"));
  Cles(c.back(), 0.2, 0.8);
  c.back().want = L::kHigh;
  Add(c, "CLES Effect Size: Low", Get("cles_low_experiment"),
      Get("cles_low_control"));
  Cles(c.back(), 0.2, 0.8);
  c.back().want = L::kLow;
  Add(c, "Critical Effect Size: Critical High", high5, low5);
  c.back().critical = {{1.0, 1.2}};
  c.back().is_critical = true;
  c.back().want = L::kHigh;
  c.back().want_critical = true;
  Add(c, "Critical Effect Size: Critical Low", {2.0, 2.0, 2.0, 2.0, 3.0},
      {10.0, 20.2, 10.1, 20.5, 30.0});
  c.back().critical = {{1.2, 1.0}};
  c.back().is_critical = true;
  c.back().want = L::kLow;
  c.back().want_critical = true;
  Add(c, "Critical Effect Size: High", high5, low5);
  c.back().effect = {{1.0, 5.0}};
  c.back().critical = {{1.0, 13.0}};
  c.back().is_critical = true;
  c.back().want = L::kHigh;
  c.back().want_critical = false;
  Add(c, "Critical Effect Size: Pass", high5, low5);
  c.back().effect = {{1.0, 13.0}};
  c.back().critical = {{1.0, 15.0}};
  c.back().is_critical = true;
  c.back().want = L::kPass;
  c.back().want_critical = false;
  Add(c, "Critical Effect Size: Critical High (Default Thresholds)", high5,
      low5);
  c.back().is_critical = true;
  c.back().want = L::kHigh;
  c.back().want_critical = true;
  Add(c, "Tied Observations", {1.0, 1.0, 1.0}, {1.0, 1.0}, D::kDecrease);
  c.back().want = L::kPass;
  Add(c, "Identical Populations", {1.0, 2.0, 3.0, 4.0, 5.0},
      {5.0, 4.0, 3.0, 2.0, 1.0}, D::kDecrease);
  c.back().want = L::kPass;
  Add(c, "Leading Zero Identical Population", {0.0, 1.0, 1.0, 1.0, 1.0},
      {1.0, 1.0, 1.0, 1.0, 1.0}, D::kDecrease);
  c.back().want = L::kPass;
  Add(c, "Missing Experiment Data", {}, {1.0, 2.0, 3.0, 4.0, 5.0},
      D::kDecrease);
  c.back().want = L::kNodata;
  Add(c, "Missing Experiment Data: Critical Metric", {},
      {1.0, 2.0, 3.0, 4.0, 5.0}, D::kDecrease);
  c.back().is_critical = true;
  c.back().want = L::kNodata;
  c.back().want_critical = true;
  Add(c, "Missing Experiment Data with NaN Replacement", {},
      {1.0, 2.0, 3.0, 4.0, 5.0}, D::kDecrease);
  c.back().nan = NanStrategy::kReplace;
  c.back().want = L::kPass;
  Add(c, "Majority Tied Observations", {1.0, 1.0, 1.0, 1.0, 10.0},
      {1.0, 1.0, 1.0, 1.0, 1.0});
  c.back().want = L::kPass;
  Add(c, "Tied Ranks", std::vector<double>(5, 10.0),
      std::vector<double>(5, 1.0));
  c.back().want = L::kHigh;
  Add(c, "Tied Ranks With Zeros", std::vector<double>(5, 10.0), zeros5);
  c.back().want = L::kHigh;
  Add(c, "Zero Mean: High Metric with Effect Size", around55, zeros5);
  c.back().effect = {{0.8, 1.2}};
  c.back().want = L::kHigh;
  Add(c, "Zero Mean: Low Metric with Effect Size", zeros5, around55);
  c.back().effect = {{0.8, 1.2}};
  c.back().want = L::kLow;
  Add(c, "Zero Mean: Critical Metric", Get("zero_mean_critical_experiment"),
      std::vector<double>(10, 0.0));
  c.back().critical = {{0.8, 1.2}};
  c.back().nan = NanStrategy::kReplace;
  c.back().is_critical = true;
  c.back().want = L::kHigh;
  c.back().want_critical = true;
  Add(c, "Zero Mean: Pass Metric", zeros5, zeros5);
  c.back().effect = {{0.8, 1.2}};
  c.back().want = L::kPass;
  return c;
}

MetricClassifierConfig ConfigOf(const Case& c) {
  MetricClassifierConfig config;
  config.direction = c.direction;
  config.tolerance = c.tolerance;
  config.confidence = c.confidence;
  config.effect_size_measure = c.measure;
  config.nan_strategy = c.nan;
  config.critical = c.is_critical;
  if (c.effect) {
    config.allowed_decrease = c.effect->first;
    config.allowed_increase = c.effect->second;
  }
  if (c.critical) {
    config.critical_decrease = c.critical->first;
    config.critical_increase = c.critical->second;
  }
  return config;
}

// Kayenta's ClassifierSuite (MannWhitneyClassifier cases), with its expected
// classifications.
TEST(KayentaClassifierTest, ReproducesKayentaClassifierSuite) {
  int checked = 0;
  for (const Case& c : KayentaCases()) {
    SCOPED_TRACE(c.test);
    SLUICE_ASSERT_OK_AND_ASSIGN(
        MetricClassification r,
        ClassifyMetric(ConfigOf(c), "test-metric", c.control, c.experiment));
    EXPECT_EQ(r.label, c.want) << r;
    if (c.want_critical) {
      EXPECT_EQ(r.critical, *c.want_critical) << r;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 33);  // + "Missing Data: Reason String" below
}

TEST(KayentaClassifierTest, DeviationIsTheMeanRatio) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricClassification r,
      ClassifyMetric(MetricClassifierConfig(), "m", {1, 2, 3}, {2, 4, 6}));
  EXPECT_DOUBLE_EQ(r.deviation, 2.0);
  // Zero means: NaN (Kayenta's "Zero Mean" cases).
  SLUICE_ASSERT_OK_AND_ASSIGN(
      r, ClassifyMetric(MetricClassifierConfig(), "m", {0, 0, 0, 0, 0},
                        {54.9, 54.5, 55.1, 55.6, 57.4}));
  EXPECT_TRUE(std::isnan(r.deviation));
  // Identical zero samples pass with deviation 1.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      r, ClassifyMetric(MetricClassifierConfig(), "m", {0, 0}, {0, 0}));
  EXPECT_EQ(r.deviation, 1.0);
  EXPECT_EQ(r.reason, "The Canary and Baseline data are identical");
}

TEST(KayentaClassifierTest, MissingDataRules) {
  MetricClassifierConfig config;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricClassification r,
                              ClassifyMetric(config, "errors", {1, 2}, {}));
  EXPECT_EQ(r.label, MetricLabel::kNodata);
  EXPECT_EQ(r.reason, "Missing data for errors");
  EXPECT_FALSE(r.critical);

  config.must_have_data = true;
  SLUICE_ASSERT_OK_AND_ASSIGN(r, ClassifyMetric(config, "errors", {}, {1}));
  EXPECT_EQ(r.label, MetricLabel::kNodataFailMetric);
  EXPECT_FALSE(r.critical);

  // Must have data and critical: a critical Nodata, which fails the canary.
  config.critical = true;
  SLUICE_ASSERT_OK_AND_ASSIGN(r, ClassifyMetric(config, "errors", {}, {1}));
  EXPECT_EQ(r.label, MetricLabel::kNodata);
  EXPECT_TRUE(r.critical);

  // Kayenta's "Missing Data: Reason String".
  SLUICE_ASSERT_OK_AND_ASSIGN(r, ClassifyMetric(config, "errors", {}, {}));
  EXPECT_FALSE(r.reason.empty());

  // Only NaN: removed, so no data; replaced by 0, so data.
  config = MetricClassifierConfig();
  SLUICE_ASSERT_OK_AND_ASSIGN(
      r, ClassifyMetric(config, "errors", {kNaN, kNaN}, {1, 2}));
  EXPECT_EQ(r.label, MetricLabel::kNodata);
  config.nan_strategy = NanStrategy::kReplace;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      r, ClassifyMetric(config, "errors", {kNaN, kNaN}, {0, 0}));
  EXPECT_EQ(r.label, MetricLabel::kPass);
  EXPECT_EQ(r.control.count, 2);
}

TEST(KayentaClassifierTest, InfinitiesFollowTheNanStrategy) {
  MetricClassifierConfig config;
  std::vector<double> baseline = {10, 11, 12, 13, kInf};
  std::vector<double> canary = {10.5, 11.5, -kInf, 12.5, 13.5};
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricClassification r,
                              ClassifyMetric(config, "m", baseline, canary));
  EXPECT_EQ(r.control.count, 4);
  EXPECT_EQ(r.experiment.count, 4);
  EXPECT_TRUE(std::isfinite(r.estimate));
  config.nan_strategy = NanStrategy::kReplace;
  SLUICE_ASSERT_OK_AND_ASSIGN(r, ClassifyMetric(config, "m", baseline, canary));
  EXPECT_EQ(r.control.count, 5);
  EXPECT_EQ(r.control.min, 0);
}

TEST(KayentaClassifierTest, OutlierRemovalDropsValuesOutsideTheFences) {
  // 1..100 plus 10000: P99 of the 101 values is 100 + 0.99 * 0 ... and
  // Q3 + 3 * IQR = 76 + 150 = 226, so 10000 is dropped; nothing else is.
  std::vector<double> baseline;
  for (int i = 1; i <= 100; ++i) baseline.push_back(i);
  std::vector<double> canary = baseline;
  canary.push_back(10000);
  MetricClassifierConfig config;
  config.outlier_strategy = OutlierStrategy::kRemove;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricClassification r,
                              ClassifyMetric(config, "m", baseline, canary));
  EXPECT_EQ(r.experiment.count, 100);
  EXPECT_EQ(r.experiment.max, 100);
  EXPECT_EQ(r.control.count, 100);
  // The samples are now identical.
  EXPECT_EQ(r.label, MetricLabel::kPass);
  config.outlier_strategy = OutlierStrategy::kKeep;
  SLUICE_ASSERT_OK_AND_ASSIGN(r, ClassifyMetric(config, "m", baseline, canary));
  EXPECT_EQ(r.experiment.count, 101);
}

TEST(KayentaClassifierTest, ConstantSamplesAreDeterministic) {
  // Kayenta adds random noise here; Sluice gives the same answer every time.
  MetricClassifierConfig config;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricClassification a,
      ClassifyMetric(config, "m", std::vector<double>(5, 1.0),
                     std::vector<double>(5, 10.0)));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricClassification b,
      ClassifyMetric(config, "m", std::vector<double>(5, 1.0),
                     std::vector<double>(5, 10.0)));
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.label, MetricLabel::kHigh);
  EXPECT_EQ(a.estimate, 9.0);
  EXPECT_EQ(a.lower, 9.0);
}

TEST(KayentaClassifierTest, BadConfigIsAnErrorNamingTheField) {
  MetricClassifierConfig config;
  config.confidence = 1.5;
  EXPECT_THAT(ClassifyMetric(config, "m", {1}, {2}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("confidence: must be in (0, 1) (got 1.5)")));
  config = MetricClassifierConfig();
  config.tolerance = -1;
  EXPECT_THAT(config.Validate(), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("tolerance")));
  config = MetricClassifierConfig();
  config.outlier_factor = 0;
  EXPECT_THAT(config.Validate(), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("outlier_factor")));
  config = MetricClassifierConfig();
  config.effect_size_measure = EffectSizeMeasure::kCles;
  config.allowed_increase = 1.5;
  EXPECT_THAT(config.Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("allowed_increase: must be in [0, 1]")));
  config = MetricClassifierConfig();
  config.critical_decrease = kNaN;
  EXPECT_THAT(config.Validate(), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("critical_decrease")));
}

TEST(KayentaClassifierTest, DefaultsAreKayentas) {
  MetricClassifierConfig config;
  EXPECT_EQ(config.direction, MetricDirection::kEither);
  EXPECT_EQ(config.nan_strategy, NanStrategy::kRemove);
  EXPECT_EQ(config.outlier_strategy, OutlierStrategy::kKeep);
  EXPECT_EQ(config.outlier_factor, 3.0);
  EXPECT_EQ(config.tolerance, 0.25);
  EXPECT_EQ(config.confidence, 0.98);
  EXPECT_EQ(config.effective_allowed_increase(), 1.0);
  config.effect_size_measure = EffectSizeMeasure::kCles;
  EXPECT_EQ(config.effective_allowed_increase(), 0.5);
  EXPECT_EQ(config.effective_critical_decrease(), 0.5);
  std::ostringstream os;
  os << config;
  EXPECT_THAT(os.str(), HasSubstr("effect_size_measure: cles"));
}

}  // namespace
}  // namespace sluice::stats
