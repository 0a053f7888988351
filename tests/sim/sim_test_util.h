// Copyright 2026 The Sluice Authors.
//
// Fleets and scenarios shared by the simulator's tests.

#ifndef SLUICE_TESTS_SIM_SIM_TEST_UTIL_H_
#define SLUICE_TESTS_SIM_SIM_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sluice/fleet.h"

namespace sluice::sim::testing {

// `per_zone` targets in each of two zones of each region; regions
// "eu-west-1", "us-east-1", "us-west-2" (zones "<region>-a", "<region>-b").
inline Fleet MakeFleet(int per_zone, int regions = 3) {
  static const char* kRegions[] = {"us-east-1", "eu-west-1", "us-west-2"};
  std::vector<Target> targets;
  for (int r = 0; r < regions; ++r) {
    for (const char* zone : {"a", "b"}) {
      for (int i = 0; i < per_zone; ++i) {
        Target t;
        t.id = absl::StrCat(kRegions[r], zone, "-", i);
        t.topology.region = kRegions[r];
        t.topology.zone = absl::StrCat(kRegions[r], "-", zone);
        targets.push_back(t);
      }
    }
  }
  return *Fleet::Create(std::move(targets));
}

}  // namespace sluice::sim::testing

#endif  // SLUICE_TESTS_SIM_SIM_TEST_UTIL_H_
