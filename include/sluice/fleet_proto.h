// Copyright 2026 The Sluice Authors.
//
// Conversions between sluice::Fleet and its wire form, sluice.v1.Fleet
// (proto/sluice/v1/fleet.proto). This is an edge header: it includes
// generated protobuf code, which the core headers never do.
//
// Example:
//
//   sluice::v1::Fleet proto = ...;  // e.g. from the host's config store
//   absl::StatusOr<sluice::Fleet> fleet = sluice::FleetFromProto(proto);

#ifndef SLUICE_FLEET_PROTO_H_
#define SLUICE_FLEET_PROTO_H_

#include "absl/status/statusor.h"
#include "sluice/fleet.h"
#include "sluice/v1/fleet.pb.h"

namespace sluice {

// Validates and converts. An unset weight means 1. Errors name the field,
// e.g. "targets[2].zone: must not be empty".
absl::StatusOr<Fleet> FleetFromProto(const v1::Fleet& proto);

// Converts back; every weight is set explicitly.
v1::Fleet FleetToProto(const Fleet& fleet);

}  // namespace sluice

#endif  // SLUICE_FLEET_PROTO_H_
