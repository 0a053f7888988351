// Copyright 2026 The Sluice Authors.
//
// Controller over the in-memory store, on virtual time: rollouts run to the
// end; several controllers give the same events as one; leases, takeovers
// and fencing; the clock-skew rule; pages pending until acknowledged;
// commands and outcomes through the store.

#include "sluice/store/controller.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/rollout_proto.h"
#include "sluice/store/memory_store.h"
#include "sluice/testing/fake_clock.h"
#include "sluice/testing/status_matchers.h"
#include "tests/store/store_harness.h"

namespace sluice {
namespace {

using ::sluice::store_test::Configs;
using ::sluice::store_test::kT0;
using ::sluice::store_test::RecordingPublisher;
using ::sluice::store_test::ReportingTransport;
using ::sluice::testing::FakeClock;
using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ControllerOptions Options(const std::string& id) {
  ControllerOptions o;
  o.id = id;
  o.lease_ttl = absl::Seconds(30);
  return o;
}

class Counters : public ControllerMetrics {
 public:
  void Add(absl::string_view name, int64_t delta) override {
    counts[std::string(name)] += delta;
  }
  std::map<std::string, int64_t> counts;
};

// One controller with its transport and publisher.
struct Node {
  Node(RolloutStore& store, const Configs& configs, const Clock& clock,
       const std::string& id, bool report = true)
      : controller(store, configs.Fn(), transport, publisher, clock,
                   Options(id), &metrics) {
    if (report) transport.Attach(&controller);
  }
  ReportingTransport transport;
  RecordingPublisher publisher;
  Counters metrics;
  Controller controller;
};

RolloutStatus StatusOf(RolloutStore& store, const std::string& id) {
  absl::StatusOr<StoredRollout> row = store.Get(id);
  absl::StatusOr<v1::RolloutState> state = ParseRolloutState(row->state);
  for (RolloutStatus s : {RolloutStatus::kPending, RolloutStatus::kRunning,
                          RolloutStatus::kPaused, RolloutStatus::kRollingBack,
                          RolloutStatus::kSucceeded, RolloutStatus::kRolledBack,
                          RolloutStatus::kAborted, RolloutStatus::kFailed}) {
    if (RolloutStatusName(s) == state->status()) return s;
  }
  return RolloutStatus::kPending;
}

bool AllTerminal(RolloutStore& store) {
  absl::StatusOr<std::vector<std::string>> ids = store.List();
  if (!ids.ok()) return false;
  const std::vector<std::string> list = *std::move(ids);
  for (const std::string& id : list) {
    if (!store.Get(id)->terminal) return false;
  }
  return true;
}

// Runs the nodes in turn, 10 s of virtual time per round, until every
// rollout ended; each node gives its leases up after its pass if `handoff`
// (so the next one takes every rollout over).
void RunToEnd(RolloutStore& store, FakeClock& clock, std::vector<Node*> nodes,
              bool handoff) {
  for (int round = 0; round < 2000 && !AllTerminal(store); ++round) {
    for (Node* n : nodes) {
      absl::StatusOr<PassResult> pass = n->controller.RunOnce();
      ASSERT_THAT(pass, IsOk());
      for (const absl::Status& e : pass->errors) ADD_FAILURE() << e;
      if (handoff) n->controller.ReleaseLeases();
    }
    clock.Advance(absl::Seconds(10));
  }
  ASSERT_TRUE(AllTerminal(store));
  // Publish what is left.
  for (Node* n : nodes) ASSERT_THAT(n->controller.PublishOutbox(), IsOk());
}

// The delivered events of each rollout by sequence, without their times
// (when a follow-up step runs depends on which controller is scheduled
// when; what happens does not). Fails on a sequence delivered twice.
std::map<std::string, std::vector<std::string>> Events(
    const std::vector<Node*>& nodes) {
  std::map<std::string, std::map<int64_t, std::string>> by_sequence;
  for (Node* n : nodes) {
    for (const OutboxMessage& m : n->publisher.delivered()) {
      if (m.kind != OutboxKind::kEvent) continue;
      absl::StatusOr<RolloutEvent> e = EventFromJsonLine(m.payload);
      EXPECT_TRUE(e.ok()) << m.payload;
      if (!e.ok()) continue;
      e->time = absl::UnixEpoch();
      EXPECT_TRUE(by_sequence[m.rollout]
                      .emplace(e->sequence, EventToJsonLine(*e))
                      .second)
          << m.rollout << " " << m.key << " delivered twice";
    }
  }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [id, events] : by_sequence) {
    for (const auto& [seq, line] : events) out[id].push_back(line);
  }
  return out;
}

Configs TwoReleases() {
  Configs configs;
  configs.Add("good", 20, "2.0");
  configs.Add("bad", 20, "2.0-bad");
  return configs;
}

void AddAll(RolloutStore& store, const Configs& configs, Controller& c) {
  for (const auto& [id, config] : configs.all()) {
    ASSERT_THAT(c.AddRollout(id, *configs.NewRollout(id)), IsOk());
  }
}

TEST(ControllerTest, OneControllerRunsGoodAndBadReleasesToTheEnd) {
  InMemoryStore store;
  FakeClock clock(kT0);
  Configs configs = TwoReleases();
  Node node(store, configs, clock, "c1");
  AddAll(store, configs, node.controller);
  RunToEnd(store, clock, {&node}, false);
  EXPECT_EQ(StatusOf(store, "good"), RolloutStatus::kSucceeded);
  EXPECT_EQ(StatusOf(store, "bad"), RolloutStatus::kRolledBack);
  EXPECT_THAT(node.transport.errors(), IsEmpty());
  EXPECT_THAT(*store.PendingOutbox("", 100), IsEmpty());
  // Every event delivered once, numbered 1..n without gaps.
  for (const std::string id : {"good", "bad"}) {
    std::vector<int64_t> sequences;
    for (const OutboxMessage& m : node.publisher.delivered()) {
      if (m.rollout == id && m.kind == OutboxKind::kEvent) {
        sequences.push_back(EventFromJsonLine(m.payload)->sequence);
      }
    }
    const int64_t last =
        ParseRolloutState(store.Get(id)->state)->event_sequence();
    ASSERT_EQ(static_cast<int64_t>(sequences.size()), last) << id;
    for (size_t i = 0; i < sequences.size(); ++i) {
      EXPECT_EQ(sequences[i], static_cast<int64_t>(i) + 1);
    }
  }
  // The bad release paged someone: once, as a notification.
  int pages = 0;
  for (const OutboxMessage& m : node.publisher.delivered()) {
    if (m.kind == OutboxKind::kNotification) {
      ++pages;
      EXPECT_EQ(m.rollout, "bad");
      EXPECT_THAT(m.payload, HasSubstr("\"escalate\":true"));
    }
  }
  EXPECT_EQ(pages, 1);
  EXPECT_GT(node.metrics.counts["steps"], 0);
  EXPECT_GT(node.metrics.counts["actions_started"], 0);
}

TEST(ControllerTest, ThreeControllersHandingOffGiveTheSameEventsAsOne) {
  Configs configs = TwoReleases();
  InMemoryStore one_store;
  FakeClock one_clock(kT0);
  Node one(one_store, configs, one_clock, "solo");
  AddAll(one_store, configs, one.controller);
  RunToEnd(one_store, one_clock, {&one}, false);

  InMemoryStore store;
  FakeClock clock(kT0);
  Node a(store, configs, clock, "a");
  Node b(store, configs, clock, "b");
  Node c(store, configs, clock, "c");
  AddAll(store, configs, a.controller);
  RunToEnd(store, clock, {&a, &b, &c}, true);

  EXPECT_EQ(Events({&a, &b, &c}), Events({&one}));
  for (const std::string id : {"good", "bad"}) {
    EXPECT_EQ(StatusOf(store, id), StatusOf(one_store, id));
    EXPECT_EQ(store.Get(id)->version, one_store.Get(id)->version);
  }
  // Every controller took rollouts over from another.
  EXPECT_GT(b.metrics.counts["lease_taken"], 0);
  EXPECT_GT(c.metrics.counts["lease_taken"], 0);
}

TEST(ControllerTest, ALiveLeaseKeepsOthersOffAndAnExpiredOneIsTakenOver) {
  InMemoryStore store;
  FakeClock clock(kT0);
  Configs configs;
  configs.Add("web", 10, "2.0");
  // No outcomes come back: the deploy stays pending.
  Node a(store, configs, clock, "a", /*report=*/false);
  Node b(store, configs, clock, "b", /*report=*/false);
  ASSERT_THAT(a.controller.AddRollout("web", *configs.NewRollout("web")),
              IsOk());
  ASSERT_THAT(a.controller.RunOnce(), IsOk());
  ASSERT_EQ(a.transport.starts().size(), 1u);
  const std::string action = a.transport.starts()[0].second;

  // B sees nothing to do while A's lease lives (and the rollout is not due).
  clock.Advance(absl::Seconds(20));
  absl::StatusOr<PassResult> pass = b.controller.RunOnce();
  ASSERT_THAT(pass, IsOk());
  EXPECT_THAT(b.transport.starts(), IsEmpty());

  // A dies; after its lease B takes over and restarts the pending deploy
  // with the same id.
  clock.Advance(absl::Seconds(15));
  pass = b.controller.RunOnce();
  ASSERT_THAT(pass, IsOk());
  ASSERT_EQ(b.transport.starts().size(), 1u);
  EXPECT_EQ(b.transport.starts()[0].second, action);
  EXPECT_EQ(b.metrics.counts["lease_taken"], 1);
  EXPECT_EQ(b.metrics.counts["actions_restarted"], 1);
  EXPECT_EQ((*store.GetLease("web"))->holder, "b");
  EXPECT_EQ((*store.GetLease("web"))->token, 2);

  // A comes back: B's lease is live, so A does nothing.
  pass = a.controller.RunOnce();
  ASSERT_THAT(pass, IsOk());
  EXPECT_EQ(a.transport.starts().size(), 1u);
}

// Forwards to another store; runs `on_get` once, at the first Get() (a
// controller paused between its read and its write).

class HookedStore : public RolloutStore {
 public:
  HookedStore(RolloutStore& inner, std::function<void()> on_get)
      : inner_(inner), on_get_(std::move(on_get)) {}
  absl::Status Create(const StoredRollout& r,
                      const std::vector<OutboxMessage>& o) override {
    return inner_.Create(r, o);
  }
  absl::StatusOr<StoredRollout> Get(absl::string_view id) override {
    absl::StatusOr<StoredRollout> row = inner_.Get(id);
    if (on_get_) {
      auto hook = std::move(on_get_);
      on_get_ = nullptr;
      hook();
    }
    return row;
  }
  absl::StatusOr<std::vector<std::string>> List() override {
    return inner_.List();
  }
  absl::StatusOr<CasResult> CompareAndSwap(const CasRequest& r) override {
    return inner_.CompareAndSwap(r);
  }
  absl::StatusOr<bool> SetNextWakeup(absl::string_view id, int64_t v,
                                     absl::Time t) override {
    return inner_.SetNextWakeup(id, v, t);
  }
  absl::StatusOr<std::vector<DueRollout>> ListDue(absl::Time now,
                                                  int limit) override {
    return inner_.ListDue(now, limit);
  }
  absl::StatusOr<std::optional<Lease>> AcquireLease(
      absl::string_view id, absl::string_view holder, absl::Time now,
      absl::Duration ttl) override {
    return inner_.AcquireLease(id, holder, now, ttl);
  }
  absl::Status ReleaseLease(absl::string_view id, absl::string_view holder,
                            int64_t token) override {
    return inner_.ReleaseLease(id, holder, token);
  }
  absl::StatusOr<std::optional<Lease>> GetLease(absl::string_view id) override {
    return inner_.GetLease(id);
  }
  absl::StatusOr<std::vector<OutboxMessage>> PendingOutbox(
      absl::string_view rollout, int limit) override {
    return inner_.PendingOutbox(rollout, limit);
  }
  absl::Status Ack(absl::string_view rollout, absl::string_view key) override {
    return inner_.Ack(rollout, key);
  }

 private:
  RolloutStore& inner_;
  std::function<void()> on_get_;
};

TEST(ControllerTest, AControllerPausedPastItsLeaseDoesNotActOnStaleState) {
  InMemoryStore store;
  FakeClock clock(kT0);
  Configs configs;
  configs.Add("web", 10, "2.0");
  Node b(store, configs, clock, "b", /*report=*/false);
  ASSERT_THAT(b.controller.AddRollout("web", *configs.NewRollout("web")),
              IsOk());
  // A reads the state, then "sleeps" past its lease; meanwhile B takes the
  // rollout and steps it.
  HookedStore paused(store, [&] {
    clock.Advance(absl::Seconds(31));
    ASSERT_THAT(b.controller.RunOnce(), IsOk());
  });
  ReportingTransport a_transport;
  RecordingPublisher a_publisher;
  Counters a_metrics;
  Controller a(paused, configs.Fn(), a_transport, a_publisher, clock,
               Options("a"), &a_metrics);
  absl::StatusOr<PassResult> pass = a.RunOnce();
  ASSERT_THAT(pass, IsOk());
  EXPECT_THAT(a_transport.starts(), IsEmpty());
  EXPECT_EQ(a_metrics.counts["steps"], 0);
  EXPECT_EQ(a_metrics.counts["lease_lost"], 1);
  ASSERT_EQ(b.transport.starts().size(), 1u);  // B acted, once
  EXPECT_EQ((*store.GetLease("web"))->holder, "b");
}

TEST(ControllerTest, AFencedStepWithAStaleTokenWritesAndStartsNothing) {
  InMemoryStore store;
  FakeClock clock(kT0);
  Configs configs;
  configs.Add("web", 10, "2.0");
  ASSERT_THAT(store.Create({"web", 0, configs.NewRollout("web")->Snapshot(),
                            absl::InfinitePast(), false, "pending"},
                           {}),
              IsOk());
  ASSERT_TRUE((*store.AcquireLease("web", "a", kT0, absl::Seconds(5))));
  ASSERT_TRUE((*store.AcquireLease("web", "b", kT0 + absl::Seconds(6),
                                   absl::Seconds(5))));
  StepOptions options;
  options.clock = &clock;
  options.fence = Fence{"a", 1};
  absl::StatusOr<StepResult> r = StepThroughStore(
      store, "web", configs.Get("web"), options,
      [](Rollout& rollout, absl::Time now) { return rollout.Advance(now); });
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->cas, CasResult::kLeaseLost);
  EXPECT_FALSE(r->changed);
  EXPECT_THAT(r->to_start, IsEmpty());
  EXPECT_EQ(store.Get("web")->version, 0);
  EXPECT_THAT(*store.PendingOutbox("", 10), IsEmpty());
}

TEST(ControllerTest, ABoundedClockSkewIsToleratedALargerOneNamesBothTimes) {
  InMemoryStore store;
  FakeClock clock(kT0 + absl::Minutes(1));
  Configs configs;
  configs.Add("web", 10, "2.0");
  Node a(store, configs, clock, "a", /*report=*/false);
  ASSERT_THAT(a.controller.AddRollout("web", *configs.NewRollout("web")),
              IsOk());
  ASSERT_THAT(a.controller.RunOnce(), IsOk());  // last write at T0 + 1 min

  FakeClock behind(kT0 + absl::Minutes(1) - absl::Seconds(1));
  EXPECT_THAT(ApplyCommand(store, "web", configs.Get("web"), behind,
                           OperatorCommand::kPause, "ops"),
              IsOk());
  EXPECT_EQ(StatusOf(store, "web"), RolloutStatus::kPaused);

  const int64_t version = store.Get("web")->version;
  FakeClock far_behind(kT0);
  EXPECT_THAT(ApplyCommand(store, "web", configs.Get("web"), far_behind,
                           OperatorCommand::kResume, "ops"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::AllOf(HasSubstr("2025-11-24T16:00:00+00:00"),
                                        HasSubstr("2025-11-24T16:01:00+00:00"),
                                        HasSubstr("max_clock_skew 2s"))));
  EXPECT_EQ(store.Get("web")->version, version);
}

TEST(ControllerTest, ApprovalRequestsStayPendingUntilDelivered) {
  InMemoryStore store;
  FakeClock clock(kT0);
  Configs configs;
  configs.Add("web", 10, "2.0");
  RolloutConfig config = configs.Get("web");
  RolloutConfigFn fn = [&](absl::string_view) -> absl::StatusOr<RolloutConfig> {
    RolloutConfig c = config;
    c.options.approval_waves = {1};
    return c;
  };
  ReportingTransport transport;
  RecordingPublisher publisher;
  publisher.refuse_notifications = 2;  // the pager is down twice
  Controller a(store, fn, transport, publisher, clock, Options("a"));
  transport.Attach(&a);
  RolloutConfig c = *fn("web");
  std::unique_ptr<Rollout> rollout =
      *Rollout::Create(*c.fleet, store_test::MakePlan(10), c.options);
  ASSERT_THAT(a.AddRollout("web", *rollout), IsOk());
  auto notifications = [&](const std::vector<OutboxMessage>& ms) {
    int n = 0;
    for (const OutboxMessage& m : ms) n += m.kind == OutboxKind::kNotification;
    return n;
  };
  for (int i = 0; i < 20 && notifications(publisher.delivered()) == 0; ++i) {
    ASSERT_THAT(a.RunOnce(), IsOk());
    clock.Advance(absl::Seconds(10));
  }
  // Refused twice, pending meanwhile, then delivered once.
  ASSERT_EQ(notifications(publisher.delivered()), 1);
  EXPECT_THAT(*store.PendingOutbox("", 100), IsEmpty());
  const OutboxMessage page = [&] {
    for (const OutboxMessage& m : publisher.delivered()) {
      if (m.kind == OutboxKind::kNotification) return m;
    }
    return OutboxMessage();
  }();
  EXPECT_TRUE(absl::StartsWith(page.key, "w1-")) << page.key;
  EXPECT_THAT(page.payload, HasSubstr("request-approval"));

  // The operator approves through the store; twice is refused.
  EXPECT_THAT(
      ApplyCommand(store, "web", c, clock, OperatorCommand::kApprove, "alice"),
      IsOk());
  EXPECT_THAT(
      ApplyCommand(store, "web", c, clock, OperatorCommand::kApprove, "alice"),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("Approve")));
}

// A gate that always passes, named like a real one.
class PassingGate : public HealthGate {
 public:
  std::string name() const override { return "error-rate"; }
  Verdict Evaluate(const GateContext& context, GateState&) const override {
    Verdict v;
    v.outcome = Outcome::kPass;
    v.gate = name();
    v.reason = absl::StrCat("healthy on wave ", context.wave_index);
    return v;
  }
};

TEST(ControllerTest,
     ARestoreUnderOtherGatesIsRefusedUnlessTheChangeIsIntended) {
  InMemoryStore store;
  FakeClock clock(kT0);
  Configs configs;
  configs.Add("web", 10, "2.0");
  RolloutConfig gated = configs.Get("web");
  gated.options.gate = std::make_shared<PassingGate>();
  std::unique_ptr<Rollout> rollout =
      *Rollout::Create(*gated.fleet, store_test::MakePlan(10), gated.options);
  // Replicas built without the gate (e.g. a host that forgot to load them).
  RolloutConfig bare = configs.Get("web");
  ReportingTransport transport;
  RecordingPublisher publisher;
  RolloutConfigFn bare_fn =
      [&](absl::string_view) -> absl::StatusOr<RolloutConfig> { return bare; };
  Controller c(store, bare_fn, transport, publisher, clock, Options("c"));
  ASSERT_THAT(c.AddRollout("web", *rollout), IsOk());
  const int64_t version = store.Get("web")->version;

  absl::StatusOr<PassResult> pass = c.RunOnce();
  ASSERT_THAT(pass, IsOk());
  ASSERT_EQ(pass->errors.size(), 1u);
  EXPECT_THAT(pass->errors[0],
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rollout \"web\": snapshot: config: made "
                                 "under another configuration")));
  EXPECT_THAT(pass->errors[0], StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("gate error-rate")));
  EXPECT_EQ(store.Get("web")->version, version);  // nothing written
  EXPECT_THAT(transport.starts(), IsEmpty());     // nothing started
  // Commands through the store compare too.
  EXPECT_THAT(
      ApplyCommand(store, "web", bare, clock, OperatorCommand::kPause, "alice"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("snapshot: config: made under another")));
  // A tool that only applies a command restores unchecked; the snapshot's
  // record is kept, so the bare controller is still refused afterwards.
  RolloutConfig unchecked = bare;
  unchecked.restore.check_config = false;
  ASSERT_THAT(ApplyCommand(store, "web", unchecked, clock,
                           OperatorCommand::kPause, "alice"),
              IsOk());
  ASSERT_THAT(ApplyCommand(store, "web", unchecked, clock,
                           OperatorCommand::kResume, "alice"),
              IsOk());
  pass = c.RunOnce();
  ASSERT_THAT(pass, IsOk());
  ASSERT_EQ(pass->errors.size(), 1u);
  // The same gates: the controller steps.
  ASSERT_THAT(ApplyCommand(store, "web", gated, clock, OperatorCommand::kPause,
                           "alice"),
              IsOk());

  // An intended change: accepted once, recorded as an event, and from then
  // on the new configuration is the one recorded.
  bare.restore.accept_config_change = true;
  bare.restore.who = "ops";
  clock.Advance(absl::Seconds(1));
  pass = c.RunOnce();
  ASSERT_THAT(pass, IsOk());
  EXPECT_THAT(pass->errors, IsEmpty());
  bool recorded = false;
  for (const OutboxMessage& m : publisher.delivered()) {
    if (m.kind == OutboxKind::kEvent &&
        absl::StrContains(m.payload, "config-change")) {
      recorded = true;
      EXPECT_THAT(m.payload, HasSubstr("ops"));
      EXPECT_THAT(m.payload, HasSubstr("gate error-rate"));
    }
  }
  EXPECT_TRUE(recorded);
  bare.restore = RestoreOptions();
  EXPECT_THAT(
      ApplyCommand(store, "web", bare, clock, OperatorCommand::kResume, "bob"),
      IsOk());
  clock.Advance(absl::Seconds(1));
  pass = c.RunOnce();
  ASSERT_THAT(pass, IsOk());
  EXPECT_THAT(pass->errors, IsEmpty());
}

TEST(ControllerTest, UnacknowledgedMessagesArePublishedAgainAfterARestart) {
  InMemoryStore store;
  FakeClock clock(kT0);
  Configs configs;
  configs.Add("web", 10, "2.0");
  class Down : public OutboxPublisher {
   public:
    absl::Status Publish(const OutboxMessage&) override {
      return absl::UnavailableError("bus down");
    }
  } down;
  ReportingTransport transport;
  {
    Controller first(store, configs.Fn(), transport, down, clock,
                     Options("first"));
    transport.Attach(&first);
    ASSERT_THAT(first.AddRollout("web", *configs.NewRollout("web")), IsOk());
    ASSERT_THAT(first.RunOnce(), IsOk());
    transport.Attach(nullptr);
  }
  const size_t pending = store.PendingOutbox("", 100)->size();
  ASSERT_GT(pending, 0u);
  // "first" crashed; its lease expires; "second" publishes everything.
  clock.Advance(absl::Seconds(31));
  ReportingTransport transport2;
  RecordingPublisher publisher;
  Controller second(store, configs.Fn(), transport2, publisher, clock,
                    Options("second"));
  ASSERT_THAT(second.PublishOutbox(), IsOk());
  EXPECT_GE(publisher.delivered().size(), pending);
  EXPECT_EQ(publisher.delivered()[0].key, "event-1");
}

TEST(ControllerTest, OutcomesAlreadyRecordedAreOkAndUnknownActionsAreNot) {
  InMemoryStore store;
  FakeClock clock(kT0);
  Configs configs;
  configs.Add("web", 10, "2.0");
  Node a(store, configs, clock, "a", /*report=*/false);
  ASSERT_THAT(a.controller.AddRollout("web", *configs.NewRollout("web")),
              IsOk());
  ASSERT_THAT(a.controller.RunOnce(), IsOk());
  ASSERT_EQ(a.transport.starts().size(), 1u);
  const std::string action = a.transport.starts()[0].second;
  const std::vector<TargetResult> ok = {TargetResult::Ok(0)};
  ASSERT_THAT(a.controller.ReportOutcome("web", action, ok), IsOk());
  const int64_t version = store.Get("web")->version;
  EXPECT_LE(store.Get("web")->next_wakeup, clock.Now());  // due at once
  EXPECT_THAT(a.controller.ReportOutcome("web", action, ok), IsOk());
  EXPECT_EQ(store.Get("web")->version, version);
  EXPECT_THAT(a.controller.ReportOutcome("web", "w9-deploy-99", ok),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(ControllerTest, BadOptionsNameTheField) {
  ControllerOptions o;
  EXPECT_THAT(Controller::Validate(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("ControllerOptions.id")));
  o.id = "c";
  o.lease_ttl = absl::Seconds(3);
  EXPECT_THAT(Controller::Validate(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("lease_ttl: must be > 0 and > 2 * "
                                 "max_clock_skew (4s) (got 3s)")));
  o.lease_ttl = absl::Seconds(15);
  o.cas_attempts = 0;
  EXPECT_THAT(
      Controller::Validate(o),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cas_attempts")));
  // A controller made with bad options refuses every call.
  InMemoryStore store;
  FakeClock clock(kT0);
  Configs configs;
  ReportingTransport transport;
  RecordingPublisher publisher;
  Controller c(store, configs.Fn(), transport, publisher, clock, o);
  EXPECT_THAT(c.RunOnce(), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ControllerTest, OperatorCommandNamesRoundTrip) {
  for (const char* name :
       {"pause", "resume", "abort", "approve", "reject", "promote", "retry"}) {
    absl::StatusOr<OperatorCommand> c = ParseOperatorCommand(name);
    ASSERT_THAT(c, IsOk());
    EXPECT_EQ(OperatorCommandName(*c), name);
  }
  EXPECT_THAT(
      ParseOperatorCommand("stop"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("valid: pause")));
}

}  // namespace
}  // namespace sluice
