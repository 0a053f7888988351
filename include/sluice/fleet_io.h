// Copyright 2026 The Sluice Authors.
//
// Loading and saving fleets: CSV, and the sluice.v1.Fleet message in text
// format or JSON.
//
// CSV: a header row, then one target per row. Columns `id`, `region` and
// `zone` are required; `cell` and `weight` are optional (an empty weight cell
// means 1). Three more optional columns describe infrastructure targets
// (sluice/fleet.h): `kind` (e.g. autoscaling_group; empty: a server),
// `zones` and `regions` (the zones of the target's region, or the regions, a
// resource spans, separated by ';', e.g. "use1-az1;use1-az2;use1-az3";
// empty: only its own). Every other column is a label whose key is the
// column name (an empty cell means the target lacks that label); so "kind",
// "zones" and "regions" are not label names. Lines that start with '#'
// are comments: a target whose id starts with '#' is written quoted
// ("\"#7\"", as FleetToCsv() does) or it is skipped. The file must be
// UTF-8 (a UTF-8 byte-order mark is allowed); UTF-16 and UTF-32 are errors
// that name the encoding (sluice/csv.h). Errors name the line, the
// column and the target, e.g.
//   "line 5 (targets[3]).weight: must be finite and >= 0 (got -1)".
//
// Example:
//
//   absl::StatusOr<sluice::Fleet> fleet =
//       sluice::LoadFleetFile("examples/fleets/three_regions.csv");
//   if (!fleet.ok()) {
//     std::cerr << fleet.status() << "\n";
//     return 1;
//   }
//
// The proto conversions (sluice::v1::Fleet <-> sluice::Fleet) are in
// sluice/fleet_proto.h, the only header here that includes generated code.

#ifndef SLUICE_FLEET_IO_H_
#define SLUICE_FLEET_IO_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sluice/fleet.h"

namespace sluice {

// Parses a fleet from CSV text (see above).
absl::StatusOr<Fleet> ParseFleetCsv(absl::string_view csv);

// Parses a sluice.v1.Fleet message in text format; unknown fields rejected.
absl::StatusOr<Fleet> ParseFleetTextProto(absl::string_view text);

// Parses a sluice.v1.Fleet message in JSON; unknown fields rejected.
absl::StatusOr<Fleet> ParseFleetJson(absl::string_view json);

// Loads a fleet file, choosing the format by extension: .csv, .json, or
// .textproto/.txtpb/.pbtxt. Errors are prefixed with the path. This is the
// only fleet function that touches the file system.
absl::StatusOr<Fleet> LoadFleetFile(const std::string& path);

// Writes `fleet` as CSV that ParseFleetCsv reads back to an equal fleet: the
// columns id, region, zone, cell, weight, then kind, zones and regions when
// some target sets them, then one column per label key (sorted). Fields are
// quoted where needed. A label whose value is empty, or whose key is one of the
// fixed column names, does not survive the trip.
std::string FleetToCsv(const Fleet& fleet);

}  // namespace sluice

#endif  // SLUICE_FLEET_IO_H_
