// Copyright 2026 The Sluice Authors.
//
// Conversions from the simulator's results to their wire form,
// sluice.v1.SimulationResult and its parts (proto/sluice/v1/scenario.proto),
// the JSON of `sluice simulate --format json`. This is an edge header: it
// includes generated protobuf code, which the core headers never do.
//
// Example:
//
//   sluice::v1::SimulationResult result;
//   *result.mutable_summary() = sluice::sim::SummaryToProto(summary);
//   for (const auto& o : outcomes) {
//     *result.add_outcomes() = sluice::sim::RunOutcomeToProto(o);
//   }

#ifndef SLUICE_SIM_RESULT_PROTO_H_
#define SLUICE_SIM_RESULT_PROTO_H_

#include <string>

#include "sluice/sim/efficacy.h"
#include "sluice/sim/monte_carlo.h"
#include "sluice/sim/outcome.h"
#include "sluice/v1/scenario.pb.h"

namespace sluice::sim {

// One run's measures; durations in seconds.
v1::RunOutcome RunOutcomeToProto(const RunOutcome& outcome);

// A Monte Carlo summary.
v1::SimulationSummary SummaryToProto(const MonteCarloSummary& summary);

// One timeline event, its time in RFC 3339 (UTC).
v1::TimelineEvent TimelineEventToProto(const TimelineEvent& event);

// One spec's efficacy (path: the spec's file, as given).
v1::EfficacySpec SpecEfficacyToProto(const SpecEfficacy& efficacy,
                                     const std::string& path);

}  // namespace sluice::sim

#endif  // SLUICE_SIM_RESULT_PROTO_H_
