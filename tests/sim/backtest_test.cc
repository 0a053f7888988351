// Copyright 2026 The Sluice Authors.
//
// Backtesting a spec's gates on recorded series: the scenario on the
// series' own timeline, every declared gate evaluated, every verdict kept.

#include "sluice/sim/backtest.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/sim/efficacy.h"
#include "sluice/sim/history.h"
#include "sluice/sim/tune.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::sim {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

TEST(BacktestTest, ReplaysTheSeriesOnTheirOwnTimeline) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<HistorySeries> history,
      LoadHistory({"error_rate=examples/data/elb_request_count_8c0756.csv",
                   "latency_ms=examples/data/rds_cpu_utilization_cc0c53.csv"}));
  const Scenario s = BacktestScenario(ProductionScenario(fleet), history,
                                      HistoryReplay(), std::nullopt);
  EXPECT_FALSE(s.fault.bad);
  EXPECT_EQ(s.start, history[0].series.start());
  EXPECT_EQ(s.duration,
            std::min(history[0].series.span(), history[1].series.span()));
  ASSERT_EQ(s.backgrounds.size(), 2u);
  for (const RecordedBackground& b : s.backgrounds) {
    EXPECT_EQ(b.offset, absl::ZeroDuration());
    EXPECT_EQ(b.zone_replay, RecordedBackground::ZoneReplay::kSame);
    EXPECT_FALSE(b.cv.has_value());  // bound: as recorded
  }
  EXPECT_EQ(BacktestScenario(ProductionScenario(fleet), history,
                             HistoryReplay(), absl::Hours(30))
                .duration,
            absl::Hours(30));
}

TEST(BacktestTest, EvaluatesEveryDeclaredGateAndKeepsEveryVerdict) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<HistorySeries> history,
      LoadHistory({"examples/data/elb_request_count_8c0756.csv"}));
  BacktestSpecOptions options;
  options.every = absl::Hours(6);
  options.span = absl::Hours(48);
  // Stage gates only: the canary stage's gate, no default.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      v1::RolloutSpec sequential,
      ReadSpecMessage("examples/specs/sequential_gate.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<GateBacktest> b,
      BacktestSpec(sequential, fleet, history, options));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].stage, "canary");
  EXPECT_EQ(b[0].result.evaluations, 8);
  ASSERT_EQ(b[0].result.verdicts.size(), 8u);
  const absl::Time start = history[0].series.start();
  for (size_t i = 0; i < 8; ++i) {
    const BacktestVerdict& v = b[0].result.verdicts[i];
    EXPECT_EQ(v.at, start + absl::Hours(6) * static_cast<int64_t>(i + 1));
    EXPECT_GE(v.decided_at, v.at);
    EXPECT_NE(v.gate, "");
  }
  int64_t failed = 0;
  for (const BacktestVerdict& v : b[0].result.verdicts) {
    failed += v.outcome == Outcome::kFail;
  }
  EXPECT_EQ(failed, b[0].result.failed);
  // Default gates only.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      v1::RolloutSpec self_baseline,
      ReadSpecMessage("examples/specs/regional_waves_self_baseline.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      b, BacktestSpec(self_baseline, fleet, history, options));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].stage, "");
  EXPECT_EQ(b[0].gate, "default");
  // The default set, then each stage's override by stage name.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      v1::RolloutSpec regional,
      ReadSpecMessage("examples/specs/regional_waves_gated.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(b,
                              BacktestSpec(regional, fleet, history, options));
  ASSERT_EQ(b.size(), 6u);
  EXPECT_EQ(b[0].stage, "");
  EXPECT_EQ(b[1].stage, "first-zone-batch");
  EXPECT_EQ(b[2].stage, "one-box");
  EXPECT_EQ(b[3].stage, "region-one-box");
  EXPECT_EQ(b[4].stage, "region-zone-batch");
  EXPECT_EQ(b[5].stage, "zone-batch");
}

TEST(BacktestTest, RejectsBadInput) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<HistorySeries> history,
      LoadHistory({"examples/data/elb_request_count_8c0756.csv"}));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      v1::RolloutSpec spec,
      ReadSpecMessage("examples/specs/regional_waves_gated.textproto"));
  EXPECT_THAT(BacktestSpec(spec, fleet, {}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("history: no series")));
  BacktestSpecOptions options;
  options.canary_targets = 36;
  EXPECT_THAT(BacktestSpec(spec, fleet, history, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("canary_targets: must be in [1, 36) (got "
                                 "36)")));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      v1::RolloutSpec ungated,
      ReadSpecMessage("examples/specs/regional_waves.textproto"));
  EXPECT_THAT(BacktestSpec(ungated, fleet, history, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("spec: no gates to backtest")));
}

}  // namespace
}  // namespace sluice::sim
