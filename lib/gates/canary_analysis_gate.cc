// Copyright 2026 The Sluice Authors.
//
// The canary analysis gate of sluice/canary_analysis_gate.h: Kayenta's
// judgements over a canary's lifetime. Each judgement is a Kayenta judge
// gate (sluice/judge_gates.h) over that judgement's window, evaluated with
// the window's start as its wave_deployed_at and a fresh child state.
//
// State: started_at is the deploy (the lifetime's start); counts.count the
// judgements made; children[0] the judge's state for the judgement in
// progress (a retrying query); measurements one per judgement (at = the
// window's end, value = the score, phase = the judgement's outcome), the
// latest GateState::kMaxMeasurements; completed and message once decided.

#include "sluice/canary_analysis_gate.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/checks.h"

namespace sluice {
namespace {

using internal::DurationText;
using internal::InvalidArgumentAt;

class CanaryAnalysisGate : public HealthGate {
 public:
  CanaryAnalysisGate(std::string name, CanaryAnalysisGateOptions options)
      : name_(std::move(name)), options_(std::move(options)) {
    interval_ = options_.interval;
    if (interval_ <= absl::ZeroDuration() || interval_ > options_.lifetime) {
      interval_ = options_.lifetime;
    }
    absl::Duration rem;
    judgements_ = static_cast<int32_t>(std::max<int64_t>(
        1, absl::IDivDuration(options_.lifetime, interval_, &rem)));
  }

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    if (state.started_at == absl::InfinitePast()) {
      state.started_at = context.wave_deployed_at != absl::InfinitePast()
                             ? context.wave_deployed_at
                             : context.now;
    }
    if (state.completed.has_value()) return Result(state);
    const absl::Time start = state.started_at;
    const int32_t i = state.counts.count + 1;
    const absl::Time end = start + options_.warmup + i * interval_;
    const absl::Time from = options_.lookback > absl::ZeroDuration()
                                ? std::max(start, end - options_.lookback)
                                : start + options_.warmup;
    const std::string window = absl::StrCat(
        "window ", DurationText(from - start), "..", DurationText(end - start));
    if (context.now < end) {
      return Verdict::Hold(
          name_, end,
          absl::StrCat("judgement ", i, " of ", judgements_, " at ",
                       internal::FormatTimeUtc(end), " (", window, ")"));
    }
    KayentaJudgeGateOptions judge = options_.judge;
    judge.window = end - from;
    judge.marginal = Outcome::kPass;  // the scores decide here
    absl::StatusOr<std::unique_ptr<HealthGate>> gate = NewKayentaJudgeGate(
        absl::StrCat(name_, " judgement ", i), std::move(judge));
    if (!gate.ok()) {  // validated at construction; a bug
      state.completed = Outcome::kError;
      state.message = absl::StrCat("judge: ", gate.status().ToString());
      return Verdict::Error(name_, state.message);
    }
    GateContext at = context;
    at.wave_deployed_at = from;
    Verdict v = (*gate)->Evaluate(at, state.Child(0));
    if (v.outcome == Outcome::kHold) {
      v.gate = name_;
      return v;  // a retryable query error: ask again
    }
    const Observation* score = v.FindObservation("score");
    if (v.outcome == Outcome::kInconclusive && score == nullptr) {
      // Too few samples to judge (KayentaJudgeGateOptions::min_samples):
      // the judgement counts for nothing; a later one, over more data,
      // may judge. The last one ends the analysis inconclusive.
      Measurement m;
      m.at = end;
      m.phase = Outcome::kInconclusive;
      m.sample_count = v.sample_count;
      m.message = v.reason;
      state.children.clear();
      ++state.counts.count;
      ++state.counts.inconclusive;
      Keep(std::move(m), state);
      const std::string head = absl::StrCat("judgement ", i, " of ",
                                            judgements_, " (", window, "): ");
      if (i < judgements_) {
        const absl::Time next = start + options_.warmup + (i + 1) * interval_;
        return Verdict::Hold(
            name_, next,
            absl::StrCat(head, v.reason, "; judgement ", i + 1, " at ",
                         internal::FormatTimeUtc(next)));
      }
      state.completed = Outcome::kInconclusive;
      state.message = absl::StrCat(head, v.reason, " (final)");
      return Result(state);
    }
    if (v.outcome == Outcome::kError || score == nullptr) {
      state.completed = Outcome::kError;
      state.message =
          absl::StrCat("judgement ", i, " of ", judgements_, ": ", v.reason);
      return Result(state);
    }
    const stats::ScoreThresholds& t = options_.judge.judge.thresholds;
    Measurement m;
    m.at = end;
    m.value = score->value;
    m.sample_count = v.sample_count;
    m.message = v.reason;
    state.children.clear();
    ++state.counts.count;
    if (v.sample_count.has_value()) state.counts.samples += *v.sample_count;
    const std::string head =
        absl::StrCat("judgement ", i, " of ", judgements_, " (", window,
                     "): score ", score->value);
    if (score->value <= t.marginal) {
      m.phase = Outcome::kFail;
      ++state.counts.failed;
      Keep(std::move(m), state);
      state.completed = Outcome::kFail;
      state.message =
          absl::StrCat(head, " <= marginal ", t.marginal, "; ", v.reason);
      return Result(state);
    }
    m.phase = score->value >= t.pass ? Outcome::kPass : options_.marginal;
    ++state.counts.successful;
    Keep(std::move(m), state);
    if (i < judgements_) {
      const absl::Time next = start + options_.warmup + (i + 1) * interval_;
      return Verdict::Hold(
          name_, next,
          absl::StrCat(head, " > marginal ", t.marginal, "; judgement ", i + 1,
                       " at ", internal::FormatTimeUtc(next)));
    }
    if (score->value >= t.pass) {
      state.completed = Outcome::kPass;
      state.message = absl::StrCat(head, " >= pass ", t.pass, " (final)");
    } else {
      state.completed = options_.marginal;
      state.message = absl::StrCat(
          head, " < pass ", t.pass, " (final; > marginal ", t.marginal,
          ", marginal is ", OutcomeName(options_.marginal), ")");
    }
    return Result(state);
  }

 private:
  static void Keep(Measurement m, GateState& state) {
    state.measurements.push_back(std::move(m));
    if (state.measurements.size() > GateState::kMaxMeasurements) {
      state.measurements.erase(state.measurements.begin());
    }
  }

  Verdict Result(const GateState& state) const {
    Verdict v;
    v.outcome = *state.completed;
    v.gate = name_;
    v.reason = state.message;
    // The last score (judgements with too few samples to judge have none).
    double last = 0;
    for (auto it = state.measurements.rbegin(); it != state.measurements.rend();
         ++it) {
      if (it->value.has_value()) {
        last = *it->value;
        break;
      }
    }
    v.observations.push_back({"score", last, ""});
    v.observations.push_back(
        {"judgement", static_cast<double>(state.counts.count), ""});
    v.observations.push_back(
        {"judgements", static_cast<double>(judgements_), ""});
    const int32_t first = state.counts.count -
                          static_cast<int32_t>(state.measurements.size()) + 1;
    for (size_t k = 0; k < state.measurements.size(); ++k) {
      const Measurement& m = state.measurements[k];
      v.observations.push_back(
          {absl::StrCat("score.", first + k),
           m.value.value_or(std::numeric_limits<double>::quiet_NaN()), ""});
    }
    v.sample_count = state.counts.samples;
    return v;
  }

  std::string name_;
  CanaryAnalysisGateOptions options_;
  absl::Duration interval_;
  int32_t judgements_ = 1;
};

absl::Status NonNegative(absl::string_view field, absl::Duration d) {
  if (d < absl::ZeroDuration() || d == absl::InfiniteDuration()) {
    return internal::FieldPath(field).Invalid(
        internal::MustBe(internal::kMustBeNonNegativeFinite, d));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<HealthGate>> NewCanaryAnalysisGate(
    std::string name, CanaryAnalysisGateOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  if (options.lifetime <= absl::ZeroDuration() ||
      options.lifetime == absl::InfiniteDuration()) {
    return internal::FieldPath("lifetime")
        .Invalid(internal::MustBe(internal::kMustBePositiveFinite,
                                  options.lifetime));
  }
  SLUICE_RETURN_IF_ERROR(NonNegative("interval", options.interval));
  SLUICE_RETURN_IF_ERROR(NonNegative("warmup", options.warmup));
  SLUICE_RETURN_IF_ERROR(NonNegative("lookback", options.lookback));
  {
    const absl::Duration interval = options.interval > absl::ZeroDuration()
                                        ? options.interval
                                        : options.lifetime;
    absl::Duration rem;
    if (absl::IDivDuration(options.lifetime, interval, &rem) > 10000) {
      return InvalidArgumentAt(
          "interval", absl::StrCat("must allow at most 10000 judgements (got ",
                                   DurationText(options.lifetime), " / ",
                                   DurationText(interval), ")"));
    }
  }
  if (options.marginal == Outcome::kHold ||
      options.marginal == Outcome::kError) {
    return InvalidArgumentAt("marginal",
                             "must be kFail, kInconclusive or kPass");
  }
  {
    KayentaJudgeGateOptions judge = options.judge;
    judge.window = options.lifetime;
    absl::StatusOr<std::unique_ptr<HealthGate>> check =
        NewKayentaJudgeGate(name, std::move(judge));
    if (!check.ok()) return internal::NestStatus(check.status(), "judge");
  }
  return std::unique_ptr<HealthGate>(std::make_unique<CanaryAnalysisGate>(
      std::move(name), std::move(options)));
}

}  // namespace sluice
