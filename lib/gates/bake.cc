// Copyright 2026 The Sluice Authors.
//
// Bake: the wave must stay healthy for the whole bake time.
//
// State: started_at is the bake's start (the end of the wave's deploy, or
// the first evaluation); counts.count the checks passed so far;
// counts.samples their samples; measurements the latest passed checks (the
// last one's time sets the next check); children[0] the state of the check
// in progress (a check may hold, e.g. while retrying an errored query);
// completed once decided.

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/checks.h"
#include "sluice/bake_gate.h"

namespace sluice {
namespace {

class BakeGate : public HealthGate {
 public:
  BakeGate(std::string name, BakeOptions options,
           std::unique_ptr<HealthGate> check)
      : name_(std::move(name)), options_(options), check_(std::move(check)) {}

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    const absl::Time now = context.now;
    if (state.started_at == absl::InfinitePast()) {
      state.started_at = context.wave_deployed_at != absl::InfinitePast()
                             ? context.wave_deployed_at
                             : now;
    }
    const absl::Time start = state.started_at;
    const absl::Time end = start + options_.duration;
    if (state.completed.has_value()) return Decided(state);

    const bool in_progress =
        !state.children.empty() &&
        state.children[0].started_at != absl::InfinitePast();
    if (!in_progress && now < NextCheck(state, end)) {
      return Waiting(state, NextCheck(state, end));
    }
    Verdict check = check_->Evaluate(context, state.Child(0));
    if (check.outcome == Outcome::kHold) {
      Verdict v =
          Verdict::Hold(name_, check.hold_until,
                        absl::StrCat("baking: check ", state.counts.count + 1,
                                     " in progress: ", check.reason),
                        Observations(state));
      v.details.push_back(std::move(check));
      return v;
    }
    if (check.outcome != Outcome::kPass) {
      state.completed = check.outcome;
      state.message = absl::StrCat(
          "check ", state.counts.count + 1, " at ",
          internal::DurationText(now - start), " into the ",
          internal::DurationText(options_.duration),
          " bake: ", OutcomeName(check.outcome), ": ", check.reason);
      state.children.clear();
      Verdict v = Decided(state);
      v.details.push_back(std::move(check));
      return v;
    }
    state.counts.count++;
    state.counts.successful++;
    if (check.sample_count.has_value()) {
      state.counts.samples += *check.sample_count;
    }
    state.children.clear();  // the next check starts afresh
    Measurement m;
    m.at = now;
    m.phase = Outcome::kPass;
    m.message = check.reason;
    m.sample_count = check.sample_count;
    state.measurements.push_back(std::move(m));
    if (state.measurements.size() > GateState::kMaxMeasurements) {
      state.measurements.erase(state.measurements.begin());
    }
    if (now >= end) {
      if (options_.min_samples > 0 &&
          state.counts.samples < options_.min_samples) {
        state.completed = options_.too_few_samples;
        state.message =
            absl::StrCat("baked ", internal::DurationText(options_.duration),
                         " (", state.counts.count, " checks passed) but saw ",
                         state.counts.samples, " samples < min_samples ",
                         options_.min_samples);
      } else {
        state.completed = Outcome::kPass;
        state.message = absl::StrCat(
            "healthy for the whole ", internal::DurationText(options_.duration),
            " bake (", state.counts.count, " checks passed, ",
            state.counts.samples, " samples)");
      }
      Verdict v = Decided(state);
      v.details.push_back(std::move(check));
      return v;
    }
    Verdict v = Waiting(state, NextCheck(state, end));
    v.details.push_back(std::move(check));
    return v;
  }

 private:
  // The next check: the first multiple of the interval from the start that
  // is after the last check (or the start), at most the end.
  absl::Time NextCheck(const GateState& state, absl::Time end) const {
    const absl::Time start = state.started_at;
    absl::Time t = start + options_.interval;
    if (!state.measurements.empty() && state.measurements.back().at >= start) {
      absl::Duration rem;
      int64_t k = absl::IDivDuration(state.measurements.back().at - start,
                                     options_.interval, &rem);
      t = start + options_.interval * (k + 1);
    }
    return std::min(t, end);
  }

  std::vector<Observation> Observations(const GateState& state) const {
    return {{"checks_passed", static_cast<double>(state.counts.count), ""},
            {"samples", static_cast<double>(state.counts.samples), ""},
            {"min_samples", static_cast<double>(options_.min_samples), ""},
            {"bake_seconds", absl::ToDoubleSeconds(options_.duration), "s"}};
  }

  Verdict Waiting(const GateState& state, absl::Time next) const {
    return Verdict::Hold(
        name_, next,
        absl::StrCat(
            "baking until ",
            internal::FormatTimeUtc(state.started_at + options_.duration), ": ",
            state.counts.count, " checks passed; next at ",
            internal::FormatTimeUtc(next)),
        Observations(state));
  }

  Verdict Decided(const GateState& state) const {
    Verdict v;
    v.gate = name_;
    v.outcome = *state.completed;
    v.reason = state.message;
    v.observations = Observations(state);
    v.sample_count = state.counts.samples;
    return v;
  }

  std::string name_;
  BakeOptions options_;
  std::unique_ptr<HealthGate> check_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HealthGate>> NewBakeGate(
    std::string name, BakeOptions options, std::unique_ptr<HealthGate> check) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  if (options.duration <= absl::ZeroDuration() ||
      options.duration == absl::InfiniteDuration()) {
    return internal::FieldPath("duration")
        .Invalid(internal::MustBe(internal::kMustBePositiveFinite,
                                  options.duration));
  }
  if (options.interval <= absl::ZeroDuration()) {
    return internal::InvalidArgumentAt(
        "interval",
        absl::StrCat("must be > 0 (got ",
                     internal::DurationText(options.interval), ")"));
  }
  if (options.interval > options.duration) {
    return internal::InvalidArgumentAt(
        "interval",
        absl::StrCat("must be <= duration (got ",
                     internal::DurationText(options.interval), " > ",
                     internal::DurationText(options.duration), ")"));
  }
  if (options.min_samples < 0) {
    return internal::InvalidArgumentAt(
        "min_samples",
        absl::StrCat("must be >= 0 (got ", options.min_samples, ")"));
  }
  if (options.too_few_samples != Outcome::kInconclusive &&
      options.too_few_samples != Outcome::kFail) {
    return internal::InvalidArgumentAt(
        "too_few_samples",
        absl::StrCat("must be INCONCLUSIVE or FAIL (got ",
                     OutcomeName(options.too_few_samples), ")"));
  }
  if (check == nullptr) {
    return internal::InvalidArgumentAt("check", "must not be null");
  }
  return std::unique_ptr<HealthGate>(
      new BakeGate(std::move(name), options, std::move(check)));
}

}  // namespace sluice
