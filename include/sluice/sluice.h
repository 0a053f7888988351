// Copyright 2026 The Sluice Authors.
//
// The whole library in one include: every public header of Sluice, for
// programs that would rather not pick headers one by one (one concept per
// header is still the rule for the library's own code).
//
// Not included, on purpose:
//   - the protobuf edge: the *_proto.h conversion headers (they include
//     generated code, sluice/v1/*.pb.h) and sluice/proto_io.h (protobuf's
//     runtime); include them where you read or write messages;
//   - sluice/testing/*.h, which need GoogleTest and the sluice_testing
//     library;
//   - sluice/c.h, the C API, for C programs and language bindings
//     (sluice::capi or libsluice.so, docs/bindings.md).
// tests/sluice_header_test.cc checks that every other public header is here.
//
// Example:
//
//   #include "sluice/sluice.h"
//
//   int main() {
//     absl::StatusOr<sluice::Fleet> fleet =
//         sluice::LoadFleetFile("examples/fleets/three_regions.csv");
//     if (!fleet.ok()) {
//       std::cerr << fleet.status() << "\n";
//       return 1;
//     }
//     std::cout << "sluice " << sluice::Version() << ": " << *fleet << "\n";
//     return 0;
//   }

#ifndef SLUICE_SLUICE_H_
#define SLUICE_SLUICE_H_

#include "sluice/action.h"                       // IWYU pragma: export
#include "sluice/analysis_gate.h"                // IWYU pragma: export
#include "sluice/approval_gate.h"                // IWYU pragma: export
#include "sluice/bake_gate.h"                    // IWYU pragma: export
#include "sluice/batch_schedulers.h"             // IWYU pragma: export
#include "sluice/blocker.h"                      // IWYU pragma: export
#include "sluice/canary_analysis_gate.h"         // IWYU pragma: export
#include "sluice/clock.h"                        // IWYU pragma: export
#include "sluice/composite_scheduler.h"          // IWYU pragma: export
#include "sluice/csv.h"                          // IWYU pragma: export
#include "sluice/deploy_window_gate.h"           // IWYU pragma: export
#include "sluice/fleet.h"                        // IWYU pragma: export
#include "sluice/fleet_io.h"                     // IWYU pragma: export
#include "sluice/gate_combinators.h"             // IWYU pragma: export
#include "sluice/gate_policy.h"                  // IWYU pragma: export
#include "sluice/gates.h"                        // IWYU pragma: export
#include "sluice/health_gate.h"                  // IWYU pragma: export
#include "sluice/judge_gates.h"                  // IWYU pragma: export
#include "sluice/metric_checks.h"                // IWYU pragma: export
#include "sluice/metric_source.h"                // IWYU pragma: export
#include "sluice/percent_schedulers.h"           // IWYU pragma: export
#include "sluice/phased_rollout.h"               // IWYU pragma: export
#include "sluice/rank_gate.h"                    // IWYU pragma: export
#include "sluice/replan.h"                       // IWYU pragma: export
#include "sluice/review.h"                       // IWYU pragma: export
#include "sluice/rollback_policy.h"              // IWYU pragma: export
#include "sluice/rollout.h"                      // IWYU pragma: export
#include "sluice/rollout_event.h"                // IWYU pragma: export
#include "sluice/selector.h"                     // IWYU pragma: export
#include "sluice/self_baseline_gate.h"           // IWYU pragma: export
#include "sluice/sim/efficacy.h"                 // IWYU pragma: export
#include "sluice/sim/history.h"                  // IWYU pragma: export
#include "sluice/sim/metric_model.h"             // IWYU pragma: export
#include "sluice/sim/monte_carlo.h"              // IWYU pragma: export
#include "sluice/sim/outcome.h"                  // IWYU pragma: export
#include "sluice/sim/phased_simulator.h"         // IWYU pragma: export
#include "sluice/sim/recorded_series.h"          // IWYU pragma: export
#include "sluice/sim/report.h"                   // IWYU pragma: export
#include "sluice/sim/scenario.h"                 // IWYU pragma: export
#include "sluice/sim/sim_sources.h"              // IWYU pragma: export
#include "sluice/sim/simulator.h"                // IWYU pragma: export
#include "sluice/spec.h"                         // IWYU pragma: export
#include "sluice/staged_scheduler.h"             // IWYU pragma: export
#include "sluice/stats/alternative.h"            // IWYU pragma: export
#include "sluice/stats/histogram.h"              // IWYU pragma: export
#include "sluice/stats/hodges_lehmann.h"         // IWYU pragma: export
#include "sluice/stats/kayenta_classifier.h"     // IWYU pragma: export
#include "sluice/stats/kayenta_judge.h"          // IWYU pragma: export
#include "sluice/stats/mann_whitney.h"           // IWYU pragma: export
#include "sluice/stats/rate_did.h"               // IWYU pragma: export
#include "sluice/stats/sequential_counts.h"      // IWYU pragma: export
#include "sluice/stats/sequential_means.h"       // IWYU pragma: export
#include "sluice/stats/sequential_proportion.h"  // IWYU pragma: export
#include "sluice/stats/sequential_quantiles.h"   // IWYU pragma: export
#include "sluice/stats/sequential_rates.h"       // IWYU pragma: export
#include "sluice/stats/sequential_result.h"      // IWYU pragma: export
#include "sluice/verdict.h"                      // IWYU pragma: export
#include "sluice/version.h"                      // IWYU pragma: export
#include "sluice/wave_plan.h"                    // IWYU pragma: export
#include "sluice/wave_scheduler.h"               // IWYU pragma: export

#endif  // SLUICE_SLUICE_H_
