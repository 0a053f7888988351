// Copyright 2026 The Sluice Authors.
//
// The rank test gate (sluice/rank_gate.h): a one-sided Mann-Whitney test of
// the wave's distribution against the baseline's, from histogram buckets or
// observations, with min_samples, min_superiority, query errors, the state
// through a snapshot, and GateSpec.rank_test.

#include "sluice/rank_gate.h"

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/gates/spec_gates.h"
#include "sluice/gate_state_proto.h"
#include "sluice/spec.h"
#include "sluice/stats/histogram.h"
#include "sluice/stats/mann_whitney.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::DriveGate;
using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr double kInf = std::numeric_limits<double>::infinity();

absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

double Obs(const Verdict& v, const std::string& name) {
  const Observation* o = v.FindObservation(name);
  return o == nullptr ? std::nan("") : o->value;
}

// `n` log-normal latencies (deterministic quantiles) times `scale`.
std::vector<double> Latencies(int n, double scale) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) {
    const double u = (i + 0.5) / n;
    const double z = std::log(u / (1 - u)) / 1.7;  // ~ a normal quantile
    out.push_back(40 * std::exp(0.35 * z) * scale);
  }
  return out;
}

// Fine bounds (every 2 ms to 200 ms), then +inf.
std::vector<double> FineBounds() {
  std::vector<double> b;
  for (int ms = 2; ms <= 200; ms += 2) b.push_back(ms);
  return b;
}

// A cumulative histogram of `values` (each counted `weight` times) over
// `bounds` and +inf.
MetricDistribution HistogramOf(const std::vector<double>& values,
                               const std::vector<double>& bounds,
                               double weight = 1) {
  std::vector<HistogramBucket> buckets;
  for (double b : bounds) {
    double n = 0;
    for (double v : values) n += v <= b ? weight : 0;
    buckets.push_back({b, n});
  }
  buckets.push_back({kInf, weight * static_cast<double>(values.size())});
  return MetricDistribution::FromHistogram(buckets);
}

RankTestGateOptions Options() {
  RankTestGateOptions o;
  o.metric.name = "latency";
  o.metric.unit = "ms";
  o.window = absl::Minutes(20);
  return o;
}

std::unique_ptr<HealthGate> Gate(RankTestGateOptions o) {
  absl::StatusOr<std::unique_ptr<HealthGate>> gate =
      NewRankTestGate("latency rank", std::move(o));
  EXPECT_THAT(gate.status(), IsOk());
  return gate.ok() ? *std::move(gate) : nullptr;
}

void SetBoth(Harness& h, absl::StatusOr<MetricDistribution> wave,
             absl::StatusOr<MetricDistribution> baseline) {
  h.metrics.SetDistribution("latency", Cohort::kWave, T0(), std::move(wave));
  h.metrics.SetDistribution("latency", Cohort::kBaseline, T0(),
                            std::move(baseline));
}

TEST(RankTestGateTest, HoldsForTheWindowThenFailsASlowerWave) {
  Harness h;
  h.deployed_at = T0();
  SetBoth(h, HistogramOf(Latencies(500, 1.2), FineBounds()),
          HistogramOf(Latencies(3000, 1.0), FineBounds()));
  std::unique_ptr<HealthGate> gate = Gate(Options());
  GateState state;
  Verdict first = gate->Evaluate(h.Context(T0() + absl::Minutes(1)), state);
  EXPECT_EQ(first.outcome, Outcome::kHold);
  EXPECT_EQ(first.hold_until, T0() + absl::Minutes(20));
  EXPECT_EQ(h.metrics.query_count(), 0u);
  Verdict v = gate->Evaluate(h.Context(T0() + absl::Minutes(20)), state);
  EXPECT_EQ(v.outcome, Outcome::kFail) << v;
  EXPECT_THAT(v.reason, StartsWith("latency higher on wave 2: p="));
  EXPECT_THAT(v.reason, HasSubstr("(n 500 vs 3000, 101 buckets)"));
  EXPECT_LT(Obs(v, "p_value"), 1e-6);
  EXPECT_GT(Obs(v, "superiority"), 0.6);
  EXPECT_EQ(Obs(v, "n_canary"), 500);
  EXPECT_EQ(Obs(v, "n_baseline"), 3000);
  EXPECT_EQ(v.sample_count, 3500);
  // One query per cohort, over the window from the deploy.
  const std::vector<testing::RecordedMetricQuery> q = h.metrics.queries();
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].cohort, Cohort::kWave);
  EXPECT_EQ(q[0].start, T0());
  EXPECT_EQ(q[0].end, T0() + absl::Minutes(20));
  EXPECT_EQ(q[1].cohort, Cohort::kBaseline);
  // Decided: asked again, the same verdict without a query.
  EXPECT_EQ(gate->Evaluate(h.Context(T0() + absl::Hours(2)), state), v);
  EXPECT_EQ(h.metrics.query_count(), 2u);
}

TEST(RankTestGateTest, SameOrFasterWavePasses) {
  for (double scale : {1.0, 0.8}) {
    Harness h;
    h.deployed_at = T0();
    SetBoth(h, HistogramOf(Latencies(500, scale), FineBounds()),
            HistogramOf(Latencies(3000, 1.0), FineBounds()));
    GateState state;
    testing::GateRun run = DriveGate(*Gate(Options()), h, state, T0());
    EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
    EXPECT_THAT(run.verdict.reason,
                StartsWith("latency not shown higher on wave 2: p="));
    EXPECT_GE(Obs(run.verdict, "p_value"), 0.05);
  }
}

// The histogram answer is ranked bucket by bucket: the gate's U and p-value
// are MannWhitneyUHistograms' on the same buckets, one-sided.
TEST(RankTestGateTest, HistogramsAreRankedByBucket) {
  Harness h;
  h.deployed_at = T0();
  const std::vector<double> bounds = {30, 40, 50};
  SetBoth(h, HistogramOf(Latencies(200, 1.1), bounds),
          HistogramOf(Latencies(300, 1.0), bounds));
  GateState state;
  testing::GateRun run = DriveGate(*Gate(Options()), h, state, T0());
  stats::Histogram x, y;
  x.upper_bounds = y.upper_bounds = {30, 40, 50, kInf};
  for (double b : x.upper_bounds) {
    uint64_t cx = 0, cy = 0;
    for (double v : Latencies(200, 1.1)) cx += v <= b;
    for (double v : Latencies(300, 1.0)) cy += v <= b;
    x.cumulative_counts.push_back(cx);
    y.cumulative_counts.push_back(cy);
  }
  stats::MannWhitneyOptions mw;
  mw.alternative = stats::Alternative::kGreater;
  mw.method = stats::MannWhitneyMethod::kAsymptotic;
  SLUICE_ASSERT_OK_AND_ASSIGN(stats::MannWhitneyResult want,
                              stats::MannWhitneyUHistograms(x, y, mw));
  EXPECT_EQ(Obs(run.verdict, "u"), want.u);
  EXPECT_EQ(Obs(run.verdict, "p_value"), want.p_value);
  EXPECT_EQ(Obs(run.verdict, "superiority"), want.u / (200.0 * 300.0));
}

// Observations on one side and buckets on the other, or buckets that
// differ: both are compared in the buckets they share, so the result is the
// one of both cohorts bucketed there.
TEST(RankTestGateTest, MixedAnswersShareTheirBuckets) {
  const std::vector<double> shared = {30, 40, 50};
  const std::vector<double> finer = {25, 30, 35, 40, 45, 50};
  auto run = [](MetricDistribution wave, MetricDistribution baseline) {
    Harness h;
    h.deployed_at = T0();
    SetBoth(h, std::move(wave), std::move(baseline));
    GateState state;
    return DriveGate(*Gate(Options()), h, state, T0()).verdict;
  };
  const Verdict want = run(HistogramOf(Latencies(200, 1.1), shared),
                           HistogramOf(Latencies(300, 1.0), shared));
  const Verdict mixed =
      run(MetricDistribution::FromObservations(Latencies(200, 1.1)),
          HistogramOf(Latencies(300, 1.0), shared));
  const Verdict differ = run(HistogramOf(Latencies(200, 1.1), shared),
                             HistogramOf(Latencies(300, 1.0), finer));
  for (const Verdict* v : {&mixed, &differ}) {
    EXPECT_EQ(v->outcome, want.outcome) << *v;
    EXPECT_EQ(Obs(*v, "u"), Obs(want, "u"));
    EXPECT_EQ(Obs(*v, "p_value"), Obs(want, "p_value"));
  }
  // Observations on both sides are ranked exactly (NaN dropped).
  std::vector<double> wave = Latencies(200, 1.1);
  wave.push_back(std::nan(""));
  const Verdict exact =
      run(MetricDistribution::FromObservations(wave),
          MetricDistribution::FromObservations(Latencies(300, 1.0)));
  stats::MannWhitneyOptions mw;
  mw.alternative = stats::Alternative::kGreater;
  mw.method = stats::MannWhitneyMethod::kAsymptotic;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      stats::MannWhitneyResult r,
      stats::MannWhitneyU(Latencies(200, 1.1), Latencies(300, 1.0), mw));
  EXPECT_EQ(Obs(exact, "u"), r.u);
  EXPECT_EQ(Obs(exact, "p_value"), r.p_value);
  EXPECT_EQ(Obs(exact, "n_canary"), 200);
}

// With a million observations a 1% slowdown is significant; a minimum
// probability of superiority keeps it from failing the wave.
TEST(RankTestGateTest, MinSuperiorityIgnoresATrivialShift) {
  Harness h;
  h.deployed_at = T0();
  SetBoth(h, HistogramOf(Latencies(1000, 1.01), FineBounds(), 1000),
          HistogramOf(Latencies(1000, 1.0), FineBounds(), 1000));
  GateState plain;
  Verdict v = DriveGate(*Gate(Options()), h, plain, T0()).verdict;
  EXPECT_EQ(v.outcome, Outcome::kFail) << v;
  const double superiority = Obs(v, "superiority");
  EXPECT_GT(superiority, 0.5);
  EXPECT_LT(superiority, 0.52);

  RankTestGateOptions o = Options();
  o.min_superiority = 0.55;
  GateState state;
  v = DriveGate(*Gate(o), h, state, T0()).verdict;
  EXPECT_EQ(v.outcome, Outcome::kPass) << v;
  EXPECT_THAT(v.reason, HasSubstr("but by too little: superiority "));
  EXPECT_THAT(v.reason, HasSubstr("< min_superiority 0.55"));
}

TEST(RankTestGateTest, TooFewSamplesIsInconclusive) {
  Harness h;
  h.deployed_at = T0();
  SetBoth(h, MetricDistribution::FromObservations(Latencies(40, 2)),
          HistogramOf(Latencies(3000, 1.0), FineBounds()));
  RankTestGateOptions o = Options();
  o.min_samples = 100;
  o.max_observations = 5000;
  GateState state;
  Verdict v = DriveGate(*Gate(o), h, state, T0()).verdict;
  EXPECT_EQ(v.outcome, Outcome::kInconclusive) << v;
  EXPECT_EQ(v.reason,
            "too few samples to test: latency has 40 observations on wave 2 "
            "(min_samples 100)");
  EXPECT_EQ(Obs(v, "n_canary"), 40);
  EXPECT_EQ(h.metrics.queries()[0].max_observations, 5000);

  // Without min_samples, no data on a cohort is nothing to compare.
  Harness empty;
  empty.deployed_at = T0();
  SetBoth(empty, MetricDistribution::NoData(),
          HistogramOf(Latencies(3000, 1.0), FineBounds()));
  GateState state2;
  v = DriveGate(*Gate(Options()), empty, state2, T0()).verdict;
  EXPECT_EQ(v.outcome, Outcome::kPass) << v;
  EXPECT_EQ(v.reason,
            "nothing to compare: latency has 0 observations on wave 2");
}

TEST(RankTestGateTest, NoBaselinePassesAtOnce) {
  Harness h;
  h.baseline.clear();
  GateState state;
  Verdict v = Gate(Options())->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kPass);
  EXPECT_THAT(v.reason, StartsWith("no baseline for wave 2"));
  EXPECT_EQ(h.metrics.query_count(), 0u);
}

TEST(RankTestGateTest, QueryErrorsRetryThenEnd) {
  Harness h;
  h.deployed_at = T0();
  SetBoth(h, absl::UnavailableError("scrape timed out"),
          HistogramOf(Latencies(3000, 1.0), FineBounds()));
  RankTestGateOptions o = Options();
  o.consecutive_error_limit = 1;
  std::unique_ptr<HealthGate> gate = Gate(o);
  GateState state;
  const absl::Time end = T0() + absl::Minutes(20);
  Verdict v = gate->Evaluate(h.Context(end), state);
  EXPECT_EQ(v.outcome, Outcome::kHold) << v;
  EXPECT_EQ(v.hold_until, end + absl::Seconds(10));
  v = gate->Evaluate(h.Context(v.hold_until), state);
  EXPECT_EQ(v.outcome, Outcome::kError) << v;
  EXPECT_THAT(v.reason,
              StartsWith("querying the distribution of latency on wave 2: "
                         "UNAVAILABLE: scrape timed out (consecutive errors"));

  // A host without distribution queries, and an invalid histogram, end it.
  Harness bad;
  bad.deployed_at = T0();
  SetBoth(bad, absl::UnimplementedError("no distributions"),
          MetricDistribution::NoData());
  GateState s2;
  v = DriveGate(*Gate(Options()), bad, s2, T0()).verdict;
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_THAT(v.reason, HasSubstr("(not retryable)"));
  Harness invalid;
  invalid.deployed_at = T0();
  SetBoth(invalid, MetricDistribution::FromHistogram({{10, 5}, {20, 3}}),
          HistogramOf(Latencies(3000, 1.0), FineBounds()));
  GateState s3;
  v = DriveGate(*Gate(Options()), invalid, s3, T0()).verdict;
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_THAT(v.reason, HasSubstr("invalid histogram: buckets"));
}

// The gate's state (the window's start, then the decision) survives a
// snapshot: a gate restored mid-window waits for the same end, and a
// decided one gives the same verdict without querying again.
TEST(RankTestGateTest, ResumesFromTheStateProto) {
  Harness h;
  h.deployed_at = T0();
  SetBoth(h, HistogramOf(Latencies(500, 1.2), FineBounds()),
          HistogramOf(Latencies(3000, 1.0), FineBounds()));
  GateState straight;
  const Verdict whole = DriveGate(*Gate(Options()), h, straight, T0()).verdict;

  Harness h2;  // deploy time unknown: the window starts at the first look
  SetBoth(h2, HistogramOf(Latencies(500, 1.2), FineBounds()),
          HistogramOf(Latencies(3000, 1.0), FineBounds()));
  GateState state;
  Verdict v = Gate(Options())->Evaluate(h2.Context(T0()), state);
  ASSERT_EQ(v.outcome, Outcome::kHold);
  SLUICE_ASSERT_OK_AND_ASSIGN(state,
                              GateStateFromProto(GateStateToProto(state)));
  v = Gate(Options())->Evaluate(h2.Context(T0() + absl::Minutes(5)), state);
  EXPECT_EQ(v.hold_until, T0() + absl::Minutes(20));
  v = Gate(Options())->Evaluate(h2.Context(v.hold_until), state);
  EXPECT_EQ(v, whole);
  EXPECT_EQ(state, straight);
  SLUICE_ASSERT_OK_AND_ASSIGN(GateState restored,
                              GateStateFromProto(GateStateToProto(state)));
  EXPECT_EQ(restored, state);
  EXPECT_EQ(
      Gate(Options())->Evaluate(h2.Context(T0() + absl::Hours(1)), restored),
      whole);
  EXPECT_EQ(h2.metrics.query_count(), 2u);
}

TEST(RankTestGateTest, OptionsAreValidated) {
  struct Case {
    void (*change)(RankTestGateOptions&);
    const char* error;
  };
  const Case cases[] = {
      {[](RankTestGateOptions& o) { o.metric.name = ""; },
       "metric.name: must not be empty"},
      {[](RankTestGateOptions& o) { o.window = absl::ZeroDuration(); },
       "window: must be finite and > 0"},
      {[](RankTestGateOptions& o) { o.alpha = 1; },
       "alpha: must be in (0, 1) (got 1)"},
      {[](RankTestGateOptions& o) { o.min_superiority = 0.4; },
       "min_superiority: must be in [0.5, 1) (got 0.4)"},
      {[](RankTestGateOptions& o) { o.min_samples = -1; },
       "min_samples: must be >= 0 (got -1)"},
      {[](RankTestGateOptions& o) { o.max_observations = -2; },
       "max_observations: must be >= 0 (got -2)"},
      {[](RankTestGateOptions& o) {
         o.error_retry_interval = absl::ZeroDuration();
       },
       "error_retry_interval: must be > 0"},
      {[](RankTestGateOptions& o) { o.consecutive_error_limit = -1; },
       "consecutive_error_limit: must be >= 0 (got -1)"},
  };
  for (const Case& c : cases) {
    RankTestGateOptions o = Options();
    c.change(o);
    EXPECT_THAT(
        NewRankTestGate("r", o).status(),
        StatusIs(absl::StatusCode::kInvalidArgument, StartsWith(c.error)));
  }
}

constexpr char kHeader[] = R"pb(
  name: "r"
  version: "2"
  metrics { name: "latency_ms" unit: "ms" }
)pb";

TEST(RankTestGateTest, FromTheSpec) {
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec,
                              RolloutSpec::Parse(absl::StrCat(kHeader, R"pb(
                                                   gates {
                                                     default {
                                                       rank_test {
                                                         metric: "latency_ms"
                                                         window { seconds: 600 }
                                                         alpha: 0.01
                                                         min_superiority: 0.56
                                                         min_samples: 50
                                                       }
                                                     }
                                                   })pb"),
                                                 SpecFormat::kTextProto));
  SLUICE_ASSERT_OK_AND_ASSIGN(internal::BuiltGates built,
                              internal::BuildGates(spec.ToProto()));
  ASSERT_EQ(built.default_gates.size(), 1u);
  const HealthGate& gate = *built.default_gates[0];
  EXPECT_EQ(gate.name(), "rank test latency_ms");
  // The options reached the gate: 40 wave observations are too few, and the
  // window is 10 minutes.
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetDistribution(
      "latency_ms", Cohort::kWave, T0(),
      MetricDistribution::FromObservations(Latencies(40, 2)));
  h.metrics.SetDistribution(
      "latency_ms", Cohort::kBaseline, T0(),
      MetricDistribution::FromObservations(Latencies(400, 1)));
  GateState state;
  testing::GateRun run = DriveGate(gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kInconclusive) << run.verdict;
  EXPECT_THAT(run.verdict.reason, HasSubstr("(min_samples 50)"));
  EXPECT_EQ(h.metrics.queries()[0].end, T0() + absl::Minutes(10));

  struct Bad {
    const char* gates;
    const char* error;
  };
  const Bad bad[] =
      {
          {R"pb(gates { default { rank_test { metric: "p99" } } })pb",
           "gates.default[0].rank_test.metric: names undeclared metric \"p99\" "
           "(declared: latency_ms)"},
          {R"pb(gates { default { rank_test {} } })pb",
           "gates.default[0].rank_test.metric: must not be empty"},
          {R"pb(gates {
                  default { rank_test { metric: "latency_ms" alpha: 0 } }
                })pb",
           "gates.default[0].rank_test.alpha: must be in (0, 1) (got 0)"},
          {R"pb(gates {
                  default {
                    rank_test {
                      metric: "latency_ms"
                      window { seconds: -5 }
                    }
                  }
                })pb",
           "gates.default[0].rank_test.window: must be finite and > 0"},
          {R"pb(gates {
                  default { rank_test { metric: "latency_ms" min_samples: -1 } }
                })pb",
           "gates.default[0].rank_test.min_samples: must be >= 0 (got -1)"},
      };
  for (const Bad& b : bad) {
    EXPECT_THAT(
        RolloutSpec::Parse(absl::StrCat(kHeader, b.gates),
                           SpecFormat::kTextProto)
            .status(),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(b.error)))
        << b.gates;
  }
}

}  // namespace
}  // namespace sluice
