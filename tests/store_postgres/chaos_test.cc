// Copyright 2026 The Sluice Authors.
//
// The chaos test (tests/store/chaos_harness.h) on a real PostgreSQL started
// by the test (test_postgres.h): three controller processes sharing it;
// their effects are recorded in a table of the same database.

#include <libpq-fe.h>

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

// The effects table in the store's own database (libpq directly).
class PostgresEffectLog : public chaos::EffectLog {
 public:
  static absl::StatusOr<std::unique_ptr<chaos::EffectLog>> Open(
      const std::string& conninfo) {
    auto log = std::unique_ptr<PostgresEffectLog>(new PostgresEffectLog());
    log->conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(log->conn_) != CONNECTION_OK) return log->Error("connect");
    if (absl::Status s = log->Exec(
            "CREATE TABLE IF NOT EXISTS chaos_effects (rollout TEXT NOT NULL, "
            "action_id TEXT NOT NULL, kind TEXT NOT NULL, target BIGINT NOT "
            "NULL)");
        !s.ok()) {
      return s;
    }
    return std::unique_ptr<chaos::EffectLog>(std::move(log));
  }
  ~PostgresEffectLog() override { PQfinish(conn_); }

  absl::Status Append(const std::string& rollout, const std::string& action_id,
                      const std::string& kind,
                      const std::vector<int64_t>& targets) override {
    // One INSERT of every target (one transaction).
    std::string list = "{";
    for (size_t i = 0; i < targets.size(); ++i) {
      absl::StrAppend(&list, i == 0 ? "" : ",", targets[i]);
    }
    list += "}";
    const char* params[] = {rollout.c_str(), action_id.c_str(), kind.c_str(),
                            list.c_str()};
    absl::MutexLock lock(&mu_);
    PGresult* r =
        PQexecParams(conn_,
                     "INSERT INTO chaos_effects SELECT $1, $2, $3, t FROM "
                     "unnest($4::bigint[]) AS t",
                     4, nullptr, params, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) return Error("insert");
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<std::vector<std::string>>> Read() override {
    absl::MutexLock lock(&mu_);
    PGresult* r = PQexec(
        conn_, "SELECT rollout, action_id, kind, target FROM chaos_effects");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      PQclear(r);
      return Error("select");
    }
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < PQntuples(r); ++i) {
      std::vector<std::string> row;
      for (int j = 0; j < 4; ++j) row.emplace_back(PQgetvalue(r, i, j));
      rows.push_back(std::move(row));
    }
    PQclear(r);
    return rows;
  }

 private:
  PostgresEffectLog() = default;
  absl::Status Exec(const char* sql) {
    PGresult* r = PQexec(conn_, sql);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) return Error(sql);
    return absl::OkStatus();
  }
  absl::Status Error(absl::string_view what) {
    return absl::UnavailableError(
        absl::StrCat("effects: ", what, ": ", PQerrorMessage(conn_)));
  }

  absl::Mutex mu_;
  PGconn* conn_ = nullptr;
};

// The body of a controller process (skipped in a normal run).
TEST(ChaosControllerProcess, Run) {
  if (std::getenv("SLUICE_CHAOS_ID") == nullptr) GTEST_SKIP();
  chaos::RunControllerProcess(Open, PostgresEffectLog::Open);
}

TEST(PostgresChaosTest, KilledAndPausedControllersLoseAndDuplicateNothing) {
  absl::StatusOr<std::unique_ptr<sluice::testing::TestPostgres>> pg =
      sluice::testing::TestPostgres::Start();
  ASSERT_TRUE(pg.ok()) << pg.status();
  ASSERT_TRUE((*pg)->CreateDatabase("chaos").ok());
  chaos::ChaosFigures f;
  chaos::RunChaos(Open, PostgresEffectLog::Open, (*pg)->conninfo("chaos"), f);
  std::cout << "chaos postgres: " << f.rollouts << " rollouts, " << f.targets
            << " targets, " << f.seconds << " s, " << f.kills << " kills, "
            << f.stops << " stops, " << f.duplicate_deliveries
            << " duplicate deliveries, " << f.duplicate_effects
            << " repeated effects\n";
}

}  // namespace
}  // namespace sluice
