// Copyright 2026 The Sluice Authors.
//
// RolloutSpec.watch: validation, summary and what it sets in RolloutOptions.
// The background gates are built as the gate policy builds its default set
// (BuildGates over the spec's metrics), so both validate alike.

#include "lib/rollout/spec_watch.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_sets.h"
#include "lib/gates/spec_gates.h"
#include "lib/rollout/rollout_codec.h"

namespace sluice::internal {
namespace {

constexpr absl::Duration kDefaultInterval = absl::Minutes(5);

// The background gates, built: a spec with the same metrics whose default
// gate set is watch.background.gates. Errors are renamed from
// "gates.default..." to "watch.background.gates...".
absl::StatusOr<std::vector<std::unique_ptr<HealthGate>>> BuildBackgroundGates(
    const v1::RolloutSpec& spec) {
  v1::RolloutSpec only;
  *only.mutable_metrics() = spec.metrics();
  *only.mutable_gates()->mutable_default_() = spec.watch().background().gates();
  absl::StatusOr<BuiltGates> built = BuildGates(only);
  if (!built.ok()) {
    std::string message(built.status().message());
    constexpr absl::string_view kFrom = "gates.default";
    if (absl::StartsWith(message, kFrom)) {
      message =
          absl::StrCat("watch.background.gates", message.substr(kFrom.size()));
    } else {
      message = absl::StrCat("watch.background: ", message);
    }
    return absl::Status(built.status().code(), message);
  }
  return std::move(built->default_gates);
}

}  // namespace

absl::Status ValidateWatchSpec(const v1::RolloutSpec& spec) {
  if (!spec.has_watch()) return absl::OkStatus();
  const v1::WatchSpec& watch = spec.watch();
  if (watch.has_bake_recheck_interval()) {
    const absl::Duration d = DecodeDuration(watch.bake_recheck_interval());
    if (d < absl::ZeroDuration()) {
      return InvalidArgumentAt(
          "watch.bake_recheck_interval",
          absl::StrCat("must be >= 0 (got ", absl::FormatDuration(d), ")"));
    }
  }
  if (!watch.has_background()) return absl::OkStatus();
  const v1::BackgroundAnalysisSpec& background = watch.background();
  if (background.gates().empty()) {
    return InvalidArgumentAt("watch.background.gates",
                             "must name at least one gate");
  }
  if (background.has_interval()) {
    const absl::Duration d = DecodeDuration(background.interval());
    if (d <= absl::ZeroDuration()) {
      return InvalidArgumentAt(
          "watch.background.interval",
          absl::StrCat("must be > 0 (got ", absl::FormatDuration(d), ")"));
    }
  }
  if (background.starting_wave() < 0) {
    return InvalidArgumentAt(
        "watch.background.starting_wave",
        absl::StrCat("must be >= 0 (got ", background.starting_wave(), ")"));
  }
  return BuildBackgroundGates(spec).status();
}

std::string SummarizeWatchSpec(const v1::RolloutSpec& spec) {
  if (!spec.has_watch()) return "";
  const v1::WatchSpec& watch = spec.watch();
  const absl::Duration recheck =
      watch.has_bake_recheck_interval()
          ? DecodeDuration(watch.bake_recheck_interval())
          : kDefaultInterval;
  std::string out = recheck > absl::ZeroDuration()
                        ? absl::StrCat("watch: re-checks every ",
                                       absl::FormatDuration(recheck))
                        : std::string("watch: no re-checks");
  if (watch.has_background()) {
    const v1::BackgroundAnalysisSpec& b = watch.background();
    absl::StrAppend(
        &out, ", background analysis (", b.gates_size(),
        b.gates_size() == 1 ? " gate" : " gates", ") every ",
        absl::FormatDuration(b.has_interval() ? DecodeDuration(b.interval())
                                              : kDefaultInterval),
        " from wave ", b.starting_wave());
  }
  return out;
}

absl::Status ApplyWatchSpec(const v1::RolloutSpec& spec,
                            RolloutOptions& options) {
  if (!spec.has_watch()) return absl::OkStatus();
  SLUICE_RETURN_IF_ERROR(ValidateWatchSpec(spec));
  const v1::WatchSpec& watch = spec.watch();
  if (watch.has_bake_recheck_interval()) {
    options.bake_recheck_interval =
        DecodeDuration(watch.bake_recheck_interval());
  }
  if (!watch.has_background()) return absl::OkStatus();
  const v1::BackgroundAnalysisSpec& b = watch.background();
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<HealthGate>> gates,
                          BuildBackgroundGates(spec));
  SLUICE_RETURN_IF_ERROR(ValidateGateSet(gates));
  options.background_gate = std::shared_ptr<const HealthGate>(
      NewGateSet("background analysis", std::move(gates)));
  options.background_interval =
      b.has_interval() ? DecodeDuration(b.interval()) : kDefaultInterval;
  options.background_start_wave = b.starting_wave();
  return absl::OkStatus();
}

}  // namespace sluice::internal
