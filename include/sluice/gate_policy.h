// Copyright 2026 The Sluice Authors.
//
// GatePolicy: which health gates run after which wave.
//
// A spec declares metrics and gates (proto/sluice/v1/gates.proto): a default
// gate set, and per-stage overrides keyed by the stage name the wave
// scheduler gives each wave ("one-box", "first-zone", "zone",
// "region-wave"). A GatePolicy is that, built into gate objects: for a stage
// it returns one gate, the all-of of the stage's gates (the override if the
// stage has one, else the default set). A stage with no gates gets a gate
// that passes at once. GatePolicyFromSpec() (sluice/spec.h) builds the
// policy of a spec; Create() builds one from gates made in code.
//
// Example:
//
//   absl::StatusOr<sluice::GatePolicy> policy =
//       sluice::GatePolicyFromSpec(spec);  // sluice/spec.h
//   if (!policy.ok()) return policy.status();
//   const sluice::HealthGate& gate = policy->ForStage(wave.stage);
//   sluice::GateState state;
//   sluice::Verdict verdict = gate.Evaluate(context, state);

#ifndef SLUICE_GATE_POLICY_H_
#define SLUICE_GATE_POLICY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sluice/health_gate.h"

namespace sluice {

// The gates of a rollout, by stage. Copying is cheap (the gates are shared
// and immutable). Thread-safe: all methods are const, and the gates it hands
// out are thread-safe.
class GatePolicy {
 public:
  // Compatibility: GatePolicyFromSpec(spec), declared in sluice/spec.h
  // (include it to call this). The spec belongs to the rollout component,
  // above the gates; this forwarding template names no spec type, so the
  // gates do not depend on it. Deprecated: call GatePolicyFromSpec().
  template <typename RolloutSpecT>
  static absl::StatusOr<GatePolicy> FromSpec(const RolloutSpecT& spec) {
    return GatePolicyFromSpec(spec);
  }

  // Builds a policy from gates made in code: `default_gates` for every stage
  // without an entry in `stage_gates`. Gate names must be unique within each
  // set (kInvalidArgument otherwise, naming the duplicate).
  static absl::StatusOr<GatePolicy> Create(
      std::vector<std::unique_ptr<HealthGate>> default_gates,
      std::map<std::string, std::vector<std::unique_ptr<HealthGate>>>
          stage_gates = {});

  // The gate for waves of `stage`: the all-of of its gates. Named "default"
  // or "stage <stage>". Valid as long as any copy of this policy lives.
  const HealthGate& ForStage(absl::string_view stage) const;

  // True when `stage` has its own gate set (an override).
  bool HasOverride(absl::string_view stage) const;

  // The stages with overrides, sorted.
  std::vector<std::string> OverriddenStages() const;

 private:
  struct Data;
  explicit GatePolicy(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

}  // namespace sluice

#endif  // SLUICE_GATE_POLICY_H_
