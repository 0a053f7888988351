// Copyright 2026 The Sluice Authors.
//
// Uses one component of the installed Sluice, linked alone
// (sluice::core): parses a fleet. Prints "core consumer ok" and exits 0, or
// prints the error and exits 1.

#include <iostream>

#include "sluice/fleet.h"
#include "sluice/fleet_io.h"

int main() {
  absl::StatusOr<sluice::Fleet> fleet =
      sluice::ParseFleetCsv("id,region,zone\nweb-1,us-east-1,use1-az1\n");
  if (!fleet.ok()) {
    std::cerr << "fleet: " << fleet.status() << "\n";
    return 1;
  }
  std::cout << "core consumer ok: " << *fleet << "\n";
  return 0;
}
