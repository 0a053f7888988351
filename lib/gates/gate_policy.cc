// Copyright 2026 The Sluice Authors.

#include "sluice/gate_policy.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_sets.h"

namespace sluice {

struct GatePolicy::Data {
  std::unique_ptr<HealthGate> default_gate;
  std::map<std::string, std::unique_ptr<HealthGate>, std::less<>> stage_gates;
};

GatePolicy::GatePolicy(std::shared_ptr<const Data> data)
    : data_(std::move(data)) {}

absl::StatusOr<GatePolicy> GatePolicy::Create(
    std::vector<std::unique_ptr<HealthGate>> default_gates,
    std::map<std::string, std::vector<std::unique_ptr<HealthGate>>>
        stage_gates) {
  if (absl::Status s = internal::ValidateGateSet(default_gates); !s.ok()) {
    return internal::NestStatus(s, "default");
  }
  auto data = std::make_shared<Data>();
  data->default_gate =
      internal::NewGateSet("default", std::move(default_gates));
  for (auto& [stage, gates] : stage_gates) {
    if (absl::Status s = internal::ValidateGateSet(gates); !s.ok()) {
      return internal::NestStatus(s, absl::StrCat("stages[\"", stage, "\"]"));
    }
    data->stage_gates.emplace(
        stage,
        internal::NewGateSet(absl::StrCat("stage ", stage), std::move(gates)));
  }
  return GatePolicy(std::move(data));
}

const HealthGate& GatePolicy::ForStage(absl::string_view stage) const {
  auto it = data_->stage_gates.find(stage);
  if (it != data_->stage_gates.end()) return *it->second;
  return *data_->default_gate;
}

bool GatePolicy::HasOverride(absl::string_view stage) const {
  return data_->stage_gates.find(stage) != data_->stage_gates.end();
}

std::vector<std::string> GatePolicy::OverriddenStages() const {
  std::vector<std::string> out;
  for (const auto& [stage, gate] : data_->stage_gates) out.push_back(stage);
  return out;
}

}  // namespace sluice
