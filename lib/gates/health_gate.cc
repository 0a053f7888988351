// Copyright 2026 The Sluice Authors.

#include "sluice/health_gate.h"

#include <cmath>

#include "absl/time/time.h"

namespace sluice {

bool operator==(const OperatorSignal& a, const OperatorSignal& b) {
  return a.kind == b.kind && a.gate == b.gate && a.who == b.who &&
         a.at == b.at && a.comment == b.comment;
}

bool operator==(const Measurement& a, const Measurement& b) {
  bool same_value = a.value.has_value() == b.value.has_value() &&
                    (!a.value.has_value() || *a.value == *b.value ||
                     (std::isnan(*a.value) && std::isnan(*b.value)));
  return a.at == b.at && a.phase == b.phase && a.ignored == b.ignored &&
         same_value && a.message == b.message &&
         a.observations == b.observations && a.sample_count == b.sample_count;
}

bool operator==(const MeasurementCounts& a, const MeasurementCounts& b) {
  return a.count == b.count && a.successful == b.successful &&
         a.failed == b.failed && a.inconclusive == b.inconclusive &&
         a.error == b.error && a.consecutive_error == b.consecutive_error &&
         a.consecutive_success == b.consecutive_success &&
         a.samples == b.samples;
}

GateState& GateState::Child(size_t i) {
  if (children.size() <= i) children.resize(i + 1);
  return children[i];
}

bool operator==(const GateState& a, const GateState& b) {
  return a.started_at == b.started_at && a.counts == b.counts &&
         a.measurements == b.measurements && a.completed == b.completed &&
         a.message == b.message && a.children == b.children;
}

std::ostream& operator<<(std::ostream& os, const GateState& state) {
  os << "GateState(";
  if (state.started_at == absl::InfinitePast()) {
    os << "not started";
  } else {
    os << "started "
       << absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", state.started_at,
                           absl::UTCTimeZone());
  }
  os << ", count " << state.counts.count;
  if (state.completed.has_value()) os << ", completed " << *state.completed;
  if (!state.children.empty())
    os << ", " << state.children.size() << " children";
  return os << ")";
}

}  // namespace sluice
