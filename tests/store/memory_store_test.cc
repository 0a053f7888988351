// Copyright 2026 The Sluice Authors.
//
// InMemoryStore: the conformance suite, and what only it promises
// (WaitForChange() wakes on a change made by another thread).

#include "sluice/store/memory_store.h"

#include <memory>
#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/testing/store_conformance.h"

namespace sluice {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::RolloutStoreConformanceTest;

INSTANTIATE_TEST_SUITE_P(
    InMemory, RolloutStoreConformanceTest,
    ::testing::Values(sluice::testing::StoreFactory(
        []() -> absl::StatusOr<std::unique_ptr<RolloutStore>> {
          return std::make_unique<InMemoryStore>();
        })));

TEST(InMemoryStoreTest, WaitForChangeWakesOnAnotherThreadsSwap) {
  InMemoryStore store;
  StoredRollout row;
  row.id = "web";
  row.version = 1;
  row.state = "s1";
  ASSERT_THAT(store.Create(row, {}), IsOk());
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(20));
    CasRequest cas;
    cas.id = "web";
    cas.expected_version = 1;
    cas.version = 2;
    cas.state = "s2";
    (void)store.CompareAndSwap(cas);
  });
  absl::StatusOr<bool> changed = store.WaitForChange(absl::Seconds(30));
  writer.join();
  ASSERT_THAT(changed, IsOk());
  EXPECT_TRUE(*changed);
}

TEST(InMemoryStoreTest, WaitForChangeTimesOutWithoutAChange) {
  InMemoryStore store;
  absl::StatusOr<bool> changed = store.WaitForChange(absl::Milliseconds(10));
  ASSERT_THAT(changed, IsOk());
  EXPECT_FALSE(*changed);
}

}  // namespace
}  // namespace sluice
