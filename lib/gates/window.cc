// Copyright 2026 The Sluice Authors.
//
// Deploy windows and blackouts in a named IANA time zone.
//
// Windows are local times of day on local weekdays; blackouts are local
// civil ranges. Local times are turned into absolute ones with the zone's
// rules (absl::FromCivil: a local time skipped by a DST change maps to the
// instant after the change). The gate keeps no state: whether the time is
// allowed is a pure function of context.now.

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/checks.h"
#include "sluice/deploy_window_gate.h"

namespace sluice {
namespace {

constexpr absl::string_view kDayNames[] = {"Mon", "Tue", "Wed", "Thu",
                                           "Fri", "Sat", "Sun"};

int DayIndex(absl::Weekday d) {
  switch (d) {
    case absl::Weekday::monday:
      return 0;
    case absl::Weekday::tuesday:
      return 1;
    case absl::Weekday::wednesday:
      return 2;
    case absl::Weekday::thursday:
      return 3;
    case absl::Weekday::friday:
      return 4;
    case absl::Weekday::saturday:
      return 5;
    case absl::Weekday::sunday:
      return 6;
  }
  return 0;
}

std::string ClockText(absl::Duration d) {
  int64_t minutes = absl::ToInt64Minutes(d);
  return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60);
}

std::string CivilText(absl::CivilSecond c) { return absl::FormatCivilTime(c); }

struct Window {
  bool days[7] = {false, false, false, false, false, false, false};
  absl::Duration start;
  absl::Duration end;

  std::string Text() const {
    std::vector<std::string> names;
    for (int i = 0; i < 7; ++i) {
      if (days[i]) names.emplace_back(kDayNames[i]);
    }
    return absl::StrCat(absl::StrJoin(names, ","), " ", ClockText(start), "-",
                        ClockText(end));
  }
};

struct AbsoluteBlackout {
  absl::Time start;
  absl::Time end;
  std::string text;
};

class DeployWindowGate : public HealthGate {
 public:
  DeployWindowGate(std::string name, std::string zone_name, absl::TimeZone zone,
                   std::vector<Window> windows,
                   std::vector<AbsoluteBlackout> blackouts)
      : name_(std::move(name)),
        zone_name_(std::move(zone_name)),
        zone_(zone),
        windows_(std::move(windows)),
        blackouts_(std::move(blackouts)) {}

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    const absl::Time now = context.now;
    if (state.started_at == absl::InfinitePast()) state.started_at = now;
    const std::string local = internal::FormatTimeIn(now, zone_);
    std::string blocked_by;
    if (const AbsoluteBlackout* b = BlackoutAt(now)) {
      blocked_by = absl::StrCat("in blackout ", b->text);
    } else if (!windows_.empty() && !InWindow(now)) {
      blocked_by = absl::StrCat("outside deploy windows (", WindowsText(), ")");
    }
    if (blocked_by.empty()) {
      std::string where =
          windows_.empty()
              ? "no blackout"
              : absl::StrCat("inside deploy window ", WindowAt(now)->Text(),
                             " ", zone_name_);
      return Verdict::Pass(name_, absl::StrCat(local, ": ", where));
    }
    absl::Time next = NextAllowed(now);
    std::string until = next == absl::InfiniteFuture()
                            ? "no allowed time within 2 years"
                            : absl::StrCat("next allowed at ",
                                           internal::FormatTimeIn(next, zone_));
    Verdict v = Verdict::Hold(
        name_, next, absl::StrCat(local, " is ", blocked_by, "; ", until),
        {{"seconds_until_allowed",
          next == absl::InfiniteFuture() ? -1.0
                                         : absl::ToDoubleSeconds(next - now),
          "s"}});
    return v;
  }

 private:
  const AbsoluteBlackout* BlackoutAt(absl::Time t) const {
    for (const AbsoluteBlackout& b : blackouts_) {
      if (b.start <= t && t < b.end) return &b;
    }
    return nullptr;
  }

  const Window* WindowAt(absl::Time t) const {
    const absl::CivilSecond local = absl::ToCivilSecond(t, zone_);
    const absl::CivilDay day(local);
    const int weekday = DayIndex(absl::GetWeekday(day));
    const absl::Duration since_midnight =
        absl::Seconds(local - absl::CivilSecond(day));
    for (const Window& w : windows_) {
      if (w.days[weekday] && w.start <= since_midnight &&
          since_midnight < w.end) {
        return &w;
      }
    }
    return nullptr;
  }

  bool InWindow(absl::Time t) const { return WindowAt(t) != nullptr; }

  // The first window opening strictly after `t`, or InfiniteFuture.
  absl::Time NextOpening(absl::Time t) const {
    const absl::CivilDay today(absl::ToCivilSecond(t, zone_));
    absl::Time best = absl::InfiniteFuture();
    for (int d = 0; d <= 8; ++d) {
      const absl::CivilDay day = today + d;
      const int weekday = DayIndex(absl::GetWeekday(day));
      for (const Window& w : windows_) {
        if (!w.days[weekday]) continue;
        const absl::CivilSecond open =
            absl::CivilSecond(day) + absl::ToInt64Seconds(w.start);
        const absl::Time at = absl::FromCivil(open, zone_);
        if (at > t && at < best) best = at;
      }
      if (best != absl::InfiniteFuture()) break;
    }
    return best;
  }

  // The first time >= now that is inside a window (if any are set) and in
  // no blackout; InfiniteFuture if none within about two years.
  absl::Time NextAllowed(absl::Time now) const {
    const absl::Time horizon = now + absl::Hours(24 * 366 * 2);
    absl::Time t = now;
    for (int i = 0; i < 10000 && t < horizon; ++i) {
      if (const AbsoluteBlackout* b = BlackoutAt(t)) {
        t = b->end;
        continue;
      }
      if (!windows_.empty() && !InWindow(t)) {
        t = NextOpening(t);
        continue;
      }
      return t;
    }
    return absl::InfiniteFuture();
  }

  std::string WindowsText() const {
    std::vector<std::string> parts;
    for (const Window& w : windows_) parts.push_back(w.Text());
    return absl::StrCat(absl::StrJoin(parts, "; "), " ", zone_name_);
  }

  std::string name_;
  std::string zone_name_;
  absl::TimeZone zone_;
  std::vector<Window> windows_;
  std::vector<AbsoluteBlackout> blackouts_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HealthGate>> NewDeployWindowGate(
    std::string name, DeployWindowOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  if (options.time_zone.empty()) {
    return internal::InvalidArgumentAt("time_zone", internal::kMustNotBeEmpty);
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(options.time_zone, &zone)) {
    return internal::InvalidArgumentAt(
        "time_zone",
        absl::StrCat("unknown time zone \"", options.time_zone,
                     "\" (want an IANA name such as \"America/New_York\"; is "
                     "tzdata installed?)"));
  }
  std::vector<Window> windows;
  for (size_t i = 0; i < options.windows.size(); ++i) {
    const WeeklyWindow& in = options.windows[i];
    const internal::FieldPath path =
        internal::FieldPath("windows").Index(static_cast<int>(i));
    if (in.days.empty()) {
      return path.Field("days").Invalid(internal::kMustNotBeEmpty);
    }
    Window w;
    for (absl::Weekday d : in.days) w.days[DayIndex(d)] = true;
    if (in.start < absl::ZeroDuration() || in.start >= absl::Hours(24)) {
      return path.Field("start").Invalid(
          absl::StrCat("must be in [00:00, 24:00) (got ",
                       internal::DurationText(in.start), ")"));
    }
    if (in.end > absl::Hours(24)) {
      return path.Field("end").Invalid(absl::StrCat(
          "must be at most 24:00 (got ", internal::DurationText(in.end), ")"));
    }
    if (in.end <= in.start) {
      return path.Field("end").Invalid(
          absl::StrCat("must be after start (got ", ClockText(in.end),
                       " <= ", ClockText(in.start),
                       "; an empty or inverted window; split a window over "
                       "midnight in two)"));
    }
    w.start = in.start;
    w.end = in.end;
    windows.push_back(w);
  }
  std::vector<AbsoluteBlackout> blackouts;
  for (size_t i = 0; i < options.blackouts.size(); ++i) {
    const Blackout& in = options.blackouts[i];
    const internal::FieldPath path =
        internal::FieldPath("blackouts").Index(static_cast<int>(i));
    if (in.end <= in.start) {
      return path.Field("end").Invalid(
          absl::StrCat("must be after start (got ", CivilText(in.end),
                       " <= ", CivilText(in.start), ")"));
    }
    AbsoluteBlackout b;
    b.start = absl::FromCivil(in.start, zone);
    b.end = absl::FromCivil(in.end, zone);
    b.text = absl::StrCat(
        in.reason.empty() ? "" : absl::StrCat("\"", in.reason, "\" "), "[",
        CivilText(in.start), ", ", CivilText(in.end), ") ", options.time_zone);
    blackouts.push_back(std::move(b));
  }
  return std::unique_ptr<HealthGate>(
      new DeployWindowGate(std::move(name), options.time_zone, zone,
                           std::move(windows), std::move(blackouts)));
}

}  // namespace sluice
