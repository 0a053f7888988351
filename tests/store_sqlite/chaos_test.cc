// Copyright 2026 The Sluice Authors.
//
// The chaos test (tests/store/chaos_harness.h) on SQLite: three controller
// processes on one machine sharing one database file.

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "sluice/store/sqlite_store.h"
#include "tests/store/chaos_harness.h"

namespace sluice {
namespace {

absl::StatusOr<std::unique_ptr<RolloutStore>> Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> s = SqliteStore::Open(path);
  if (!s.ok()) return s.status();
  return std::unique_ptr<RolloutStore>(std::move(*s));
}

// The body of a controller process (skipped in a normal run).
TEST(ChaosControllerProcess, Run) {
  if (std::getenv("SLUICE_CHAOS_ID") == nullptr) GTEST_SKIP();
  chaos::RunControllerProcess(Open);
}

TEST(SqliteChaosTest, KilledAndPausedControllersLoseAndDuplicateNothing) {
  std::string dir = ::testing::TempDir();
  if (dir.empty() || dir.back() != '/') dir += '/';
  const std::string path = absl::StrCat(dir, "sluice_chaos_", getpid(), ".db");
  chaos::ChaosFigures f;
  chaos::RunChaos(Open, path, f);
  std::cout << "chaos sqlite: " << f.rollouts << " rollouts, " << f.targets
            << " targets, " << f.seconds << " s, " << f.kills << " kills, "
            << f.stops << " stops, " << f.duplicate_deliveries
            << " duplicate deliveries, " << f.duplicate_effects
            << " repeated effects\n";
  std::remove(path.c_str());
}

}  // namespace
}  // namespace sluice
