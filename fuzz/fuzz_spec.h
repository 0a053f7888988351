// Copyright 2026 The Sluice Authors.
//
// Shared by the spec fuzz targets: parse a spec, then build what a host
// builds from it (the plan for a fixed fleet, the gates).

#ifndef SLUICE_FUZZ_FUZZ_SPEC_H_
#define SLUICE_FUZZ_FUZZ_SPEC_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sluice/fleet.h"
#include "sluice/gate_policy.h"
#include "sluice/spec.h"
#include "sluice/v1/rollout_spec.pb.h"
#include "sluice/wave_scheduler.h"

namespace sluice::fuzz {

inline const Fleet& SpecFleet() {
  static const Fleet* fleet = [] {
    std::vector<Target> targets;
    for (int r = 0; r < 3; ++r) {
      for (int z = 0; z < 3; ++z) {
        for (int h = 0; h < 4; ++h) {
          Target t;
          t.id = absl::StrCat("r", r, "-z", z, "-h", h);
          t.topology = {absl::StrCat("region-", r),
                        absl::StrCat("region-", r, "-z", z), ""};
          if (h == 0) t.labels["tier"] = "canary";
          targets.push_back(std::move(t));
        }
      }
    }
    return new Fleet(*Fleet::Create(std::move(targets)));
  }();
  return *fleet;
}

inline int FuzzSpec(const uint8_t* data, size_t size, SpecFormat format) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<RolloutSpec> spec = RolloutSpec::Parse(text, format);
  if (!spec.ok()) return 0;
  (void)spec->Summary();
  if (spec->ValidateAgainst(SpecFleet()).ok() && spec->ToProto().has_waves()) {
    absl::StatusOr<std::unique_ptr<WaveScheduler>> s = NewScheduler(*spec);
    if (s.ok()) (void)(*s)->Plan(SpecFleet());
  }
  (void)GatePolicyFromSpec(*spec);
  return 0;
}

}  // namespace sluice::fuzz

#endif  // SLUICE_FUZZ_FUZZ_SPEC_H_
