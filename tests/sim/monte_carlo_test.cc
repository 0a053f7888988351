// Copyright 2026 The Sluice Authors.

#include "sluice/sim/monte_carlo.h"

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/sim/sim_random.h"
#include "sluice/rollback_policy.h"
#include "sluice/sim/result_proto.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::sim {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

// A stand-in for a simulated rollout: measures drawn from the seed.
absl::StatusOr<RunOutcome> FakeRun(int64_t run, uint64_t seed) {
  RunOutcome o;
  o.bad_release = run % 2 == 0;
  const double u = internal::UnitFromBits(seed);
  if (o.bad_release) {
    o.detected = u < 0.9;
    if (o.detected) o.time_to_detect = absl::Seconds(600 * u);
    o.max_bad_targets = static_cast<int64_t>(100 * u);
    o.bad_requests = 1000 * u;
  } else {
    o.false_rollback = u < 0.05;
    o.time_to_full_rollout = absl::Hours(1) + absl::Seconds(100 * u);
  }
  return o;
}

TEST(MonteCarloTest, SameSeedSameOutcomesForAnyThreadCount) {
  MonteCarloOptions options;
  options.runs = 257;
  options.seed = 99;
  options.threads = 1;
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<RunOutcome> one,
                              RunMonteCarlo(options, FakeRun));
  options.threads = 4;
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<RunOutcome> four,
                              RunMonteCarlo(options, FakeRun));
  ASSERT_EQ(one.size(), 257u);
  EXPECT_EQ(one, four);
  EXPECT_EQ(one[5].run, 5);
  EXPECT_EQ(one[5].seed, RunSeed(99, 5));
  EXPECT_EQ(Summarize(one, 99), Summarize(four, 99));
  options.seed = 100;
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<RunOutcome> other,
                              RunMonteCarlo(options, FakeRun));
  EXPECT_NE(one, other);
}

TEST(MonteCarloTest, ReportsProgressOncePerRun) {
  MonteCarloOptions options;
  options.runs = 50;
  options.threads = 3;
  std::vector<int64_t> seen;
  options.progress = [&](int64_t done, int64_t total) {
    EXPECT_EQ(total, 50);
    seen.push_back(done);
  };
  ASSERT_THAT(RunMonteCarlo(options, FakeRun), ::sluice::testing::IsOk());
  ASSERT_EQ(seen.size(), 50u);
  EXPECT_EQ(seen.back(), 50);
}

TEST(MonteCarloTest, RejectsBadOptionsAndReportsTheFirstFailedRun) {
  MonteCarloOptions options;
  options.runs = 0;
  EXPECT_THAT(RunMonteCarlo(options, FakeRun),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("runs: must be >= 1 (got 0)")));
  options.runs = 10;
  options.threads = -1;
  EXPECT_THAT(RunMonteCarlo(options, FakeRun),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("threads: must be >= 0 (got -1)")));
  options.threads = 1;
  EXPECT_THAT(
      RunMonteCarlo(options,
                    [](int64_t run, uint64_t) -> absl::StatusOr<RunOutcome> {
                      if (run >= 3) {
                        return absl::InternalError("boom");
                      }
                      return RunOutcome();
                    }),
      StatusIs(absl::StatusCode::kInternal, "run 3: boom"));
}

TEST(MonteCarloTest, PercentilesAreRType7) {
  const std::vector<double> v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_DOUBLE_EQ(Percentile(v, 0.5), 5.5);
  EXPECT_DOUBLE_EQ(Percentile(v, 0.9), 9.1);
  EXPECT_DOUBLE_EQ(Percentile(v, 0.99), 9.91);
  EXPECT_DOUBLE_EQ(Percentile(v, 0), 1);
  EXPECT_DOUBLE_EQ(Percentile(v, 1), 10);
  Distribution d = Summarize(std::vector<double>{3, 1, 2});
  EXPECT_EQ(d.count, 3);
  EXPECT_DOUBLE_EQ(d.mean, 2);
  EXPECT_DOUBLE_EQ(d.p50, 2);
  EXPECT_EQ(Summarize(std::vector<double>{}), Distribution());
}

TEST(MonteCarloTest, WilsonIntervalMatchesReferenceValues) {
  // R: prop.test(x, n, correct = FALSE)$conf.int.
  Proportion p = WilsonInterval(0, 100);
  EXPECT_DOUBLE_EQ(p.rate, 0);
  EXPECT_NEAR(p.low, 0, 1e-12);
  EXPECT_NEAR(p.high, 0.03699, 1e-4);
  p = WilsonInterval(5, 100);
  EXPECT_NEAR(p.low, 0.02154, 1e-4);
  EXPECT_NEAR(p.high, 0.11175, 1e-4);
  p = WilsonInterval(50, 50);
  EXPECT_NEAR(p.low, 0.92865, 1e-4);
  EXPECT_DOUBLE_EQ(p.high, 1);
  p = WilsonInterval(0, 0);
  EXPECT_EQ(p.low, 0);
  EXPECT_EQ(p.high, 1);
}

TEST(MonteCarloTest, SummaryCountsEachMeasureOverItsRuns) {
  std::vector<RunOutcome> o(4);
  o[0].bad_release = true;
  o[0].detected = true;
  o[0].time_to_detect = absl::Minutes(10);
  o[0].max_bad_targets = 3;
  o[1].bad_release = true;
  o[1].max_bad_targets = 100;
  o[2].false_rollback = true;
  o[3].time_to_full_rollout = absl::Hours(2);
  const MonteCarloSummary s = Summarize(o, 5);
  EXPECT_EQ(s.runs, 4);
  EXPECT_EQ(s.detection.successes, 1);
  EXPECT_EQ(s.detection.trials, 2);
  EXPECT_EQ(s.false_rollback.successes, 1);
  EXPECT_EQ(s.false_rollback.trials, 2);
  EXPECT_EQ(s.completion.successes, 1);
  EXPECT_EQ(s.time_to_detect_s.count, 1);
  EXPECT_DOUBLE_EQ(s.time_to_detect_s.p50, 600);
  EXPECT_DOUBLE_EQ(s.max_bad_targets.max, 100);
  EXPECT_DOUBLE_EQ(s.time_to_full_rollout_s.p90, 7200);

  // A stop without a recorded trigger counts as "unknown".
  ASSERT_EQ(s.false_rollback_triggers.size(), 1u);
  EXPECT_EQ(s.false_rollback_triggers[0], (TriggerCount{"unknown", 1}));

  // Stops by trigger, most first.
  o[1].stopped = true;
  o[1].stop_trigger = FailureTrigger::kDeployFailures;
  o[2].stopped = true;
  o[2].stop_trigger = FailureTrigger::kGateFail;
  o.push_back(o[2]);
  o.back().stop_trigger = FailureTrigger::kDeployFailures;
  o.push_back(o[2]);
  o.back().stop_trigger = FailureTrigger::kDeployFailures;
  o[0].escaped = false;
  o[0].stopped_in_first_zone = true;
  o[0].time_to_detect_from_harm = absl::Minutes(2);
  o[0].excess_errors = 50;
  const MonteCarloSummary t = Summarize(o, 5);
  EXPECT_EQ(t.false_rollback.successes, 3);
  ASSERT_EQ(t.false_rollback_triggers.size(), 2u);
  EXPECT_EQ(t.false_rollback_triggers[0], (TriggerCount{"deploy-failures", 2}));
  EXPECT_EQ(t.false_rollback_triggers[1], (TriggerCount{"gate-fail", 1}));
  ASSERT_EQ(t.bad_release_stop_triggers.size(), 1u);
  EXPECT_EQ(t.bad_release_stop_triggers[0],
            (TriggerCount{"deploy-failures", 1}));
  EXPECT_EQ(t.caught_in_first_zone.successes, 1);
  EXPECT_EQ(t.caught_in_first_zone.trials, 2);
  EXPECT_DOUBLE_EQ(t.time_to_detect_from_harm_s.p50, 120);
  EXPECT_DOUBLE_EQ(t.excess_errors.max, 50);
  const v1::SimulationSummary with_triggers = SummaryToProto(t);
  ASSERT_EQ(with_triggers.false_rollback_triggers_size(), 2);
  EXPECT_EQ(with_triggers.false_rollback_triggers(0).trigger(),
            "deploy-failures");
  EXPECT_EQ(with_triggers.caught_in_first_zone().successes(), 1);

  const v1::SimulationSummary proto = SummaryToProto(s);
  EXPECT_EQ(proto.detection().trials(), 2);
  EXPECT_DOUBLE_EQ(proto.time_to_detect_s().p50(), 600);
  const v1::RunOutcome run = RunOutcomeToProto(o[0]);
  EXPECT_TRUE(run.detected());
  EXPECT_DOUBLE_EQ(run.time_to_detect_s(), 600);
  EXPECT_FALSE(RunOutcomeToProto(o[1]).has_time_to_detect_s());
  const v1::RunOutcome stopped = RunOutcomeToProto(o[1]);
  EXPECT_TRUE(stopped.stopped());
  EXPECT_EQ(stopped.stop_trigger(), "deploy-failures");
  EXPECT_DOUBLE_EQ(RunOutcomeToProto(o[0]).time_to_detect_from_harm_s(), 120);
}

// False rollbacks by the stage of the stopped wave: every false rollback once
// ("unknown" without a stage), most first then by name; bad releases' stops
// and good releases that completed are not counted; carried to the proto.
TEST(MonteCarloTest, SummaryCountsFalseRollbacksByStage) {
  auto good_stop = [](std::string stage, std::string gate) {
    RunOutcome o;
    o.stopped = true;
    o.false_rollback = true;
    o.stop_trigger = FailureTrigger::kGateFail;
    o.stop_stage = std::move(stage);
    o.decisive_gate = std::move(gate);
    return o;
  };
  std::vector<RunOutcome> o = {
      good_stop("zone", "errors"),
      good_stop("region-wave", "latency"),
      good_stop("zone", "latency"),
      good_stop("first-zone-batch", "errors"),
      good_stop("region-wave", "errors"),
      good_stop("zone", "errors"),
      good_stop("", ""),
  };
  RunOutcome bad = good_stop("one-box", "errors");
  bad.false_rollback = false;
  bad.bad_release = true;
  o.push_back(bad);
  o.push_back(RunOutcome{});  // A good release that was not stopped.
  const MonteCarloSummary s = Summarize(o, 1);
  EXPECT_EQ(s.false_rollback.successes, 7);
  EXPECT_THAT(s.false_rollback_stages,
              ::testing::ElementsAre(TriggerCount{"zone", 3},
                                     TriggerCount{"region-wave", 2},
                                     TriggerCount{"first-zone-batch", 1},
                                     TriggerCount{"unknown", 1}));
  EXPECT_THAT(s.false_rollback_gates,
              ::testing::ElementsAre(TriggerCount{"errors", 4},
                                     TriggerCount{"latency", 2}));

  // The breakdown is part of the summary's equality.
  MonteCarloSummary other = s;
  other.false_rollback_stages[0].count = 2;
  EXPECT_FALSE(other == s);

  const v1::SimulationSummary proto = SummaryToProto(s);
  ASSERT_EQ(proto.false_rollback_stages_size(), 4);
  EXPECT_EQ(proto.false_rollback_stages(0).trigger(), "zone");
  EXPECT_EQ(proto.false_rollback_stages(0).count(), 3);
  EXPECT_EQ(proto.false_rollback_stages(3).trigger(), "unknown");
}

}  // namespace
}  // namespace sluice::sim
