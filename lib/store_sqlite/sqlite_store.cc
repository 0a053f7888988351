// Copyright 2026 The Sluice Authors.
//
// SqliteStore: the RolloutStore contract over one SQLite file (WAL, busy
// timeout, BEGIN IMMEDIATE for every write).

#include "sluice/store/sqlite_store.h"

#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "lib/store/lease_args.h"

namespace sluice {
namespace {

constexpr int64_t kFutureMicros = std::numeric_limits<int64_t>::max();
constexpr int64_t kPastMicros = std::numeric_limits<int64_t>::min();

int64_t ToMicros(absl::Time t) {
  if (t == absl::InfiniteFuture()) return kFutureMicros;
  if (t == absl::InfinitePast()) return kPastMicros;
  return absl::ToUnixMicros(t);
}

absl::Time FromMicros(int64_t m) {
  if (m == kFutureMicros) return absl::InfiniteFuture();
  if (m == kPastMicros) return absl::InfinitePast();
  return absl::FromUnixMicros(m);
}

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS sluice_rollouts (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  state BLOB NOT NULL,
  next_wakeup INTEGER NOT NULL,
  terminal INTEGER NOT NULL,
  status TEXT NOT NULL,
  lease_holder TEXT,
  lease_token INTEGER NOT NULL DEFAULT 0,
  lease_expires INTEGER
);
CREATE INDEX IF NOT EXISTS sluice_rollouts_due
  ON sluice_rollouts (terminal, next_wakeup, id);
CREATE TABLE IF NOT EXISTS sluice_outbox (
  rollout TEXT NOT NULL,
  key TEXT NOT NULL,
  kind INTEGER NOT NULL,
  sequence INTEGER NOT NULL,
  version INTEGER NOT NULL,
  payload BLOB NOT NULL,
  acked INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (rollout, key)
);
CREATE INDEX IF NOT EXISTS sluice_outbox_pending
  ON sluice_outbox (acked, rollout, version, sequence, key);
)sql";

// One prepared statement, finalized on destruction.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Text(int i, absl::string_view s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Blob(int i, absl::string_view s) {
    sqlite3_bind_blob(stmt_, i, s.empty() ? "" : s.data(),
                      static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Int(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return rc_ = sqlite3_step(stmt_); }
  int64_t ColInt(int i) { return sqlite3_column_int64(stmt_, i); }
  bool ColNull(int i) { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::string ColText(int i) {
    const void* p = sqlite3_column_blob(stmt_, i);
    const int n = sqlite3_column_bytes(stmt_, i);
    return p == nullptr ? std::string()
                        : std::string(static_cast<const char*>(p), n);
  }
  int rc() const { return rc_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

}  // namespace

struct SqliteStore::Impl {
  absl::Mutex mu;
  sqlite3* db ABSL_GUARDED_BY(mu) = nullptr;
  std::string path;
  // Writes through this connection (PRAGMA data_version counts only other
  // connections').
  int64_t own_writes ABSL_GUARDED_BY(mu) = 0;

  ~Impl() {
    absl::MutexLock lock(&mu);
    if (db != nullptr) sqlite3_close(db);
  }

  absl::Status Error(absl::string_view call, absl::string_view what)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    const int code = sqlite3_errcode(db);
    const std::string message = absl::StrCat(call, ": sqlite ", what, " (",
                                             path, "): ", sqlite3_errmsg(db));
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      return absl::UnavailableError(message);
    }
    return absl::InternalError(message);
  }

  absl::Status Exec(absl::string_view call, const char* sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err != nullptr ? err : "unknown error";
      sqlite3_free(err);
      const int code = sqlite3_errcode(db);
      const std::string full =
          absl::StrCat(call, ": sqlite (", path, "): ", message);
      if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
        return absl::UnavailableError(full);
      }
      return absl::InternalError(full);
    }
    return absl::OkStatus();
  }

  // Runs `body` in BEGIN IMMEDIATE ... COMMIT; rolls back if it fails.
  template <typename Body>
  absl::Status Write(absl::string_view call, Body body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (absl::Status s = Exec(call, "BEGIN IMMEDIATE"); !s.ok()) return s;
    absl::Status s = body();
    if (!s.ok()) {
      Exec(call, "ROLLBACK").IgnoreError();
      return s;
    }
    s = Exec(call, "COMMIT");
    if (!s.ok()) {
      Exec(call, "ROLLBACK").IgnoreError();
      return s;
    }
    ++own_writes;
    return absl::OkStatus();
  }

  absl::Status InsertOutbox(absl::string_view call, absl::string_view id,
                            int64_t version,
                            const std::vector<OutboxMessage>& outbox)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (outbox.empty()) return absl::OkStatus();
    for (const OutboxMessage& m : outbox) {
      Stmt one(db,
               "INSERT OR IGNORE INTO sluice_outbox (rollout, key, kind, "
               "sequence, version, payload) VALUES (?, ?, ?, ?, ?, ?)");
      one.Text(1, id)
          .Text(2, m.key)
          .Int(3, static_cast<int>(m.kind))
          .Int(4, m.sequence)
          .Int(5, version)
          .Blob(6, m.payload);
      if (one.Step() != SQLITE_DONE) return Error(call, "insert outbox");
    }
    return absl::OkStatus();
  }

  // Whether rollout `id` exists.
  absl::StatusOr<bool> Exists(absl::string_view call, absl::string_view id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    Stmt q(db, "SELECT 1 FROM sluice_rollouts WHERE id = ?");
    if (!q.ok()) return Error(call, "prepare");
    q.Text(1, id);
    const int rc = q.Step();
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Error(call, "select");
  }
};

namespace {

absl::Status NoRollout(absl::string_view call, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(call, ": no rollout \"", id, "\""));
}

absl::Status CheckLimit(absl::string_view call, int limit) {
  if (limit < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(call, ": limit: must be >= 1 (got ", limit, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::string& path, Options options) {
  if (path.empty()) {
    return absl::InvalidArgumentError(
        "SqliteStore::Open: path: must not be "
        "empty");
  }
  if (options.busy_timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("SqliteStore::Open: busy_timeout: must be >= 0 (got ",
                     absl::FormatDuration(options.busy_timeout), ")"));
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  absl::MutexLock lock(&impl->mu);
  const int rc = sqlite3_open_v2(
      path.c_str(), &impl->db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    std::string message =
        impl->db != nullptr ? sqlite3_errmsg(impl->db) : sqlite3_errstr(rc);
    return absl::UnavailableError(
        absl::StrCat("SqliteStore::Open: cannot open ", path, ": ", message));
  }
  sqlite3_busy_timeout(impl->db,
                       static_cast<int>(absl::ToInt64Milliseconds(
                           std::min(options.busy_timeout, absl::Hours(500)))));
  constexpr absl::string_view kCall = "SqliteStore::Open";
  // WAL persists in the file; switching needs no other connection writing,
  // so a busy answer here is retried by the busy handler.
  if (absl::Status s = impl->Exec(kCall, "PRAGMA journal_mode=WAL"); !s.ok()) {
    return s;
  }
  if (absl::Status s = impl->Exec(kCall, "PRAGMA synchronous=NORMAL");
      !s.ok()) {
    return s;
  }
  int64_t user_version = 0;
  {
    Stmt q(impl->db, "PRAGMA user_version");
    if (!q.ok() || q.Step() != SQLITE_ROW) {
      return impl->Error(kCall, "read user_version");
    }
    user_version = q.ColInt(0);
  }
  if (user_version > kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat(kCall, ": ", path, " has schema version ", user_version,
                     ", newer than this library's ", kSchemaVersion,
                     ": upgrade the library"));
  }
  if (user_version < kSchemaVersion) {
    // Migrations by version, each in the same transaction as the new
    // user_version: 0 -> 1 creates the tables.
    absl::Status s = impl->Write(kCall, [&]() -> absl::Status {
      if (absl::Status e = impl->Exec(kCall, kSchema); !e.ok()) return e;
      return impl->Exec(kCall, "PRAGMA user_version = 1");
    });
    if (!s.ok()) return s;
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

absl::Status SqliteStore::Create(const StoredRollout& rollout,
                                 const std::vector<OutboxMessage>& outbox) {
  if (absl::Status s = ValidateStoredRollout("Create", rollout); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateOutbox("Create", outbox); !s.ok()) return s;
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  return m.Write("Create", [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(m.mu) {
    absl::StatusOr<bool> exists = m.Exists("Create", rollout.id);
    if (!exists.ok()) return exists.status();
    if (*exists) {
      return absl::AlreadyExistsError(
          absl::StrCat("Create: rollout \"", rollout.id, "\" already exists"));
    }
    Stmt insert(m.db,
                "INSERT INTO sluice_rollouts (id, version, state, "
                "next_wakeup, terminal, status) VALUES (?, ?, ?, ?, ?, ?)");
    insert.Text(1, rollout.id)
        .Int(2, rollout.version)
        .Blob(3, rollout.state)
        .Int(4, ToMicros(rollout.next_wakeup))
        .Int(5, rollout.terminal ? 1 : 0)
        .Text(6, rollout.status);
    if (insert.Step() != SQLITE_DONE) return m.Error("Create", "insert");
    return m.InsertOutbox("Create", rollout.id, rollout.version, outbox);
  });
}

absl::StatusOr<StoredRollout> SqliteStore::Get(absl::string_view id) {
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  Stmt q(m.db,
         "SELECT version, state, next_wakeup, terminal, status FROM "
         "sluice_rollouts WHERE id = ?");
  if (!q.ok()) return m.Error("Get", "prepare");
  q.Text(1, id);
  const int rc = q.Step();
  if (rc == SQLITE_DONE) return NoRollout("Get", id);
  if (rc != SQLITE_ROW) return m.Error("Get", "select");
  StoredRollout r;
  r.id = std::string(id);
  r.version = q.ColInt(0);
  r.state = q.ColText(1);
  r.next_wakeup = FromMicros(q.ColInt(2));
  r.terminal = q.ColInt(3) != 0;
  r.status = q.ColText(4);
  return r;
}

absl::StatusOr<std::vector<std::string>> SqliteStore::List() {
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  Stmt q(m.db, "SELECT id FROM sluice_rollouts ORDER BY id");
  if (!q.ok()) return m.Error("List", "prepare");
  std::vector<std::string> ids;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) ids.push_back(q.ColText(0));
  if (rc != SQLITE_DONE) return m.Error("List", "select");
  return ids;
}

absl::StatusOr<CasResult> SqliteStore::CompareAndSwap(
    const CasRequest& request) {
  if (absl::Status s = ValidateCasRequest(request); !s.ok()) return s;
  constexpr absl::string_view kCall = "CompareAndSwap";
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  CasResult result = CasResult::kSwapped;
  absl::Status s = m.Write(kCall, [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(m.mu) {
    Stmt q(m.db,
           "SELECT version, lease_holder, lease_token FROM sluice_rollouts "
           "WHERE id = ?");
    if (!q.ok()) return m.Error(kCall, "prepare");
    q.Text(1, request.id);
    const int rc = q.Step();
    if (rc == SQLITE_DONE) return NoRollout(kCall, request.id);
    if (rc != SQLITE_ROW) return m.Error(kCall, "select");
    if (q.ColInt(0) != request.expected_version) {
      result = CasResult::kStaleVersion;
      return absl::OkStatus();
    }
    if (request.fence.has_value() &&
        (q.ColNull(1) || q.ColText(1) != request.fence->holder ||
         q.ColInt(2) != request.fence->token)) {
      result = CasResult::kLeaseLost;
      return absl::OkStatus();
    }
    Stmt update(m.db,
                "UPDATE sluice_rollouts SET version = ?, state = ?, "
                "next_wakeup = ?, terminal = ?, status = ? WHERE id = ? AND "
                "version = ?");
    update.Int(1, request.version)
        .Blob(2, request.state)
        .Int(3, ToMicros(request.next_wakeup))
        .Int(4, request.terminal ? 1 : 0)
        .Text(5, request.status)
        .Text(6, request.id)
        .Int(7, request.expected_version);
    if (update.Step() != SQLITE_DONE) return m.Error(kCall, "update");
    return m.InsertOutbox(kCall, request.id, request.version, request.outbox);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<bool> SqliteStore::SetNextWakeup(absl::string_view id,
                                                int64_t version,
                                                absl::Time next_wakeup) {
  constexpr absl::string_view kCall = "SetNextWakeup";
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  bool set = false;
  absl::Status s = m.Write(kCall, [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(m.mu) {
    absl::StatusOr<bool> exists = m.Exists(kCall, id);
    if (!exists.ok()) return exists.status();
    if (!*exists) return NoRollout(kCall, id);
    Stmt update(m.db,
                "UPDATE sluice_rollouts SET next_wakeup = ? WHERE id = ? AND "
                "version = ?");
    update.Int(1, ToMicros(next_wakeup)).Text(2, id).Int(3, version);
    if (update.Step() != SQLITE_DONE) return m.Error(kCall, "update");
    set = sqlite3_changes(m.db) == 1;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return set;
}

absl::StatusOr<std::vector<DueRollout>> SqliteStore::ListDue(absl::Time now,
                                                             int limit) {
  if (absl::Status s = CheckLimit("ListDue", limit); !s.ok()) return s;
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  Stmt q(m.db,
         "SELECT id, version, next_wakeup FROM sluice_rollouts WHERE "
         "terminal = 0 AND next_wakeup <= ? ORDER BY next_wakeup, id LIMIT ?");
  if (!q.ok()) return m.Error("ListDue", "prepare");
  q.Int(1, ToMicros(now)).Int(2, limit);
  std::vector<DueRollout> due;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    due.push_back({q.ColText(0), q.ColInt(1), FromMicros(q.ColInt(2))});
  }
  if (rc != SQLITE_DONE) return m.Error("ListDue", "select");
  return due;
}

absl::StatusOr<std::optional<Lease>> SqliteStore::AcquireLease(
    absl::string_view id, absl::string_view holder, absl::Time now,
    absl::Duration ttl) {
  constexpr absl::string_view kCall = "AcquireLease";
  if (absl::Status s = internal::CheckLeaseArgs(holder, ttl); !s.ok()) {
    return s;
  }
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  std::optional<Lease> granted;
  absl::Status s = m.Write(kCall, [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(m.mu) {
    Stmt q(m.db,
           "SELECT lease_holder, lease_token, lease_expires FROM "
           "sluice_rollouts WHERE id = ?");
    if (!q.ok()) return m.Error(kCall, "prepare");
    q.Text(1, id);
    const int rc = q.Step();
    if (rc == SQLITE_DONE) return NoRollout(kCall, id);
    if (rc != SQLITE_ROW) return m.Error(kCall, "select");
    const bool held = !q.ColNull(0);
    const std::string current = held ? q.ColText(0) : "";
    int64_t token = q.ColInt(1);
    const absl::Time expires = held ? FromMicros(q.ColInt(2)) : now;
    if (held && current != holder && expires > now) return absl::OkStatus();
    if (!held || current != holder) ++token;
    Stmt update(m.db,
                "UPDATE sluice_rollouts SET lease_holder = ?, lease_token = "
                "?, lease_expires = ? WHERE id = ?");
    update.Text(1, holder)
        .Int(2, token)
        .Int(3, ToMicros(now + ttl))
        .Text(4, id);
    if (update.Step() != SQLITE_DONE) return m.Error(kCall, "update");
    granted = Lease{std::string(id), std::string(holder), token, now + ttl};
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return granted;
}

absl::Status SqliteStore::ReleaseLease(absl::string_view id,
                                       absl::string_view holder,
                                       int64_t token) {
  constexpr absl::string_view kCall = "ReleaseLease";
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  return m.Write(kCall, [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(m.mu) {
    absl::StatusOr<bool> exists = m.Exists(kCall, id);
    if (!exists.ok()) return exists.status();
    if (!*exists) return NoRollout(kCall, id);
    Stmt update(m.db,
                "UPDATE sluice_rollouts SET lease_expires = ? WHERE id = ? "
                "AND lease_holder = ? AND lease_token = ?");
    update.Int(1, kPastMicros).Text(2, id).Text(3, holder).Int(4, token);
    if (update.Step() != SQLITE_DONE) return m.Error(kCall, "update");
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<Lease>> SqliteStore::GetLease(
    absl::string_view id) {
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  Stmt q(m.db,
         "SELECT lease_holder, lease_token, lease_expires FROM "
         "sluice_rollouts WHERE id = ?");
  if (!q.ok()) return m.Error("GetLease", "prepare");
  q.Text(1, id);
  const int rc = q.Step();
  if (rc == SQLITE_DONE) return NoRollout("GetLease", id);
  if (rc != SQLITE_ROW) return m.Error("GetLease", "select");
  if (q.ColNull(0)) return std::optional<Lease>();
  return std::optional<Lease>(Lease{std::string(id), q.ColText(0), q.ColInt(1),
                                    FromMicros(q.ColInt(2))});
}

absl::StatusOr<std::vector<OutboxMessage>> SqliteStore::PendingOutbox(
    absl::string_view rollout, int limit) {
  if (absl::Status s = CheckLimit("PendingOutbox", limit); !s.ok()) return s;
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  Stmt q(m.db,
         "SELECT rollout, key, kind, sequence, version, payload FROM "
         "sluice_outbox WHERE acked = 0 AND (? = '' OR rollout = ?) ORDER BY "
         "rollout, version, sequence, key LIMIT ?");
  if (!q.ok()) return m.Error("PendingOutbox", "prepare");
  q.Text(1, rollout).Text(2, rollout).Int(3, limit);
  std::vector<OutboxMessage> pending;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    OutboxMessage msg;
    msg.rollout = q.ColText(0);
    msg.key = q.ColText(1);
    msg.kind = q.ColInt(2) == static_cast<int>(OutboxKind::kNotification)
                   ? OutboxKind::kNotification
                   : OutboxKind::kEvent;
    msg.sequence = q.ColInt(3);
    msg.version = q.ColInt(4);
    msg.payload = q.ColText(5);
    pending.push_back(std::move(msg));
  }
  if (rc != SQLITE_DONE) return m.Error("PendingOutbox", "select");
  return pending;
}

absl::Status SqliteStore::Ack(absl::string_view rollout,
                              absl::string_view key) {
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  return m.Write("Ack", [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(m.mu) {
    Stmt update(m.db,
                "UPDATE sluice_outbox SET acked = 1 WHERE rollout = ? AND "
                "key = ?");
    update.Text(1, rollout).Text(2, key);
    if (update.Step() != SQLITE_DONE) return m.Error("Ack", "update");
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> SqliteStore::WaitForChange(absl::Duration timeout) {
  Impl& m = *impl_;
  auto version = [&m]() -> absl::StatusOr<int64_t> {
    absl::MutexLock lock(&m.mu);
    Stmt q(m.db, "PRAGMA data_version");
    if (!q.ok() || q.Step() != SQLITE_ROW) {
      return m.Error("WaitForChange", "data_version");
    }
    return q.ColInt(0) + m.own_writes;
  };
  absl::StatusOr<int64_t> first = version();
  if (!first.ok()) return first.status();
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    absl::SleepFor(std::min(absl::Milliseconds(20), deadline - absl::Now()));
    absl::StatusOr<int64_t> now = version();
    if (!now.ok()) return now.status();
    if (*now != *first) return true;
  }
  return false;
}

}  // namespace sluice
