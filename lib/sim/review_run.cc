// Copyright 2026 The Sluice Authors.
//
// ReviewDraftForRun: a post-incident review draft of a simulated run
// (sluice/sim/simulator.h).

#include <cmath>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sluice/review.h"
#include "sluice/sim/simulator.h"

namespace sluice::sim {

absl::StatusOr<std::string> ReviewDraftForRun(const Simulator& simulator,
                                              const RunTrace& trace) {
  ReviewInput input;
  input.events = trace.rollout_events;
  input.fleet = &simulator.fleet();
  input.plan = &simulator.plan();
  input.source = absl::StrCat("simulated run ", trace.outcome.run, " (seed ",
                              trace.outcome.seed, ")");
  const RunOutcome& o = trace.outcome;
  if (o.bad_release) {
    input.known.bad_requests =
        static_cast<int64_t>(std::llround(o.bad_requests));
    if (o.first_harm.has_value()) {
      input.known.first_harm = simulator.scenario().start + *o.first_harm;
    }
  }
  input.known.fault = absl::StrFormat(
      "scenario: %s%s", absl::FormatStreamed(simulator.scenario()),
      o.bad_release ? "" : " (a good release: any stop is a false rollback)");
  return ReviewDraft(input);
}

}  // namespace sluice::sim
