// Copyright 2026 The Sluice Authors.
//
// `sluice pause|...|retry ROLLOUT --store URL --by WHO --fleet FLEET` and
// `sluice status` on a SQLite store (and a snapshot file), in-process.

#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/rollout.h"
#include "sluice/store/sqlite_store.h"
#include "tests/tools/cli_test_util.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;

constexpr char kFleet[] = "examples/fleets/three_regions.csv";

// A SQLite store with rollout "web" (pending, approval on wave 0).
class StoreCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = ::testing::TempDir();
    if (dir.empty() || dir.back() != '/') dir += '/';
    static int counter = 0;
    path_ = absl::StrCat(dir, "sluice_cli_", getpid(), "_", ++counter, ".db");
    url_ = absl::StrCat("sqlite:", path_);
    absl::StatusOr<Fleet> fleet = LoadFleetFile(kFleet);
    ASSERT_TRUE(fleet.ok()) << fleet.status();
    WavePlan plan;
    plan.strategy = "test";
    Wave wave;
    wave.name = "all";
    wave.stage = "all";
    for (size_t i = 0; i < fleet->size(); ++i) {
      wave.targets.push_back(static_cast<Fleet::TargetIndex>(i));
    }
    plan.waves.push_back(wave);
    RolloutOptions options;
    options.name = "web";
    options.version = "2.0";
    options.previous_version = "1.0";
    std::unique_ptr<Rollout> rollout = *Rollout::Create(*fleet, plan, options);
    snapshot_ = rollout->Snapshot();
    std::unique_ptr<SqliteStore> store = *SqliteStore::Open(path_);
    ASSERT_TRUE(store
                    ->Create({"web", rollout->state_version(), snapshot_,
                              absl::InfiniteFuture(), false, "pending"},
                             {})
                    .ok());
  }
  void TearDown() override { std::remove(path_.c_str()); }

  std::string path_;
  std::string url_;
  std::string snapshot_;
};

TEST_F(StoreCommandTest, PauseGoesThroughTheStore) {
  CliRun r = Sluice(
      {"pause", "web", "--store", url_, "--by", "alice", "--fleet", kFleet});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("web: pause by alice applied; now paused"));
  std::unique_ptr<SqliteStore> store = *SqliteStore::Open(path_);
  EXPECT_EQ(store->Get("web")->status, "paused");
  EXPECT_LE(store->Get("web")->next_wakeup, absl::Now());  // due at once
  // The command is an event in the outbox.
  std::vector<OutboxMessage> pending = *store->PendingOutbox("web", 10);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_THAT(pending[0].payload, HasSubstr("\"who\":\"alice\""));

  r = Sluice({"status", "web", "--store", url_});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("web: paused, wave -1 of 1"));
  EXPECT_THAT(r.out, HasSubstr("2.0 (rollback to 1.0)"));
}

TEST_F(StoreCommandTest, ACommandNotValidNowSaysWhyAndChangesNothing) {
  CliRun r = Sluice(
      {"approve", "web", "--store", url_, "--by", "bob", "--fleet", kFleet});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("error: web: Approve:"));
  std::unique_ptr<SqliteStore> store = *SqliteStore::Open(path_);
  EXPECT_EQ(store->Get("web")->state, snapshot_);
}

TEST_F(StoreCommandTest, MissingFlagsAndBadUrlsAreUsageErrors) {
  CliRun r = Sluice({"abort", "web", "--store", url_, "--fleet", kFleet});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--by: required"));
  r = Sluice(
      {"abort", "web", "--store", "etcd://x", "--by", "a", "--fleet", kFleet});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("--store: unknown URL \"etcd://x\""));
  r = Sluice(
      {"abort", "nope", "--store", url_, "--by", "a", "--fleet", kFleet});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("no rollout \"nope\""));
}

TEST_F(StoreCommandTest, StatusListsEveryRolloutAndReadsSnapshotFiles) {
  CliRun r = Sluice({"status", "--store", url_});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("web: pending"));
  const std::string file = path_ + ".snapshot";
  {
    std::ofstream out(file, std::ios::binary);
    out << snapshot_;
  }
  r = Sluice({"status", file});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("web: pending, wave -1 of 1 (not-started)"));
  std::remove(file.c_str());
}

}  // namespace
}  // namespace sluice::cli
