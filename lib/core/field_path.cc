// Copyright 2026 The Sluice Authors.

#include "lib/core/field_path.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace sluice::internal {
namespace {

// google.protobuf.Duration's range (duration.proto): +-10,000 years.
constexpr int64_t kMaxDurationSeconds = 315'576'000'000;
constexpr int32_t kNanosPerSecond = 1'000'000'000;

}  // namespace

std::string MustBe(absl::string_view rule, absl::Duration got) {
  return absl::StrCat(rule, " (got ", absl::FormatDuration(got), ")");
}

FieldPath FieldPath::Field(absl::string_view name) const {
  if (path_.empty()) return FieldPath(name);
  return FieldPath(absl::StrCat(path_, ".", name));
}

FieldPath FieldPath::Index(int index) const {
  return FieldPath(absl::StrCat(path_, "[", index, "]"));
}

FieldPath FieldPath::Key(absl::string_view key) const {
  return FieldPath(absl::StrCat(path_, "[\"", key, "\"]"));
}

absl::Status FieldPath::Invalid(absl::string_view what) const {
  if (path_.empty()) return absl::InvalidArgumentError(what);
  return absl::InvalidArgumentError(absl::StrCat(path_, ": ", what));
}

absl::Status FieldPath::Nest(const absl::Status& status) const {
  if (status.ok() || path_.empty()) return status;
  const absl::string_view message = status.message();
  const bool index = !message.empty() && message.front() == '[';
  return absl::Status(status.code(),
                      absl::StrCat(path_, index ? "" : ".", message));
}

bool IsValidDurationProto(int64_t seconds, int32_t nanos) {
  return seconds >= -kMaxDurationSeconds && seconds <= kMaxDurationSeconds &&
         nanos > -kNanosPerSecond && nanos < kNanosPerSecond &&
         !(seconds > 0 && nanos < 0) && !(seconds < 0 && nanos > 0);
}

absl::StatusOr<absl::Duration> DurationFromProto(
    const google::protobuf::Duration& proto, const FieldPath& path,
    DurationRule rule) {
  const int64_t s = proto.seconds();
  const int32_t n = proto.nanos();
  if (!IsValidDurationProto(s, n)) {
    return path.Invalid(
        absl::StrCat("not a valid duration (seconds ", s, ", nanos ", n, ")"));
  }
  const absl::Duration d = absl::Seconds(s) + absl::Nanoseconds(n);
  switch (rule) {
    case DurationRule::kAny:
      break;
    case DurationRule::kNonNegative:
      if (d < absl::ZeroDuration()) {
        return path.Invalid(MustBe(kMustBeNonNegative, d));
      }
      break;
    case DurationRule::kPositive:
      if (d <= absl::ZeroDuration()) {
        return path.Invalid(MustBe(kMustBePositive, d));
      }
      break;
  }
  return d;
}

void DurationToProto(absl::Duration d, google::protobuf::Duration* out) {
  const absl::Duration max = absl::Seconds(kMaxDurationSeconds);
  if (d > max) d = max;
  if (d < -max) d = -max;
  absl::Duration rem;
  const int64_t s = absl::IDivDuration(d, absl::Seconds(1), &rem);
  out->set_seconds(s);
  out->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(rem)));
}

}  // namespace sluice::internal
