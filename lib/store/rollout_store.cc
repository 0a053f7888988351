// Copyright 2026 The Sluice Authors.
//
// The RolloutStore's shared parts: names, argument checks every store makes
// the same way, and the polling WaitForChange().

#include "sluice/store/rollout_store.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace sluice {
namespace {

constexpr size_t kMaxIdBytes = 200;

absl::Status Invalid(absl::string_view call, absl::string_view field,
                     absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(call, ": ", field, ": ", message));
}

absl::Status ValidateId(absl::string_view call, absl::string_view field,
                        absl::string_view id) {
  if (id.empty()) return Invalid(call, field, "must not be empty");
  if (id.size() > kMaxIdBytes) {
    return Invalid(call, field,
                   absl::StrCat("must be at most ", kMaxIdBytes, " bytes (got ",
                                id.size(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view OutboxKindName(OutboxKind kind) {
  switch (kind) {
    case OutboxKind::kEvent:
      return "event";
    case OutboxKind::kNotification:
      return "notification";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, OutboxKind kind) {
  return os << OutboxKindName(kind);
}

absl::string_view CasResultName(CasResult result) {
  switch (result) {
    case CasResult::kSwapped:
      return "swapped";
    case CasResult::kStaleVersion:
      return "stale-version";
    case CasResult::kLeaseLost:
      return "lease-lost";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, CasResult result) {
  return os << CasResultName(result);
}

absl::StatusOr<bool> RolloutStore::WaitForChange(absl::Duration timeout) {
  if (timeout > absl::ZeroDuration()) absl::SleepFor(timeout);
  return false;
}

absl::Status ValidateStoredRollout(absl::string_view call,
                                   const StoredRollout& rollout) {
  if (absl::Status s = ValidateId(call, "id", rollout.id); !s.ok()) return s;
  if (rollout.state.empty()) return Invalid(call, "state", "must not be empty");
  if (rollout.version < 0) {
    return Invalid(call, "version",
                   absl::StrCat("must be >= 0 (got ", rollout.version, ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateOutbox(absl::string_view call,
                            const std::vector<OutboxMessage>& outbox) {
  std::set<std::string> keys;
  for (size_t i = 0; i < outbox.size(); ++i) {
    const std::string field = absl::StrCat("outbox[", i, "].key");
    if (absl::Status s = ValidateId(call, field, outbox[i].key); !s.ok()) {
      return s;
    }
    if (!keys.insert(outbox[i].key).second) {
      return Invalid(call, field,
                     absl::StrCat("\"", outbox[i].key, "\" appears twice"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCasRequest(const CasRequest& request) {
  constexpr absl::string_view kCall = "CompareAndSwap";
  if (absl::Status s = ValidateId(kCall, "id", request.id); !s.ok()) return s;
  if (request.state.empty()) {
    return Invalid(kCall, "state", "must not be empty");
  }
  if (request.version <= request.expected_version) {
    return Invalid(
        kCall, "version",
        absl::StrCat("must be > expected_version ", request.expected_version,
                     " (got ", request.version, ")"));
  }
  if (request.fence.has_value() && request.fence->holder.empty()) {
    return Invalid(kCall, "fence.holder", "must not be empty");
  }
  return ValidateOutbox(kCall, request.outbox);
}

}  // namespace sluice
