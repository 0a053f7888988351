// Copyright 2026 The Sluice Authors.
//
// Verdict: what a health gate decided, and why.
//
// A gate's answer is one of a closed set of outcomes, each with what the
// rollout engine (or the host) does with it:
//
//   kPass          safe to go on to the next wave.
//   kFail          not safe: roll back (the rollback policy decides how).
//   kInconclusive  the evidence decides neither way: pause the rollout for a
//                  person (Argo Rollouts' Inconclusive).
//   kError         the gate could not decide (its metric source kept
//                  failing): treated as a failure unless the rollback policy
//                  says otherwise.
//   kHold          not yet: ask again at `hold_until` (the next measurement,
//                  the end of a bake, the next deploy window, an approval).
//
// Every verdict carries the numbers it was decided on and a reason a person
// reads, e.g. "p99_latency 412 ms > max 300 ms over 5m on wave 2 (n=1240)".
// A failed check is a normal Verdict, never an error Status.
//
// Example:
//
//   sluice::Verdict v = gate.Evaluate(context, state);
//   switch (v.outcome) {
//     case sluice::Outcome::kHold:
//       ScheduleWakeUp(v.hold_until);
//       break;
//     case sluice::Outcome::kPass:
//       StartNextWave();
//       break;
//     default:
//       std::cerr << v << "\n";  // "[FAIL] p99: p99_latency 412 ms > ..."
//   }

#ifndef SLUICE_VERDICT_H_
#define SLUICE_VERDICT_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace sluice {

// The outcome of a gate or of one measurement.
enum class Outcome {
  kPass,
  kFail,
  kInconclusive,
  kError,
  kHold,
};

// "PASS", "FAIL", "INCONCLUSIVE", "ERROR" or "HOLD".
absl::string_view OutcomeName(Outcome outcome);
std::ostream& operator<<(std::ostream& os, Outcome outcome);

// How bad an outcome is, from best to worst: kPass 0, kHold 1,
// kInconclusive 2, kError 3, kFail 4. This is Argo Rollouts' order
// (Successful < Running < Inconclusive < Error < Failed); combinators and
// analysis runs report the worst outcome by this rank.
int OutcomeSeverity(Outcome outcome);

// The worse of two outcomes by OutcomeSeverity().
Outcome WorseOutcome(Outcome a, Outcome b);

// True for kPass, kFail, kInconclusive and kError: the gate has decided.
bool IsFinal(Outcome outcome);

// A number a verdict was decided on, e.g. {"p99_latency", 412, "ms"}.
// Value type; thread-compatible.
struct Observation {
  // What was measured or computed, e.g. "p99_latency",
  // "p99_latency.baseline", "ratio", "failed". Default: empty.
  std::string name;
  // The value. Default: 0.
  double value = 0;
  // Its unit, e.g. "ms", "%", or empty when it has none. Default: empty.
  std::string unit;

  friend bool operator==(const Observation& a, const Observation& b);
  friend bool operator!=(const Observation& a, const Observation& b) {
    return !(a == b);
  }
};

// Prints "name=value unit".
std::ostream& operator<<(std::ostream& os, const Observation& observation);

// A gate's decision. Value type: copyable, comparable, printable.
// Thread-compatible.
struct Verdict {
  // The decision. Default: kPass.
  Outcome outcome = Outcome::kPass;
  // The name of the gate that decided. Default: empty.
  std::string gate;
  // One line for people, e.g. "p99_latency 412 ms > max 300 ms over 5m on
  // wave 2 (n=1240)". Default: empty.
  std::string reason;
  // The numbers the decision was made on, in a fixed order. Default: none.
  std::vector<Observation> observations;
  // How many data points the decision rests on, if known (bake gates'
  // min_samples count these). Default: unknown.
  std::optional<int64_t> sample_count;
  // For kHold: ask again at or after this time. absl::InfiniteFuture() means
  // "only when something external happens" (an approval). Ignored for other
  // outcomes. Default: absl::InfinitePast().
  absl::Time hold_until = absl::InfinitePast();
  // The verdicts this one was built from (a combinator's children, an
  // analysis run's metrics, a shadow gate's hidden verdict). Default: none.
  std::vector<Verdict> details;

  // Convenience constructors.
  static Verdict Pass(std::string gate, std::string reason,
                      std::vector<Observation> observations = {});
  static Verdict Fail(std::string gate, std::string reason,
                      std::vector<Observation> observations = {});
  static Verdict Inconclusive(std::string gate, std::string reason,
                              std::vector<Observation> observations = {});
  static Verdict Error(std::string gate, std::string reason,
                       std::vector<Observation> observations = {});
  static Verdict Hold(std::string gate, absl::Time until, std::string reason,
                      std::vector<Observation> observations = {});

  // The observation with this name, or nullptr.
  const Observation* FindObservation(absl::string_view name) const;

  // "[FAIL] gate: reason (until ...)" on one line; with details, each child
  // follows on its own indented line.
  std::string ToString() const;

  friend bool operator==(const Verdict& a, const Verdict& b);
  friend bool operator!=(const Verdict& a, const Verdict& b) {
    return !(a == b);
  }
};

// Prints Verdict::ToString().
std::ostream& operator<<(std::ostream& os, const Verdict& verdict);

}  // namespace sluice

#endif  // SLUICE_VERDICT_H_
