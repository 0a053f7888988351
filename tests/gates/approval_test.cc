// Copyright 2026 The Sluice Authors.
//
// The manual-approval gate.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/gates.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

// 2023-11-14T22:13:20Z, a Tuesday.
absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

OperatorSignal Signal(OperatorSignal::Kind kind, std::string who,
                      std::string gate = "", std::string comment = "") {
  OperatorSignal s;
  s.kind = kind;
  s.who = std::move(who);
  s.gate = std::move(gate);
  s.at = T0() + absl::Minutes(1);
  s.comment = std::move(comment);
  return s;
}

TEST(ApprovalGateTest, HoldsForeverWithoutTimeout) {
  Harness h;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewManualApprovalGate("approve", {}));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(v.hold_until, absl::InfiniteFuture());
  EXPECT_THAT(v.reason, HasSubstr("waiting for approval"));
  EXPECT_THAT(v.ToString(), HasSubstr("(until signalled)"));
}

TEST(ApprovalGateTest, ApprovalAndRejectionSayWho) {
  using K = OperatorSignal::Kind;
  struct Row {
    std::vector<OperatorSignal> signals;
    Outcome want;
    std::string reason;
  };
  std::vector<Row> rows = {
      {{Signal(K::kApprove, "alice@example.com", "", "CHG-1")},
       Outcome::kPass,
       "approved by alice@example.com at 2023-11-14T22:14:20Z: CHG-1"},
      {{Signal(K::kReject, "bob")}, Outcome::kFail, "rejected by bob"},
      {{Signal(K::kApprove, "alice"), Signal(K::kReject, "bob")},
       Outcome::kFail,
       "rejected by bob"},
      {{Signal(K::kApprove, "alice", "approve")},
       Outcome::kPass,
       "approved by alice"},
      // Signals for another gate are not for this one.
      {{Signal(K::kReject, "bob", "other"), Signal(K::kApprove, "carol")},
       Outcome::kPass,
       "approved by carol"},
      {{Signal(K::kApprove, "carol", "other")}, Outcome::kHold, "waiting"},
  };
  for (const Row& row : rows) {
    Harness h;
    h.signals = row.signals;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate,
                                NewManualApprovalGate("approve", {}));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0() + absl::Minutes(2)), state);
    EXPECT_EQ(v.outcome, row.want) << v;
    EXPECT_THAT(v.reason, HasSubstr(row.reason));
  }
}

TEST(ApprovalGateTest, TimeoutLeadsToTheConfiguredOutcome) {
  for (Outcome o : {Outcome::kFail, Outcome::kPass, Outcome::kInconclusive}) {
    Harness h;
    ManualApprovalOptions options;
    options.timeout = absl::Hours(4);
    options.on_timeout = o;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate,
                                NewManualApprovalGate("approve", options));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    ASSERT_EQ(v.outcome, Outcome::kHold);
    EXPECT_EQ(v.hold_until, T0() + absl::Hours(4));
    // The wait is measured from the first evaluation.
    v = gate->Evaluate(h.Context(T0() + absl::Hours(3)), state);
    EXPECT_EQ(v.outcome, Outcome::kHold);
    EXPECT_EQ(v.hold_until, T0() + absl::Hours(4));
    v = gate->Evaluate(h.Context(T0() + absl::Hours(4)), state);
    EXPECT_EQ(v.outcome, o);
    EXPECT_THAT(v.reason, HasSubstr("no decision within 4h"));
  }
}

TEST(ApprovalGateTest, ApprovalBeforeTheTimeoutWins) {
  Harness h;
  ManualApprovalOptions options;
  options.timeout = absl::Hours(1);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate,
                              NewManualApprovalGate("approve", options));
  GateState state;
  gate->Evaluate(h.Context(T0()), state);
  h.signals = {Signal(OperatorSignal::Kind::kApprove, "alice")};
  EXPECT_EQ(gate->Evaluate(h.Context(T0() + absl::Hours(2)), state).outcome,
            Outcome::kPass);
}

TEST(ApprovalGateTest, BadInputNamesTheField) {
  ManualApprovalOptions zero;
  zero.timeout = absl::ZeroDuration();
  EXPECT_THAT(NewManualApprovalGate("a", zero),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("timeout: must be finite and > 0 (got 0)")));
  ManualApprovalOptions hold;
  hold.on_timeout = Outcome::kHold;
  EXPECT_THAT(NewManualApprovalGate("a", hold),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("on_timeout: must be FAIL, PASS or "
                                 "INCONCLUSIVE (got HOLD)")));
}

}  // namespace
}  // namespace sluice
