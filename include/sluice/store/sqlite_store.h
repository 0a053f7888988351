// Copyright 2026 The Sluice Authors.
//
// SqliteStore: the RolloutStore in one SQLite file, the embedded default
// (library sluice_store_sqlite, CMake target sluice::store_sqlite; Debian's
// libsqlite3). Several processes on one machine may open the same file: it
// runs in WAL mode, every write is one BEGIN IMMEDIATE transaction (state,
// version and outbox together), and a writer that finds the file locked
// waits up to `busy_timeout`. Not for network file systems (SQLite's own
// rule: its locks need a local file system).
//
// Schema: tables sluice_rollouts and sluice_outbox, versioned with SQLite's
// user_version (1); Open() creates it, and refuses a file written by a newer
// schema. Times are stored as Unix microseconds.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<sluice::SqliteStore>> store =
//       sluice::SqliteStore::Open("/var/lib/deployer/rollouts.db");
//   if (!store.ok()) return store.status();

#ifndef SLUICE_STORE_SQLITE_STORE_H_
#define SLUICE_STORE_SQLITE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/store/rollout_store.h"

namespace sluice {

// A RolloutStore in a SQLite file. Thread-safe (one connection per object,
// used under a mutex) and safe across processes on one machine.
class SqliteStore : public RolloutStore {
 public:
  // How Open() connects.
  struct Options {
    // How long a write waits for another process's transaction.
    // Default: 10 s. Must be >= 0.
    absl::Duration busy_timeout = absl::Seconds(10);
  };

  // Opens (creating if needed) the database file at `path` and its schema.
  // Errors: kInvalidArgument for an empty path or a negative busy_timeout;
  // kFailedPrecondition for a file of a newer schema version; kUnavailable
  // when SQLite cannot open the file, with SQLite's message.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& path, Options options);
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& path) {
    return Open(path, Options());
  }

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // RolloutStore (see there for the contract).
  absl::Status Create(const StoredRollout& rollout,
                      const std::vector<OutboxMessage>& outbox) override;
  absl::StatusOr<StoredRollout> Get(absl::string_view id) override;
  absl::StatusOr<std::vector<std::string>> List() override;
  absl::StatusOr<CasResult> CompareAndSwap(const CasRequest& request) override;
  absl::StatusOr<bool> SetNextWakeup(absl::string_view id, int64_t version,
                                     absl::Time next_wakeup) override;
  absl::StatusOr<std::vector<DueRollout>> ListDue(absl::Time now,
                                                  int limit) override;
  absl::StatusOr<std::optional<Lease>> AcquireLease(
      absl::string_view id, absl::string_view holder, absl::Time now,
      absl::Duration ttl) override;
  absl::Status ReleaseLease(absl::string_view id, absl::string_view holder,
                            int64_t token) override;
  absl::StatusOr<std::optional<Lease>> GetLease(absl::string_view id) override;
  absl::StatusOr<std::vector<OutboxMessage>> PendingOutbox(
      absl::string_view rollout, int limit) override;
  absl::Status Ack(absl::string_view rollout, absl::string_view key) override;
  // Polls the file's data version every 20 ms: wakes when any connection
  // (this process or another) committed a write.
  absl::StatusOr<bool> WaitForChange(absl::Duration timeout) override;

  // The schema version this library writes (user_version).
  static constexpr int kSchemaVersion = 1;

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice

#endif  // SLUICE_STORE_SQLITE_STORE_H_
