// Copyright 2026 The Sluice Authors.
//
// Names, printing and descriptions of Blockers (sluice/blocker.h).

#include "sluice/blocker.h"

#include <ostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace sluice {

bool operator==(const Blocker& a, const Blocker& b) {
  return a.kind == b.kind && a.name == b.name && a.reason == b.reason &&
         a.since == b.since && a.until == b.until;
}

absl::string_view BlockerKindName(Blocker::Kind kind) {
  switch (kind) {
    case Blocker::Kind::kActionsInFlight:
      return "actions-in-flight";
    case Blocker::Kind::kGate:
      return "gate";
    case Blocker::Kind::kBake:
      return "bake";
    case Blocker::Kind::kApproval:
      return "approval";
    case Blocker::Kind::kPaused:
      return "paused";
    case Blocker::Kind::kRetryBackoff:
      return "retry-backoff";
    case Blocker::Kind::kRollback:
      return "rollback";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, const Blocker& blocker) {
  os << BlockerKindName(blocker.kind) << ": " << blocker.name;
  if (!blocker.reason.empty()) os << ": " << blocker.reason;
  if (blocker.until.has_value()) {
    if (*blocker.until == absl::InfiniteFuture()) {
      os << " (until a person acts)";
    } else {
      os << " (until " << absl::FormatTime(*blocker.until) << ")";
    }
  }
  return os;
}

namespace {

// "12m", "1h5m", "40s": a duration rounded to what a person reads.
std::string Short(absl::Duration d) {
  if (d < absl::ZeroDuration()) d = absl::ZeroDuration();
  if (d >= absl::Minutes(1))
    d = absl::Trunc(d, absl::Minutes(1));
  else
    d = absl::Trunc(d, absl::Seconds(1));
  return absl::FormatDuration(d);
}

}  // namespace

std::string DescribeBlocker(const Blocker& blocker, absl::Time now) {
  std::string out = blocker.name;
  if (!blocker.reason.empty()) absl::StrAppend(&out, ": ", blocker.reason);
  const absl::TimeZone utc = absl::UTCTimeZone();
  if (blocker.since != absl::InfinitePast()) {
    absl::StrAppend(&out, "; since ",
                    absl::FormatTime("%Y-%m-%d %H:%M UTC", blocker.since, utc),
                    " (", Short(now - blocker.since), " ago)");
  }
  if (blocker.until.has_value()) {
    if (*blocker.until == absl::InfiniteFuture()) {
      absl::StrAppend(&out, "; until a person acts");
    } else {
      absl::StrAppend(
          &out, "; until ",
          absl::FormatTime("%Y-%m-%d %H:%M UTC", *blocker.until, utc), " (",
          Short(*blocker.until - now), " left)");
    }
  }
  return out;
}

}  // namespace sluice
