// Copyright 2026 The Sluice Authors.
//
// libFuzzer target: the fleet CSV loader. A fleet that loads must write as
// CSV that loads back to the same number of targets.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sluice/fleet_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<sluice::Fleet> fleet = sluice::ParseFleetCsv(text);
  if (!fleet.ok()) return 0;
  absl::StatusOr<sluice::Fleet> back =
      sluice::ParseFleetCsv(sluice::FleetToCsv(*fleet));
  if (!back.ok() || back->size() != fleet->size()) std::abort();
  return 0;
}
