// Copyright 2026 The Sluice Authors.
//
// InMemoryStore: a RolloutStore in this process's memory, for tests and for
// hosts that run one controller process and keep snapshots elsewhere. It
// implements the whole contract (sluice/store/rollout_store.h), leases and
// outbox included, and passes the conformance suite
// (sluice/testing/store_conformance.h); nothing survives the process.
//
// Example:
//
//   sluice::InMemoryStore store;
//   sluice::Controller controller(store, config);  // sluice/store/controller.h

#ifndef SLUICE_STORE_MEMORY_STORE_H_
#define SLUICE_STORE_MEMORY_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sluice/store/rollout_store.h"

namespace sluice {

// A RolloutStore in memory. Thread-safe: every call takes one mutex.
class InMemoryStore : public RolloutStore {
 public:
  InMemoryStore() = default;
  InMemoryStore(const InMemoryStore&) = delete;
  InMemoryStore& operator=(const InMemoryStore&) = delete;

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
  // Wakes when another thread swaps or creates a rollout in this store.
  absl::StatusOr<bool> WaitForChange(absl::Duration timeout) override;

 private:
  struct Row {
    StoredRollout rollout;
    std::optional<Lease> lease;
  };
  void AppendOutbox(const std::string& id, int64_t version,
                    const std::vector<OutboxMessage>& outbox)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::map<std::string, Row, std::less<>> rows_ ABSL_GUARDED_BY(mu_);
  // (rollout, key) -> message and whether it was acknowledged.
  std::map<std::pair<std::string, std::string>, std::pair<OutboxMessage, bool>>
      outbox_ ABSL_GUARDED_BY(mu_);
  int64_t changes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace sluice

#endif  // SLUICE_STORE_MEMORY_STORE_H_
