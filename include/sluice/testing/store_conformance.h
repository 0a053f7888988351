// Copyright 2026 The Sluice Authors.
//
// The RolloutStore conformance suite: the tests every store must pass
// (sluice/store/rollout_store.h), as a parameterized GoogleTest suite. Sluice
// runs it for its in-memory, SQLite and PostgreSQL stores; a host proves its
// own store (etcd, DynamoDB, ...) by instantiating it with a factory that
// returns a new, empty store for each test:
//
//   #include "sluice/testing/store_conformance.h"
//
//   // The suite's name must be unqualified in the macro:
//   using sluice::testing::RolloutStoreConformanceTest;
//   INSTANTIATE_TEST_SUITE_P(
//       Etcd, RolloutStoreConformanceTest,
//       ::testing::Values(sluice::testing::StoreFactory(
//           [] { return MakeEmptyEtcdStore(); })));
//
// The suite covers: create/get/list, compare-and-swap (stale versions, bad
// arguments, binary state, concurrent writers that must all be serialized),
// due listing, leases (renewal, expiry, takeover with a new fencing token, a
// fenced swap by a lost lease refused), and the transactional outbox
// (written with the swap or not at all, deduplicated by key, pending until
// acknowledged, in order). Times are compared at microsecond precision.
//
// Thread-safety: the factory is called from the test's thread; the
// concurrency test uses the store it returns from 4 threads.

#ifndef SLUICE_TESTING_STORE_CONFORMANCE_H_
#define SLUICE_TESTING_STORE_CONFORMANCE_H_

#include <functional>
#include <memory>

#include "gtest/gtest.h"
#include "sluice/store/rollout_store.h"

namespace sluice::testing {

// Makes a new, empty store (or an error, e.g. a database not reachable).
using StoreFactory =
    std::function<absl::StatusOr<std::unique_ptr<RolloutStore>>()>;

// The suite's fixture: SetUp() calls the factory and fails the test if it
// fails. The parameter is the factory.
class RolloutStoreConformanceTest
    : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  // The store under test, made by SetUp().
  RolloutStore& store() { return *store_; }

 private:
  std::unique_ptr<RolloutStore> store_;
};

namespace internal {
// Defined beside the suite's tests: referenced below so that linking this
// header's user pulls them out of the static library.
int StoreConformanceAnchor();
// NOLINTNEXTLINE: one per translation unit on purpose.
[[maybe_unused]] static const int kStoreConformanceLinked =
    StoreConformanceAnchor();
}  // namespace internal

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_STORE_CONFORMANCE_H_
