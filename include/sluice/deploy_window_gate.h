// Copyright 2026 The Sluice Authors.
//
// The deploy-window gate: deploy only inside allowed weekly windows, in a
// time zone, and never during a blackout.
//
// The gate passes when its evaluation time falls inside an allowed window
// and outside every blackout; otherwise it holds until the next allowed time
// and says when ("deploy window opens Mon 09:00 America/New_York"). Windows
// and blackouts are in local civil time of an IANA zone, loaded from the
// system's zoneinfo (tzdata) by the factory, so daylight-saving changes are
// followed.
//
// Example (weekdays 09:00-16:00 in New York, and a freeze):
//
//   sluice::DeployWindowOptions hours;
//   hours.time_zone = "America/New_York";
//   hours.windows.push_back(
//       {{absl::Weekday::monday, absl::Weekday::tuesday,
//         absl::Weekday::wednesday, absl::Weekday::thursday},
//        absl::Hours(9), absl::Hours(16)});
//   hours.blackouts.push_back({absl::CivilSecond(2026, 11, 27),
//                              absl::CivilSecond(2026, 11, 30),
//                              "Black Friday freeze"});
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> window =
//       sluice::NewDeployWindowGate("business-hours", hours);
//   if (!window.ok()) return window.status();

#ifndef SLUICE_DEPLOY_WINDOW_GATE_H_
#define SLUICE_DEPLOY_WINDOW_GATE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "sluice/health_gate.h"

namespace sluice {

// A weekly window: on `days`, local times [start, end) after midnight.
// Value type; thread-compatible.
struct WeeklyWindow {
  // The days; at least one. Default: none (invalid).
  std::vector<absl::Weekday> days;
  // Local time of day the window opens, in [0, 24h). Default: 0.
  absl::Duration start = absl::ZeroDuration();
  // Local time of day it closes, in (start, 24h]. Default: 0 (invalid).
  absl::Duration end = absl::ZeroDuration();
};

// A one-off period with no deploys, in local civil time [start, end).
// Value type; thread-compatible.
struct Blackout {
  // When it begins. Default: 1970-01-01 00:00:00.
  absl::CivilSecond start;
  // When it ends; after start. Default: 1970-01-01 00:00:00 (invalid).
  absl::CivilSecond end;
  // For people, e.g. "Black Friday freeze". Default: empty.
  std::string reason;
};

// Parameters of a deploy-window gate. Value type; thread-compatible.
struct DeployWindowOptions {
  // An IANA time zone, e.g. "America/New_York". Required. Default: empty
  // (invalid).
  std::string time_zone;
  // Allowed windows; empty means always allowed outside blackouts.
  // Default: empty.
  std::vector<WeeklyWindow> windows;
  // Periods with no deploys. Default: empty.
  std::vector<Blackout> blackouts;
};

// Passes inside an allowed window and outside every blackout; otherwise
// holds until the next allowed time and says when. The zone is loaded from
// the system's zoneinfo (tzdata) by the factory; errors name the option,
// e.g. "time_zone: unknown time zone \"Mars/Olympus\" (...)".
absl::StatusOr<std::unique_ptr<HealthGate>> NewDeployWindowGate(
    std::string name, DeployWindowOptions options);

}  // namespace sluice

#endif  // SLUICE_DEPLOY_WINDOW_GATE_H_
