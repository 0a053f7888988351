// Copyright 2026 The Sluice Authors.
//
// RolloutStore: where controller processes share rollouts (issue 12,
// docs/distributed.md). A store holds, per rollout id, the snapshot bytes
// (Rollout::Snapshot()) with their state version, the time the rollout next
// needs a step (Rollout::NextWakeup()), a lease, and an outbox of the events
// and notifications each step produced. Everything a step writes commits in
// one compare-and-swap, so a step is all or nothing:
//
//   read -> Restore -> step -> CompareAndSwap(expected version, new state,
//   outbox messages, fence) -> act -> publish the outbox -> Ack
//
// Implementations: InMemoryStore (sluice/store/memory_store.h, tests and
// single-process hosts), SqliteStore (sluice/store/sqlite_store.h, library
// sluice_store_sqlite), PostgresStore (sluice/store/postgres_store.h,
// library sluice_store_postgres). A host's own store (etcd, DynamoDB) proves
// itself with the conformance suite in sluice/testing/store_conformance.h.
//
// Example, one step of a rollout (the Controller, sluice/store/controller.h,
// does this for many rollouts with leases and retries):
//
//   absl::StatusOr<sluice::StoredRollout> row = store.Get("web-2.4.1");
//   ... restore, Advance(now), collect events into `messages` ...
//   sluice::CasRequest cas;
//   cas.id = row->id;
//   cas.expected_version = row->version;
//   cas.state = rollout->Snapshot();
//   cas.version = rollout->state_version();
//   cas.next_wakeup = rollout->NextWakeup();
//   cas.outbox = messages;
//   absl::StatusOr<sluice::CasResult> r = store.CompareAndSwap(cas);
//   if (r.ok() && *r == sluice::CasResult::kSwapped) { /* act, publish */ }

#ifndef SLUICE_STORE_ROLLOUT_STORE_H_
#define SLUICE_STORE_ROLLOUT_STORE_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace sluice {

// One rollout as stored. Value type; thread-compatible.
struct StoredRollout {
  // The rollout's key, unique in the store. Must be non-empty and at most
  // 200 bytes. Default: empty.
  std::string id;
  // The state version of `state` (Rollout::state_version()). Default: 0.
  int64_t version = 0;
  // Rollout::Snapshot() bytes. Default: empty.
  std::string state;
  // When the rollout next needs a step without new input
  // (Rollout::NextWakeup()); absl::InfiniteFuture() for never.
  // Default: absl::InfiniteFuture().
  absl::Time next_wakeup = absl::InfiniteFuture();
  // The rollout is over (IsTerminal(status)): ListDue() skips it.
  // Default: false.
  bool terminal = false;
  // The rollout's status name (RolloutStatusName()), for listings.
  // Default: empty.
  std::string status;
};

// What an outbox message carries.
enum class OutboxKind {
  // A RolloutEvent, as one JSON line (EventToJsonLine()).
  kEvent,
  // A notify or request-approval action: a page or a request for a person,
  // as the JSON of a sluice.v1.ActionRecord.
  kNotification,
};

// "event" or "notification".
absl::string_view OutboxKindName(OutboxKind kind);
std::ostream& operator<<(std::ostream& os, OutboxKind kind);

// One message of the transactional outbox: written in the same transaction
// as the state that produced it, pending until acknowledged. Value type;
// thread-compatible.
struct OutboxMessage {
  // The rollout it belongs to. Default: empty (set by CompareAndSwap() and
  // Create() from the request's id).
  std::string rollout;
  // Unique per rollout, the deduplication key: "event-<sequence>" for
  // events, the action id (e.g. "notify-13") for notifications. Required.
  // Default: empty.
  std::string key;
  // What it carries. Default: kEvent.
  OutboxKind kind = OutboxKind::kEvent;
  // Order within the rollout: the event sequence, or for a notification the
  // sequence of the event issued with it. Default: 0.
  int64_t sequence = 0;
  // The state version whose write added it. Default: 0 (set by the store).
  int64_t version = 0;
  // The message itself (see OutboxKind). Default: empty.
  std::string payload;

  friend bool operator==(const OutboxMessage& a, const OutboxMessage& b) {
    return a.rollout == b.rollout && a.key == b.key && a.kind == b.kind &&
           a.sequence == b.sequence && a.version == b.version &&
           a.payload == b.payload;
  }
  friend bool operator!=(const OutboxMessage& a, const OutboxMessage& b) {
    return !(a == b);
  }
};

// A lease on one rollout: the holder may step it until `expires`. Each
// takeover by a new holder increments `token`, the fencing token that
// CompareAndSwap() checks. Value type; thread-compatible.
struct Lease {
  // The rollout. Default: empty.
  std::string rollout;
  // Who holds it (a controller's id). Default: empty.
  std::string holder;
  // 1 for the first holder, +1 per change of holder. Default: 0.
  int64_t token = 0;
  // Until when (the `now` of the acquiring call plus its ttl).
  // Default: the epoch.
  absl::Time expires = absl::UnixEpoch();
};

// The lease a CompareAndSwap() must still hold: the swap fails with
// kLeaseLost when the rollout's lease token is no longer `token` (another
// holder took it over).
struct Fence {
  // The holder. Required. Default: empty.
  std::string holder;
  // The token AcquireLease() returned. Default: 0.
  int64_t token = 0;
};

// One compare-and-swap: the new state of rollout `id` if its stored version
// is still `expected_version`, with the outbox messages of the step. Value
// type; thread-compatible.
struct CasRequest {
  // The rollout. Required. Default: empty.
  std::string id;
  // The version read. Default: 0.
  int64_t expected_version = 0;
  // The new version; must be > expected_version. Default: 0.
  int64_t version = 0;
  // The new snapshot bytes. Required (non-empty). Default: empty.
  std::string state;
  // As StoredRollout. Default: absl::InfiniteFuture().
  absl::Time next_wakeup = absl::InfiniteFuture();
  // As StoredRollout. Default: false.
  bool terminal = false;
  // As StoredRollout. Default: empty.
  std::string status;
  // The step's events and notifications, committed with the state. A
  // message whose (rollout, key) is already in the outbox is skipped (the
  // outbox never holds a duplicate). Default: none.
  std::vector<OutboxMessage> outbox;
  // If set, the lease the writer must still hold. Default: unset (operator
  // commands swap without a lease; the version check alone decides).
  std::optional<Fence> fence;
};

// What a compare-and-swap did.
enum class CasResult {
  // Written, with its outbox messages.
  kSwapped,
  // Nothing written: the stored version is not the expected one (another
  // writer won the race; reload and retry).
  kStaleVersion,
  // Nothing written: the fence's lease was taken over by another holder.
  kLeaseLost,
};

// "swapped", "stale-version" or "lease-lost".
absl::string_view CasResultName(CasResult result);
std::ostream& operator<<(std::ostream& os, CasResult result);

// A rollout due for a step, as ListDue() returns it.
struct DueRollout {
  // The rollout. Default: empty.
  std::string id;
  // Its stored version. Default: 0.
  int64_t version = 0;
  // Its stored next wakeup. Default: absl::InfiniteFuture().
  absl::Time next_wakeup = absl::InfiniteFuture();
};

// Where controllers share rollouts. Host interface: Sluice ships three
// implementations; a host may write its own and prove it with the
// conformance suite (sluice/testing/store_conformance.h).
//
// Errors: bad arguments are kInvalidArgument naming the call and field
// ("CompareAndSwap: version: must be > expected_version 4 (got 4)") and
// change nothing; an unknown rollout is kNotFound; a store that cannot be
// reached or failed is kUnavailable or kInternal with the backend's message.
//
// Thread safety: every implementation is thread-safe (one store object may
// be shared by a controller's threads), and the stores that persist
// (SQLite, PostgreSQL) are safe across processes.
class RolloutStore {
 public:
  virtual ~RolloutStore() = default;

  // Adds a rollout (its first snapshot) with the outbox messages of its
  // creation. kAlreadyExists if the id is taken (nothing changes);
  // kInvalidArgument for an empty or too long id or empty state.
  virtual absl::Status Create(const StoredRollout& rollout,
                              const std::vector<OutboxMessage>& outbox) = 0;

  // The rollout `id`. kNotFound if there is none.
  virtual absl::StatusOr<StoredRollout> Get(absl::string_view id) = 0;

  // The ids of every rollout, ascending.
  virtual absl::StatusOr<std::vector<std::string>> List() = 0;

  // Writes `request` atomically: state, version, wakeup, status and outbox
  // together, or nothing. kSwapped only if the stored version equals
  // request.expected_version and, with a fence, the rollout's lease token is
  // still the fence's token and its holder the fence's holder. kNotFound if
  // the rollout does not exist.
  virtual absl::StatusOr<CasResult> CompareAndSwap(
      const CasRequest& request) = 0;

  // Sets the stored next wakeup of rollout `id` if its version is still
  // `version`, without a new version (a step that found nothing to do but
  // a different wakeup, e.g. after an outcome made it due at once).
  // Returns whether it was set; kNotFound for an unknown rollout.
  virtual absl::StatusOr<bool> SetNextWakeup(absl::string_view id,
                                             int64_t version,
                                             absl::Time next_wakeup) = 0;

  // The non-terminal rollouts whose next wakeup is at or before `now`, by
  // next wakeup then id, at most `limit` (>= 1).
  virtual absl::StatusOr<std::vector<DueRollout>> ListDue(absl::Time now,
                                                          int limit) = 0;

  // Takes or renews the lease on rollout `id` for `holder` until now + ttl.
  // Granted if there is no lease, it expired (expires <= now), or `holder`
  // already holds it (renewal: same token, later expiry). A takeover by a
  // different holder increments the token. std::nullopt if another holder's
  // lease is live. kNotFound for an unknown rollout; kInvalidArgument for an
  // empty holder or ttl <= 0.
  virtual absl::StatusOr<std::optional<Lease>> AcquireLease(
      absl::string_view id, absl::string_view holder, absl::Time now,
      absl::Duration ttl) = 0;

  // Gives the lease up (it expires now) if `holder` holds it with `token`;
  // otherwise does nothing. kNotFound for an unknown rollout.
  virtual absl::Status ReleaseLease(absl::string_view id,
                                    absl::string_view holder,
                                    int64_t token) = 0;

  // The rollout's current lease, if one was ever taken (it may have
  // expired). kNotFound for an unknown rollout.
  virtual absl::StatusOr<std::optional<Lease>> GetLease(
      absl::string_view id) = 0;

  // Unacknowledged outbox messages ordered by rollout, then version,
  // sequence and key (so each rollout's in the order they were written), at
  // most `limit` (>= 1); of one rollout only if `rollout` is non-empty.
  virtual absl::StatusOr<std::vector<OutboxMessage>> PendingOutbox(
      absl::string_view rollout, int limit) = 0;

  // Acknowledges a message: it is delivered and leaves the pending list.
  // Acknowledging one twice, or one that does not exist, is not an error
  // (deliveries are at least once).
  virtual absl::Status Ack(absl::string_view rollout,
                           absl::string_view key) = 0;

  // Blocks until another writer may have changed a rollout (PostgreSQL's
  // LISTEN/NOTIFY) or `timeout` passes; returns whether a change was
  // signalled. The default, for stores without notifications, sleeps for
  // the timeout and returns false: controllers then poll.
  virtual absl::StatusOr<bool> WaitForChange(absl::Duration timeout);
};

// Checks the arguments every store checks the same way, naming the call and
// field; OK if valid. For implementations.
absl::Status ValidateStoredRollout(absl::string_view call,
                                   const StoredRollout& rollout);
absl::Status ValidateCasRequest(const CasRequest& request);
absl::Status ValidateOutbox(absl::string_view call,
                            const std::vector<OutboxMessage>& outbox);

}  // namespace sluice

#endif  // SLUICE_STORE_ROLLOUT_STORE_H_
