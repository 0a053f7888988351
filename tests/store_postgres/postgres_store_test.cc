// Copyright 2026 The Sluice Authors.
//
// PostgresStore against a real PostgreSQL started by the test
// (test_postgres.h): the conformance suite (one database, emptied per
// test), and what is PostgreSQL's own: two connections share rows and
// races, NOTIFY wakes another connection, the schema version is checked and
// migration is idempotent, bad connection strings are clear errors.

#include "sluice/store/postgres_store.h"

#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/testing/store_conformance.h"
#include "tests/store_postgres/test_postgres.h"

namespace sluice {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::RolloutStoreConformanceTest;
using ::sluice::testing::StatusIs;
using ::sluice::testing::TestPostgres;
using ::testing::HasSubstr;

// The server, started once for the binary.
TestPostgres* server = nullptr;

class PostgresEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<TestPostgres>> pg = TestPostgres::Start();
    ASSERT_THAT(pg, IsOk());
    pg_ = std::move(*pg);
    ASSERT_THAT(pg_->CreateDatabase("conformance"), IsOk());
    server = pg_.get();
  }
  void TearDown() override {
    server = nullptr;
    pg_.reset();
  }

 private:
  std::unique_ptr<TestPostgres> pg_;
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

INSTANTIATE_TEST_SUITE_P(
    Postgres, RolloutStoreConformanceTest,
    ::testing::Values(sluice::testing::StoreFactory(
        []() -> absl::StatusOr<std::unique_ptr<RolloutStore>> {
          if (server == nullptr) {
            return absl::FailedPreconditionError("no PostgreSQL server");
          }
          absl::StatusOr<std::unique_ptr<PostgresStore>> store =
              PostgresStore::Open(server->conninfo("conformance"));
          if (!store.ok()) return store.status();
          if (absl::Status s = (*store)->DeleteAllForTesting(); !s.ok()) {
            return s;
          }
          return std::unique_ptr<RolloutStore>(std::move(*store));
        })));

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(server, nullptr);
    static int counter = 0;
    db_ = absl::StrCat("t", ++counter);
    ASSERT_THAT(server->CreateDatabase(db_), IsOk());
  }
  std::string db_;
};

StoredRollout Row(const std::string& id, int64_t version) {
  StoredRollout r;
  r.id = id;
  r.version = version;
  r.state = absl::StrCat("state-", version);
  return r;
}

TEST_F(PostgresStoreTest, TwoConnectionsShareRowsAndRaces) {
  auto a = PostgresStore::Open(server->conninfo(db_));
  auto b = PostgresStore::Open(server->uri(db_));  // the URI form too
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

TEST_F(PostgresStoreTest, NotifyWakesAnotherConnection) {
  auto a = PostgresStore::Open(server->conninfo(db_));
  auto b = PostgresStore::Open(server->conninfo(db_));
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  // Start listening before the write.
  ASSERT_THAT((*a)->WaitForChange(absl::Milliseconds(1)), IsOk());
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(50));
    (void)(*b)->Create(Row("web", 1), {});
  });
  const absl::Time start = absl::Now();
  absl::StatusOr<bool> changed = (*a)->WaitForChange(absl::Seconds(30));
  writer.join();
  ASSERT_THAT(changed, IsOk());
  EXPECT_TRUE(*changed);
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

TEST_F(PostgresStoreTest, OpeningAgainMigratesNothingAndKeepsRows) {
  {
    auto a = PostgresStore::Open(server->conninfo(db_));
    ASSERT_THAT(a, IsOk());
    ASSERT_THAT((*a)->Create(Row("web", 1), {}), IsOk());
  }
  auto again = PostgresStore::Open(server->conninfo(db_));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ((*again)->Get("web")->state, "state-1");
}

TEST_F(PostgresStoreTest, ANewerSchemaIsRefused) {
  ASSERT_THAT(PostgresStore::Open(server->conninfo(db_)), IsOk());
  ASSERT_THAT(server->Exec(db_, "UPDATE sluice_schema SET version = 9"),
              IsOk());
  EXPECT_THAT(PostgresStore::Open(server->conninfo(db_)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("schema version 9, newer than this "
                                 "library's 1")));
}

TEST_F(PostgresStoreTest, BadConnectionsAreClearErrors) {
  EXPECT_THAT(
      PostgresStore::Open(""),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("conninfo")));
  EXPECT_THAT(
      PostgresStore::Open(server->conninfo("no_such_db")),
      StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no_such_db")));
}

}  // namespace
}  // namespace sluice
