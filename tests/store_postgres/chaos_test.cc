// Copyright 2026 The Sluice Authors.
//
// The chaos test (tests/store/chaos_harness.h) on a real PostgreSQL started
// by the test (test_postgres.h): three controller processes sharing it.

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "sluice/store/postgres_store.h"
#include "tests/store/chaos_harness.h"
#include "tests/store_postgres/test_postgres.h"

namespace sluice {
namespace {

absl::StatusOr<std::unique_ptr<RolloutStore>> Open(const std::string& url) {
  absl::StatusOr<std::unique_ptr<PostgresStore>> s = PostgresStore::Open(url);
  if (!s.ok()) return s.status();
  return std::unique_ptr<RolloutStore>(std::move(*s));
}

// The body of a controller process (skipped in a normal run).
TEST(ChaosControllerProcess, Run) {
  if (std::getenv("SLUICE_CHAOS_ID") == nullptr) GTEST_SKIP();
  chaos::RunControllerProcess(Open);
}

TEST(PostgresChaosTest, KilledAndPausedControllersLoseAndDuplicateNothing) {
  absl::StatusOr<std::unique_ptr<sluice::testing::TestPostgres>> pg =
      sluice::testing::TestPostgres::Start();
  ASSERT_TRUE(pg.ok()) << pg.status();
  ASSERT_TRUE((*pg)->CreateDatabase("chaos").ok());
  chaos::ChaosFigures f;
  chaos::RunChaos(Open, (*pg)->conninfo("chaos"), f);
  std::cout << "chaos postgres: " << f.rollouts << " rollouts, " << f.targets
            << " targets, " << f.seconds << " s, " << f.kills << " kills, "
            << f.stops << " stops, " << f.duplicate_deliveries
            << " duplicate deliveries, " << f.duplicate_effects
            << " repeated effects\n";
}

}  // namespace
}  // namespace sluice
