// Copyright 2026 The Sluice Authors.
//
// ReviewDraft over the engine's own events (the scripted rollouts of
// rollout_harness.h).

#include "sluice/review.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<RolloutEvent> EventsOf(const std::string& name) {
  for (const rollout_test::Scenario& s : rollout_test::ScriptedScenarios()) {
    if (s.name == name) {
      rollout_test::RunResult r = rollout_test::RunScenario(s, false);
      EXPECT_TRUE(r.status.ok()) << r.status;
      return r.events;
    }
  }
  ADD_FAILURE() << "no scenario " << name;
  return {};
}

TEST(ReviewDraftTest, FindsTheKeyMoments) {
  const std::vector<RolloutEvent> events = EventsOf("bad-release-at-wave-2");
  const ReviewMoments m = FindReviewMoments(events);
  ASSERT_TRUE(m.first_deploy.has_value());
  ASSERT_TRUE(m.first_failing_check.has_value());
  ASSERT_TRUE(m.detection.has_value());
  ASSERT_TRUE(m.decision.has_value());
  ASSERT_TRUE(m.rollback_started.has_value());
  ASSERT_TRUE(m.rollback_done.has_value());
  ASSERT_TRUE(m.finished.has_value());
  EXPECT_EQ(*m.first_deploy, rollout_test::kT0);
  EXPECT_LE(*m.first_failing_check, *m.detection);
  EXPECT_LE(*m.detection, *m.rollback_done);
  // The moments do not depend on the events' order.
  std::vector<RolloutEvent> reversed(events.rbegin(), events.rend());
  const ReviewMoments again = FindReviewMoments(reversed);
  EXPECT_EQ(again.detection, m.detection);
  EXPECT_EQ(again.first_deploy, m.first_deploy);
}

TEST(ReviewDraftTest, ABadReleaseAtWaveTwo) {
  ReviewInput input;
  input.events = EventsOf("bad-release-at-wave-2");
  SLUICE_ASSERT_OK_AND_ASSIGN(std::string md, ReviewDraft(input));
  EXPECT_THAT(md, HasSubstr("# Post-incident review (draft): "
                            "bad-release-at-wave-2"));
  EXPECT_THAT(md, HasSubstr("wave 2 failed at"));
  EXPECT_THAT(md, HasSubstr("gate `error-rate` on wave 2"));
  // Waves 0, 1 and 2 deployed 1 + 3 + 5 targets.
  EXPECT_THAT(md, HasSubstr("| targets that ran the new version | 9 |"));
  // The failing verdict saw 7.5% errors of 500 requests: about 38 errors.
  EXPECT_THAT(md, HasSubstr("| errors seen by the failing gate | about 38 in "
                            "its window (error_rate=7.5%, n=500)"));
  // The same gate passed waves 0 and 1, with its numbers.
  EXPECT_THAT(md, HasSubstr("The earlier waves' verdicts of `error-rate`"));
  EXPECT_THAT(md, HasSubstr("| wave 0 | +"));
  EXPECT_THAT(md, HasSubstr("| PASS | error_rate=0.2%, n=100 | unknown |"));
  EXPECT_THAT(md, HasSubstr("after 4 target(s) of earlier waves had passed"));
  EXPECT_THAT(md, HasSubstr("roll-back-all"));
  // Deterministic.
  EXPECT_EQ(ReviewDraft(input).value(), md);
}

TEST(ReviewDraftTest, WithThePlanGivesWeightAndZones) {
  ReviewInput input;
  input.events = EventsOf("bad-release-at-wave-2");
  const Fleet fleet = rollout_test::MakeFleet(9);
  const WavePlan plan = rollout_test::MakePlan({1, 3, 5});
  input.fleet = &fleet;
  input.plan = &plan;
  SLUICE_ASSERT_OK_AND_ASSIGN(std::string md, ReviewDraft(input));
  EXPECT_THAT(md, HasSubstr("| targets that ran the new version | 9 of 9 |"));
  EXPECT_THAT(md, HasSubstr("| fleet weight on the new version (at most) | "
                            "100.0% |"));
  EXPECT_THAT(md, HasSubstr("wave 2 (\"wave 2\", stage zone, 5 target(s) in "
                            "us-east-1/use1-az0, us-east-1/use1-az1, "
                            "us-east-1/use1-az2)"));
}

TEST(ReviewDraftTest, WhatOnlyTheHostKnowsIsUsed) {
  ReviewInput input;
  input.events = EventsOf("bad-release-at-wave-2");
  input.known.bad_requests = 1234;
  input.known.first_harm = rollout_test::kT0 + absl::Hours(5);
  input.known.fault = "errors x3 in use1-az2";
  SLUICE_ASSERT_OK_AND_ASSIGN(std::string md, ReviewDraft(input));
  EXPECT_THAT(md,
              HasSubstr("| bad requests | 1234 (known to the simulator) |"));
  EXPECT_THAT(md, HasSubstr("| the fault | errors x3 in use1-az2 |"));
  EXPECT_THAT(md, HasSubstr("first request harmed"));
  EXPECT_THAT(md, Not(HasSubstr("errors seen by the failing gate")));
}

TEST(ReviewDraftTest, RefusesBadInputNamingIt) {
  ReviewInput input;
  EXPECT_THAT(ReviewDraft(input),
              StatusIs(absl::StatusCode::kInvalidArgument, "events: none"));

  input.events = EventsOf("bad-release-at-wave-2");
  input.events[3].rollout = "another";
  EXPECT_THAT(ReviewDraft(input),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("events: more than one rollout")));

  input.events = EventsOf("bad-release-at-wave-2");
  const Fleet fleet = rollout_test::MakeFleet(9);
  input.fleet = &fleet;
  EXPECT_THAT(ReviewDraft(input), StatusIs(absl::StatusCode::kInvalidArgument,
                                           "fleet: given without plan"));

  const WavePlan two = rollout_test::MakePlan({1, 3});
  input.plan = &two;
  EXPECT_THAT(ReviewDraft(input),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is not in the plan (2 waves)")));
}

TEST(ReviewDraftTest, AGoodReleaseHasNothingToReview) {
  ReviewInput input;
  input.events = EventsOf("good-release");
  EXPECT_THAT(ReviewDraft(input),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("nothing to review")));
}

}  // namespace
}  // namespace sluice
