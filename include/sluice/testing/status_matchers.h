// Copyright 2026 The Sluice Authors.
//
// gMock matchers for absl::Status and absl::StatusOr<T>, for Sluice's tests
// and for users' tests of their own policies. Debian 12's Abseil (20220623)
// ships none, so Sluice provides this small set.
//
// Example:
//
//   #include "sluice/testing/status_matchers.h"
//
//   using ::sluice::testing::IsOk;
//   using ::sluice::testing::IsOkAndHolds;
//   using ::sluice::testing::StatusIs;
//   using ::testing::HasSubstr;
//
//   EXPECT_THAT(fleet.status(), IsOk());
//   EXPECT_THAT(sluice::Fleet::Create({}),
//               StatusIs(absl::StatusCode::kInvalidArgument,
//                        HasSubstr("targets: must not be empty")));
//   EXPECT_THAT(ParsePercent("5"), IsOkAndHolds(5.0));
//
// Thread-safety: matchers are thread-compatible, like all gMock matchers.

#ifndef SLUICE_TESTING_STATUS_MATCHERS_H_
#define SLUICE_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace sluice::testing {
namespace internal_status {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}

template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

}  // namespace internal_status

// Matches an OK absl::Status or an absl::StatusOr<T> that holds a value.
MATCHER(IsOk, "is OK") {
  const absl::Status& status = internal_status::GetStatus(arg);
  if (status.ok()) return true;
  *result_listener << "which is " << status;
  return false;
}

// Matches an absl::Status or absl::StatusOr<T> whose code equals `code` and
// whose message matches `message_matcher`, a string matcher such as
// ::testing::HasSubstr("weight").
MATCHER_P2(StatusIs, code, message_matcher,
           "has code " + absl::StatusCodeToString(code) +
               " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  const absl::Status& status = internal_status::GetStatus(arg);
  if (status.code() != code) {
    *result_listener << "which is " << status;
    return false;
  }
  if (!::testing::Matches(message_matcher)(std::string(status.message()))) {
    *result_listener << "which is " << status;
    return false;
  }
  return true;
}

// Matches an absl::Status or absl::StatusOr<T> whose code equals `code`,
// whatever its message.
inline auto StatusIs(absl::StatusCode code) {
  return StatusIs(code, ::testing::_);
}

// Matches an absl::StatusOr<T> that holds a value matching `value_matcher`.
MATCHER_P(
    IsOkAndHolds, value_matcher,
    "is OK and holds a value that " +
        ::testing::DescribeMatcher<typename std::decay_t<arg_type>::value_type>(
            value_matcher)) {
  if (!arg.ok()) {
    *result_listener << "which is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, *arg, result_listener);
}

}  // namespace sluice::testing

// Asserts that `rexpr` (an absl::StatusOr<T>) is OK and moves its value into
// `lhs`, which may be a declaration.
#define SLUICE_ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  SLUICE_ASSERT_OK_AND_ASSIGN_IMPL_(            \
      SLUICE_TESTING_CONCAT_(sluice_statusor_, __LINE__), lhs, rexpr)

#define SLUICE_ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                      \
  ASSERT_TRUE(statusor.ok()) << statusor.status();              \
  lhs = std::move(statusor).value()

#define SLUICE_TESTING_CONCAT_INNER_(a, b) a##b
#define SLUICE_TESTING_CONCAT_(a, b) SLUICE_TESTING_CONCAT_INNER_(a, b)

// Expects / asserts that `expr` (an absl::Status or absl::StatusOr<T>) is OK.
#define SLUICE_EXPECT_OK(expr) EXPECT_THAT((expr), ::sluice::testing::IsOk())
#define SLUICE_ASSERT_OK(expr) ASSERT_THAT((expr), ::sluice::testing::IsOk())

#endif  // SLUICE_TESTING_STATUS_MATCHERS_H_
