// Copyright 2026 The Sluice Authors.
//
// The rank test gate of sluice/rank_gate.h.
//
// State: started_at is the window's start; counts.error and
// counts.consecutive_error count query errors; once decided, completed,
// message and measurements[0] (the observations and the sample count).

#include "sluice/rank_gate.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/checks.h"
#include "sluice/metric_source.h"
#include "sluice/stats/histogram.h"
#include "sluice/stats/mann_whitney.h"

namespace sluice {
namespace {

using internal::DurationText;
using internal::FormatTimeUtc;
using internal::InvalidArgumentAt;

// Prometheus counters are doubles (increase() extrapolates); counts are
// rounded to whole observations.
uint64_t RoundCount(double c) {
  return static_cast<uint64_t>(std::llround(std::clamp(c, 0.0, 9.0e15)));
}

// "0.003", "1.2e-07".
std::string Num(double v) {
  if (std::isnan(v)) return "nan";
  return absl::StrFormat("%.3g", v);
}

// One cohort's distribution as counts in the shared buckets `bounds`
// (ascending, the last +inf): a histogram's buckets are merged into the
// first shared bound at or above their own, observations into the first
// shared bound at or above them (NaN dropped). `bounds` must be a subset of
// a histogram's bounds.
stats::Histogram Rebucket(const MetricDistribution& d,
                          const std::vector<double>& bounds) {
  std::vector<uint64_t> counts(bounds.size(), 0);
  if (d.kind == MetricDistribution::Kind::kHistogram) {
    uint64_t below = 0;
    size_t k = 0;
    for (const HistogramBucket& b : d.buckets) {
      const uint64_t cumulative =
          std::max(below, RoundCount(b.cumulative_count));
      while (bounds[k] < b.upper_bound) ++k;  // bounds end with +inf
      counts[k] += cumulative - below;
      below = cumulative;
    }
  } else if (d.kind == MetricDistribution::Kind::kObservations) {
    for (double v : d.observations) {
      if (std::isnan(v)) continue;
      const size_t k =
          std::lower_bound(bounds.begin(), bounds.end(), v) - bounds.begin();
      ++counts[std::min(k, bounds.size() - 1)];
    }
  }
  stats::Histogram h;
  h.upper_bounds = bounds;
  uint64_t sum = 0;
  for (uint64_t c : counts) h.cumulative_counts.push_back(sum += c);
  return h;
}

// The finite-or-infinite (not NaN) observations of `d`.
std::vector<double> Values(const MetricDistribution& d) {
  std::vector<double> out;
  if (d.kind != MetricDistribution::Kind::kObservations) return out;
  out.reserve(d.observations.size());
  for (double v : d.observations) {
    if (!std::isnan(v)) out.push_back(v);
  }
  return out;
}

class RankTestGate : public HealthGate {
 public:
  RankTestGate(std::string name, RankTestGateOptions options)
      : name_(std::move(name)), options_(std::move(options)) {}

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    if (state.started_at == absl::InfinitePast()) {
      state.started_at = context.wave_deployed_at != absl::InfinitePast()
                             ? context.wave_deployed_at
                             : context.now;
    }
    if (state.completed.has_value()) return Decided(state);
    const absl::Time start = state.started_at;
    if (context.baseline_targets.empty() && !context.wave_targets.empty()) {
      state.completed = Outcome::kPass;
      state.message = absl::StrCat(
          "no baseline for ", WavePhrase(context),
          ": no target is left on the old version to compare with");
      state.measurements.clear();
      return Decided(state);
    }
    const absl::Time end = start + options_.window;
    if (context.now < end) {
      return Verdict::Hold(
          name_, end,
          absl::StrCat("testing at ", FormatTimeUtc(end), " (after ",
                       DurationText(options_.window), " from ",
                       FormatTimeUtc(start), ")"));
    }
    MetricDistribution d[2];  // wave, baseline
    for (int c = 0; c < 2; ++c) {
      absl::StatusOr<MetricDistribution> got = Query(
          c == 0 ? Cohort::kWave : Cohort::kBaseline, start, end, context);
      if (got.ok() && got->kind == MetricDistribution::Kind::kHistogram) {
        if (absl::Status s = ValidateHistogram(got->buckets); !s.ok()) {
          got = absl::InvalidArgumentError(
              absl::StrCat("invalid histogram: ", s.message()));
        }
      }
      if (!got.ok()) {
        return QueryError(
            got.status(),
            absl::StrCat("querying the distribution of ", options_.metric.name,
                         " on ", c == 0 ? WavePhrase(context) : "the baseline"),
            context, state);
      }
      d[c] = *std::move(got);
    }
    state.counts.consecutive_error = 0;
    return Test(d[0], d[1], end, context, state);
  }

 private:
  std::string WavePhrase(const GateContext& context) const {
    return context.wave_index >= 0 ? absl::StrCat("wave ", context.wave_index)
                                   : "the wave";
  }

  absl::StatusOr<MetricDistribution> Query(Cohort cohort, absl::Time start,
                                           absl::Time end,
                                           const GateContext& context) const {
    if (context.metric_source == nullptr) {
      return absl::FailedPreconditionError(
          "GateContext.metric_source is null (the host provided no "
          "MetricSource)");
    }
    MetricQuery query;
    query.metric = options_.metric.name;
    query.query = options_.metric.query;
    query.params = options_.metric.params;
    query.cohort = cohort;
    query.targets = cohort == Cohort::kWave ? context.wave_targets
                                            : context.baseline_targets;
    query.wave_index = context.wave_index;
    query.stage = context.stage;
    query.start = start;
    query.end = end;
    query.max_observations = options_.max_observations;
    return context.metric_source->QueryDistribution(query);
  }

  // A retry (kHold) for a retryable error within the limit, else kError.
  Verdict QueryError(const absl::Status& status, const std::string& what,
                     const GateContext& context, GateState& state) const {
    ++state.counts.error;
    ++state.counts.consecutive_error;
    const std::string message = absl::StrCat(what, ": ", status.ToString());
    if (IsRetryable(status) &&
        state.counts.consecutive_error <= options_.consecutive_error_limit) {
      return Verdict::Hold(
          name_, context.now + options_.error_retry_interval,
          absl::StrCat(message, " (error ", state.counts.consecutive_error,
                       " in a row; retrying in ",
                       DurationText(options_.error_retry_interval), ")"));
    }
    state.completed = Outcome::kError;
    state.message = IsRetryable(status)
                        ? absl::StrCat(message, " (consecutive errors (",
                                       state.counts.consecutive_error,
                                       ") > consecutive_error_limit (",
                                       options_.consecutive_error_limit, "))")
                        : absl::StrCat(message, " (not retryable)");
    return Verdict::Error(name_, state.message);
  }

  Verdict Decided(const GateState& state) const {
    Verdict v;
    v.outcome = *state.completed;
    v.gate = name_;
    v.reason = state.message;
    if (!state.measurements.empty()) {
      v.observations = state.measurements[0].observations;
      v.sample_count = state.measurements[0].sample_count;
    }
    return v;
  }

  // Records the decision in `state` and returns it.
  Verdict Decide(Outcome outcome, std::string message,
                 std::vector<Observation> observations, int64_t n,
                 absl::Time end, GateState& state) const {
    Measurement m;
    m.at = end;
    m.phase = outcome;
    m.message = message;
    m.observations = std::move(observations);
    m.sample_count = n;
    state.completed = outcome;
    state.message = std::move(message);
    state.measurements.assign(1, std::move(m));
    return Decided(state);
  }

  Verdict Test(const MetricDistribution& wave,
               const MetricDistribution& baseline, absl::Time end,
               const GateContext& context, GateState& state) const {
    const bool histogram =
        wave.kind == MetricDistribution::Kind::kHistogram ||
        baseline.kind == MetricDistribution::Kind::kHistogram;
    stats::Histogram hist[2];
    std::vector<double> values[2];
    uint64_t n[2];
    if (histogram) {
      // The buckets both cohorts were measured in: the bounds every
      // histogram answer has (+inf is the last of each).
      std::vector<double> bounds;
      for (const MetricDistribution* d : {&wave, &baseline}) {
        if (d->kind != MetricDistribution::Kind::kHistogram) continue;
        std::vector<double> own;
        for (const HistogramBucket& b : d->buckets) {
          own.push_back(b.upper_bound);
        }
        if (bounds.empty()) {
          bounds = std::move(own);
        } else {
          std::vector<double> shared;
          std::set_intersection(bounds.begin(), bounds.end(), own.begin(),
                                own.end(), std::back_inserter(shared));
          bounds = std::move(shared);
        }
      }
      hist[0] = Rebucket(wave, bounds);
      hist[1] = Rebucket(baseline, bounds);
      n[0] = hist[0].total();
      n[1] = hist[1].total();
    } else {
      values[0] = Values(wave);
      values[1] = Values(baseline);
      n[0] = values[0].size();
      n[1] = values[1].size();
    }
    const std::string& metric = options_.metric.name;
    std::vector<Observation> counts = {
        {"n_canary", static_cast<double>(n[0]), ""},
        {"n_baseline", static_cast<double>(n[1]), ""}};
    const int64_t total = static_cast<int64_t>(n[0] + n[1]);
    const uint64_t need =
        static_cast<uint64_t>(std::max<int64_t>(options_.min_samples, 1));
    if (n[0] < need || n[1] < need) {
      std::vector<std::string> parts;
      if (n[0] < need) {
        parts.push_back(
            absl::StrCat(n[0], " observations on ", WavePhrase(context)));
      }
      if (n[1] < need) {
        parts.push_back(absl::StrCat(n[1], " observations on the baseline"));
      }
      if (options_.min_samples == 0) {
        // Nothing to compare with: no evidence of harm.
        return Decide(Outcome::kPass,
                      absl::StrCat("nothing to compare: ", metric, " has ",
                                   absl::StrJoin(parts, " and ")),
                      std::move(counts), total, end, state);
      }
      return Decide(Outcome::kInconclusive,
                    absl::StrCat("too few samples to test: ", metric, " has ",
                                 absl::StrJoin(parts, " and "),
                                 " (min_samples ", options_.min_samples, ")"),
                    std::move(counts), total, end, state);
    }
    stats::MannWhitneyOptions mw;
    mw.alternative = stats::Alternative::kGreater;  // the canary higher
    mw.method = stats::MannWhitneyMethod::kAsymptotic;
    absl::StatusOr<stats::MannWhitneyResult> r =
        histogram ? stats::MannWhitneyUHistograms(hist[0], hist[1], mw)
                  : stats::MannWhitneyU(values[0], values[1], mw);
    if (!r.ok()) {
      // E.g. a cohort of 2^31 or more observations.
      state.completed = Outcome::kError;
      state.message =
          absl::StrCat("testing ", metric, ": ", r.status().ToString());
      return Verdict::Error(name_, state.message, std::move(counts));
    }
    const double superiority =
        r->u / (static_cast<double>(n[0]) * static_cast<double>(n[1]));
    std::vector<Observation> obs = {{"u", r->u, ""},
                                    {"p_value", r->p_value, ""},
                                    {"z", r->z, ""},
                                    {"superiority", superiority, ""}};
    obs.insert(obs.end(), counts.begin(), counts.end());
    const std::string sizes = absl::StrCat(
        "(n ", n[0], " vs ", n[1],
        histogram ? absl::StrCat(", ", hist[0].upper_bounds.size(), " buckets")
                  : "",
        ")");
    if (!(r->p_value < options_.alpha)) {
      return Decide(
          Outcome::kPass,
          absl::StrCat(metric, " not shown higher on ", WavePhrase(context),
                       ": p=", Num(r->p_value), " >= alpha ",
                       Num(options_.alpha), ", superiority ", Num(superiority),
                       " ", sizes),
          std::move(obs), total, end, state);
    }
    if (superiority < options_.min_superiority) {
      return Decide(
          Outcome::kPass,
          absl::StrCat(metric, " higher on ", WavePhrase(context),
                       " (p=", Num(r->p_value), " < alpha ",
                       Num(options_.alpha), ") but by too little: superiority ",
                       Num(superiority), " < min_superiority ",
                       Num(options_.min_superiority), " ", sizes),
          std::move(obs), total, end, state);
    }
    return Decide(
        Outcome::kFail,
        absl::StrCat(metric, " higher on ", WavePhrase(context),
                     ": p=", Num(r->p_value), " < alpha ", Num(options_.alpha),
                     ", superiority ", Num(superiority),
                     " >= ", Num(options_.min_superiority), " ", sizes),
        std::move(obs), total, end, state);
  }

  std::string name_;
  RankTestGateOptions options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HealthGate>> NewRankTestGate(
    std::string name, RankTestGateOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  if (options.metric.name.empty()) {
    return InvalidArgumentAt("metric.name", "must not be empty");
  }
  if (options.window <= absl::ZeroDuration() ||
      options.window == absl::InfiniteDuration()) {
    return InvalidArgumentAt(
        "window",
        internal::MustBe(internal::kMustBePositiveFinite, options.window));
  }
  if (!(options.alpha > 0 && options.alpha < 1)) {
    return InvalidArgumentAt(
        "alpha", absl::StrCat("must be in (0, 1) (got ", options.alpha, ")"));
  }
  if (!(options.min_superiority >= 0.5 && options.min_superiority < 1)) {
    return InvalidArgumentAt("min_superiority",
                             absl::StrCat("must be in [0.5, 1) (got ",
                                          options.min_superiority, ")"));
  }
  if (options.min_samples < 0) {
    return InvalidArgumentAt(
        "min_samples",
        absl::StrCat("must be >= 0 (got ", options.min_samples, ")"));
  }
  if (options.max_observations < 0) {
    return InvalidArgumentAt(
        "max_observations",
        absl::StrCat("must be >= 0 (got ", options.max_observations, ")"));
  }
  if (options.error_retry_interval <= absl::ZeroDuration()) {
    return InvalidArgumentAt(
        "error_retry_interval",
        absl::StrCat("must be > 0 (got ",
                     DurationText(options.error_retry_interval), ")"));
  }
  if (options.consecutive_error_limit < 0) {
    return InvalidArgumentAt(
        "consecutive_error_limit",
        absl::StrCat("must be >= 0 (got ", options.consecutive_error_limit,
                     ")"));
  }
  return std::unique_ptr<HealthGate>(
      new RankTestGate(std::move(name), std::move(options)));
}

}  // namespace sluice
