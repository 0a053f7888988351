// Copyright 2026 The Sluice Authors.
//
// InMemoryStore: the RolloutStore contract over maps behind one mutex.

#include "sluice/store/memory_store.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "lib/store/lease_args.h"

namespace sluice {
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

void InMemoryStore::AppendOutbox(const std::string& id, int64_t version,
                                 const std::vector<OutboxMessage>& outbox) {
  for (const OutboxMessage& m : outbox) {
    OutboxMessage copy = m;
    copy.rollout = id;
    copy.version = version;
    // The first write of a key wins: the outbox never holds a duplicate.
    outbox_.emplace(std::make_pair(id, m.key), std::make_pair(copy, false));
  }
}

absl::Status InMemoryStore::Create(const StoredRollout& rollout,
                                   const std::vector<OutboxMessage>& outbox) {
  if (absl::Status s = ValidateStoredRollout("Create", rollout); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateOutbox("Create", outbox); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  if (rows_.count(rollout.id) > 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("Create: rollout \"", rollout.id, "\" already exists"));
  }
  rows_[rollout.id].rollout = rollout;
  AppendOutbox(rollout.id, rollout.version, outbox);
  ++changes_;
  return absl::OkStatus();
}

absl::StatusOr<StoredRollout> InMemoryStore::Get(absl::string_view id) {
  absl::MutexLock lock(&mu_);
  auto it = rows_.find(id);
  if (it == rows_.end()) return NoRollout("Get", id);
  return it->second.rollout;
}

absl::StatusOr<std::vector<std::string>> InMemoryStore::List() {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> ids;
  ids.reserve(rows_.size());
  for (const auto& [id, row] : rows_) ids.push_back(id);
  return ids;
}

absl::StatusOr<CasResult> InMemoryStore::CompareAndSwap(
    const CasRequest& request) {
  if (absl::Status s = ValidateCasRequest(request); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  auto it = rows_.find(request.id);
  if (it == rows_.end()) return NoRollout("CompareAndSwap", request.id);
  Row& row = it->second;
  if (row.rollout.version != request.expected_version) {
    return CasResult::kStaleVersion;
  }
  if (request.fence.has_value() &&
      (!row.lease.has_value() || row.lease->token != request.fence->token ||
       row.lease->holder != request.fence->holder)) {
    return CasResult::kLeaseLost;
  }
  row.rollout.version = request.version;
  row.rollout.state = request.state;
  row.rollout.next_wakeup = request.next_wakeup;
  row.rollout.terminal = request.terminal;
  row.rollout.status = request.status;
  AppendOutbox(request.id, request.version, request.outbox);
  ++changes_;
  return CasResult::kSwapped;
}

absl::StatusOr<bool> InMemoryStore::SetNextWakeup(absl::string_view id,
                                                  int64_t version,
                                                  absl::Time next_wakeup) {
  absl::MutexLock lock(&mu_);
  auto it = rows_.find(id);
  if (it == rows_.end()) return NoRollout("SetNextWakeup", id);
  if (it->second.rollout.version != version) return false;
  it->second.rollout.next_wakeup = next_wakeup;
  return true;
}

absl::StatusOr<std::vector<DueRollout>> InMemoryStore::ListDue(absl::Time now,
                                                               int limit) {
  if (absl::Status s = CheckLimit("ListDue", limit); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  std::vector<DueRollout> due;
  for (const auto& [id, row] : rows_) {
    if (row.rollout.terminal || row.rollout.next_wakeup > now) continue;
    due.push_back({id, row.rollout.version, row.rollout.next_wakeup});
  }
  std::sort(
      due.begin(), due.end(), [](const DueRollout& a, const DueRollout& b) {
        return std::tie(a.next_wakeup, a.id) < std::tie(b.next_wakeup, b.id);
      });
  if (due.size() > static_cast<size_t>(limit)) due.resize(limit);
  return due;
}

absl::StatusOr<std::optional<Lease>> InMemoryStore::AcquireLease(
    absl::string_view id, absl::string_view holder, absl::Time now,
    absl::Duration ttl) {
  if (absl::Status s = internal::CheckLeaseArgs(holder, ttl); !s.ok()) {
    return s;
  }
  absl::MutexLock lock(&mu_);
  auto it = rows_.find(id);
  if (it == rows_.end()) return NoRollout("AcquireLease", id);
  std::optional<Lease>& lease = it->second.lease;
  if (lease.has_value() && lease->holder == holder) {
    lease->expires = now + ttl;  // renewal: same token
    return lease;
  }
  if (lease.has_value() && lease->expires > now) return std::nullopt;
  const int64_t token = lease.has_value() ? lease->token + 1 : 1;
  lease = Lease{std::string(id), std::string(holder), token, now + ttl};
  return lease;
}

absl::Status InMemoryStore::ReleaseLease(absl::string_view id,
                                         absl::string_view holder,
                                         int64_t token) {
  absl::MutexLock lock(&mu_);
  auto it = rows_.find(id);
  if (it == rows_.end()) return NoRollout("ReleaseLease", id);
  std::optional<Lease>& lease = it->second.lease;
  if (lease.has_value() && lease->holder == holder && lease->token == token) {
    lease->expires = absl::InfinitePast();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Lease>> InMemoryStore::GetLease(
    absl::string_view id) {
  absl::MutexLock lock(&mu_);
  auto it = rows_.find(id);
  if (it == rows_.end()) return NoRollout("GetLease", id);
  return it->second.lease;
}

absl::StatusOr<std::vector<OutboxMessage>> InMemoryStore::PendingOutbox(
    absl::string_view rollout, int limit) {
  if (absl::Status s = CheckLimit("PendingOutbox", limit); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  std::vector<OutboxMessage> pending;
  for (const auto& [key, entry] : outbox_) {
    if (entry.second) continue;
    if (!rollout.empty() && key.first != rollout) continue;
    pending.push_back(entry.first);
  }
  std::sort(pending.begin(), pending.end(),
            [](const OutboxMessage& a, const OutboxMessage& b) {
              return std::tie(a.rollout, a.version, a.sequence, a.key) <
                     std::tie(b.rollout, b.version, b.sequence, b.key);
            });
  if (pending.size() > static_cast<size_t>(limit)) pending.resize(limit);
  return pending;
}

absl::Status InMemoryStore::Ack(absl::string_view rollout,
                                absl::string_view key) {
  absl::MutexLock lock(&mu_);
  auto it =
      outbox_.find(std::make_pair(std::string(rollout), std::string(key)));
  if (it != outbox_.end()) it->second.second = true;
  return absl::OkStatus();
}

absl::StatusOr<bool> InMemoryStore::WaitForChange(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  const int64_t seen = changes_;
  auto changed = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return changes_ != seen;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&changed), timeout);
}

}  // namespace sluice
