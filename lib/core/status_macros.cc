// Copyright 2026 The Sluice Authors.

#include "lib/core/status_macros.h"

#include "absl/strings/str_cat.h"

namespace sluice::internal {

absl::Status PrefixStatus(const absl::Status& status,
                          absl::string_view context) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(context, ": ", status.message()));
}

absl::Status NestStatus(const absl::Status& status, absl::string_view parent) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(parent, ".", status.message()));
}

absl::Status InvalidArgumentAt(absl::string_view path,
                               absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", message));
}

}  // namespace sluice::internal
