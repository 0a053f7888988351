// Copyright 2026 The Sluice Authors.
//
// Uses the installed Sluice: builds a fleet, parses a spec and converts the
// fleet to its proto form (which needs the installed generated headers).
// Prints "consumer ok" and exits 0, or prints the error and exits 1.

#include <iostream>
#include <vector>

#include "sluice/fleet.h"
#include "sluice/fleet_io.h"
#include "sluice/fleet_proto.h"
#include "sluice/spec.h"
#include "sluice/version.h"

int main() {
  absl::StatusOr<sluice::Fleet> fleet = sluice::ParseFleetCsv(
      "id,region,zone,weight\nweb-1,us-east-1,use1-az1,1\n"
      "web-2,eu-west-1,euw1-az1,3\n");
  if (!fleet.ok()) {
    std::cerr << "fleet: " << fleet.status() << "\n";
    return 1;
  }
  absl::StatusOr<sluice::RolloutSpec> spec = sluice::RolloutSpec::Parse(
      "name: \"consumer\" version: \"2\"", sluice::SpecFormat::kTextProto);
  if (!spec.ok()) {
    std::cerr << "spec: " << spec.status() << "\n";
    return 1;
  }
  sluice::v1::Fleet proto = sluice::FleetToProto(*fleet);
  if (proto.targets_size() != 2 || fleet->regions().size() != 2) {
    std::cerr << "unexpected fleet: " << *fleet << "\n";
    return 1;
  }
  std::cout << "consumer ok: sluice " << sluice::Version() << ", "
            << spec->Summary() << ", " << *fleet << "\n";
  return 0;
}
