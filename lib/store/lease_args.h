// Copyright 2026 The Sluice Authors.
//
// The checks every RolloutStore makes of AcquireLease()'s arguments, in one
// wording for all stores (private to the store components).

#ifndef SLUICE_LIB_STORE_LEASE_ARGS_H_
#define SLUICE_LIB_STORE_LEASE_ARGS_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace sluice::internal {

// kInvalidArgument "AcquireLease: holder: must not be empty" or
// "AcquireLease: ttl: must be > 0 (got ...)"; OK otherwise.
inline absl::Status CheckLeaseArgs(absl::string_view holder,
                                   absl::Duration ttl) {
  if (holder.empty()) {
    return absl::InvalidArgumentError(
        "AcquireLease: holder: must not be empty");
  }
  if (ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("AcquireLease: ttl: must be > 0 (got ",
                     absl::FormatDuration(ttl), ")"));
  }
  return absl::OkStatus();
}

}  // namespace sluice::internal

#endif  // SLUICE_LIB_STORE_LEASE_ARGS_H_
