// Copyright 2026 The Sluice Authors.
//
// The relative-to-baseline gate.

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/gates/checks.h"
#include "sluice/gates.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

// 2023-11-14T22:13:20Z, a Tuesday.
absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

RelativeCheck ErrorRate() {
  RelativeCheck c;
  c.metric.name = "error_rate";
  c.metric.unit = "%";
  return c;
}

struct Case {
  std::string name;
  double wave, baseline;
  std::optional<double> min_ratio, max_ratio, min_difference, max_difference;
  bool require_both;
  Outcome want;
  std::string reason;
};

TEST(RelativeGateTest, RatioAndDifference) {
  std::vector<Case> cases = {
      {"within ratio",
       1.05,
       1.0,
       {},
       1.1,
       {},
       {},
       false,
       Outcome::kPass,
       "ratio 1.05, difference 0.05 % within bounds"},
      {"over ratio",
       1.2,
       1.0,
       {},
       1.1,
       {},
       {},
       false,
       Outcome::kFail,
       "ratio 1.2 > max 1.1"},
      {"under min ratio",
       0.5,
       1.0,
       0.8,
       {},
       {},
       {},
       false,
       Outcome::kFail,
       "ratio 0.5 < min 0.8"},
      {"within difference",
       0.03,
       0.01,
       {},
       {},
       {},
       0.05,
       false,
       Outcome::kPass,
       "within bounds"},
      {"over difference",
       0.2,
       0.01,
       {},
       {},
       {},
       0.05,
       false,
       Outcome::kFail,
       "difference 0.19 % > max 0.05 %"},
      {"under min difference",
       1,
       5,
       {},
       {},
       -2,
       {},
       false,
       Outcome::kFail,
       "difference -4 % < min -2 %"},
      // Tiny values: ratio 3 is bad, but a 0.02 difference is allowed.
      {"either allowance",
       0.03,
       0.01,
       {},
       1.5,
       {},
       0.05,
       false,
       Outcome::kPass,
       "within bounds"},
      {"both required",
       0.03,
       0.01,
       {},
       1.5,
       {},
       0.05,
       true,
       Outcome::kFail,
       "ratio 3 > max 1.5"},
      {"both violated",
       3,
       1,
       {},
       1.5,
       {},
       0.05,
       false,
       Outcome::kFail,
       "ratio 3 > max 1.5 and difference 2 % > max 0.05 %"},
      {"zero baseline zero wave",
       0,
       0,
       {},
       1.1,
       {},
       {},
       false,
       Outcome::kPass,
       "ratio 1,"},
      {"zero baseline",
       0.1,
       0,
       {},
       1.1,
       {},
       {},
       false,
       Outcome::kFail,
       "ratio inf > max 1.1"},
  };
  for (const Case& c : cases) {
    Harness h;
    h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), c.wave, 800);
    h.metrics.SetAggregate("error_rate", Cohort::kBaseline, T0(), c.baseline,
                           900);
    RelativeCheck check = ErrorRate();
    check.min_ratio = c.min_ratio;
    check.max_ratio = c.max_ratio;
    check.min_difference = c.min_difference;
    check.max_difference = c.max_difference;
    check.require_both = c.require_both;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", check));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    EXPECT_EQ(v.outcome, c.want) << c.name << ": " << v;
    EXPECT_THAT(v.reason, HasSubstr(c.reason)) << c.name;
    EXPECT_THAT(v.reason, HasSubstr("(n=800 vs 900)")) << c.name;
    EXPECT_EQ(v.sample_count, 1700) << c.name;
  }
}

TEST(RelativeGateTest, QueriesBothCohortsOverTheSameWindow) {
  Harness h;
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 1);
  h.metrics.SetAggregate("error_rate", Cohort::kBaseline, T0(), 1);
  RelativeCheck check = ErrorRate();
  check.max_ratio = 1.1;
  check.window = absl::Minutes(10);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", check));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  ASSERT_EQ(v.outcome, Outcome::kPass);
  auto q = h.metrics.queries();
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].cohort, Cohort::kWave);
  EXPECT_THAT(q[0].targets, ElementsAre("web-1", "web-2"));
  EXPECT_EQ(q[1].cohort, Cohort::kBaseline);
  EXPECT_THAT(q[1].targets, ElementsAre("web-9"));
  for (const auto& query : q) {
    EXPECT_EQ(query.start, T0() - absl::Minutes(10));
    EXPECT_EQ(query.end, T0());
  }
  EXPECT_EQ(v.reason,
            "mean of error_rate 1 % vs baseline 1 %: ratio 1, difference 0 % "
            "within bounds over 10m on wave 2");
  ASSERT_NE(v.FindObservation("error_rate.baseline"), nullptr);
  EXPECT_EQ(v.FindObservation("ratio")->value, 1);
}

TEST(RelativeGateTest, MissingBaselineFollowsThePolicy) {
  Harness h;
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 1);
  h.metrics.SetNoData("error_rate", Cohort::kBaseline, T0());
  RelativeCheck check = ErrorRate();
  check.max_ratio = 1.1;
  check.metric.missing_data = MissingDataPolicy::kInconclusive;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", check));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kInconclusive);
  EXPECT_THAT(v.reason, HasSubstr("no data on the baseline"));
}

TEST(RelativeGateTest, BaselineErrorIsRetried) {
  Harness h;
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 1);
  h.metrics.QueueResponse("error_rate", Cohort::kBaseline,
                          absl::UnavailableError("down"));
  h.metrics.SetAggregate("error_rate", Cohort::kBaseline, T0(), 1);
  RelativeCheck check = ErrorRate();
  check.max_ratio = 1.1;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", check));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  ASSERT_EQ(v.outcome, Outcome::kHold);
  EXPECT_THAT(v.reason, HasSubstr("querying error_rate on the baseline"));
  v = gate->Evaluate(h.Context(v.hold_until), state);
  EXPECT_EQ(v.outcome, Outcome::kPass);
}

TEST(RelativeGateTest, NoBaselinePassesSayingSo) {
  // The last wave of a plan: no target is left on the old version.
  Harness h;
  h.baseline = {};
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 0.5, 100);
  h.metrics.SetAggregate("error_rate", Cohort::kBaseline, T0(), 0.001, 100);
  RelativeCheck c;
  c.metric.name = "error_rate";
  c.max_difference = 0.01;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("rel", c));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v;
  EXPECT_THAT(v.reason, HasSubstr("no baseline for wave 2"));
  EXPECT_EQ(h.metrics.query_count(), 0u);
}

TEST(RelativeGateTest, TooFewWaveSamplesAreInconclusive) {
  // A low-traffic window: the wave's p99 rests on 12 requests.
  Harness h;
  h.metrics.SetAggregate("p99", Cohort::kWave, T0(), 900, 12);
  h.metrics.SetAggregate("p99", Cohort::kBaseline, T0(), 200, 9000);
  RelativeCheck c;
  c.metric.name = "p99";
  c.max_ratio = 1.5;
  c.min_samples = 500;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("rel", c));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kInconclusive) << v;
  EXPECT_THAT(v.reason, HasSubstr("too few samples"));
  EXPECT_THAT(v.reason, HasSubstr("(n=12 < min_samples 500)"));
}

TEST(RelativeGateTest, BadInputNamesTheField) {
  struct Bad {
    std::function<void(RelativeCheck&)> edit;
    std::string want;
  };
  std::vector<Bad> cases = {
      {[](RelativeCheck&) {},
       "max_ratio: at least one of min_ratio, max_ratio, min_difference and "
       "max_difference is required"},
      {[](RelativeCheck& c) { c.max_ratio = 0; },
       "max_ratio: must be > 0 (got 0)"},
      {[](RelativeCheck& c) { c.min_ratio = -1; },
       "min_ratio: must be >= 0 (got -1)"},
      {[](RelativeCheck& c) {
         c.min_ratio = 2;
         c.max_ratio = 1;
       },
       "max_ratio: must be >= min_ratio (got 1 < 2)"},
      {[](RelativeCheck& c) {
         c.min_difference = 2;
         c.max_difference = 1;
       },
       "max_difference: must be >= min_difference (got 1 < 2)"},
      {[](RelativeCheck& c) {
         c.max_ratio = 1.1;
         c.window = absl::ZeroDuration();
       },
       "window: must be finite and > 0"},
      {[](RelativeCheck& c) {
         c.max_ratio = 1.1;
         c.aggregation = {AggregationKind::kQuantile, 2};
       },
       "aggregation.quantile: must be in (0, 1) (got 2)"},
  };
  for (const Bad& b : cases) {
    RelativeCheck c = ErrorRate();
    b.edit(c);
    EXPECT_THAT(
        NewRelativeGate("g", c),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(b.want)));
  }
}

// ---------------------------------------------------------------------------
// Rates from counts (requests_metric).

RelativeCheck ErrorsPerRequest() {
  RelativeCheck c;
  c.metric.name = "errors";
  MetricDefinition requests;
  requests.name = "requests";
  c.requests_metric = requests;
  c.window = absl::Minutes(2);
  return c;
}

// Per-minute counts of one cohort, at minutes T0 - 2m and T0 - 1m.
void AddCounts(Harness& h, Cohort cohort, double requests1, double errors1,
               double requests2, double errors2) {
  const absl::Time m1 = T0() - absl::Minutes(2);
  const absl::Time m2 = T0() - absl::Minutes(1);
  h.metrics.AddSamples("requests", cohort, {{m1, requests1}, {m2, requests2}});
  h.metrics.AddSamples("errors", cohort, {{m1, errors1}, {m2, errors2}});
  h.metrics.AddSamples("error_ratio", cohort,
                       {{m1, errors1 / requests1}, {m2, errors2 / requests2}});
}

// The same data judged as an average of per-minute ratios (today's relative
// gate on an error-ratio metric) and as pooled rates.
struct TwoWays {
  Verdict averaged;
  Verdict pooled;
};

TwoWays JudgeBothWays(Harness& h, double max_ratio) {
  RelativeCheck avg;
  avg.metric.name = "error_ratio";
  avg.max_ratio = max_ratio;
  avg.window = absl::Minutes(2);
  RelativeCheck pooled = ErrorsPerRequest();
  pooled.max_ratio = max_ratio;
  TwoWays out;
  GateState s1, s2;
  auto g1 = NewRelativeGate("avg", avg);
  auto g2 = NewRelativeGate("pooled", pooled);
  EXPECT_TRUE(g1.ok() && g2.ok());
  out.averaged = (*g1)->Evaluate(h.Context(T0()), s1);
  out.pooled = (*g2)->Evaluate(h.Context(T0()), s2);
  return out;
}

TEST(RelativeCountsTest, AQuietBadMinuteDoesNotOutweighABusyGoodOne) {
  // Wave: 1000 requests with 10 errors, then a quiet minute of 10 requests
  // with 1 error. Its error rate is 11 / 1010 = 1.09%; the average of the
  // per-minute ratios (1% and 10%) says 5.5%. Baseline: 1% both minutes.
  Harness h;
  AddCounts(h, Cohort::kWave, 1000, 10, 10, 1);
  AddCounts(h, Cohort::kBaseline, 2000, 20, 2000, 20);
  TwoWays v = JudgeBothWays(h, 1.5);
  EXPECT_EQ(v.averaged.outcome, Outcome::kFail) << v.averaged;
  EXPECT_EQ(v.pooled.outcome, Outcome::kPass) << v.pooled;
  EXPECT_NEAR(v.pooled.FindObservation("ratio")->value, (11.0 / 1010) / 0.01,
              1e-12);
}

TEST(RelativeCountsTest, ABusyBadMinuteIsNotDilutedByAQuietGoodOne) {
  // Wave: a quiet minute (10 requests, no error), then a busy one with 3%
  // errors (30 of 1000): 30 / 1010 = 2.97%, a ratio of 2.97 to the
  // baseline's 1%; the per-minute average (0% and 3%) says 1.5%, at the
  // bound, and passes.
  Harness h;
  AddCounts(h, Cohort::kWave, 10, 0, 1000, 30);
  AddCounts(h, Cohort::kBaseline, 2000, 20, 2000, 20);
  TwoWays v = JudgeBothWays(h, 1.5);
  EXPECT_EQ(v.averaged.outcome, Outcome::kPass) << v.averaged;
  EXPECT_EQ(v.pooled.outcome, Outcome::kFail) << v.pooled;
  EXPECT_THAT(v.pooled.reason, HasSubstr("> max 1.5"));
}

TEST(RelativeCountsTest, VerdictReportsBothCohortsCountsRatesAndShare) {
  Harness h;
  AddCounts(h, Cohort::kWave, 1000, 20, 1000, 10);
  AddCounts(h, Cohort::kBaseline, 4000, 40, 4000, 40);
  RelativeCheck c = ErrorsPerRequest();
  c.max_ratio = 2;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", c));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v;
  EXPECT_EQ(v.reason,
            "errors/requests 0.015 (30/2000) vs baseline 0.01 (80/8000; "
            "measured share 0.2): ratio 1.5, difference 0.005 within bounds "
            "over 2m on wave 2");
  EXPECT_EQ(v.FindObservation("errors")->value, 30);
  EXPECT_EQ(v.FindObservation("requests")->value, 2000);
  EXPECT_EQ(v.FindObservation("errors.baseline")->value, 80);
  EXPECT_EQ(v.FindObservation("requests.baseline")->value, 8000);
  EXPECT_DOUBLE_EQ(v.FindObservation("errors/requests")->value, 0.015);
  EXPECT_DOUBLE_EQ(v.FindObservation("errors/requests.baseline")->value, 0.01);
  EXPECT_DOUBLE_EQ(v.FindObservation("measured_share")->value, 0.2);
  EXPECT_EQ(v.sample_count, 10000);
  // Both metrics of both cohorts, summed, over the same window.
  auto q = h.metrics.queries();
  ASSERT_EQ(q.size(), 4u);
  for (const auto& query : q) {
    EXPECT_EQ(query.start, T0() - absl::Minutes(2));
    EXPECT_EQ(query.end, T0());
    ASSERT_TRUE(query.aggregation.has_value());
    EXPECT_EQ(query.aggregation->kind, AggregationKind::kSum);
  }
}

TEST(RelativeCountsTest, OnlyMinutesWithBothCountsArePooled) {
  // The wave's request count of the first minute was lost: its 50 errors
  // must not be set against the second minute's requests alone.
  Harness h;
  const absl::Time m1 = T0() - absl::Minutes(2);
  const absl::Time m2 = T0() - absl::Minutes(1);
  h.metrics.AddSamples("requests", Cohort::kWave, {{m2, 1000}});
  h.metrics.AddSamples("errors", Cohort::kWave, {{m1, 50}, {m2, 10}});
  AddCounts(h, Cohort::kBaseline, 1000, 10, 1000, 10);
  RelativeCheck c = ErrorsPerRequest();
  c.max_ratio = 1.5;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", c));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v;
  EXPECT_EQ(v.FindObservation("errors")->value, 10);
  EXPECT_EQ(v.FindObservation("requests")->value, 1000);
}

TEST(RelativeCountsTest, NoErrorDataIsZeroErrors) {
  Harness h;
  h.metrics.AddSamples("requests", Cohort::kWave,
                       {{T0() - absl::Minutes(1), 500}});
  h.metrics.SetNoData("errors", Cohort::kWave, T0());
  AddCounts(h, Cohort::kBaseline, 1000, 10, 1000, 10);
  RelativeCheck c = ErrorsPerRequest();
  c.max_ratio = 1.5;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", c));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v;
  EXPECT_EQ(v.FindObservation("errors")->value, 0);
}

TEST(RelativeCountsTest, NoBaselineRequestsFollowTheMissingDataPolicy) {
  Harness h;
  AddCounts(h, Cohort::kWave, 1000, 10, 1000, 10);
  h.metrics.SetNoData("requests", Cohort::kBaseline, T0());
  RelativeCheck c = ErrorsPerRequest();
  c.max_ratio = 1.5;
  c.metric.missing_data = MissingDataPolicy::kInconclusive;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", c));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kInconclusive) << v;
  EXPECT_THAT(v.reason, HasSubstr("no requests (requests) on the baseline"));
}

TEST(RelativeCountsTest, MinSamplesCountsTheWavesRequests) {
  // Two minutes of data but only 40 requests: a 10x ratio on 4 errors is no
  // evidence either way.
  Harness h;
  AddCounts(h, Cohort::kWave, 20, 2, 20, 2);
  AddCounts(h, Cohort::kBaseline, 2000, 20, 2000, 20);
  RelativeCheck c = ErrorsPerRequest();
  c.max_ratio = 1.5;
  c.min_samples = 100;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", c));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kInconclusive) << v;
  EXPECT_THAT(v.reason, HasSubstr("too few requests"));
  EXPECT_THAT(v.reason, HasSubstr("(requests=40 < min_samples 100)"));
  c.min_samples = 40;
  SLUICE_ASSERT_OK_AND_ASSIGN(gate, NewRelativeGate("g", c));
  GateState again;
  EXPECT_EQ(gate->Evaluate(h.Context(T0()), again).outcome, Outcome::kFail);
}

TEST(RelativeCountsTest, SignificanceGuardIsAConditionalBinomialTest) {
  // Equal request counts and max_ratio 1: given n errors in all, the wave's
  // are Binomial(n, 1/2) at the bound. 8 of 10: P(X >= 8) = 56/1024.
  struct Case {
    double wave_errors, base_errors;
    Outcome want;
    double p_value;
  };
  for (const Case& k : {Case{8, 2, Outcome::kPass, 56.0 / 1024},
                        Case{9, 1, Outcome::kFail, 11.0 / 1024}}) {
    Harness h;
    AddCounts(h, Cohort::kWave, 500, k.wave_errors, 500, 0);
    AddCounts(h, Cohort::kBaseline, 500, k.base_errors, 500, 0);
    RelativeCheck c = ErrorsPerRequest();
    c.max_ratio = 1;
    c.significance_alpha = 0.05;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", c));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    EXPECT_EQ(v.outcome, k.want) << v;
    ASSERT_NE(v.FindObservation("p_value"), nullptr) << v;
    EXPECT_NEAR(v.FindObservation("p_value")->value, k.p_value, 1e-12);
    if (k.want == Outcome::kPass) {
      EXPECT_THAT(v.reason, HasSubstr("(not significant: p=0.0546875 > alpha "
                                      "0.05)"));
    } else {
      EXPECT_THAT(v.reason, HasSubstr("ratio 9 > max 1 (p=0.0107"));
    }
  }
}

TEST(RelativeCountsTest, SignificanceUsesTheMeasuredShareAndTheBound) {
  // The wave has a fifth of the requests; at max_ratio 1.5 the wave's share
  // of the errors at the bound is p0 = 1.5 * 1 / (1.5 * 1 + 4) = 3/11. With
  // 60 errors on the wave and 100 on the baseline (ratio 2.4) the tail is
  // tiny; the same ratio on 6 and 10 errors is not significant.
  for (double scale : {10.0, 1.0}) {
    Harness h;
    AddCounts(h, Cohort::kWave, 500, 6 * scale, 500, 0);
    AddCounts(h, Cohort::kBaseline, 2000, 10 * scale, 2000, 0);
    RelativeCheck c = ErrorsPerRequest();
    c.max_ratio = 1.5;
    c.significance_alpha = 0.01;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", c));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    EXPECT_NEAR(v.FindObservation("ratio")->value, 2.4, 1e-12);
    EXPECT_EQ(v.outcome, scale > 1 ? Outcome::kFail : Outcome::kPass)
        << scale << ": " << v;
    const double p = v.FindObservation("p_value")->value;
    if (scale > 1) {
      EXPECT_LT(p, 0.01);
    } else {
      EXPECT_GT(p, 0.01);
    }
  }
}

TEST(RelativeCountsTest, SignificanceGuardsTheLowerBoundToo) {
  // A success-like count that must not drop: ratio 0.2 < min 0.5 on 2 of 12
  // events, equal traffic: P(E_w <= 2) at p0 = 0.5/1.5 = 1/3.
  Harness h;
  AddCounts(h, Cohort::kWave, 500, 2, 500, 0);
  AddCounts(h, Cohort::kBaseline, 500, 10, 500, 0);
  RelativeCheck c = ErrorsPerRequest();
  c.min_ratio = 0.5;
  c.significance_alpha = 0.05;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", c));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  // P(Binomial(12, 1/3) <= 2) = 0.1811...
  double want = 0;
  for (int k = 0; k <= 2; ++k) {
    double binom = k == 0 ? 1 : k == 1 ? 12 : 66;
    want += binom * std::pow(1.0 / 3, k) * std::pow(2.0 / 3, 12 - k);
  }
  EXPECT_NEAR(v.FindObservation("p_value")->value, want, 1e-12);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v;
}

TEST(RelativeCountsTest, BinomialUpperTailMatchesExactSums) {
  // P(X >= k) for X ~ Binomial(n, p), summed exactly at 50 digits by
  // tests/gates/testdata/binomial_tail_reference.py (mpmath).
  struct Case {
    int64_t n, k;
    double p, want;
  };
  for (const Case& c : {Case{2000, 1050, 0.5, 0.013412073120140348},
                        Case{500, 20, 0.02, 0.0031263426850115878},
                        Case{20000, 230, 0.01, 0.019713468487181304},
                        Case{20000, 150, 0.01, 0.99990966016243896},
                        Case{60, 45, 0.3, 8.653902197155443e-13}}) {
    EXPECT_NEAR(internal::BinomialUpperTail(c.n, c.k, c.p), c.want,
                1e-9 * c.want)
        << c.n << " " << c.k << " " << c.p;
  }
  EXPECT_EQ(internal::BinomialUpperTail(10, 0, 0.3), 1);
  EXPECT_EQ(internal::BinomialUpperTail(10, 11, 0.3), 0);
  EXPECT_EQ(internal::BinomialUpperTail(10, 3, 0), 0);
  EXPECT_EQ(internal::BinomialUpperTail(10, 3, 1), 1);
}

TEST(RelativeCountsTest, BadInputNamesTheField) {
  struct Bad {
    std::function<void(RelativeCheck&)> edit;
    std::string want;
  };
  std::vector<Bad> cases = {
      {[](RelativeCheck& c) { c.aggregation = {AggregationKind::kQuantile}; },
       "aggregation: must be sum, rate or mean with requests_metric (got "
       "p50)"},
      {[](RelativeCheck& c) { c.requests_metric->name = ""; },
       "requests_metric.name: must not be empty"},
      {[](RelativeCheck& c) { c.requests_metric->name = "errors"; },
       "requests_metric.name: must differ from metric.name"},
      {[](RelativeCheck& c) { c.significance_alpha = 1; },
       "significance_alpha: must be in (0, 1) (got 1)"},
      {[](RelativeCheck& c) {
         c.requests_metric.reset();
         c.significance_alpha = 0.05;
       },
       "significance_alpha: needs requests_metric"},
      {[](RelativeCheck& c) {
         c.max_ratio.reset();
         c.max_difference = 0.01;
         c.significance_alpha = 0.05;
       },
       "significance_alpha: needs min_ratio or max_ratio"},
  };
  for (const Bad& b : cases) {
    RelativeCheck c = ErrorsPerRequest();
    c.max_ratio = 1.5;
    b.edit(c);
    EXPECT_THAT(
        NewRelativeGate("g", c),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(b.want)));
  }
}

}  // namespace
}  // namespace sluice
