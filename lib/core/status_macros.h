// Copyright 2026 The Sluice Authors.
//
// Private status-propagation macros. Abseil 20220623 (Debian 12) ships no
// ABSL_RETURN_IF_ERROR / ASSIGN_OR_RETURN, so Sluice defines its own once.

#ifndef SLUICE_LIB_CORE_STATUS_MACROS_H_
#define SLUICE_LIB_CORE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Evaluates `expr` (an absl::Status) and returns it from the enclosing
// function when it is not OK.
#define SLUICE_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::absl::Status sluice_status_internal_ = (expr); \
    if (!sluice_status_internal_.ok()) {             \
      return sluice_status_internal_;                \
    }                                                \
  } while (false)

#define SLUICE_STATUS_MACROS_CONCAT_INNER_(a, b) a##b
#define SLUICE_STATUS_MACROS_CONCAT_(a, b) \
  SLUICE_STATUS_MACROS_CONCAT_INNER_(a, b)

// NOLINTBEGIN(bugprone-macro-parentheses): `lhs` may be a declaration.
#define SLUICE_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) {                                    \
    return std::move(statusor).status();                   \
  }                                                        \
  lhs = std::move(statusor).value()
// NOLINTEND(bugprone-macro-parentheses)

// Evaluates `expr` (an absl::StatusOr<T>); on error returns its status from
// the enclosing function, otherwise moves the value into `lhs`, which may be a
// declaration (`auto x`) or an existing lvalue.
#define SLUICE_ASSIGN_OR_RETURN(lhs, expr)                                    \
  SLUICE_ASSIGN_OR_RETURN_IMPL_(                                              \
      SLUICE_STATUS_MACROS_CONCAT_(sluice_statusor_internal_, __LINE__), lhs, \
      expr)

namespace sluice::internal {

// Returns `status` with `context` and ": " prepended to its message, keeping
// the code. An OK status is returned unchanged. For context that is not a
// field path, e.g. a file name: "fleet.csv: line 4: ...".
absl::Status PrefixStatus(const absl::Status& status,
                          absl::string_view context);

// Returns `status` with the field path `parent` and "." prepended, keeping the
// code: NestStatus(s, "targets[3]") turns "weight: must be ..." into
// "targets[3].weight: must be ...". Messages of field errors start with the
// field's path by convention. An OK status is returned unchanged.
absl::Status NestStatus(const absl::Status& status, absl::string_view parent);

// Returns kInvalidArgument with the message "<path>: <message>".
absl::Status InvalidArgumentAt(absl::string_view path,
                               absl::string_view message);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_CORE_STATUS_MACROS_H_
