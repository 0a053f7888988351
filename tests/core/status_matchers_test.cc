// Copyright 2026 The Sluice Authors.

#include "sluice/testing/status_matchers.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/core/status_macros.h"

namespace sluice {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::IsOkAndHolds;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

absl::StatusOr<int> Half(int x) {
  if (x % 2 != 0) return absl::InvalidArgumentError("x: must be even");
  return x / 2;
}

absl::StatusOr<int> Quarter(int x) {
  SLUICE_ASSIGN_OR_RETURN(int half, Half(x));
  SLUICE_ASSIGN_OR_RETURN(half, Half(half));
  return half;
}

absl::Status CheckEven(int x) {
  SLUICE_RETURN_IF_ERROR(Half(x).status());
  return absl::OkStatus();
}

TEST(StatusMatchersTest, MatchStatusAndStatusOr) {
  EXPECT_THAT(absl::OkStatus(), IsOk());
  EXPECT_THAT(Half(4), IsOk());
  EXPECT_THAT(Half(4), IsOkAndHolds(2));
  EXPECT_THAT(Half(3), Not(IsOk()));
  EXPECT_THAT(Half(4), Not(IsOkAndHolds(3)));
  EXPECT_THAT(Half(3), StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("must be even")));
  EXPECT_THAT(Half(3),
              Not(StatusIs(absl::StatusCode::kNotFound, HasSubstr(""))));
}

TEST(StatusMacrosTest, PropagateErrorsAndValues) {
  EXPECT_THAT(Quarter(8), IsOkAndHolds(2));
  EXPECT_THAT(Quarter(6), StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr("x: must be even")));
  EXPECT_THAT(CheckEven(2), IsOk());
  EXPECT_THAT(CheckEven(1), Not(IsOk()));
}

TEST(StatusMacrosTest, PrefixAndNest) {
  absl::Status s = absl::InvalidArgumentError("weight: bad");
  EXPECT_EQ(internal::NestStatus(s, "targets[3]").message(),
            "targets[3].weight: bad");
  EXPECT_EQ(internal::PrefixStatus(s, "f.csv").message(), "f.csv: weight: bad");
  EXPECT_EQ(internal::NestStatus(s, "t").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(internal::PrefixStatus(absl::OkStatus(), "x").ok());
  EXPECT_EQ(internal::InvalidArgumentAt("a.b", "c").message(), "a.b: c");
}

}  // namespace
}  // namespace sluice
