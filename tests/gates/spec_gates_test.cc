// Copyright 2026 The Sluice Authors.
//
// Metrics and gates in a RolloutSpec: validation with field paths, the
// summary, and the GatePolicy built from it.

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/gate_policy.h"
#include "sluice/spec.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

// 2023-11-14T22:13:20Z, a Tuesday.
absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

using ::sluice::testing::DriveGate;
using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kHeader[] = R"pb(
  name: "checkout"
  version: "2.4.1"
  metrics {
    name: "p99_latency"
    query: "histogram_quantile(0.99, rate(http_duration_bucket[5m]))"
    unit: "ms"
  }
  metrics {
    name: "error_rate"
    unit: "%"
    missing_data: MISSING_DATA_INCONCLUSIVE
  }
)pb";

absl::StatusOr<RolloutSpec> Spec(const std::string& gates) {
  return RolloutSpec::Parse(absl::StrCat(kHeader, gates),
                            SpecFormat::kTextProto);
}

constexpr char kFullSpec[] = R"pb(
  gates {
    default { threshold { metric: "p99_latency" aggregate: "p99" max: 300 } }
    default {
      name: "errors vs baseline"
      relative { metric: "error_rate" max_ratio: 1.5 max_difference: 0.1 }
    }
    default {
      analysis {
        metrics {
          name: "p99 over time"
          threshold { metric: "p99_latency" aggregate: "p99" max: 300 }
          interval { seconds: 60 }
          count: 5
          failure_limit: 1
        }
        metrics {
          alarm {
            alarms: "HighErrors"
            insufficient_data: INSUFFICIENT_DATA_IGNORE
          }
          dry_run: true
        }
      }
    }
    default {
      window {
        time_zone: "America/New_York"
        windows { days: "Mon-Thu" start: "09:00" end: "16:00" }
        blackouts {
          start: "2026-11-26"
          end: "2026-11-30"
          reason: "Thanksgiving"
        }
      }
    }
    default {
      bake {
        duration { seconds: 3600 }
        interval { seconds: 600 }
        min_samples: 1000
        check { threshold { metric: "error_rate" max: 1 } }
      }
    }
    stages {
      stage: "one-box"
      gates {
        manual_approval {
          timeout { seconds: 14400 }
          on_timeout: ON_TIMEOUT_FAIL
        }
      }
      gates {
        weighted {
          gates {
            weight: 2
            gate { threshold { metric: "p99_latency" max: 300 } }
          }
          gates {
            weight: 1
            gate { alarm { alarms: "HighErrors" } }
          }
          pass_score: 90
          marginal_score: 50
        }
      }
      gates { shadow { threshold { metric: "error_rate" max: 0.5 } } }
      gates {
        at_least {
          k: 1
          gates { alarm { alarms: "A" } }
          gates { alarm { alarms: "B" } }
        }
      }
    }
    stages { stage: "region-wave" }
  }
)pb";

TEST(SpecGatesTest, FullSpecValidatesAndSummarizes) {
  absl::StatusOr<RolloutSpec> spec = Spec(kFullSpec);
  ASSERT_THAT(spec, IsOk());
  EXPECT_THAT(spec->Summary(),
              HasSubstr("gates: 5 default (threshold p99_latency, errors vs "
                        "baseline, analysis, deploy window, bake), 2 stage "
                        "overrides (one-box, region-wave); 2 metrics"));
}

TEST(SpecGatesTest, PolicyPicksGatesByStage) {
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec, Spec(kFullSpec));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy policy, GatePolicy::FromSpec(spec));
  EXPECT_THAT(policy.OverriddenStages(), ElementsAre("one-box", "region-wave"));
  Harness h;
  GateState state;
  Verdict v = policy.ForStage("one-box").Evaluate(h.Context(T0()), state);
  ASSERT_EQ(v.details.size(), 4u);
  EXPECT_EQ(v.details[0].gate, "manual approval");
  EXPECT_EQ(v.details[1].gate, "weighted score");
  EXPECT_EQ(v.details[2].gate, "shadow threshold error_rate");
  EXPECT_EQ(v.details[3].gate, "at least 1 of");
  GateState empty;
  EXPECT_EQ(
      policy.ForStage("region-wave").Evaluate(h.Context(T0()), empty).reason,
      "no gates");
  GateState zone;
  Verdict d = policy.ForStage("zone").Evaluate(h.Context(T0()), zone);
  ASSERT_EQ(d.details.size(), 5u);
  EXPECT_EQ(d.details[1].gate, "errors vs baseline");
}

// GatePolicyFromSpec() (sluice/spec.h) is the entry point; the
// compatibility GatePolicy::FromSpec() forwards to it.
TEST(SpecGatesTest, GatePolicyFromSpecAndTheCompatibilityNameAgree) {
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec, Spec(kFullSpec));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy policy, GatePolicyFromSpec(spec));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy old_name, GatePolicy::FromSpec(spec));
  EXPECT_THAT(policy.OverriddenStages(), ElementsAre("one-box", "region-wave"));
  EXPECT_EQ(policy.OverriddenStages(), old_name.OverriddenStages());
  EXPECT_EQ(policy.ForStage("zone").name(), "default");
  EXPECT_EQ(policy.ForStage("one-box").name(), "stage one-box");
  Harness h;
  GateState a;
  GateState b;
  EXPECT_EQ(policy.ForStage("zone").Evaluate(h.Context(T0()), a),
            old_name.ForStage("zone").Evaluate(h.Context(T0()), b));

  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec bare,
      RolloutSpec::Parse("name: \"r\" version: \"2\"", SpecFormat::kTextProto));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy none, GatePolicyFromSpec(bare));
  EXPECT_THAT(none.OverriddenStages(), ElementsAre());
  GateState fresh;
  EXPECT_EQ(none.ForStage("zone").Evaluate(h.Context(T0()), fresh).outcome,
            Outcome::kPass);
}

TEST(SpecGatesTest, BuiltThresholdUsesTheDeclaredMetric) {
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec,
                              Spec(R"pb(gates {
                                          default {
                                            threshold {
                                              metric: "p99_latency"
                                              aggregate: "p99"
                                              max: 300
                                              window { seconds: 120 }
                                            }
                                          }
                                        })pb"));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy policy, GatePolicy::FromSpec(spec));
  Harness h;
  h.metrics.SetAggregate("p99_latency", Cohort::kWave, T0(), 412, 1240);
  GateState state;
  testing::GateRun run = DriveGate(policy.ForStage("zone"), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail);
  EXPECT_THAT(run.verdict.reason,
              HasSubstr("p99_latency 412 ms > max 300 ms over 2m on wave 2 "
                        "(n=1240)"));
  ASSERT_EQ(h.metrics.queries().size(), 1u);
  EXPECT_EQ(h.metrics.queries()[0].query,
            "histogram_quantile(0.99, rate(http_duration_bucket[5m]))");
}

TEST(SpecGatesTest, JsonSpecsWork) {
  absl::StatusOr<RolloutSpec> spec = RolloutSpec::Parse(
      R"json({"name": "x", "version": "1",
              "metrics": [{"name": "m"}],
              "gates": {"default": [{"threshold": {"metric": "m", "max": 1,
                                                    "window": "300s"}}]}})json",
      SpecFormat::kJson);
  EXPECT_THAT(spec, IsOk());
}

struct Bad {
  std::string gates;
  std::string want;
};

TEST(SpecGatesTest, BadInputNamesTheField) {
  std::vector<Bad>
      cases =
          {
              {R"pb(gates {
                      default {
                        threshold { metric: "p99_latency" min: 0.5 max: 0.1 }
                      }
                    })pb",
               "gates.default[0].threshold.max: must be >= min (got 0.1 < "
               "0.5)"},
              {R"pb(gates {
                      default { threshold { metric: "p99_latency" max: 1 } }
                      default {
                        name: "b"
                        threshold { metric: "p99_latency" min: 0.5 max: 0.1 }
                      }
                    })pb",
               "gates.default[1].threshold.max: must be >= min (got 0.1 < "
               "0.5)"},
              {R"pb(gates { default { threshold { metric: "p99" max: 1 } } })pb",
               "gates.default[0].threshold.metric: names undeclared metric "
               "\"p99\" "
               "(declared: error_rate, p99_latency)"},
              {R"pb(gates { default { threshold { max: 1 } } })pb",
               "gates.default[0].threshold.metric: must not be empty"},
              {R"pb(gates {
                      default {
                        threshold {
                          metric: "p99_latency"
                          aggregate: "p100"
                          max: 1
                        }
                      }
                    })pb",
               "gates.default[0].threshold.aggregate: quantile must be in (0, "
               "1) (got 1)"},
              {R"pb(gates {
                      default {
                        threshold {
                          metric: "p99_latency"
                          aggregate: "quantile(1.5)"
                          max: 1
                        }
                      }
                    })pb",
               "gates.default[0].threshold.aggregate: quantile must be in (0, "
               "1) (got 1.5)"},
              {R"pb(gates {
                      default {
                        threshold {
                          metric: "p99_latency"
                          max: 1
                          window {}
                        }
                      }
                    })pb",
               "gates.default[0].threshold.window: must be finite and > 0 (got "
               "0)"},
              {R"pb(gates { default { threshold { metric: "p99_latency" } } })pb",
               "gates.default[0].threshold.max: at least one of min and max is "
               "required"},
              {R"pb(gates {
                      default { relative { metric: "error_rate" max_ratio: 0 } }
                    })pb",
               "gates.default[0].relative.max_ratio: must be > 0 (got 0)"},
              {R"pb(gates {
                      default {
                        relative {
                          metric: "error_rate"
                          requests_metric: "reqs"
                          max_ratio: 1.5
                        }
                      }
                    })pb",
               "gates.default[0].relative.requests_metric: names undeclared "
               "metric \"reqs\" (declared: error_rate, p99_latency)"},
              {R"pb(gates {
                      default {
                        relative {
                          metric: "error_rate"
                          requests_metric: "p99_latency"
                          aggregate: "p99"
                          max_ratio: 1.5
                        }
                      }
                    })pb",
               "gates.default[0].relative.aggregate: must be unset, \"sum\", "
               "\"rate\" or \"mean\" with requests_metric (got \"p99\")"},
              {R"pb(gates {
                      default {
                        relative {
                          metric: "error_rate"
                          max_ratio: 1.5
                          significance_alpha: 0.05
                        }
                      }
                    })pb",
               "gates.default[0].relative.significance_alpha: needs "
               "requests_metric"},
              {R"pb(gates { default { alarm {} } })pb",
               "gates.default[0].alarm.alarms: must not be empty"},
              {R"pb(gates {
                      default {
                        analysis {
                          metrics {
                            threshold { metric: "p99_latency" max: 1 }
                            interval {}
                            count: 3
                          }
                        }
                      }
                    })pb",
               "gates.default[0].analysis.metrics[0].interval: must be > 0 "
               "when set (got 0s)"},
              {R"pb(gates {
                      default {
                        analysis {
                          metrics {
                            threshold { metric: "p99_latency" max: 1 }
                            count: 3
                          }
                        }
                      }
                    })pb",
               "gates.default[0].analysis.metrics[0].interval: must be > 0 "
               "when count > 1"},
              {R"pb(gates {
                      default {
                        analysis {
                          metrics {
                            threshold { metric: "p99_latency" max: 1 }
                            count: 2
                            interval { seconds: 60 }
                            failure_limit: 3
                          }
                        }
                      }
                    })pb",
               "gates.default[0].analysis.metrics[0].count: must be >= "
               "failure_limit "
               "(got 2 < 3)"},
              {R"pb(gates {
                      default {
                        analysis {
                          metrics { threshold { metric: "nope" max: 1 } }
                        }
                      }
                    })pb",
               "gates.default[0].analysis.metrics[0].threshold.metric: names "
               "undeclared "
               "metric \"nope\""},
              {R"pb(gates { default { analysis { metrics { count: 1 } } } })pb",
               "gates.default[0].analysis.metrics[0]: needs a check"},
              {R"pb(gates {
                      default { window { time_zone: "Mars/Olympus_Mons" } }
                    })pb",
               "gates.default[0].window.time_zone: unknown time zone "
               "\"Mars/Olympus_Mons\""},
              {R"pb(gates {
                      default {
                        window {
                          time_zone: "UTC"
                          windows { days: "Mon" start: "16:00" end: "09:00" }
                        }
                      }
                    })pb",
               "gates.default[0].window.windows[0].end: must be after start "
               "(got 09:00 "
               "<= 16:00"},
              {R"pb(gates {
                      default {
                        window {
                          time_zone: "UTC"
                          windows { days: "Mon" start: "09:00" end: "09:00" }
                        }
                      }
                    })pb",
               "gates.default[0].window.windows[0].end: must be after start"},
              {R"pb(gates {
                      default {
                        window {
                          time_zone: "UTC"
                          windows {
                            days: "Mon-Fry"
                            start: "09:00"
                            end: "10:00"
                          }
                        }
                      }
                    })pb",
               "gates.default[0].window.windows[0].days: unknown day \"Fry\""},
              {R"pb(gates {
                      default {
                        window {
                          time_zone: "UTC"
                          windows { days: "Mon" start: "9am" end: "10:00" }
                        }
                      }
                    })pb",
               "gates.default[0].window.windows[0].start: want a local time "
               "HH:MM"},
              {R"pb(gates {
                      default {
                        window {
                          time_zone: "UTC"
                          blackouts { start: "2026-12-02" end: "2026-12-01" }
                        }
                      }
                    })pb",
               "gates.default[0].window.blackouts[0].end: must be after start"},
              {R"pb(gates {
                      default {
                        window {
                          time_zone: "UTC"
                          blackouts { start: "Dec 1" end: "2026-12-01" }
                        }
                      }
                    })pb",
               "gates.default[0].window.blackouts[0].start: want a local date "
               "YYYY-MM-DD"},
              {R"pb(gates {
                      default {
                        bake {
                          interval { seconds: 60 }
                          check { alarm { alarms: "A" } }
                        }
                      }
                    })pb",
               "gates.default[0].bake.duration: is required"},
              {R"pb(gates {
                      default {
                        bake {
                          duration { seconds: 60 }
                          interval { seconds: 600 }
                          check { alarm { alarms: "A" } }
                        }
                      }
                    })pb",
               "gates.default[0].bake.interval: must be <= duration (got 10m > "
               "1m)"},
              {R"pb(gates {
                      default {
                        bake {
                          duration { seconds: 600 }
                          interval { seconds: 60 }
                          check { threshold { metric: "x" max: 1 } }
                        }
                      }
                    })pb",
               "gates.default[0].bake.check.threshold.metric: names undeclared "
               "metric "
               "\"x\""},
              {R"pb(gates {
                      default { manual_approval { timeout { seconds: -5 } } }
                    })pb",
               "gates.default[0].manual_approval.timeout: must be finite and "
               "> 0"},
              {R"pb(gates { default { all_of {} } })pb",
               "gates.default[0].all_of.gates: must not be empty"},
              {R"pb(gates {
                      default {
                        at_least {
                          k: 3
                          gates { alarm { alarms: "A" } }
                        }
                      }
                    })pb",
               "gates.default[0].at_least.k: must be in [1, 1] (got 3)"},
              {R"pb(gates {
                      default {
                        any_of {
                          gates { alarm { alarms: "A" } }
                          gates { threshold { metric: "nope" max: 1 } }
                        }
                      }
                    })pb",
               "gates.default[0].any_of.gates[1].threshold.metric: names "
               "undeclared"},
              {R"pb(gates {
                      default {
                        weighted {
                          gates {
                            weight: -1
                            gate { alarm { alarms: "A" } }
                          }
                          pass_score: 50
                        }
                      }
                    })pb",
               "gates.default[0].weighted.gates[0].weight: must be finite and "
               "> 0 (got -1)"},
              {R"pb(gates {
                      default {
                        weighted {
                          gates {
                            weight: 1
                            gate { alarm { alarms: "A" } }
                          }
                          pass_score: 150
                        }
                      }
                    })pb",
               "gates.default[0].weighted.pass_score: must be in (0, 100] (got "
               "150)"},
              {R"pb(gates {
                      default { shadow { threshold { metric: "nope" max: 1 } } }
                    })pb",
               "gates.default[0].shadow.threshold.metric: names undeclared "
               "metric"},
              {R"pb(gates { default {} })pb", "gates.default[0]: needs a kind"},
              {R"pb(gates {
                      default { alarm { alarms: "A" } }
                      default { alarm { alarms: "A" } }
                    })pb",
               "gates.default[1].name: duplicate gate name \"alarm A\" (first "
               "at "
               "gates.default[0]"},
              {R"pb(gates {
                      stages { stage: "zone" }
                      stages { stage: "zone" }
                    })pb",
               "gates.stages[1].stage: duplicate stage \"zone\" (first at "
               "gates.stages[0])"},
              {R"pb(gates { stages { gates { alarm { alarms: "A" } } } })pb",
               "gates.stages[0].stage: must not be empty"},
              {R"pb(gates {
                      stages {
                        stage: "zone"
                        gates { threshold { metric: "p99_latency" } }
                      }
                    })pb",
               "gates.stages[0].gates[0].threshold.max: at least one of min "
               "and max"},
              {R"pb(metrics { name: "p99_latency" })pb",
               "metrics[2].name: duplicate metric \"p99_latency\" (first at "
               "metrics[0])"},
              {R"pb(metrics { name: "" })pb",
               "metrics[2].name: must not be empty"},
              {R"pb(metrics { name: "bad name" })pb",
               "metrics[2].name: \"bad name\" has a character other than"},
          };
  for (const Bad& c : cases) {
    EXPECT_THAT(Spec(c.gates),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.want)))
        << c.gates;
  }
}

TEST(SpecGatesTest, NoGatesNoSummary) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec, RolloutSpec::Parse(R"pb(name: "x" version: "1")pb",
                                           SpecFormat::kTextProto));
  EXPECT_THAT(spec.Summary(), ::testing::Not(HasSubstr("gates")));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy policy, GatePolicy::FromSpec(spec));
  Harness h;
  GateState state;
  EXPECT_EQ(policy.ForStage("zone").Evaluate(h.Context(T0()), state).outcome,
            Outcome::kPass);
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

absl::Time NewYork(int y, int mo, int d, int h, int mi = 0) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("America/New_York", &tz));
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), tz);
}

// The worked example of docs/gates.md.
class WorkedExampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SLUICE_ASSERT_OK_AND_ASSIGN(
        RolloutSpec spec,
        RolloutSpec::LoadFile("tests/gates/testdata/worked_example.textproto"));
    SLUICE_ASSERT_OK_AND_ASSIGN(policy_, GatePolicy::FromSpec(spec));
    h_.wave_index = 4;
    h_.stage = "zone";
  }

  void Healthy(absl::Time from) {
    h_.metrics.SetAggregate("p99_latency", Cohort::kWave, from, 180, 1240);
    h_.metrics.SetAggregate("error_rate", Cohort::kWave, from, 0.001, 1240);
    h_.metrics.SetAggregate("error_rate", Cohort::kBaseline, from, 0.001, 9000);
  }

  std::optional<GatePolicy> policy_;
  Harness h_;
};

TEST_F(WorkedExampleTest, HealthyZoneWavePassesAfterTheBake) {
  const absl::Time deployed = NewYork(2026, 12, 1, 10);  // a Tuesday
  h_.deployed_at = deployed;
  Healthy(deployed - absl::Hours(1));
  GateState state;
  testing::GateRun run =
      DriveGate(policy_->ForStage("zone"), h_, state, deployed);
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  EXPECT_EQ(run.evaluations[1], deployed + absl::Minutes(5));
  EXPECT_EQ(run.evaluations.back(), deployed + absl::Minutes(30));
  EXPECT_EQ(run.verdict.details[1].reason,
            "healthy for the whole 30m bake (6 checks passed, 68880 samples)");
}

TEST_F(WorkedExampleTest, SlowP99FailsTheBakeAtOnce) {
  const absl::Time deployed = NewYork(2026, 12, 1, 10);
  h_.deployed_at = deployed;
  Healthy(deployed - absl::Hours(1));
  h_.metrics.SetAggregate("p99_latency", Cohort::kWave,
                          deployed + absl::Minutes(15), 412, 1240);
  GateState state;
  testing::GateRun run =
      DriveGate(policy_->ForStage("zone"), h_, state, deployed);
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail);
  EXPECT_EQ(run.evaluations.back(), deployed + absl::Minutes(15));
  EXPECT_EQ(
      run.verdict.reason,
      "1 of 2 passed (need all 2); healthy bake FAIL: check 3 at 15m into "
      "the 30m bake: FAIL: 2 of 3 passed (need all 3); threshold "
      "p99_latency FAIL: p99_latency 412 ms > max 300 ms over 5m on wave "
      "4 (n=1240)");
}

TEST_F(WorkedExampleTest, LateThursdayWaitsForMonday) {
  const absl::Time deployed = NewYork(2026, 12, 3, 15, 50);  // Thursday
  h_.deployed_at = deployed;
  Healthy(deployed - absl::Hours(1));
  GateState state;
  testing::GateRun run =
      DriveGate(policy_->ForStage("zone"), h_, state, deployed);
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  // The bake ends at 16:20, outside the window: the gate waits for Monday.
  EXPECT_EQ(run.evaluations.back(), NewYork(2026, 12, 7, 9));
  // In Thanksgiving week, the freeze pushes it to Monday 2026-11-30.
  Harness h;
  h.wave_index = 4;
  const absl::Time tuesday = NewYork(2026, 11, 24, 15, 50);
  h.deployed_at = tuesday;
  h.metrics.SetAggregate("p99_latency", Cohort::kWave, tuesday, 180, 1240);
  h.metrics.SetAggregate("error_rate", Cohort::kWave, tuesday, 0.001, 1240);
  h.metrics.SetAggregate("error_rate", Cohort::kBaseline, tuesday, 0.001, 9000);
  GateState s2;
  testing::GateRun frozen =
      DriveGate(policy_->ForStage("zone"), h, s2, tuesday);
  EXPECT_EQ(frozen.evaluations.back(), NewYork(2026, 11, 30, 9));
}

TEST_F(WorkedExampleTest, OneBoxMeasuresRecordsAndWaitsForApproval) {
  const absl::Time deployed = NewYork(2026, 12, 1, 10);
  h_.deployed_at = deployed;
  h_.stage = "one-box";
  Healthy(deployed - absl::Hours(1));
  GateState state;
  // Ten measurements a minute apart from a whole 5m window after the
  // deploy, then the approval wait.
  testing::GateRun run =
      DriveGate(policy_->ForStage("one-box"), h_, state, deployed,
                /*max_steps=*/11);
  EXPECT_EQ(run.evaluations[1], deployed + absl::Minutes(5));
  EXPECT_EQ(run.evaluations.back(), deployed + absl::Minutes(14));
  EXPECT_EQ(run.verdict.outcome, Outcome::kHold) << run.verdict;
  EXPECT_EQ(run.verdict.hold_until, deployed + absl::Hours(4));
  ASSERT_EQ(run.verdict.details.size(), 2u);
  EXPECT_EQ(run.verdict.details[0].outcome, Outcome::kPass);
  h_.signals = {OperatorSignal{OperatorSignal::Kind::kApprove, "", "alice",
                               deployed + absl::Minutes(20), "CHG-1234"}};
  Verdict v = policy_->ForStage("one-box").Evaluate(
      h_.Context(deployed + absl::Minutes(21)), state);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v;
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

// Every complete textproto example in docs/gates.md is a valid spec.
TEST(SpecGatesTest, GatesNestedTooDeeplyAreRefusedWithThePathAndTheLimit) {
  // kMaxGateDepth (16) levels build; one more is an error at its path.
  auto nested = [](int levels) {
    std::string gates = "gates { default { ";
    for (int i = 1; i < levels; ++i) gates += "shadow { ";
    gates += "threshold { metric: \"error_rate\" max: 1 }";
    for (int i = 1; i < levels; ++i) gates += " }";
    return gates + " } }";
  };
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec ok, Spec(nested(16)));
  EXPECT_THAT(GatePolicyFromSpec(ok).status(), IsOk());
  std::string path = "gates.default[0]";
  for (int i = 1; i < 17; ++i) path += ".shadow";
  EXPECT_THAT(Spec(nested(17)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(absl::StrCat(
                           path, ": gates nest more than 16 levels deep"))));
  // all_of counts as well.
  std::string all = "gates { default { ";
  for (int i = 0; i < 17; ++i) all += "all_of { gates { ";
  all += "alarm { alarms: \"A\" }";
  for (int i = 0; i < 17; ++i) all += " } }";
  all += " } }";
  EXPECT_THAT(Spec(all), StatusIs(absl::StatusCode::kInvalidArgument,
                                  HasSubstr("levels deep (the limit)")));
}

TEST(DocsTest, GatesDocExamplesValidate) {
  std::ifstream in("docs/gates.md");
  if (!in.good()) {
    // CMake runs tests from the source root; a build that ships no docs
    // with its tests has nothing to check here.
    GTEST_SKIP() << "docs/gates.md is not available to this test";
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string doc = buffer.str();
  int checked = 0;
  size_t pos = 0;
  while ((pos = doc.find("```textproto\n", pos)) != std::string::npos) {
    const size_t start = pos + 13;
    const size_t end = doc.find("```", start);
    ASSERT_NE(end, std::string::npos);
    const std::string block = doc.substr(start, end - start);
    pos = end + 3;
    if (block.find("...") != std::string::npos) continue;  // a skeleton
    std::string text = "name: \"doc\" version: \"1\"\n";
    if (block.find("metrics {") != 0 &&
        block.find("\nmetrics {") == std::string::npos) {
      // Snippets that only show gates use these metrics.
      absl::StrAppend(&text, "metrics { name: \"request_success_rate\" }\n",
                      "metrics { name: \"request_duration_p99\" }\n");
    }
    absl::StrAppend(&text, block);
    EXPECT_THAT(RolloutSpec::Parse(text, SpecFormat::kTextProto), IsOk())
        << block;
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

}  // namespace
}  // namespace sluice
