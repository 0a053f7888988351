// Copyright 2026 The Sluice Authors.
//
// Specs that can't silently disable a gate: a per-stage gate override for a
// stage the strategy never produces, a traffic-routed composite stage, and
// the one rule each for canary percents, rolling limits and Flagger's
// max_weight.

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/waves/spec_waves.h"
#include "sluice/fleet_io.h"
#include "sluice/spec.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/rollout_spec.pb.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

absl::StatusOr<RolloutSpec> Spec(const std::string& body) {
  return RolloutSpec::Parse(
      absl::StrCat("name: \"x\" version: \"2\" previous_version: \"1\" ", body),
      SpecFormat::kTextProto);
}

TEST(StageOverrideTest, AStageTheStrategyNeverProducesIsAnError) {
  const std::string gates = R"pb(
    gates {
      stages {
        stage: "%s"
        gates { alarm { alarms: "A" } }
      }
    })pb";
  auto with_stage = [&](const std::string& waves, const std::string& stage) {
    std::string g = gates;
    g.replace(g.find("%s"), 2, stage);
    return Spec(waves + g);
  };
  const std::string staged = "waves { staged {} }";
  // The typos of issue 17: an underscore, capitals, another strategy's stage.
  for (const std::string stage : {"one_box", "Region-Wave", "canary"}) {
    EXPECT_THAT(
        with_stage(staged, stage),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 HasSubstr(absl::StrCat(
                     "gates.stages[0].stage: the strategy never produces a "
                     "stage \"",
                     stage,
                     "\", so its gates would never run; its stages are "
                     "first-zone, first-zone-batch, one-box, region-one-box, "
                     "region-wave, region-zone-batch, spanning, zone, "
                     "zone-batch"))))
        << stage;
  }
  EXPECT_THAT(with_stage(staged, "one-box"), IsOk());
  EXPECT_THAT(with_stage("waves { canary { percent: 10 } }", "canary"), IsOk());
  EXPECT_THAT(with_stage("waves { canary { percent: 10 } }", "step"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("its stages are canary, rest")));
  // A composite's stages are its stage names.
  EXPECT_THAT(with_stage(R"pb(waves {
                                composite {
                                  stages {
                                    name: "canaries"
                                    scheduler { all_at_once {} }
                                  }
                                }
                              })pb",
                         "canaries"),
              IsOk());
  // No strategy: nothing to check against.
  EXPECT_THAT(with_stage("", "anything"), IsOk());
}

TEST(StageOverrideTest, StagesOfStrategyCoversEveryExampleSpecsPlan) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  int checked = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator("examples/specs")) {
    const std::string path = entry.path().string();
    SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec, RolloutSpec::LoadFile(path));
    if (!spec.ToProto().has_waves()) continue;
    absl::StatusOr<std::unique_ptr<WaveScheduler>> scheduler =
        NewScheduler(spec);
    ASSERT_TRUE(scheduler.ok()) << path;
    absl::StatusOr<WavePlan> plan = (*scheduler)->Plan(fleet);
    if (!plan.ok()) continue;  // e.g. a selector for labels this fleet lacks
    const std::vector<std::string> stages =
        internal::StagesOfStrategy(spec.ToProto().waves());
    const std::set<std::string> known(stages.begin(), stages.end());
    for (const Wave& w : plan->waves) {
      EXPECT_TRUE(known.count(w.stage)) << path << ": stage " << w.stage;
    }
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

TEST(CompositeSpecTest, TrafficRoutedStageIsAnErrorWithoutAFleet) {
  EXPECT_THAT(
      Spec(R"pb(waves {
                  composite {
                    stages {
                      name: "a"
                      scheduler { canary { percent: 10 traffic_routed: true } }
                    }
                  }
                })pb"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("waves.composite.stages[0].scheduler: plans "
                         "traffic waves")));
  EXPECT_THAT(Spec(R"pb(waves {
                          composite {
                            stages {
                              name: "a"
                              scheduler { flagger { step_weight: 10 } }
                            }
                          }
                        })pb"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("plans traffic waves")));
  EXPECT_THAT(Spec(R"pb(waves {
                          composite {
                            stages {
                              name: "a"
                              scheduler {
                                flagger { step_weight: 10 target_waves: true }
                              }
                            }
                          }
                        })pb"),
              IsOk());
}

// One rule each, as waves.proto, the headers and docs/waves.md state it.
TEST(StrategyRulesTest, CanaryRollingAndFlaggerDefaults) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  // Canary percent in (0, 100]; 100 is a single wave.
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec all,
                              Spec("waves { canary { percent: 100 } }"));
  SLUICE_ASSERT_OK_AND_ASSIGN(auto canary, NewScheduler(all));
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan one, canary->Plan(fleet));
  EXPECT_EQ(one.waves.size(), 1u);
  EXPECT_THAT(Spec("waves { canary { percent: 0 } }"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("canary.percent: must be in (0, 100]")));
  // Rolling: both limits 0 is an error.
  EXPECT_THAT(
      Spec("waves { rolling { max_surge { count: 0 } max_unavailable { count: "
           "0 } } }"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("rolling.max_unavailable: may not be 0 when "
                         "max_surge is 0")));
  // Flagger: max_weight unset is 100 (step 30 -> 30, 60, 90, promotion).
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec flagger,
      Spec("waves { flagger { step_weight: 30 target_waves: true } }"));
  SLUICE_ASSERT_OK_AND_ASSIGN(auto f, NewScheduler(flagger));
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan steps, f->Plan(fleet));
  EXPECT_EQ(steps.waves.size(), 4u);
}

}  // namespace
}  // namespace sluice
