// Copyright 2026 The Sluice Authors.
//
// PostgresStore: the RolloutStore in a PostgreSQL database (library
// sluice_store_postgres, CMake target sluice::store_postgres; Debian's
// libpq). Any number of controller processes on any machines share it.
//
// - Schema: tables sluice_rollouts and sluice_outbox, and sluice_schema
//   holding the schema version (1). Open() creates or migrates it by
//   version, under a transaction-scoped advisory lock so that controllers
//   starting together migrate once; it refuses a newer schema.
// - Compare-and-swap: one `UPDATE sluice_rollouts ... WHERE id = $1 AND
//   version = $2 [AND lease_holder = $h AND lease_token = $t]` in the same
//   transaction as the outbox rows (INSERT ... ON CONFLICT DO NOTHING).
// - Leases: one UPDATE that takes the lease if it is free, expired or the
//   caller's, incrementing the fencing token on a change of holder.
// - Wake-ups: every write sends NOTIFY sluice_rollouts; WaitForChange()
//   LISTENs on a second connection, so controllers react at once.
// Times are stored as Unix microseconds (bigint) as the caller gives them:
// lease expiry compares the callers' clocks (docs/distributed.md, clock
// skew).
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<sluice::PostgresStore>> store =
//       sluice::PostgresStore::Open("postgresql:///deploys?host=/run/pg");
//   if (!store.ok()) return store.status();

#ifndef SLUICE_STORE_POSTGRES_STORE_H_
#define SLUICE_STORE_POSTGRES_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/store/rollout_store.h"

namespace sluice {

// A RolloutStore in PostgreSQL. Thread-safe (one connection for calls, used
// under a mutex, and one for LISTEN); safe across processes and machines.
class PostgresStore : public RolloutStore {
 public:
  // Connects with libpq's `conninfo` (a URI "postgresql://..." or
  // "key=value" pairs) and creates or migrates the schema. Errors:
  // kInvalidArgument for an empty conninfo; kUnavailable when the server
  // cannot be reached, with libpq's message; kFailedPrecondition for a
  // database of a newer schema version.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      const std::string& conninfo);

  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

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
  // Waits for a NOTIFY sluice_rollouts (sent by every write from any
  // process) on its own connection.
  absl::StatusOr<bool> WaitForChange(absl::Duration timeout) override;

  // Deletes every rollout, lease and outbox message (for tests).
  absl::Status DeleteAllForTesting();

  // The schema version this library writes.
  static constexpr int kSchemaVersion = 1;

 private:
  struct Impl;
  explicit PostgresStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice

#endif  // SLUICE_STORE_POSTGRES_STORE_H_
