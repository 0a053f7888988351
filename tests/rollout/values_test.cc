// Copyright 2026 The Sluice Authors.
//
// The rollout engine's value types: names, printing, comparison.

#include <sstream>
#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/rollout.h"
#include "sluice/rollout_event.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice {
namespace {

using ::testing::HasSubstr;

template <typename T>
std::string Print(const T& value) {
  std::ostringstream os;
  os << value;
  return os.str();
}

TEST(RolloutValuesTest, Names) {
  EXPECT_EQ(RolloutStatusName(RolloutStatus::kRollingBack), "rolling-back");
  EXPECT_EQ(WavePhaseName(WavePhase::kAwaitingApproval), "awaiting-approval");
  EXPECT_EQ(ActionKindName(ActionKind::kSetTraffic), "set-traffic");
  EXPECT_EQ(BlockerKindName(Blocker::Kind::kActionsInFlight),
            "actions-in-flight");
  EXPECT_EQ(EventKindName(EventKind::kRollbackCompleted), "rollback-completed");
  EXPECT_TRUE(IsTerminal(RolloutStatus::kFailed));
  EXPECT_FALSE(IsTerminal(RolloutStatus::kPaused));
}

TEST(RolloutValuesTest, ActionsPrint) {
  Action deploy;
  deploy.id = "w2-deploy-7";
  deploy.kind = ActionKind::kDeploy;
  deploy.wave = 2;
  deploy.version = "2.4.1";
  deploy.targets = {3, 4, 5};
  EXPECT_EQ(Print(deploy), "w2-deploy-7: deploy 2.4.1 to 3 targets (wave 2)");
  EXPECT_TRUE(deploy.NeedsOutcome());
  Action traffic_back;
  traffic_back.id = "rollback-9";
  traffic_back.kind = ActionKind::kRollBack;
  traffic_back.version = "2.4.0";
  traffic_back.traffic_percent = 0;
  EXPECT_EQ(Print(traffic_back), "rollback-9: route all traffic back to 2.4.0");
  Action page;
  page.id = "escalate-3";
  page.kind = ActionKind::kNotify;
  page.escalate = true;
  page.message = "wave 1 failed";
  EXPECT_EQ(Print(page), "escalate-3: escalate: wave 1 failed");
  EXPECT_FALSE(page.NeedsOutcome());
  Action copy = deploy;
  EXPECT_EQ(copy, deploy);
  copy.targets.pop_back();
  EXPECT_NE(copy, deploy);
  const Fleet fleet = rollout_test::MakeFleet(6);
  EXPECT_EQ(deploy.TargetIds(fleet),
            (std::vector<std::string>{"web-3", "web-4", "web-5"}));
}

TEST(RolloutValuesTest, BlockersDescribeThemselvesRelativeToNow) {
  const absl::Time t = absl::FromUnixSeconds(1'764'338'520);  // 14:02 UTC
  Blocker approval;
  approval.kind = Blocker::Kind::kApproval;
  approval.name = "approval for wave 3";
  approval.reason = "approval of 2.4.1 awaited";
  approval.since = t;
  approval.until = absl::InfiniteFuture();
  EXPECT_EQ(DescribeBlocker(approval, t + absl::Minutes(38)),
            "approval for wave 3: approval of 2.4.1 awaited; since "
            "2025-11-28 14:02 UTC (38m ago); until a person acts");
  Blocker bake;
  bake.kind = Blocker::Kind::kBake;
  bake.name = "bake of wave 2";
  bake.until = t + absl::Minutes(12);
  EXPECT_THAT(DescribeBlocker(bake, t), HasSubstr("(12m left)"));
  EXPECT_THAT(Print(bake), HasSubstr("bake: bake of wave 2 (until "));
}

TEST(RolloutValuesTest, EventsPrintOnOneLine) {
  RolloutEvent e;
  e.sequence = 7;
  e.time = absl::FromUnixSeconds(1'764'338'520);
  e.kind = EventKind::kOperatorCommand;
  e.wave = 2;
  e.command = "pause";
  e.who = "alice@example.com";
  e.message = "paused by alice@example.com";
  EXPECT_EQ(Print(e),
            "#7 2025-11-28T14:02:00+00:00 operator-command wave 2 by "
            "alice@example.com: paused by alice@example.com");
}

}  // namespace
}  // namespace sluice
