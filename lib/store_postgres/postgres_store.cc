// Copyright 2026 The Sluice Authors.
//
// PostgresStore: the RolloutStore contract over libpq.

#include "sluice/store/postgres_store.h"

#include <libpq-fe.h>
#include <sys/select.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "lib/store/lease_args.h"

namespace sluice {
namespace {

constexpr int64_t kFutureMicros = std::numeric_limits<int64_t>::max();
constexpr int64_t kPastMicros = std::numeric_limits<int64_t>::min();
// The advisory lock key under which the schema is created or migrated.
constexpr int64_t kMigrationLock = 0x51C3'0001;

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

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE sluice_rollouts (
  id text PRIMARY KEY,
  version bigint NOT NULL,
  state bytea NOT NULL,
  next_wakeup bigint NOT NULL,
  terminal boolean NOT NULL,
  status text NOT NULL,
  lease_holder text,
  lease_token bigint NOT NULL DEFAULT 0,
  lease_expires bigint
);
CREATE INDEX sluice_rollouts_due ON sluice_rollouts (next_wakeup, id)
  WHERE NOT terminal;
CREATE TABLE sluice_outbox (
  rollout text NOT NULL,
  key text NOT NULL,
  kind integer NOT NULL,
  sequence bigint NOT NULL,
  version bigint NOT NULL,
  payload bytea NOT NULL,
  acked boolean NOT NULL DEFAULT false,
  PRIMARY KEY (rollout, key)
);
CREATE INDEX sluice_outbox_pending ON sluice_outbox (rollout, version,
  sequence, key) WHERE NOT acked;
)sql";

// A parameter: text, or binary bytes (bytea).
struct Param {
  std::string value;
  bool binary = false;
  bool null = false;
};

Param Text(absl::string_view s) { return Param{std::string(s), false, false}; }
Param Int(int64_t v) { return Param{absl::StrCat(v), false, false}; }
Param Bool(bool v) { return Param{v ? "true" : "false", false, false}; }
Param Bytes(absl::string_view s) { return Param{std::string(s), true, false}; }

// A result, cleared on destruction.
class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Result& operator=(Result&& o) noexcept {
    if (this != &o) {
      PQclear(r_);
      r_ = o.r_;
      o.r_ = nullptr;
    }
    return *this;
  }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const { return PQntuples(r_); }
  bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col), PQgetlength(r_, row, col));
  }
  int64_t integer(int row, int col) const {
    int64_t v = 0;
    (void)absl::SimpleAtoi(text(row, col), &v);
    return v;
  }
  bool boolean(int row, int col) const { return text(row, col) == "t"; }
  std::string bytes(int row, int col) const {
    size_t n = 0;
    unsigned char* raw = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(r_, row, col)), &n);
    if (raw == nullptr) return std::string();
    std::string out(reinterpret_cast<const char*>(raw), n);
    PQfreemem(raw);
    return out;
  }
  const char* affected() const { return PQcmdTuples(r_); }

 private:
  PGresult* r_;
};

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

struct PostgresStore::Impl {
  std::string conninfo;
  absl::Mutex mu;
  PGconn* conn ABSL_GUARDED_BY(mu) = nullptr;
  absl::Mutex listen_mu;
  PGconn* listen ABSL_GUARDED_BY(listen_mu) = nullptr;

  ~Impl() {
    {
      absl::MutexLock lock(&mu);
      if (conn != nullptr) PQfinish(conn);
    }
    absl::MutexLock lock(&listen_mu);
    if (listen != nullptr) PQfinish(listen);
  }

  static absl::StatusOr<PGconn*> Connect(const std::string& conninfo,
                                         absl::string_view call) {
    PGconn* c = PQconnectdb(conninfo.c_str());
    if (c == nullptr || PQstatus(c) != CONNECTION_OK) {
      std::string message = c != nullptr ? PQerrorMessage(c) : "out of memory";
      if (c != nullptr) PQfinish(c);
      return absl::UnavailableError(
          absl::StrCat(call, ": cannot connect to PostgreSQL: ",
                       absl::StripTrailingAsciiWhitespace(message)));
    }
    PQsetNoticeProcessor(
        c, [](void*, const char*) {}, nullptr);
    return c;
  }

  // Reconnects a connection that broke (server restarted, network).
  absl::Status Ensure(absl::string_view call)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (conn != nullptr && PQstatus(conn) == CONNECTION_OK) {
      return absl::OkStatus();
    }
    if (conn != nullptr) PQfinish(conn);
    conn = nullptr;
    absl::StatusOr<PGconn*> c = Connect(conninfo, call);
    if (!c.ok()) return c.status();
    conn = *c;
    return absl::OkStatus();
  }
};

namespace {

// Runs `sql` and checks its status; the result.
absl::StatusOr<Result> Run(PGconn* conn, absl::string_view call,
                           const char* sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const Param& p : params) {
    values.push_back(p.null ? nullptr : p.value.data());
    lengths.push_back(static_cast<int>(p.value.size()));
    formats.push_back(p.binary ? 1 : 0);
  }
  // Without parameters, the simple protocol (it runs several statements,
  // e.g. the schema).
  PGresult* r =
      params.empty()
          ? PQexec(conn, sql)
          : PQexecParams(conn, sql, static_cast<int>(params.size()), nullptr,
                         values.data(), lengths.data(), formats.data(), 0);
  const ExecStatusType st = PQresultStatus(r);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Result(r);
  std::string message = r != nullptr ? PQresultErrorMessage(r) : "";
  if (message.empty()) message = PQerrorMessage(conn);
  const char* sqlstate =
      r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string state = sqlstate != nullptr ? sqlstate : "";
  PQclear(r);
  const std::string full = absl::StrCat(
      call, ": PostgreSQL: ", absl::StripTrailingAsciiWhitespace(message));
  // Connection trouble (class 08), serialization failures and deadlocks
  // (40001, 40P01) are worth retrying.
  if (PQstatus(conn) != CONNECTION_OK || state.rfind("08", 0) == 0 ||
      state == "40001" || state == "40P01") {
    return absl::UnavailableError(full);
  }
  return absl::InternalError(full);
}

}  // namespace

PostgresStore::PostgresStore(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
PostgresStore::~PostgresStore() = default;

namespace {

// Runs `body` in BEGIN ... COMMIT; rolls back if it returns an error.
template <typename Body>
absl::Status Transaction(PGconn* conn, absl::string_view call, Body body) {
  if (absl::StatusOr<Result> r = Run(conn, call, "BEGIN", {}); !r.ok()) {
    return r.status();
  }
  absl::Status s = body();
  if (!s.ok()) {
    (void)Run(conn, call, "ROLLBACK", {});
    return s;
  }
  if (absl::StatusOr<Result> r = Run(conn, call, "COMMIT", {}); !r.ok()) {
    (void)Run(conn, call, "ROLLBACK", {});
    return r.status();
  }
  return absl::OkStatus();
}

absl::Status InsertOutbox(PGconn* conn, absl::string_view call,
                          absl::string_view id, int64_t version,
                          const std::vector<OutboxMessage>& outbox) {
  // One statement per 1,000 messages (6 parameters each, well below
  // PostgreSQL's 65,535): a step costs one round trip for its outbox.
  constexpr size_t kRowsPerStatement = 1000;
  for (size_t begin = 0; begin < outbox.size(); begin += kRowsPerStatement) {
    const size_t end = std::min(outbox.size(), begin + kRowsPerStatement);
    std::string sql =
        "INSERT INTO sluice_outbox (rollout, key, kind, sequence, version, "
        "payload) VALUES ";
    std::vector<Param> params;
    for (size_t i = begin; i < end; ++i) {
      const OutboxMessage& m = outbox[i];
      const size_t p = params.size();
      absl::StrAppend(&sql, i == begin ? "" : ", ", "($", p + 1, ", $", p + 2,
                      ", $", p + 3, ", $", p + 4, ", $", p + 5, ", $", p + 6,
                      ")");
      params.push_back(Text(id));
      params.push_back(Text(m.key));
      params.push_back(Int(static_cast<int>(m.kind)));
      params.push_back(Int(m.sequence));
      params.push_back(Int(version));
      params.push_back(Bytes(m.payload));
    }
    absl::StrAppend(&sql, " ON CONFLICT DO NOTHING");
    absl::StatusOr<Result> r = Run(conn, call, sql.c_str(), params);
    if (!r.ok()) return r.status();
  }
  return absl::OkStatus();
}

absl::Status Notify(PGconn* conn, absl::string_view call) {
  absl::StatusOr<Result> r = Run(conn, call, "NOTIFY sluice_rollouts", {});
  return r.ok() ? absl::OkStatus() : r.status();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const std::string& conninfo) {
  constexpr absl::string_view kCall = "PostgresStore::Open";
  if (conninfo.empty()) {
    return absl::InvalidArgumentError(
        "PostgresStore::Open: conninfo: must not be empty");
  }
  auto impl = std::make_unique<Impl>();
  impl->conninfo = conninfo;
  Impl& m = *impl;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure(kCall); !s.ok()) return s;
  absl::Status s = Transaction(m.conn, kCall, [&]() -> absl::Status {
    // One migrator at a time; the lock ends with the transaction.
    absl::StatusOr<Result> r =
        Run(m.conn, kCall, "SELECT pg_advisory_xact_lock($1)",
            {Int(kMigrationLock)});
    if (!r.ok()) return r.status();
    r = Run(m.conn, kCall,
            "CREATE TABLE IF NOT EXISTS sluice_schema (version integer NOT "
            "NULL)",
            {});
    if (!r.ok()) return r.status();
    r = Run(m.conn, kCall, "SELECT max(version) FROM sluice_schema", {});
    if (!r.ok()) return r.status();
    const int64_t version = r->null(0, 0) ? 0 : r->integer(0, 0);
    if (version > kSchemaVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat(kCall, ": the database has schema version ", version,
                       ", newer than this library's ", kSchemaVersion,
                       ": upgrade the library"));
    }
    // Migrations by version: 0 -> 1 creates the tables.
    if (version < 1) {
      r = Run(m.conn, kCall, kSchemaV1, {});
      if (!r.ok()) return r.status();
    }
    if (version < kSchemaVersion) {
      r = Run(m.conn, kCall, "DELETE FROM sluice_schema", {});
      if (!r.ok()) return r.status();
      r = Run(m.conn, kCall, "INSERT INTO sluice_schema VALUES ($1)",
              {Int(kSchemaVersion)});
      if (!r.ok()) return r.status();
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(impl)));
}

absl::Status PostgresStore::Create(const StoredRollout& rollout,
                                   const std::vector<OutboxMessage>& outbox) {
  constexpr absl::string_view kCall = "Create";
  if (absl::Status s = ValidateStoredRollout(kCall, rollout); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateOutbox(kCall, outbox); !s.ok()) return s;
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure(kCall); !s.ok()) return s;
  return Transaction(m.conn, kCall, [&]() -> absl::Status {
    absl::StatusOr<Result> r =
        Run(m.conn, kCall,
            "INSERT INTO sluice_rollouts (id, version, state, next_wakeup, "
            "terminal, status) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT "
            "(id) DO NOTHING",
            {Text(rollout.id), Int(rollout.version), Bytes(rollout.state),
             Int(ToMicros(rollout.next_wakeup)), Bool(rollout.terminal),
             Text(rollout.status)});
    if (!r.ok()) return r.status();
    if (std::string(r->affected()) != "1") {
      return absl::AlreadyExistsError(
          absl::StrCat("Create: rollout \"", rollout.id, "\" already exists"));
    }
    if (absl::Status s =
            InsertOutbox(m.conn, kCall, rollout.id, rollout.version, outbox);
        !s.ok()) {
      return s;
    }
    return Notify(m.conn, kCall);
  });
}

absl::StatusOr<StoredRollout> PostgresStore::Get(absl::string_view id) {
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure("Get"); !s.ok()) return s;
  absl::StatusOr<Result> r =
      Run(m.conn, "Get",
          "SELECT version, state, next_wakeup, terminal, status FROM "
          "sluice_rollouts WHERE id = $1",
          {Text(id)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return NoRollout("Get", id);
  StoredRollout out;
  out.id = std::string(id);
  out.version = r->integer(0, 0);
  out.state = r->bytes(0, 1);
  out.next_wakeup = FromMicros(r->integer(0, 2));
  out.terminal = r->boolean(0, 3);
  out.status = r->text(0, 4);
  return out;
}

absl::StatusOr<std::vector<std::string>> PostgresStore::List() {
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure("List"); !s.ok()) return s;
  absl::StatusOr<Result> r =
      Run(m.conn, "List",
          "SELECT id FROM sluice_rollouts ORDER BY id COLLATE \"C\"", {});
  if (!r.ok()) return r.status();
  std::vector<std::string> ids;
  for (int i = 0; i < r->rows(); ++i) ids.push_back(r->text(i, 0));
  return ids;
}

absl::StatusOr<CasResult> PostgresStore::CompareAndSwap(
    const CasRequest& request) {
  constexpr absl::string_view kCall = "CompareAndSwap";
  if (absl::Status s = ValidateCasRequest(request); !s.ok()) return s;
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure(kCall); !s.ok()) return s;
  CasResult result = CasResult::kSwapped;
  absl::Status s = Transaction(m.conn, kCall, [&]() -> absl::Status {
    const bool fenced = request.fence.has_value();
    absl::StatusOr<Result> r = Run(
        m.conn, kCall,
        "UPDATE sluice_rollouts SET version = $3, state = $4, "
        "next_wakeup = $5, terminal = $6, status = $7 WHERE id = $1 AND "
        "version = $2 AND (NOT $8 OR (lease_holder = $9 AND lease_token "
        "= $10))",
        {Text(request.id), Int(request.expected_version), Int(request.version),
         Bytes(request.state), Int(ToMicros(request.next_wakeup)),
         Bool(request.terminal), Text(request.status), Bool(fenced),
         Text(fenced ? request.fence->holder : ""),
         Int(fenced ? request.fence->token : 0)});
    if (!r.ok()) return r.status();
    if (std::string(r->affected()) == "1") {
      if (absl::Status e = InsertOutbox(m.conn, kCall, request.id,
                                        request.version, request.outbox);
          !e.ok()) {
        return e;
      }
      return Notify(m.conn, kCall);
    }
    // Nothing updated: say why.
    r = Run(m.conn, kCall, "SELECT version FROM sluice_rollouts WHERE id = $1",
            {Text(request.id)});
    if (!r.ok()) return r.status();
    if (r->rows() == 0) return NoRollout(kCall, request.id);
    result = r->integer(0, 0) != request.expected_version
                 ? CasResult::kStaleVersion
                 : CasResult::kLeaseLost;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<bool> PostgresStore::SetNextWakeup(absl::string_view id,
                                                  int64_t version,
                                                  absl::Time next_wakeup) {
  constexpr absl::string_view kCall = "SetNextWakeup";
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure(kCall); !s.ok()) return s;
  absl::StatusOr<Result> r =
      Run(m.conn, kCall,
          "UPDATE sluice_rollouts SET next_wakeup = $3 WHERE id = $1 AND "
          "version = $2",
          {Text(id), Int(version), Int(ToMicros(next_wakeup))});
  if (!r.ok()) return r.status();
  if (std::string(r->affected()) == "1") return true;
  r = Run(m.conn, kCall, "SELECT 1 FROM sluice_rollouts WHERE id = $1",
          {Text(id)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return NoRollout(kCall, id);
  return false;
}

absl::StatusOr<std::vector<DueRollout>> PostgresStore::ListDue(absl::Time now,
                                                               int limit) {
  if (absl::Status s = CheckLimit("ListDue", limit); !s.ok()) return s;
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure("ListDue"); !s.ok()) return s;
  absl::StatusOr<Result> r =
      Run(m.conn, "ListDue",
          "SELECT id, version, next_wakeup FROM sluice_rollouts WHERE NOT "
          "terminal AND next_wakeup <= $1 ORDER BY next_wakeup, id COLLATE "
          "\"C\" LIMIT $2",
          {Int(ToMicros(now)), Int(limit)});
  if (!r.ok()) return r.status();
  std::vector<DueRollout> due;
  for (int i = 0; i < r->rows(); ++i) {
    due.push_back(
        {r->text(i, 0), r->integer(i, 1), FromMicros(r->integer(i, 2))});
  }
  return due;
}

absl::StatusOr<std::optional<Lease>> PostgresStore::AcquireLease(
    absl::string_view id, absl::string_view holder, absl::Time now,
    absl::Duration ttl) {
  constexpr absl::string_view kCall = "AcquireLease";
  if (absl::Status s = internal::CheckLeaseArgs(holder, ttl); !s.ok()) {
    return s;
  }
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure(kCall); !s.ok()) return s;
  absl::StatusOr<Result> r = Run(
      m.conn, kCall,
      "UPDATE sluice_rollouts SET lease_token = CASE WHEN lease_holder = "
      "$2 THEN lease_token ELSE lease_token + 1 END, lease_holder = $2, "
      "lease_expires = $4 WHERE id = $1 AND (lease_holder IS NULL OR "
      "lease_holder = $2 OR lease_expires <= $3) RETURNING lease_token",
      {Text(id), Text(holder), Int(ToMicros(now)), Int(ToMicros(now + ttl))});
  if (!r.ok()) return r.status();
  if (r->rows() == 1) {
    return std::optional<Lease>(Lease{std::string(id), std::string(holder),
                                      r->integer(0, 0), now + ttl});
  }
  r = Run(m.conn, kCall, "SELECT 1 FROM sluice_rollouts WHERE id = $1",
          {Text(id)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return NoRollout(kCall, id);
  return std::optional<Lease>();
}

absl::Status PostgresStore::ReleaseLease(absl::string_view id,
                                         absl::string_view holder,
                                         int64_t token) {
  constexpr absl::string_view kCall = "ReleaseLease";
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure(kCall); !s.ok()) return s;
  absl::StatusOr<Result> r = Run(
      m.conn, kCall, "SELECT 1 FROM sluice_rollouts WHERE id = $1", {Text(id)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return NoRollout(kCall, id);
  r = Run(m.conn, kCall,
          "UPDATE sluice_rollouts SET lease_expires = $4 WHERE id = $1 AND "
          "lease_holder = $2 AND lease_token = $3",
          {Text(id), Text(holder), Int(token), Int(kPastMicros)});
  if (!r.ok()) return r.status();
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Lease>> PostgresStore::GetLease(
    absl::string_view id) {
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure("GetLease"); !s.ok()) return s;
  absl::StatusOr<Result> r =
      Run(m.conn, "GetLease",
          "SELECT lease_holder, lease_token, lease_expires FROM "
          "sluice_rollouts WHERE id = $1",
          {Text(id)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return NoRollout("GetLease", id);
  if (r->null(0, 0)) return std::optional<Lease>();
  return std::optional<Lease>(Lease{std::string(id), r->text(0, 0),
                                    r->integer(0, 1),
                                    FromMicros(r->integer(0, 2))});
}

absl::StatusOr<std::vector<OutboxMessage>> PostgresStore::PendingOutbox(
    absl::string_view rollout, int limit) {
  if (absl::Status s = CheckLimit("PendingOutbox", limit); !s.ok()) return s;
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure("PendingOutbox"); !s.ok()) return s;
  absl::StatusOr<Result> r =
      Run(m.conn, "PendingOutbox",
          "SELECT rollout, key, kind, sequence, version, payload FROM "
          "sluice_outbox WHERE NOT acked AND ($1 = '' OR rollout = $1) "
          "ORDER BY rollout COLLATE \"C\", version, sequence, key COLLATE "
          "\"C\" LIMIT $2",
          {Text(rollout), Int(limit)});
  if (!r.ok()) return r.status();
  std::vector<OutboxMessage> pending;
  for (int i = 0; i < r->rows(); ++i) {
    OutboxMessage msg;
    msg.rollout = r->text(i, 0);
    msg.key = r->text(i, 1);
    msg.kind = r->integer(i, 2) == static_cast<int>(OutboxKind::kNotification)
                   ? OutboxKind::kNotification
                   : OutboxKind::kEvent;
    msg.sequence = r->integer(i, 3);
    msg.version = r->integer(i, 4);
    msg.payload = r->bytes(i, 5);
    pending.push_back(std::move(msg));
  }
  return pending;
}

absl::Status PostgresStore::Ack(absl::string_view rollout,
                                absl::string_view key) {
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure("Ack"); !s.ok()) return s;
  absl::StatusOr<Result> r = Run(
      m.conn, "Ack",
      "UPDATE sluice_outbox SET acked = true WHERE rollout = $1 AND key = $2",
      {Text(rollout), Text(key)});
  return r.ok() ? absl::OkStatus() : r.status();
}

absl::StatusOr<bool> PostgresStore::WaitForChange(absl::Duration timeout) {
  constexpr absl::string_view kCall = "WaitForChange";
  Impl& m = *impl_;
  absl::MutexLock lock(&m.listen_mu);
  if (m.listen == nullptr || PQstatus(m.listen) != CONNECTION_OK) {
    if (m.listen != nullptr) PQfinish(m.listen);
    m.listen = nullptr;
    absl::StatusOr<PGconn*> c = Impl::Connect(m.conninfo, kCall);
    if (!c.ok()) return c.status();
    m.listen = *c;
    absl::StatusOr<Result> r =
        Run(m.listen, kCall, "LISTEN sluice_rollouts", {});
    if (!r.ok()) return r.status();
  }
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (PQconsumeInput(m.listen) == 0) {
      return absl::UnavailableError(absl::StrCat(
          kCall, ": PostgreSQL: ",
          absl::StripTrailingAsciiWhitespace(PQerrorMessage(m.listen))));
    }
    bool notified = false;
    while (PGnotify* n = PQnotifies(m.listen)) {
      notified = true;
      PQfreemem(n);
    }
    if (notified) return true;
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    const int fd = PQsocket(m.listen);
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(fd, &fds);
    timeval tv = absl::ToTimeval(left);
    if (select(fd + 1, &fds, nullptr, nullptr, &tv) < 0 && errno != EINTR) {
      return absl::InternalError(absl::StrCat(kCall, ": select failed"));
    }
  }
}

absl::Status PostgresStore::DeleteAllForTesting() {
  Impl& m = *impl_;
  absl::MutexLock lock(&m.mu);
  if (absl::Status s = m.Ensure("DeleteAllForTesting"); !s.ok()) return s;
  absl::StatusOr<Result> r = Run(m.conn, "DeleteAllForTesting",
                                 "TRUNCATE sluice_rollouts, sluice_outbox", {});
  return r.ok() ? absl::OkStatus() : r.status();
}

}  // namespace sluice
