// Copyright 2026 The Sluice Authors.
//
// The measurements behind the metric gates: one Check call queries the host
// (MetricSource or AlarmSource) and classifies the answer. The analysis gate
// (lib/gates/analysis.cc) runs checks with Argo Rollouts' semantics; the
// threshold, relative and alarm gates are analyses of one check.

#ifndef SLUICE_LIB_GATES_CHECKS_H_
#define SLUICE_LIB_GATES_CHECKS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/health_gate.h"
#include "sluice/metric_checks.h"
#include "sluice/metric_source.h"
#include "sluice/verdict.h"

namespace sluice::internal {

// The result of one measurement. Thread-compatible.
struct CheckResult {
  // kPass, kFail, kInconclusive or kError.
  Outcome phase = Outcome::kPass;
  // No data under MissingDataPolicy::kIgnore (phase is kPass).
  bool ignored = false;
  // For kError: whether the source's error was retryable.
  bool retryable = false;
  // The main value, if any.
  std::optional<double> value;
  // Data points behind it, if known.
  std::optional<int64_t> sample_count;
  // The numbers behind it.
  std::vector<Observation> observations;
  // For people.
  std::string message;
};

// One kind of measurement. Thread-safe: Measure() is const.
class Check {
 public:
  virtual ~Check() = default;
  // The default name of an analysis metric using this check.
  virtual std::string default_name() const = 0;
  // Queries the host and classifies the answer. Never fails: host errors
  // become kError results.
  virtual CheckResult Measure(const GateContext& context) const = 0;
  // How long after the wave's deploy the first measurement should wait so
  // that its window holds only the new version's minutes (the window, or
  // zero for checks without one or that may reach before the deploy).
  virtual absl::Duration settle() const { return absl::ZeroDuration(); }
};

// Validates `check` and builds it. Errors are kInvalidArgument with paths
// relative to the check, e.g. "max: must be >= min (got 0.1 < 0.5)".
absl::StatusOr<std::unique_ptr<Check>> NewCheck(const MetricCheck& check);

// Reduces samples (NaNs dropped) with `aggregation` over a window of
// `window` (for kRate); nullopt when no finite sample is left.
std::optional<double> Aggregate(absl::Span<const Sample> samples,
                                const Aggregation& aggregation,
                                absl::Duration window);

// P(X >= k) for X ~ Binomial(n, p): the one-sided p-value of the relative
// check's significance guard (RelativeCheck::significance_alpha). n >= 0,
// p in [0, 1]; 1 when k <= 0, 0 when k > n.
double BinomialUpperTail(int64_t n, int64_t k, double p);

// "5m", "1h30m", "10s".
std::string DurationText(absl::Duration d);

// "2026-11-30 09:00:00 EST" in `zone`.
std::string FormatTimeIn(absl::Time t, absl::TimeZone zone);

// "2026-11-30T14:00:00Z".
std::string FormatTimeUtc(absl::Time t);

// Validates a gate name: non-empty, at most 200 characters, no control
// characters. Errors are "name: ...".
absl::Status ValidateGateName(absl::string_view name);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_GATES_CHECKS_H_
