// Copyright 2026 The Sluice Authors.
//
// The alarm gate kind (GateSpec.alarm, v1::AlarmGateSpec): the host's alarms.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "lib/gates/gate_kind.h"
#include "sluice/metric_checks.h"

namespace sluice::internal {

AlarmCheck AlarmFromProto(const v1::AlarmGateSpec& p) {
  AlarmCheck c;
  c.alarms.assign(p.alarms().begin(), p.alarms().end());
  switch (p.insufficient_data()) {
    case v1::AlarmGateSpec::INSUFFICIENT_DATA_IGNORE:
      c.insufficient_data = InsufficientDataPolicy::kIgnore;
      break;
    case v1::AlarmGateSpec::INSUFFICIENT_DATA_INCONCLUSIVE:
      c.insufficient_data = InsufficientDataPolicy::kInconclusive;
      break;
    default:
      c.insufficient_data = InsufficientDataPolicy::kFail;
      break;
  }
  return c;
}

GateKind AlarmGateKind() {
  return {
      v1::GateSpec::kAlarm,
      [](const v1::GateSpec& g) {
        return g.alarm().alarms_size() == 1
                   ? absl::StrCat("alarm ", g.alarm().alarms(0))
                   : std::string("alarms");
      },
      [](const GateInput& in) {
        return in.Made(NewAlarmGate(in.name, AlarmFromProto(in.spec.alarm())));
      }};
}

}  // namespace sluice::internal
