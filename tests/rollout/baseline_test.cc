// Copyright 2026 The Sluice Authors.
//
// Which targets the gates see as the baseline (RolloutOptions::baseline)
// and as settled on the new version (GateContext::settled_targets).

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/health_gate.h"
#include "sluice/rollout.h"
#include "sluice/spec.h"
#include "sluice/testing/fake_clock.h"
#include "sluice/testing/rollout_testing.h"
#include "sluice/testing/status_matchers.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice::rollout_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Passes at once and records, per wave, one cohort it was shown: the
// baseline or the settled targets.
class CohortRecordingGate : public HealthGate {
 public:
  using Cohort = absl::Span<const std::string> GateContext::*;
  CohortRecordingGate(Cohort cohort,
                      std::map<int, std::vector<std::string>>* seen)
      : cohort_(cohort), seen_(seen) {}
  std::string name() const override { return "record"; }
  Verdict Evaluate(const GateContext& context, GateState&) const override {
    const absl::Span<const std::string> ids = context.*cohort_;
    (*seen_)[context.wave_index].assign(ids.begin(), ids.end());
    return Verdict::Pass("record", "recorded");
  }

 private:
  Cohort cohort_;
  std::map<int, std::vector<std::string>>* seen_;
};

// The baselines the gate saw, per wave, in a rollout of 6 targets in waves
// of 1, 2 and 3 made with `options` (version and gate set here, stage gates
// cleared).
std::map<int, std::vector<std::string>> BaselinesSeen(RolloutOptions options) {
  std::map<int, std::vector<std::string>> baselines;
  const Fleet fleet = MakeFleet(6);
  options.version = "2.0";
  options.previous_version = "1.0";
  options.stage_gates.clear();
  options.gate = std::make_shared<CohortRecordingGate>(
      &GateContext::baseline_targets, &baselines);
  testing::FakeTransport transport(fleet.size(), "1.0");
  std::vector<Action> actions;
  std::unique_ptr<Rollout> rollout =
      DriveToEnd(fleet, MakePlan({1, 2, 3}, absl::ZeroDuration()), options,
                 transport, /*crash_every_step=*/false, &actions);
  EXPECT_NE(rollout, nullptr);
  if (rollout == nullptr) return baselines;
  EXPECT_EQ(rollout->status(), RolloutStatus::kSucceeded);
  return baselines;
}

std::map<int, std::vector<std::string>> BaselinesSeen(BaselineCohort cohort) {
  RolloutOptions options;
  options.baseline = cohort;
  return BaselinesSeen(options);
}

// The options a spec with `watch` makes, from `options`.
absl::StatusOr<RolloutOptions> OptionsFromWatch(const std::string& watch,
                                                RolloutOptions options) {
  absl::StatusOr<RolloutSpec> spec = RolloutSpec::Parse(
      absl::StrCat("name: \"x\" version: \"2.0\" previous_version: "
                   "\"1.0\" ",
                   watch),
      SpecFormat::kTextProto);
  if (!spec.ok()) return spec.status();
  return Rollout::OptionsFromSpec(
      *spec, MakePlan({1, 2, 3}, absl::ZeroDuration()), std::move(options));
}

TEST(BaselineCohortTest, NextWaveByDefault) {
  EXPECT_EQ(RolloutOptions().baseline, BaselineCohort::kNextWave);
  std::map<int, std::vector<std::string>> seen =
      BaselinesSeen(BaselineCohort::kNextWave);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_THAT(seen[0], ElementsAre("web-1", "web-2"));
  EXPECT_THAT(seen[1], ElementsAre("web-3", "web-4", "web-5"));
  EXPECT_THAT(seen[2], IsEmpty());
}

TEST(BaselineCohortTest, AllRemainingIsEveryLaterWave) {
  std::map<int, std::vector<std::string>> seen =
      BaselinesSeen(BaselineCohort::kAllRemaining);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_THAT(seen[0],
              ElementsAre("web-1", "web-2", "web-3", "web-4", "web-5"));
  EXPECT_THAT(seen[1], ElementsAre("web-3", "web-4", "web-5"));
  EXPECT_THAT(seen[2], IsEmpty());
}

// WatchSpec.baseline chooses the cohort; unset keeps the host's choice.
TEST(BaselineCohortTest, TheSpecChoosesTheCohort) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutOptions all,
      OptionsFromWatch("watch { baseline: BASELINE_ALL_REMAINING }", {}));
  EXPECT_EQ(all.baseline, BaselineCohort::kAllRemaining);
  std::map<int, std::vector<std::string>> seen = BaselinesSeen(all);
  EXPECT_THAT(seen[0],
              ElementsAre("web-1", "web-2", "web-3", "web-4", "web-5"));

  RolloutOptions host;
  host.baseline = BaselineCohort::kAllRemaining;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutOptions next,
      OptionsFromWatch("watch { baseline: BASELINE_NEXT_WAVE }", host));
  EXPECT_EQ(next.baseline, BaselineCohort::kNextWave);
  seen = BaselinesSeen(next);
  EXPECT_THAT(seen[0], ElementsAre("web-1", "web-2"));

  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutOptions kept,
      OptionsFromWatch("watch { bake_recheck_interval { seconds: 60 } }",
                       host));
  EXPECT_EQ(kept.baseline, BaselineCohort::kAllRemaining);
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutOptions no_watch,
                              OptionsFromWatch("", host));
  EXPECT_EQ(no_watch.baseline, BaselineCohort::kAllRemaining);
}

// GateContext::settled_targets: earlier waves' targets on the new version,
// without those whose deploy failed, the same across crashes and restores.
TEST(SettledTargetsTest, EarlierWavesTargetsOnTheNewVersion) {
  for (const bool crash : {false, true}) {
    SCOPED_TRACE(crash ? "restored after every step" : "uninterrupted");
    std::map<int, std::vector<std::string>> settled;
    const Fleet fleet = MakeFleet(6);
    RolloutOptions options;
    options.version = "2.0";
    options.previous_version = "1.0";
    options.gate = std::make_shared<CohortRecordingGate>(
        &GateContext::settled_targets, &settled);
    testing::FakeTransport transport(fleet.size(), "1.0");
    transport.FailDeploy(2, "disk full");  // within wave 1's budget of 1
    std::vector<Action> actions;
    std::unique_ptr<Rollout> rollout = DriveToEnd(
        fleet, MakePlan({1, 2, 3}, absl::ZeroDuration(), /*max_failed=*/1),
        options, transport, crash, &actions);
    ASSERT_NE(rollout, nullptr);
    EXPECT_EQ(rollout->status(), RolloutStatus::kSucceeded);
    ASSERT_EQ(settled.size(), 3u);
    EXPECT_THAT(settled[0], IsEmpty());
    EXPECT_THAT(settled[1], ElementsAre("web-0"));
    EXPECT_THAT(settled[2], ElementsAre("web-0", "web-1"));
  }
}

}  // namespace
}  // namespace sluice::rollout_test
