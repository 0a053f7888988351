// Copyright 2026 The Sluice Authors.
//
// all-of, any-of, at-least-k-of, weighted score and shadow.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/gates.h"
#include "sluice/testing/fake_metric_source.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

// 2023-11-14T22:13:20Z, a Tuesday.
absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::MockHealthGate;
using ::sluice::testing::StatusIs;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Return;

// A gate that returns a fixed outcome (holds until T0 + `hold` minutes) and
// counts its evaluations in its state.
class FixedGate : public HealthGate {
 public:
  FixedGate(std::string name, Outcome outcome, int hold_minutes = 1,
            int64_t samples = -1)
      : name_(std::move(name)),
        outcome_(outcome),
        hold_(hold_minutes),
        samples_(samples) {}
  std::string name() const override { return name_; }
  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    state.counts.count++;
    Verdict v;
    v.gate = name_;
    v.outcome = outcome_;
    v.reason = absl::StrCat(name_, " says ", OutcomeName(outcome_));
    if (outcome_ == Outcome::kHold) v.hold_until = T0() + absl::Minutes(hold_);
    if (samples_ >= 0) v.sample_count = samples_;
    return v;
  }

 private:
  std::string name_;
  Outcome outcome_;
  int hold_;
  int64_t samples_;
};

std::vector<std::unique_ptr<HealthGate>> Gates(
    const std::vector<Outcome>& outcomes) {
  std::vector<std::unique_ptr<HealthGate>> out;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    out.push_back(std::make_unique<FixedGate>(absl::StrCat("g", i), outcomes[i],
                                              static_cast<int>(10 - i)));
  }
  return out;
}

constexpr Outcome P = Outcome::kPass;
constexpr Outcome F = Outcome::kFail;
constexpr Outcome I = Outcome::kInconclusive;
constexpr Outcome E = Outcome::kError;
constexpr Outcome H = Outcome::kHold;

struct Case {
  std::vector<Outcome> children;
  Outcome all_of, any_of, at_least_2;
};

TEST(CombinatorTest, KthBestOutcome) {
  std::vector<Case> cases = {
      {{P, P, P}, P, P, P}, {{P, F, P}, F, P, P}, {{F, F, P}, F, P, F},
      {{P, H, F}, F, P, H}, {{H, H, P}, H, P, H}, {{I, F, E}, F, I, E},
      {{P, I, F}, F, P, I}, {{E, H, P}, E, P, H}, {{I, I, I}, I, I, I},
  };
  for (const Case& c : cases) {
    Harness h;
    GateState s1, s2, s3;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto all,
                                NewAllOfGate("all", Gates(c.children)));
    SLUICE_ASSERT_OK_AND_ASSIGN(auto any,
                                NewAnyOfGate("any", Gates(c.children)));
    SLUICE_ASSERT_OK_AND_ASSIGN(auto two,
                                NewAtLeastGate("two", 2, Gates(c.children)));
    Verdict va = all->Evaluate(h.Context(T0()), s1);
    Verdict vy = any->Evaluate(h.Context(T0()), s2);
    Verdict v2 = two->Evaluate(h.Context(T0()), s3);
    EXPECT_EQ(va.outcome, c.all_of) << va;
    EXPECT_EQ(vy.outcome, c.any_of) << vy;
    EXPECT_EQ(v2.outcome, c.at_least_2) << v2;
    EXPECT_EQ(va.details.size(), c.children.size());
  }
}

TEST(CombinatorTest, HoldUntilIsTheEarliestHoldingChild) {
  Harness h;
  std::vector<std::unique_ptr<HealthGate>> gates;
  gates.push_back(std::make_unique<FixedGate>("a", H, 30));
  gates.push_back(std::make_unique<FixedGate>("b", H, 5));
  gates.push_back(std::make_unique<FixedGate>("c", P));
  SLUICE_ASSERT_OK_AND_ASSIGN(auto all, NewAllOfGate("all", std::move(gates)));
  GateState state;
  Verdict v = all->Evaluate(h.Context(T0()), state);
  ASSERT_EQ(v.outcome, H);
  EXPECT_EQ(v.hold_until, T0() + absl::Minutes(5));
  EXPECT_THAT(v.reason, HasSubstr("1 of 3 passed, 2 waiting (need all 3)"));
}

TEST(CombinatorTest, ReasonsNameTheDecidingChild) {
  Harness h;
  GateState state;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto all, NewAllOfGate("all", Gates({P, F, I})));
  Verdict v = all->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.reason, "1 of 3 passed (need all 3); g1 FAIL: g1 says FAIL");
  GateState s2;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto ok, NewAllOfGate("all", Gates({P, P})));
  EXPECT_EQ(ok->Evaluate(h.Context(T0()), s2).reason, "all 2 gates passed");
  GateState s3;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto two,
                              NewAtLeastGate("two", 2, Gates({P, F, P})));
  Verdict v3 = two->Evaluate(h.Context(T0()), s3);
  EXPECT_EQ(v3.reason, "2 of 3 gates passed (need 2 of 3)");
  EXPECT_EQ(v3.FindObservation("passed")->value, 2);
  EXPECT_EQ(v3.FindObservation("required")->value, 2);
}

TEST(CombinatorTest, ChildrenKeepTheirOwnState) {
  Harness h;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto all, NewAllOfGate("all", Gates({H, H})));
  GateState state;
  all->Evaluate(h.Context(T0()), state);
  all->Evaluate(h.Context(T0()), state);
  ASSERT_EQ(state.children.size(), 2u);
  EXPECT_EQ(state.children[0].counts.count, 2);
  EXPECT_EQ(state.children[1].counts.count, 2);
}

TEST(CombinatorTest, PassesContextAndChildStateToChildren) {
  Harness h;
  auto mock = std::make_unique<MockHealthGate>();
  EXPECT_CALL(*mock, name()).WillRepeatedly(Return("mock"));
  EXPECT_CALL(*mock, Evaluate(_, _))
      .WillOnce([](const GateContext& c, GateState& s) {
        EXPECT_EQ(c.now, T0());
        EXPECT_EQ(c.stage, "zone");
        s.message = "seen";
        return Verdict::Pass("mock", "fine");
      });
  std::vector<std::unique_ptr<HealthGate>> gates;
  gates.push_back(std::move(mock));
  SLUICE_ASSERT_OK_AND_ASSIGN(auto any, NewAnyOfGate("any", std::move(gates)));
  GateState state;
  EXPECT_EQ(any->Evaluate(h.Context(T0()), state).outcome, P);
  EXPECT_EQ(state.children[0].message, "seen");
}

TEST(CombinatorTest, SampleCountsAddUp) {
  Harness h;
  std::vector<std::unique_ptr<HealthGate>> gates;
  gates.push_back(std::make_unique<FixedGate>("a", P, 1, 100));
  gates.push_back(std::make_unique<FixedGate>("b", P, 1, 20));
  gates.push_back(std::make_unique<FixedGate>("c", P));
  SLUICE_ASSERT_OK_AND_ASSIGN(auto all, NewAllOfGate("all", std::move(gates)));
  GateState state;
  EXPECT_EQ(all->Evaluate(h.Context(T0()), state).sample_count, 120);
}

std::vector<WeightedGate> Weighted(
    const std::vector<std::pair<double, Outcome>>& entries) {
  std::vector<WeightedGate> out;
  for (size_t i = 0; i < entries.size(); ++i) {
    WeightedGate w;
    w.weight = entries[i].first;
    w.gate =
        std::make_unique<FixedGate>(absl::StrCat("w", i), entries[i].second);
    out.push_back(std::move(w));
  }
  return out;
}

TEST(WeightedGateTest, ScoreAgainstThresholds) {
  struct Row {
    std::vector<std::pair<double, Outcome>> entries;
    double pass, marginal;
    Outcome want;
    double score;
  };
  std::vector<Row> rows = {
      {{{3, P}, {1, F}}, 75, 50, P, 75},
      {{{3, P}, {1, F}}, 80, 50, I, 75},
      {{{1, P}, {3, F}}, 80, 50, F, 25},
      {{{1, P}, {1, H}, {2, F}}, 50, 40, H, 25},  // could still reach 50
      {{{1, P}, {1, H}, {2, F}}, 80, 60, F, 25},  // at most 50 < 60
      {{{2, P}, {1, H}, {1, F}}, 50, 50, P, 50},  // passes despite a hold
      {{{1, E}, {1, I}}, 50, 50, F, 0},
  };
  for (const Row& row : rows) {
    Harness h;
    SLUICE_ASSERT_OK_AND_ASSIGN(
        auto gate, NewWeightedGate("score", Weighted(row.entries), row.pass,
                                   row.marginal));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    EXPECT_EQ(v.outcome, row.want) << v;
    EXPECT_DOUBLE_EQ(v.FindObservation("score")->value, row.score);
  }
}

TEST(WeightedGateTest, MarginalDefaultsToPass) {
  Harness h;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      auto gate, NewWeightedGate("score", Weighted({{1, P}, {1, F}}), 60));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, F);
  EXPECT_EQ(v.reason, "score 50 < marginal_score 60");
}

TEST(ShadowGateTest, RecordsButNeverBlocks) {
  for (Outcome o : {P, F, I, E, H}) {
    Harness h;
    SLUICE_ASSERT_OK_AND_ASSIGN(
        auto gate,
        NewShadowGate("shadow", std::make_unique<FixedGate>("x", o)));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    EXPECT_EQ(v.outcome, P);
    ASSERT_EQ(v.details.size(), 1u);
    EXPECT_EQ(v.details[0].outcome, o);
    EXPECT_THAT(v.reason, HasSubstr(absl::StrCat("x ", OutcomeName(o))));
    EXPECT_EQ(state.children[0].counts.count, 1);
  }
}

TEST(CombinatorTest, ShadowAnalysisKeepsMeasuringWhileOthersHold) {
  Harness h;
  h.metrics.SetAggregate("m", Cohort::kWave, T0(), 10);
  ThresholdCheck check;
  check.metric.name = "m";
  check.max = 5;
  AnalysisMetric metric;
  metric.check = check;
  metric.count = 2;
  metric.interval = absl::Minutes(1);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto analysis, NewAnalysisGate("a", {metric}));
  SLUICE_ASSERT_OK_AND_ASSIGN(auto shadow,
                              NewShadowGate("shadow", std::move(analysis)));
  std::vector<std::unique_ptr<HealthGate>> gates;
  gates.push_back(std::move(shadow));
  gates.push_back(std::make_unique<FixedGate>("wait", H, 1));
  SLUICE_ASSERT_OK_AND_ASSIGN(auto all, NewAllOfGate("all", std::move(gates)));
  GateState state;
  Verdict v = all->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, H);  // held by "wait", not by the failing shadow
  EXPECT_EQ(v.details[0].details[0].outcome, F);
}

TEST(CombinatorTest, BadInputNamesTheField) {
  EXPECT_THAT(NewAllOfGate("all", {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("gates: must not be empty")));
  EXPECT_THAT(NewAtLeastGate("k", 4, Gates({P, P, P})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("k: must be in [1, 3] (got 4)")));
  EXPECT_THAT(NewAtLeastGate("k", 0, Gates({P})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("k: must be in [1, 1] (got 0)")));
  std::vector<std::unique_ptr<HealthGate>> dup;
  dup.push_back(std::make_unique<FixedGate>("x", P));
  dup.push_back(std::make_unique<FixedGate>("x", P));
  EXPECT_THAT(
      NewAnyOfGate("any", std::move(dup)),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("gates[1]: duplicate gate name \"x\" (first at "
                         "gates[0])")));
  std::vector<std::unique_ptr<HealthGate>> null_child;
  null_child.push_back(nullptr);
  EXPECT_THAT(NewAllOfGate("all", std::move(null_child)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("gates[0]: must not be null")));
  EXPECT_THAT(
      NewWeightedGate("w", Weighted({{0, P}}), 50),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("gates[0].weight: must be finite and > 0 (got 0)")));
  EXPECT_THAT(NewWeightedGate("w", Weighted({{1, P}}), 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("pass_score: must be in (0, 100] (got 0)")));
  EXPECT_THAT(
      NewWeightedGate("w", Weighted({{1, P}}), 50, 60),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("marginal_score: must be in [0, pass_score 50] "
                         "(got 60)")));
  EXPECT_THAT(NewShadowGate("s", nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("gate: must not be null")));
}

}  // namespace
}  // namespace sluice
