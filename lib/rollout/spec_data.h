// Copyright 2026 The Sluice Authors.
//
// What a RolloutSpec holds: each part converted by the component that owns
// it (waves: WavesConfig; rollback: RollbackConfig; watch: WatchConfig; the
// metrics and gates: the gates component's own configuration). Built by
// RolloutSpec::FromProto() (lib/rollout/spec.cc), read by the library through
// DataOf(); RolloutSpec::ToProto() reassembles the message from the parts.

#ifndef SLUICE_LIB_ROLLOUT_SPEC_DATA_H_
#define SLUICE_LIB_ROLLOUT_SPEC_DATA_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lib/rollout/spec_rollback.h"
#include "lib/rollout/spec_watch.h"
#include "lib/waves/spec_waves.h"
#include "sluice/spec.h"
#include "sluice/v1/gates.pb.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice::internal {

// A validated spec's parts. Immutable once built. Thread-compatible.
struct SpecData {
  std::string name;
  std::string service;
  std::string version;
  std::string previous_version;
  std::string description;
  std::map<std::string, std::string> labels;

  // RolloutSpec.waves; unset when the spec has no `waves` field.
  std::optional<WavesConfig> waves;

  // RolloutSpec.metrics, as the gates component reads them, and their
  // names in order.
  MetricSpecs metrics;
  std::vector<std::string> metric_names;
  // RolloutSpec.gates, as the gates component reads it; unset when absent.
  std::optional<v1::GatePolicy> gates;

  // RolloutSpec.rollback; unset when absent (the default policy).
  std::optional<RollbackConfig> rollback;
  // RolloutSpec.watch; unset when absent.
  std::optional<WatchConfig> watch;

  // A message with only the metrics and gates, the gates component's input
  // (BuildGates, ValidateGatesSpec, SummarizeGates).
  v1::RolloutSpec GatesInput() const;
};

// The parts of `spec`.
const SpecData& DataOf(const RolloutSpec& spec);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_ROLLOUT_SPEC_DATA_H_
