// Copyright 2026 The Sluice Authors.
//
// The RolloutStore conformance suite (sluice/testing/store_conformance.h).

#include "sluice/testing/store_conformance.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::testing {

namespace internal {
int StoreConformanceAnchor() { return 1; }
}  // namespace internal

void RolloutStoreConformanceTest::SetUp() {
  absl::StatusOr<std::unique_ptr<RolloutStore>> store = GetParam()();
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_NE(*store, nullptr);
  store_ = std::move(*store);
}

// A binary that includes the header without instantiating the suite is not
// an error.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RolloutStoreConformanceTest);

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixSeconds(1796000000);

StoredRollout Row(const std::string& id, int64_t version = 1,
                  absl::Time wakeup = absl::InfiniteFuture()) {
  StoredRollout r;
  r.id = id;
  r.version = version;
  // Binary state: stores must keep every byte, NULs included.
  r.state = std::string("snap\0\x01\xff", 7) + id + absl::StrCat(version);
  r.next_wakeup = wakeup;
  r.status = "pending";
  return r;
}

OutboxMessage Event(int64_t sequence, const std::string& payload = "") {
  OutboxMessage m;
  m.key = absl::StrCat("event-", sequence);
  m.kind = OutboxKind::kEvent;
  m.sequence = sequence;
  m.payload =
      payload.empty() ? absl::StrCat("{\"sequence\":", sequence, "}") : payload;
  return m;
}

CasRequest Cas(const StoredRollout& from, int64_t version,
               absl::Time wakeup = absl::InfiniteFuture()) {
  CasRequest r;
  r.id = from.id;
  r.expected_version = from.version;
  r.version = version;
  r.state = absl::StrCat(from.state, "+", version);
  r.next_wakeup = wakeup;
  r.status = "running";
  return r;
}

std::vector<std::string> Keys(const std::vector<OutboxMessage>& messages) {
  std::vector<std::string> keys;
  for (const OutboxMessage& m : messages) {
    keys.push_back(absl::StrCat(m.rollout, "/", m.key));
  }
  return keys;
}

TEST_P(RolloutStoreConformanceTest, CreateThenGetReturnsTheRow) {
  StoredRollout row = Row("web", 3, kT0 + absl::Milliseconds(1500));
  ASSERT_THAT(store().Create(row, {}), IsOk());
  absl::StatusOr<StoredRollout> got = store().Get("web");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->id, "web");
  EXPECT_EQ(got->version, 3);
  EXPECT_EQ(got->state, row.state);
  EXPECT_EQ(got->next_wakeup, kT0 + absl::Milliseconds(1500));
  EXPECT_FALSE(got->terminal);
  EXPECT_EQ(got->status, "pending");
}

TEST_P(RolloutStoreConformanceTest, InfiniteWakeupsRoundTrip) {
  ASSERT_THAT(store().Create(Row("a", 1, absl::InfiniteFuture()), {}), IsOk());
  ASSERT_THAT(store().Create(Row("b", 1, absl::InfinitePast()), {}), IsOk());
  EXPECT_EQ(store().Get("a")->next_wakeup, absl::InfiniteFuture());
  EXPECT_EQ(store().Get("b")->next_wakeup, absl::InfinitePast());
}

TEST_P(RolloutStoreConformanceTest, LargeStateRoundTrips) {
  StoredRollout row = Row("big");
  row.state.clear();
  for (int i = 0; i < 1 << 20; ++i) row.state.push_back(static_cast<char>(i));
  ASSERT_THAT(store().Create(row, {}), IsOk());
  EXPECT_EQ(store().Get("big")->state, row.state);
}

TEST_P(RolloutStoreConformanceTest, CreateTwiceIsAlreadyExistsAndKeepsTheRow) {
  ASSERT_THAT(store().Create(Row("web", 1), {}), IsOk());
  EXPECT_THAT(store().Create(Row("web", 9), {Event(1)}),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("web")));
  EXPECT_EQ(store().Get("web")->version, 1);
  EXPECT_TRUE(store().PendingOutbox("", 10)->empty());
}

TEST_P(RolloutStoreConformanceTest, BadArgumentsNameTheField) {
  StoredRollout no_id = Row("");
  EXPECT_THAT(store().Create(no_id, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("Create: id: must not be empty")));
  StoredRollout no_state = Row("x");
  no_state.state.clear();
  EXPECT_THAT(
      store().Create(no_state, {}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("Create: state")));
  EXPECT_THAT(
      store().Create(Row("x"), {Event(1), Event(1)}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outbox[1].key")));
  EXPECT_THAT(store().Get("x"), StatusIs(absl::StatusCode::kNotFound));

  ASSERT_THAT(store().Create(Row("y", 4), {}), IsOk());
  CasRequest same = Cas(Row("y", 4), 4);
  EXPECT_THAT(store().CompareAndSwap(same),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("CompareAndSwap: version: must be > "
                                 "expected_version 4 (got 4)")));
  EXPECT_THAT(store().ListDue(kT0, 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit")));
  EXPECT_THAT(
      store().AcquireLease("y", "", kT0, absl::Seconds(1)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("holder")));
  EXPECT_THAT(store().AcquireLease("y", "c1", kT0, absl::ZeroDuration()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ttl")));
  EXPECT_EQ(store().Get("y")->version, 4);
}

TEST_P(RolloutStoreConformanceTest, UnknownRolloutIsNotFound) {
  EXPECT_THAT(store().Get("nope"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
  EXPECT_THAT(store().CompareAndSwap(Cas(Row("nope"), 2)),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store().AcquireLease("nope", "c1", kT0, absl::Seconds(1)),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store().GetLease("nope"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(RolloutStoreConformanceTest, ListIsAscending) {
  for (const char* id : {"c", "a", "b"}) {
    ASSERT_THAT(store().Create(Row(id), {}), IsOk());
  }
  EXPECT_THAT(*store().List(), ElementsAre("a", "b", "c"));
}

TEST_P(RolloutStoreConformanceTest, CompareAndSwapWritesEverything) {
  StoredRollout row = Row("web", 1);
  ASSERT_THAT(store().Create(row, {}), IsOk());
  CasRequest cas = Cas(row, 2, kT0 + absl::Seconds(30));
  cas.terminal = true;
  cas.status = "succeeded";
  ASSERT_THAT(store().CompareAndSwap(cas), IsOk());
  EXPECT_EQ(*store().CompareAndSwap(Cas(row, 3)), CasResult::kStaleVersion);
  StoredRollout got = *store().Get("web");
  EXPECT_EQ(got.version, 2);
  EXPECT_EQ(got.state, cas.state);
  EXPECT_EQ(got.next_wakeup, kT0 + absl::Seconds(30));
  EXPECT_TRUE(got.terminal);
  EXPECT_EQ(got.status, "succeeded");
}

TEST_P(RolloutStoreConformanceTest, StaleSwapChangesNothing) {
  StoredRollout row = Row("web", 5);
  ASSERT_THAT(store().Create(row, {}), IsOk());
  StoredRollout old = row;
  old.version = 4;
  CasRequest stale = Cas(old, 6);
  stale.outbox = {Event(1)};
  EXPECT_EQ(*store().CompareAndSwap(stale), CasResult::kStaleVersion);
  EXPECT_EQ(store().Get("web")->state, row.state);
  EXPECT_TRUE(store().PendingOutbox("", 10)->empty());
}

TEST_P(RolloutStoreConformanceTest, ConcurrentWritersAreSerialized) {
  ASSERT_THAT(store().Create(Row("hot", 0), {}), IsOk());
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int done = 0; done < kIncrements;) {
        absl::StatusOr<StoredRollout> row = store().Get("hot");
        if (!row.ok()) {
          ++errors;
          return;
        }
        CasRequest cas = Cas(*row, row->version + 1);
        cas.outbox = {Event(row->version + 1, absl::StrCat("writer ", t))};
        absl::StatusOr<CasResult> r = store().CompareAndSwap(cas);
        if (!r.ok()) {
          ++errors;
          return;
        }
        if (*r == CasResult::kSwapped) ++done;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(store().Get("hot")->version, kThreads * kIncrements);
  // Exactly one message per version: every swap that won wrote its event,
  // none that lost did.
  std::vector<OutboxMessage> pending = *store().PendingOutbox("hot", 1000);
  ASSERT_EQ(pending.size(), kThreads * kIncrements);
  for (size_t i = 0; i < pending.size(); ++i) {
    EXPECT_EQ(pending[i].version, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(pending[i].sequence, static_cast<int64_t>(i) + 1);
  }
}

TEST_P(RolloutStoreConformanceTest, ListDueByWakeupSkipsTerminalAndLimits) {
  ASSERT_THAT(store().Create(Row("late", 1, kT0 + absl::Seconds(20)), {}),
              IsOk());
  ASSERT_THAT(store().Create(Row("early", 1, kT0 + absl::Seconds(5)), {}),
              IsOk());
  ASSERT_THAT(store().Create(Row("tie-b", 1, kT0 + absl::Seconds(10)), {}),
              IsOk());
  ASSERT_THAT(store().Create(Row("tie-a", 1, kT0 + absl::Seconds(10)), {}),
              IsOk());
  ASSERT_THAT(store().Create(Row("never", 1), {}), IsOk());
  StoredRollout done = Row("done", 1, kT0);
  done.terminal = true;
  ASSERT_THAT(store().Create(done, {}), IsOk());

  auto ids = [](const std::vector<DueRollout>& due) {
    std::vector<std::string> out;
    for (const DueRollout& d : due) out.push_back(d.id);
    return out;
  };
  EXPECT_THAT(ids(*store().ListDue(kT0 + absl::Seconds(10), 10)),
              ElementsAre("early", "tie-a", "tie-b"));
  EXPECT_THAT(ids(*store().ListDue(kT0 + absl::Seconds(60), 2)),
              ElementsAre("early", "tie-a"));
  EXPECT_TRUE(store().ListDue(kT0, 10)->empty());
  std::vector<DueRollout> due = *store().ListDue(kT0 + absl::Seconds(5), 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].version, 1);
  EXPECT_EQ(due[0].next_wakeup, kT0 + absl::Seconds(5));
}

TEST_P(RolloutStoreConformanceTest, SetNextWakeupOnlyAtTheGivenVersion) {
  ASSERT_THAT(store().Create(Row("web", 3, kT0 + absl::Seconds(60)), {}),
              IsOk());
  EXPECT_FALSE(*store().SetNextWakeup("web", 2, kT0));
  EXPECT_EQ(store().Get("web")->next_wakeup, kT0 + absl::Seconds(60));
  EXPECT_TRUE(*store().SetNextWakeup("web", 3, kT0 + absl::Seconds(5)));
  StoredRollout got = *store().Get("web");
  EXPECT_EQ(got.next_wakeup, kT0 + absl::Seconds(5));
  EXPECT_EQ(got.version, 3);
  EXPECT_THAT(store().SetNextWakeup("nope", 1, kT0),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(RolloutStoreConformanceTest, LeaseIsExclusiveUntilItExpires) {
  ASSERT_THAT(store().Create(Row("web"), {}), IsOk());
  EXPECT_EQ(*store().GetLease("web"), std::nullopt);
  std::optional<Lease> a =
      *store().AcquireLease("web", "c1", kT0, absl::Seconds(10));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->holder, "c1");
  EXPECT_EQ(a->token, 1);
  EXPECT_EQ(a->expires, kT0 + absl::Seconds(10));
  // Another holder waits while it is live.
  EXPECT_EQ(*store().AcquireLease("web", "c2", kT0 + absl::Seconds(9),
                                  absl::Seconds(10)),
            std::nullopt);
  // Renewal keeps the token.
  std::optional<Lease> renewed = *store().AcquireLease(
      "web", "c1", kT0 + absl::Seconds(9), absl::Seconds(10));
  ASSERT_TRUE(renewed.has_value());
  EXPECT_EQ(renewed->token, 1);
  EXPECT_EQ(renewed->expires, kT0 + absl::Seconds(19));
  // Expired: taken over with a new token.
  std::optional<Lease> b = *store().AcquireLease(
      "web", "c2", kT0 + absl::Seconds(19), absl::Seconds(10));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->holder, "c2");
  EXPECT_EQ(b->token, 2);
  std::optional<Lease> now = *store().GetLease("web");
  ASSERT_TRUE(now.has_value());
  EXPECT_EQ(now->holder, "c2");
  EXPECT_EQ(now->token, 2);
}

TEST_P(RolloutStoreConformanceTest, ReleasedLeaseIsFreeAtOnce) {
  ASSERT_THAT(store().Create(Row("web"), {}), IsOk());
  std::optional<Lease> a =
      *store().AcquireLease("web", "c1", kT0, absl::Seconds(60));
  ASSERT_TRUE(a.has_value());
  // A release with a wrong token or holder does nothing.
  ASSERT_THAT(store().ReleaseLease("web", "c1", a->token + 1), IsOk());
  ASSERT_THAT(store().ReleaseLease("web", "c2", a->token), IsOk());
  EXPECT_EQ(*store().AcquireLease("web", "c2", kT0, absl::Seconds(60)),
            std::nullopt);
  ASSERT_THAT(store().ReleaseLease("web", "c1", a->token), IsOk());
  std::optional<Lease> b =
      *store().AcquireLease("web", "c2", kT0, absl::Seconds(60));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->token, 2);
}

TEST_P(RolloutStoreConformanceTest, FencedSwapByALostLeaseIsRefused) {
  StoredRollout row = Row("web", 1);
  ASSERT_THAT(store().Create(row, {}), IsOk());
  std::optional<Lease> a =
      *store().AcquireLease("web", "c1", kT0, absl::Seconds(10));
  ASSERT_TRUE(a.has_value());
  std::optional<Lease> b = *store().AcquireLease(
      "web", "c2", kT0 + absl::Seconds(11), absl::Seconds(10));
  ASSERT_TRUE(b.has_value());
  CasRequest stale = Cas(row, 2);
  stale.fence = Fence{"c1", a->token};
  stale.outbox = {Event(1)};
  EXPECT_EQ(*store().CompareAndSwap(stale), CasResult::kLeaseLost);
  EXPECT_EQ(store().Get("web")->version, 1);
  EXPECT_TRUE(store().PendingOutbox("", 10)->empty());
  CasRequest fresh = Cas(row, 2);
  fresh.fence = Fence{"c2", b->token};
  EXPECT_EQ(*store().CompareAndSwap(fresh), CasResult::kSwapped);
}

TEST_P(RolloutStoreConformanceTest, FencedSwapWithoutAnyLeaseIsRefused) {
  StoredRollout row = Row("web", 1);
  ASSERT_THAT(store().Create(row, {}), IsOk());
  CasRequest cas = Cas(row, 2);
  cas.fence = Fence{"c1", 1};
  EXPECT_EQ(*store().CompareAndSwap(cas), CasResult::kLeaseLost);
}

TEST_P(RolloutStoreConformanceTest, OutboxCommitsWithTheStateInOrder) {
  StoredRollout row = Row("web", 1);
  OutboxMessage page;
  page.key = "notify-3";
  page.kind = OutboxKind::kNotification;
  page.sequence = 2;
  page.payload = "{\"message\":\"page\"}";
  ASSERT_THAT(store().Create(row, {Event(1)}), IsOk());
  CasRequest cas = Cas(row, 2);
  cas.outbox = {Event(3), page, Event(2)};
  ASSERT_EQ(*store().CompareAndSwap(cas), CasResult::kSwapped);
  std::vector<OutboxMessage> pending = *store().PendingOutbox("web", 10);
  EXPECT_THAT(Keys(pending), ElementsAre("web/event-1", "web/event-2",
                                         "web/notify-3", "web/event-3"));
  ASSERT_EQ(pending.size(), 4u);
  EXPECT_EQ(pending[0].version, 1);
  EXPECT_EQ(pending[2].version, 2);
  EXPECT_EQ(pending[2].kind, OutboxKind::kNotification);
  EXPECT_EQ(pending[2].payload, page.payload);
  EXPECT_EQ(pending[2].rollout, "web");
}

TEST_P(RolloutStoreConformanceTest, OutboxNeverHoldsADuplicateKey) {
  StoredRollout row = Row("web", 1);
  ASSERT_THAT(store().Create(row, {Event(1, "first")}), IsOk());
  CasRequest cas = Cas(row, 2);
  cas.outbox = {Event(1, "second"), Event(2)};
  ASSERT_EQ(*store().CompareAndSwap(cas), CasResult::kSwapped);
  std::vector<OutboxMessage> pending = *store().PendingOutbox("web", 10);
  EXPECT_THAT(Keys(pending), ElementsAre("web/event-1", "web/event-2"));
  EXPECT_EQ(pending[0].payload, "first");
}

TEST_P(RolloutStoreConformanceTest, AckedMessagesLeaveThePendingList) {
  ASSERT_THAT(store().Create(Row("a"), {Event(1), Event(2)}), IsOk());
  ASSERT_THAT(store().Create(Row("b"), {Event(1)}), IsOk());
  EXPECT_THAT(Keys(*store().PendingOutbox("", 10)),
              ElementsAre("a/event-1", "a/event-2", "b/event-1"));
  EXPECT_THAT(Keys(*store().PendingOutbox("", 2)),
              ElementsAre("a/event-1", "a/event-2"));
  EXPECT_THAT(Keys(*store().PendingOutbox("b", 10)), ElementsAre("b/event-1"));
  ASSERT_THAT(store().Ack("a", "event-1"), IsOk());
  ASSERT_THAT(store().Ack("a", "event-1"), IsOk());  // twice: fine
  ASSERT_THAT(store().Ack("a", "event-9"), IsOk());  // unknown: fine
  EXPECT_THAT(Keys(*store().PendingOutbox("", 10)),
              ElementsAre("a/event-2", "b/event-1"));
  // An acknowledged key written again stays delivered (no duplicate).
  StoredRollout a = *store().Get("a");
  CasRequest cas = Cas(a, a.version + 1);
  cas.outbox = {Event(1)};
  ASSERT_EQ(*store().CompareAndSwap(cas), CasResult::kSwapped);
  EXPECT_THAT(Keys(*store().PendingOutbox("a", 10)), ElementsAre("a/event-2"));
}

TEST_P(RolloutStoreConformanceTest, WaitForChangeReturnsWithinItsTimeout) {
  const absl::Time start = absl::Now();
  absl::StatusOr<bool> changed = store().WaitForChange(absl::Milliseconds(50));
  ASSERT_THAT(changed, IsOk());
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

}  // namespace
}  // namespace sluice::testing
