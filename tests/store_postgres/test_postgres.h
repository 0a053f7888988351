// Copyright 2026 The Sluice Authors.
//
// TestPostgres: a throwaway PostgreSQL server for tests, started by the test
// itself: initdb into a new temporary folder, the server on a Unix socket in
// that folder (no TCP), stopped and deleted when the object goes. As root
// (CI) the server runs as the unprivileged user `nobody` (runuser), since
// PostgreSQL refuses to run as root. Binaries: $SLUICE_PG_BIN, else
// /usr/lib/postgresql/15/bin (Debian's postgresql package, installed by
// tools/install_deps.sh). Every step is bounded in time (initdb 120 s,
// pg_ctl -t 60).
//
// Not thread-safe; one per test binary is enough (make databases in it).

#ifndef SLUICE_TESTS_STORE_POSTGRES_TEST_POSTGRES_H_
#define SLUICE_TESTS_STORE_POSTGRES_TEST_POSTGRES_H_

#include <libpq-fe.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace sluice::testing {

class TestPostgres {
 public:
  // Starts a server; kUnavailable with the log's path if it cannot.
  static absl::StatusOr<std::unique_ptr<TestPostgres>> Start() {
    const char* env = std::getenv("SLUICE_PG_BIN");
    const std::string bin =
        env != nullptr && *env != '\0' ? env : "/usr/lib/postgresql/15/bin";
    if (access((bin + "/pg_ctl").c_str(), X_OK) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "TestPostgres: no ", bin,
          "/pg_ctl: install Debian's postgresql (tools/install_deps.sh) or "
          "set SLUICE_PG_BIN"));
    }
    char tmpl[] = "/tmp/sluice_pg_XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      return absl::UnavailableError("TestPostgres: mkdtemp failed");
    }
    auto pg = std::unique_ptr<TestPostgres>(new TestPostgres(bin, tmpl));
    chmod(tmpl, 0755);
    const std::string as = geteuid() == 0 ? "runuser -u nobody -- " : "";
    const std::string own = geteuid() == 0
                                ? absl::StrCat("chown nobody ", pg->dir_,
                                               "/data ", pg->dir_, "/sock && ")
                                : "";
    const std::string init =
        absl::StrCat("mkdir ", pg->dir_, "/data ", pg->dir_, "/sock && ", own,
                     "timeout 120 ", as, bin, "/initdb -D ", pg->dir_,
                     "/data -A trust -U sluice -E UTF8 --no-sync > ", pg->dir_,
                     "/sock/initdb.log 2>&1");
    if (std::system(init.c_str()) != 0) {
      return absl::UnavailableError(absl::StrCat(
          "TestPostgres: initdb failed; see ", pg->dir_, "/sock/initdb.log"));
    }
    pg->started_ = true;
    const std::string start = absl::StrCat(
        as, bin, "/pg_ctl -D ", pg->dir_, "/data -w -t 60 -l ", pg->dir_,
        "/sock/server.log -o \"-k ", pg->dir_,
        "/sock -c listen_addresses='' -c max_connections=200 -F\" start "
        "> /dev/null 2>&1");
    if (std::system(start.c_str()) != 0) {
      return absl::UnavailableError(
          absl::StrCat("TestPostgres: pg_ctl start failed; see ", pg->dir_,
                       "/sock/server.log"));
    }
    return pg;
  }

  ~TestPostgres() {
    if (started_) {
      const std::string as = geteuid() == 0 ? "runuser -u nobody -- " : "";
      const std::string stop =
          absl::StrCat(as, bin_, "/pg_ctl -D ", dir_,
                       "/data -m immediate -t 60 stop > /dev/null 2>&1");
      (void)std::system(stop.c_str());
    }
    if (std::getenv("SLUICE_KEEP_PG") == nullptr) {
      (void)std::system(absl::StrCat("rm -rf ", dir_).c_str());
    }
  }

  // libpq conninfo of database `db` ("key=value" form).
  std::string conninfo(const std::string& db = "postgres") const {
    return absl::StrCat("host=", dir_, "/sock user=sluice dbname=", db);
  }
  // The same as a URI (postgresql:///db?host=/sock&user=sluice).
  std::string uri(const std::string& db = "postgres") const {
    return absl::StrCat("postgresql:///", db, "?host=", dir_,
                        "/sock&user=sluice");
  }

  // Creates database `db`.
  absl::Status CreateDatabase(const std::string& db) const {
    PGconn* c = PQconnectdb(conninfo().c_str());
    absl::Status s;
    if (PQstatus(c) != CONNECTION_OK) {
      s = absl::UnavailableError(PQerrorMessage(c));
    } else {
      PGresult* r =
          PQexec(c, absl::StrCat("CREATE DATABASE \"", db, "\"").c_str());
      if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        s = absl::InternalError(PQresultErrorMessage(r));
      }
      PQclear(r);
    }
    PQfinish(c);
    return s;
  }

  // Runs one SQL statement in database `db` (for tests that poke at the
  // schema).
  absl::Status Exec(const std::string& db, const std::string& sql) const {
    PGconn* c = PQconnectdb(conninfo(db).c_str());
    absl::Status s;
    if (PQstatus(c) != CONNECTION_OK) {
      s = absl::UnavailableError(PQerrorMessage(c));
    } else {
      PGresult* r = PQexec(c, sql.c_str());
      const ExecStatusType st = PQresultStatus(r);
      if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        s = absl::InternalError(PQresultErrorMessage(r));
      }
      PQclear(r);
    }
    PQfinish(c);
    return s;
  }

  const std::string& dir() const { return dir_; }

 private:
  TestPostgres(std::string bin, std::string dir)
      : bin_(std::move(bin)), dir_(std::move(dir)) {}
  std::string bin_;
  std::string dir_;
  bool started_ = false;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_STORE_POSTGRES_TEST_POSTGRES_H_
