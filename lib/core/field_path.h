// Copyright 2026 The Sluice Authors.
//
// Field paths for configuration errors, one Duration conversion, and one
// wording per validation rule. Every component converting its own
// configuration (gates, waves, rollout, ...) reports errors through these, so
// every message starts with the path of the field it is about and the same
// rule is worded the same everywhere:
//
//   FieldPath gate = FieldPath("gates").Field("default").Index(2);
//   FieldPath window = gate.Field("threshold").Field("window");
//   if (w <= absl::ZeroDuration()) {
//     return window.Invalid(MustBe(kMustBePositive, w));
//   }
//   // -> kInvalidArgument "gates.default[2].threshold.window: must be > 0
//   //    (got -5s)"
//
//   SLUICE_ASSIGN_OR_RETURN(
//       absl::Duration d,
//       DurationFromProto(p.interval(), gate.Field("interval"),
//                         DurationRule::kPositive));
//
// A FieldPath is a value: Field, Index and Key return a longer path and leave
// the receiver unchanged, so a parent path can be passed down and extended by
// each converter. Thread-compatible.

#ifndef SLUICE_LIB_CORE_FIELD_PATH_H_
#define SLUICE_LIB_CORE_FIELD_PATH_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"

namespace sluice::internal {

// The wording of each validation rule; messages are "<path>: <rule>" or
// "<path>: <rule> (got <value>)" (MustBe). One constant per rule, so a rule
// reads the same in every component.
inline constexpr absl::string_view kMustBePositive = "must be > 0";
inline constexpr absl::string_view kMustBeNonNegative = "must be >= 0";
inline constexpr absl::string_view kMustBePositiveFinite =
    "must be finite and > 0";
inline constexpr absl::string_view kMustBeNonNegativeFinite =
    "must be finite and >= 0";
inline constexpr absl::string_view kMustNotBeEmpty = "must not be empty";
inline constexpr absl::string_view kIsRequired = "is required";

// "<rule> (got <value>)", e.g. MustBe(kMustBePositive, -3) is
// "must be > 0 (got -3)". Durations print as absl::FormatDuration does
// ("5m", "-1.5s", "inf").
std::string MustBe(absl::string_view rule, absl::Duration got);
template <typename T>
std::string MustBe(absl::string_view rule, const T& got) {
  return absl::StrCat(rule, " (got ", got, ")");
}

// The path of one field in a configuration message, e.g.
// "gates.default[2].threshold.window". Thread-compatible.
class FieldPath {
 public:
  // The empty path (the message itself); Field("x") of it is "x".
  FieldPath() = default;
  // A path of one segment, e.g. FieldPath("spec"). `root` may itself be a
  // dotted path ("gates.default").
  explicit FieldPath(absl::string_view root) : path_(root) {}

  // This path followed by ".name" ("name" alone when this path is empty).
  FieldPath Field(absl::string_view name) const;
  // This path followed by "[index]".
  FieldPath Index(int index) const;
  // This path followed by "[\"key\"]" (a map entry).
  FieldPath Key(absl::string_view key) const;

  // The path as text; empty for the empty path.
  const std::string& str() const { return path_; }
  bool empty() const { return path_.empty(); }

  // kInvalidArgument "<path>: <what>" (just `what` for the empty path).
  absl::Status Invalid(absl::string_view what) const;

  // `status` with this path prepended, keeping its code: an error of a
  // nested converter whose message starts with a path relative to this one
  // ("weight: must be ...") becomes "<path>.weight: must be ...". A message
  // that starts with a relative index ("[2].x: ...") is joined without a dot.
  // OK is returned unchanged.
  absl::Status Nest(const absl::Status& status) const;

  friend bool operator==(const FieldPath& a, const FieldPath& b) {
    return a.path_ == b.path_;
  }
  friend bool operator!=(const FieldPath& a, const FieldPath& b) {
    return !(a == b);
  }
  // Prints the path (Abseil 20220623's StrCat has no AbslStringify).
  friend std::ostream& operator<<(std::ostream& os, const FieldPath& p) {
    return os << p.path_;
  }

 private:
  std::string path_;
};

// What DurationFromProto requires of the value, beyond being a valid
// google.protobuf.Duration.
enum class DurationRule {
  kAny,          // any valid duration, negative included
  kNonNegative,  // >= 0: kMustBeNonNegative
  kPositive,     // > 0: kMustBePositive
};

// Whether (seconds, nanos) is a valid google.protobuf.Duration: seconds within
// +-315,576,000,000 (about 10,000 years), nanos within (-1e9, 1e9) and not of
// the other sign than seconds. The one rule DurationFromProto and the parsed
// config checks (lib/core/proto_checks.h) apply.
bool IsValidDurationProto(int64_t seconds, int32_t nanos);

// The one conversion of a google.protobuf.Duration to absl::Duration.
// Rejects, with kInvalidArgument naming `path`: seconds outside
// google.protobuf.Duration's range (+-315,576,000,000 s, about 10,000 years),
// nanos outside (-1e9, 1e9) or of the other sign than seconds ("not a valid
// duration (seconds S, nanos N)"), and values `rule` does not allow
// ("must be > 0 (got 0)"). The result is always finite.
absl::StatusOr<absl::Duration> DurationFromProto(
    const google::protobuf::Duration& proto, const FieldPath& path,
    DurationRule rule = DurationRule::kAny);

// The inverse of DurationFromProto for a finite `d` within
// google.protobuf.Duration's range; an infinite or out-of-range `d` is
// clamped to the range's end of its sign. Normalized: nanos has the sign of
// seconds.
void DurationToProto(absl::Duration d, google::protobuf::Duration* out);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_CORE_FIELD_PATH_H_
