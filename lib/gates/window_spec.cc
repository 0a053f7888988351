// Copyright 2026 The Sluice Authors.
//
// The deploy window gate kind (GateSpec.window, v1::WindowGateSpec): weekly
// windows ("Mon-Thu" 09:00-17:00) and blackouts in local time.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/deploy_window_gate.h"

namespace sluice::internal {
namespace {

// "Mon" -> 0 ... "Sun" -> 6; full names and any case accepted.
absl::StatusOr<int> ParseDay(absl::string_view text) {
  static constexpr absl::string_view kNames[] = {
      "monday", "tuesday",  "wednesday", "thursday",
      "friday", "saturday", "sunday"};
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  for (int i = 0; i < 7; ++i) {
    if (lower == kNames[i] || lower == kNames[i].substr(0, 3)) return i;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown day \"", text, "\" (want Mon, Tue, Wed, Thu, Fri, Sat, Sun)"));
}

absl::StatusOr<std::vector<absl::Weekday>> ParseDays(const std::string& text,
                                                     const FieldPath& path) {
  static constexpr absl::Weekday kDays[] = {
      absl::Weekday::monday,   absl::Weekday::tuesday, absl::Weekday::wednesday,
      absl::Weekday::thursday, absl::Weekday::friday,  absl::Weekday::saturday,
      absl::Weekday::sunday};
  if (absl::StripAsciiWhitespace(text).empty()) {
    return path.Invalid("must not be empty (e.g. \"Mon-Thu\")");
  }
  bool seen[7] = {false, false, false, false, false, false, false};
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    std::vector<absl::string_view> ends = absl::StrSplit(item, '-');
    if (ends.size() > 2) {
      return path.Invalid(
          absl::StrCat("bad day range \"", item, "\" (want e.g. Mon-Thu)"));
    }
    absl::StatusOr<int> first = ParseDay(ends[0]);
    if (!first.ok()) return PrefixStatus(first.status(), path.str());
    absl::StatusOr<int> last = ends.size() == 2 ? ParseDay(ends[1]) : first;
    if (!last.ok()) return PrefixStatus(last.status(), path.str());
    // Ranges may wrap: Fri-Mon is Fri, Sat, Sun, Mon.
    for (int d = *first;; d = (d + 1) % 7) {
      seen[d] = true;
      if (d == *last) break;
    }
  }
  std::vector<absl::Weekday> days;
  for (int i = 0; i < 7; ++i) {
    if (seen[i]) days.push_back(kDays[i]);
  }
  return days;
}

// "HH:MM" -> time of day; "24:00" only when allow_24.
absl::StatusOr<absl::Duration> ParseClock(const std::string& text,
                                          const FieldPath& path,
                                          bool allow_24) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  int h = -1, m = -1;
  if (parts.size() != 2 || parts[0].empty() || parts[0].size() > 2 ||
      parts[1].size() != 2 || !absl::SimpleAtoi(parts[0], &h) ||
      !absl::SimpleAtoi(parts[1], &m) || h < 0 || m < 0 || m > 59 || h > 24 ||
      (h == 24 && (m != 0 || !allow_24))) {
    return path.Invalid(absl::StrCat("want a local time HH:MM in 00:00-",
                                     allow_24 ? "24:00" : "23:59", " (got \"",
                                     text, "\")"));
  }
  return absl::Hours(h) + absl::Minutes(m);
}

absl::StatusOr<absl::CivilSecond> ParseLocal(const std::string& text,
                                             const FieldPath& path) {
  absl::CivilSecond s;
  if (absl::ParseCivilTime(text, &s)) return s;
  absl::CivilMinute m;
  if (absl::ParseCivilTime(text, &m)) return absl::CivilSecond(m);
  absl::CivilDay d;
  if (absl::ParseCivilTime(text, &d)) return absl::CivilSecond(d);
  return path.Invalid(
      absl::StrCat("want a local date YYYY-MM-DD or date and time "
                   "YYYY-MM-DDTHH:MM[:SS] (got \"",
                   text, "\")"));
}

absl::StatusOr<DeployWindowOptions> WindowFromProto(const v1::WindowGateSpec& p,
                                                    const FieldPath& path) {
  DeployWindowOptions o;
  o.time_zone = p.time_zone();
  for (int i = 0; i < p.windows_size(); ++i) {
    const v1::WeeklyWindowSpec& w = p.windows(i);
    const FieldPath wpath = path.Field("windows").Index(i);
    WeeklyWindow out;
    SLUICE_ASSIGN_OR_RETURN(out.days, ParseDays(w.days(), wpath.Field("days")));
    SLUICE_ASSIGN_OR_RETURN(out.start,
                            ParseClock(w.start(), wpath.Field("start"), false));
    SLUICE_ASSIGN_OR_RETURN(out.end,
                            ParseClock(w.end(), wpath.Field("end"), true));
    o.windows.push_back(std::move(out));
  }
  for (int i = 0; i < p.blackouts_size(); ++i) {
    const v1::BlackoutSpec& b = p.blackouts(i);
    const FieldPath bpath = path.Field("blackouts").Index(i);
    Blackout out;
    SLUICE_ASSIGN_OR_RETURN(out.start,
                            ParseLocal(b.start(), bpath.Field("start")));
    SLUICE_ASSIGN_OR_RETURN(out.end, ParseLocal(b.end(), bpath.Field("end")));
    out.reason = b.reason();
    o.blackouts.push_back(std::move(out));
  }
  return o;
}

absl::StatusOr<std::unique_ptr<HealthGate>> Build(const GateInput& in) {
  SLUICE_ASSIGN_OR_RETURN(DeployWindowOptions o,
                          WindowFromProto(in.spec.window(), in.kind_path));
  return in.Made(NewDeployWindowGate(in.name, std::move(o)));
}

}  // namespace

GateKind WindowGateKind() {
  return {v1::GateSpec::kWindow,
          [](const v1::GateSpec&) { return std::string("deploy window"); },
          Build};
}

}  // namespace sluice::internal
