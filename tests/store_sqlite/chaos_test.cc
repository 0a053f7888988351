// Copyright 2026 The Sluice Authors.
//
// The chaos test (tests/store/chaos_harness.h) on SQLite: three controller
// processes on one machine sharing one database file; their effects are
// recorded in a table of the same file.

#include <sqlite3.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
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

// The effects table in the store's own file (sqlite3 directly).
class SqliteEffectLog : public chaos::EffectLog {
 public:
  static absl::StatusOr<std::unique_ptr<chaos::EffectLog>> Open(
      const std::string& path) {
    auto log = std::unique_ptr<SqliteEffectLog>(new SqliteEffectLog());
    if (sqlite3_open(path.c_str(), &log->db_) != SQLITE_OK) {
      return absl::UnavailableError(
          absl::StrCat("effects: open ", path, ": ", sqlite3_errmsg(log->db_)));
    }
    sqlite3_busy_timeout(log->db_, 10000);
    if (absl::Status s = log->Exec(
            "CREATE TABLE IF NOT EXISTS chaos_effects (rollout TEXT NOT NULL, "
            "action_id TEXT NOT NULL, kind TEXT NOT NULL, target INTEGER NOT "
            "NULL)");
        !s.ok()) {
      return s;
    }
    return std::unique_ptr<chaos::EffectLog>(std::move(log));
  }
  ~SqliteEffectLog() override { sqlite3_close(db_); }

  absl::Status Append(const std::string& rollout, const std::string& action_id,
                      const std::string& kind,
                      const std::vector<int64_t>& targets) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_,
                           "INSERT INTO chaos_effects VALUES (?1, ?2, ?3, ?4)",
                           -1, &st, nullptr) != SQLITE_OK) {
      absl::Status s = Error("prepare insert");
      (void)Exec("ROLLBACK");
      return s;
    }
    int rc = SQLITE_DONE;
    for (int64_t target : targets) {
      sqlite3_reset(st);
      sqlite3_bind_text(st, 1, rollout.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 2, action_id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 3, kind.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(st, 4, target);
      rc = sqlite3_step(st);
      if (rc != SQLITE_DONE) break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
      absl::Status s = Error("insert");
      (void)Exec("ROLLBACK");
      return s;
    }
    return Exec("COMMIT");
  }

  absl::StatusOr<std::vector<std::vector<std::string>>> Read() override {
    absl::MutexLock lock(&mu_);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_,
                           "SELECT rollout, action_id, kind, target FROM "
                           "chaos_effects",
                           -1, &st, nullptr) != SQLITE_OK) {
      return Error("prepare select");
    }
    std::vector<std::vector<std::string>> rows;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < 3; ++i) {
        row.emplace_back(
            reinterpret_cast<const char*>(sqlite3_column_text(st, i)));
      }
      row.push_back(absl::StrCat(sqlite3_column_int64(st, 3)));
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return Error("select");
    return rows;
  }

 private:
  SqliteEffectLog() = default;
  absl::Status Exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Error(sql);
    }
    return absl::OkStatus();
  }
  absl::Status Error(absl::string_view what) {
    return absl::UnavailableError(
        absl::StrCat("effects: ", what, ": ", sqlite3_errmsg(db_)));
  }

  absl::Mutex mu_;
  sqlite3* db_ = nullptr;
};

// The body of a controller process (skipped in a normal run).
TEST(ChaosControllerProcess, Run) {
  if (std::getenv("SLUICE_CHAOS_ID") == nullptr) GTEST_SKIP();
  chaos::RunControllerProcess(Open, SqliteEffectLog::Open);
}

TEST(SqliteChaosTest, KilledAndPausedControllersLoseAndDuplicateNothing) {
  std::string dir = ::testing::TempDir();
  if (dir.empty() || dir.back() != '/') dir += '/';
  const std::string path = absl::StrCat(dir, "sluice_chaos_", getpid(), ".db");
  chaos::ChaosFigures f;
  chaos::RunChaos(Open, SqliteEffectLog::Open, path, f);
  std::cout << "chaos sqlite: " << f.rollouts << " rollouts, " << f.targets
            << " targets, " << f.seconds << " s, " << f.kills << " kills, "
            << f.stops << " stops, " << f.duplicate_deliveries
            << " duplicate deliveries, " << f.duplicate_effects
            << " repeated effects\n";
  std::remove(path.c_str());
}

}  // namespace
}  // namespace sluice
