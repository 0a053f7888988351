// Copyright 2026 The Sluice Authors.
//
// libFuzzer target: the scenario loader (text format), the conversion and
// its checks against a fixed fleet. (A background's CSV path is read
// relative to the working directory, as ScenarioFromProto() does with an
// empty base_dir.)

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_spec.h"
#include "sluice/proto_io.h"
#include "sluice/sim/scenario.h"
#include "sluice/v1/scenario.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sluice::v1::Scenario proto;
  if (!sluice::ParseTextProto(text, &proto).ok()) return 0;
  absl::StatusOr<sluice::sim::Scenario> scenario =
      sluice::sim::ScenarioFromProto(proto, "");
  if (!scenario.ok()) return 0;
  (void)sluice::sim::ValidateScenarioAgainst(*scenario,
                                             sluice::fuzz::SpecFleet());
  return 0;
}
