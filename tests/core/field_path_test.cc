// Copyright 2026 The Sluice Authors.

#include "lib/core/field_path.h"

#include <cstdint>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/duration.pb.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::internal {
namespace {

using ::sluice::testing::IsOkAndHolds;
using ::sluice::testing::StatusIs;

google::protobuf::Duration Proto(int64_t seconds, int32_t nanos) {
  google::protobuf::Duration d;
  d.set_seconds(seconds);
  d.set_nanos(nanos);
  return d;
}

TEST(FieldPathTest, BuildsDottedIndexedAndKeyedPaths) {
  FieldPath p("spec");
  EXPECT_EQ(p.Field("gates").Index(2).Field("window").str(),
            "spec.gates[2].window");
  EXPECT_EQ(p.Field("params").Key("prometheus.step").str(),
            "spec.params[\"prometheus.step\"]");
  // Extending returns a new path; the receiver is unchanged.
  EXPECT_EQ(p.str(), "spec");
}

TEST(FieldPathTest, EmptyPathStartsWithTheFirstField) {
  FieldPath root;
  EXPECT_TRUE(root.empty());
  EXPECT_EQ(root.Field("metrics").Index(0).Field("name").str(),
            "metrics[0].name");
  EXPECT_EQ(root.Field("x"), FieldPath("x"));
  EXPECT_NE(root.Field("x"), FieldPath("y"));
  std::ostringstream os;
  os << FieldPath("a").Field("b");
  EXPECT_EQ(os.str(), "a.b");
}

TEST(FieldPathTest, InvalidStartsWithThePath) {
  const FieldPath p = FieldPath("spec").Field("gates").Index(2).Field("window");
  EXPECT_THAT(p.Invalid(kMustBePositiveFinite),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "spec.gates[2].window: must be finite and > 0"));
  EXPECT_THAT(FieldPath().Invalid("must be set"),
              StatusIs(absl::StatusCode::kInvalidArgument, "must be set"));
}

TEST(FieldPathTest, NestPrependsThePathAndKeepsTheCode) {
  const FieldPath p("gates.default[0].threshold");
  EXPECT_THAT(p.Nest(absl::InvalidArgumentError("max: must be >= min")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gates.default[0].threshold.max: must be >= min"));
  EXPECT_THAT(
      FieldPath("waves").Nest(absl::FailedPreconditionError("[3].bake: x")),
      StatusIs(absl::StatusCode::kFailedPrecondition, "waves[3].bake: x"));
  EXPECT_TRUE(p.Nest(absl::OkStatus()).ok());
  EXPECT_THAT(FieldPath().Nest(absl::InvalidArgumentError("a: b")),
              StatusIs(absl::StatusCode::kInvalidArgument, "a: b"));
}

TEST(FieldPathTest, MustBeWordsTheRuleAndTheValue) {
  EXPECT_EQ(MustBe(kMustBePositive, -3), "must be > 0 (got -3)");
  EXPECT_EQ(MustBe(kMustBeNonNegativeFinite, 0.5),
            "must be finite and >= 0 (got 0.5)");
  EXPECT_EQ(MustBe(kMustBePositive, absl::Seconds(-90)),
            "must be > 0 (got -1m30s)");
  EXPECT_EQ(MustBe(kMustBePositiveFinite, absl::InfiniteDuration()),
            "must be finite and > 0 (got inf)");
}

TEST(DurationFromProtoTest, ConvertsValidDurations) {
  const FieldPath p("interval");
  EXPECT_THAT(DurationFromProto(Proto(90, 500'000'000), p),
              IsOkAndHolds(absl::Milliseconds(90'500)));
  EXPECT_THAT(DurationFromProto(Proto(-1, -500'000'000), p),
              IsOkAndHolds(absl::Milliseconds(-1'500)));
  EXPECT_THAT(DurationFromProto(Proto(0, 0), p),
              IsOkAndHolds(absl::ZeroDuration()));
  EXPECT_THAT(DurationFromProto(Proto(315'576'000'000, 999'999'999), p),
              IsOkAndHolds(absl::Seconds(315'576'000'000) +
                           absl::Nanoseconds(999'999'999)));
}

TEST(DurationFromProtoTest, RejectsMalformedDurationsNamingThePath) {
  const FieldPath p = FieldPath("gates").Index(1).Field("bake").Field("x");
  for (const auto& d : {Proto(1, -1), Proto(-1, 1), Proto(0, 1'000'000'000),
                        Proto(0, -1'000'000'000), Proto(315'576'000'001, 0),
                        Proto(-315'576'000'001, 0)}) {
    EXPECT_THAT(
        DurationFromProto(d, p),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 absl::StrCat("gates[1].bake.x: not a valid duration (seconds ",
                              d.seconds(), ", nanos ", d.nanos(), ")")))
        << d.DebugString();
  }
}

TEST(DurationFromProtoTest, ValidityIsOneRule) {
  EXPECT_TRUE(IsValidDurationProto(0, 0));
  EXPECT_TRUE(IsValidDurationProto(-315'576'000'000, -999'999'999));
  EXPECT_TRUE(IsValidDurationProto(0, -5));
  EXPECT_FALSE(IsValidDurationProto(2, -5));
  EXPECT_FALSE(IsValidDurationProto(-2, 5));
  EXPECT_FALSE(IsValidDurationProto(315'576'000'001, 0));
  EXPECT_FALSE(IsValidDurationProto(0, 1'000'000'000));
}

TEST(DurationFromProtoTest, AppliesTheRule) {
  const FieldPath p("timeout");
  EXPECT_THAT(DurationFromProto(Proto(0, 0), p, DurationRule::kNonNegative),
              IsOkAndHolds(absl::ZeroDuration()));
  EXPECT_THAT(DurationFromProto(Proto(-5, 0), p, DurationRule::kNonNegative),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "timeout: must be >= 0 (got -5s)"));
  EXPECT_THAT(DurationFromProto(Proto(0, 0), p, DurationRule::kPositive),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "timeout: must be > 0 (got 0)"));
  EXPECT_THAT(DurationFromProto(Proto(0, 1), p, DurationRule::kPositive),
              IsOkAndHolds(absl::Nanoseconds(1)));
  EXPECT_THAT(DurationFromProto(Proto(-5, 0), p, DurationRule::kAny),
              IsOkAndHolds(absl::Seconds(-5)));
}

TEST(DurationToProtoTest, RoundTripsAndClamps) {
  for (absl::Duration d :
       {absl::ZeroDuration(), absl::Milliseconds(1'500),
        absl::Milliseconds(-1'500), absl::Nanoseconds(1), absl::Hours(-30)}) {
    google::protobuf::Duration proto;
    DurationToProto(d, &proto);
    EXPECT_THAT(DurationFromProto(proto, FieldPath("d")), IsOkAndHolds(d));
  }
  google::protobuf::Duration proto;
  DurationToProto(absl::Milliseconds(-1'500), &proto);
  EXPECT_EQ(proto.seconds(), -1);
  EXPECT_EQ(proto.nanos(), -500'000'000);
  DurationToProto(absl::InfiniteDuration(), &proto);
  EXPECT_EQ(proto.seconds(), 315'576'000'000);
  EXPECT_EQ(proto.nanos(), 0);
  DurationToProto(-absl::InfiniteDuration(), &proto);
  EXPECT_EQ(proto.seconds(), -315'576'000'000);
}

}  // namespace
}  // namespace sluice::internal
