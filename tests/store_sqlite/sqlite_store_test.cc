// Copyright 2026 The Sluice Authors.
//
// SqliteStore: the conformance suite on a fresh file per test, and what is
// SQLite's own: the file persists and is shared by connections (as by
// processes), the schema version is checked, bad paths are clear errors.

#include "sluice/store/sqlite_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/testing/store_conformance.h"

namespace sluice {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::RolloutStoreConformanceTest;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

// A new database file name in a fresh temporary folder.
std::string NewPath() {
  static std::atomic<int> counter{0};
  std::string dir = ::testing::TempDir();
  if (dir.empty() || dir.back() != '/') dir += '/';
  return absl::StrCat(dir, "sluice_sqlite_", getpid(), "_", counter++, ".db");
}

INSTANTIATE_TEST_SUITE_P(
    Sqlite, RolloutStoreConformanceTest,
    ::testing::Values(sluice::testing::StoreFactory(
        []() -> absl::StatusOr<std::unique_ptr<RolloutStore>> {
          absl::StatusOr<std::unique_ptr<SqliteStore>> store =
              SqliteStore::Open(NewPath());
          if (!store.ok()) return store.status();
          return std::unique_ptr<RolloutStore>(std::move(*store));
        })));

StoredRollout Row(const std::string& id, int64_t version) {
  StoredRollout r;
  r.id = id;
  r.version = version;
  r.state = absl::StrCat("state-", version);
  return r;
}

TEST(SqliteStoreTest, TheFileKeepsEverythingAcrossOpens) {
  const std::string path = NewPath();
  {
    auto store = SqliteStore::Open(path);
    ASSERT_THAT(store, IsOk());
    OutboxMessage m;
    m.key = "event-1";
    m.sequence = 1;
    m.payload = "{}";
    ASSERT_THAT((*store)->Create(Row("web", 1), {m}), IsOk());
    ASSERT_TRUE((*(*store)->AcquireLease(
                     "web", "c1", absl::FromUnixSeconds(100), absl::Seconds(5)))
                    .has_value());
  }
  auto again = SqliteStore::Open(path);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ((*again)->Get("web")->state, "state-1");
  EXPECT_EQ((*again)->PendingOutbox("", 10)->size(), 1u);
  EXPECT_EQ((*(*again)->GetLease("web"))->holder, "c1");
}

TEST(SqliteStoreTest, TwoConnectionsShareOneFileAndItsRaces) {
  const std::string path = NewPath();
  auto a = SqliteStore::Open(path);
  auto b = SqliteStore::Open(path);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_THAT((*a)->Create(Row("web", 1), {}), IsOk());
  CasRequest cas;
  cas.id = "web";
  cas.expected_version = 1;
  cas.version = 2;
  cas.state = "from b";
  EXPECT_EQ(*(*b)->CompareAndSwap(cas), CasResult::kSwapped);
  cas.state = "from a";
  EXPECT_EQ(*(*a)->CompareAndSwap(cas), CasResult::kStaleVersion);
  EXPECT_EQ((*a)->Get("web")->state, "from b");
}

TEST(SqliteStoreTest, WaitForChangeSeesAnotherConnectionsCommit) {
  const std::string path = NewPath();
  auto a = SqliteStore::Open(path);
  auto b = SqliteStore::Open(path);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(50));
    (void)(*b)->Create(Row("web", 1), {});
  });
  absl::StatusOr<bool> changed = (*a)->WaitForChange(absl::Seconds(30));
  writer.join();
  ASSERT_THAT(changed, IsOk());
  EXPECT_TRUE(*changed);
}

TEST(SqliteStoreTest, ANewerSchemaIsRefused) {
  const std::string path = NewPath();
  ASSERT_THAT(SqliteStore::Open(path), IsOk());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  EXPECT_THAT(SqliteStore::Open(path),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("schema version 7, newer than this "
                                 "library's 1")));
}

TEST(SqliteStoreTest, BadOpenArgumentsAreClearErrors) {
  EXPECT_THAT(SqliteStore::Open(""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("path")));
  SqliteStore::Options options;
  options.busy_timeout = absl::Seconds(-1);
  EXPECT_THAT(
      SqliteStore::Open(NewPath(), options),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("busy_timeout")));
  EXPECT_THAT(SqliteStore::Open("/nonexistent-dir/x/y.db"),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("/nonexistent-dir/x/y.db")));
}

}  // namespace
}  // namespace sluice
