// Copyright 2026 The Sluice Authors.
//
// The statistical gates of sluice/judge_gates.h.
//
// State of the Kayenta judge gate: started_at is the window's start;
// counts.error / consecutive_error count query errors; completed, message
// and measurements[0] (the observations) once decided.
//
// State of the sequential gates: started_at is the test's start;
// measurements[0] is the test's checkpoint: `at` is the end of the data
// consumed so far, its observations are named "state" and hold the test's
// SaveState() numbers in order (doubles, stored losslessly by the proto
// conversion); counts.count the checks made, counts.samples the samples
// streamed in; completed, message and measurements[1] (the deciding
// observations) once decided.

#include "sluice/judge_gates.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/checks.h"

namespace sluice {
namespace {

using internal::DurationText;
using internal::FormatTimeUtc;
using internal::InvalidArgumentAt;

absl::Span<const std::string> TargetsOf(Cohort cohort,
                                        const GateContext& context) {
  if (cohort == Cohort::kWave) return context.wave_targets;
  if (cohort == Cohort::kBaseline) return context.baseline_targets;
  return {};
}

// True when the engine found no baseline for the wave (the last wave of a
// plan: no target is left on the old version). A traffic-routed plan names
// no targets on either side and is not such a wave.
bool NoBaseline(const GateContext& context) {
  return context.baseline_targets.empty() && !context.wave_targets.empty();
}

std::string WavePhrase(const GateContext& context) {
  return context.wave_index >= 0 ? absl::StrCat("wave ", context.wave_index)
                                 : "the wave";
}

// "0.003", "1.2e-07".
std::string Num(double v) {
  if (std::isnan(v)) return "nan";
  return absl::StrFormat("%.3g", v);
}

// "+41", "-3.5".
std::string Signed(double v) {
  if (std::isnan(v)) return "nan";
  return absl::StrFormat("%+.3g", v);
}

std::string WithUnit(const std::string& text, const std::string& unit) {
  return unit.empty() ? text : absl::StrCat(text, " ", unit);
}

// One cohort's answer to a query over a window.
struct CohortData {
  std::optional<absl::Status> error;
  std::vector<Sample> samples;  // an aggregate answer is one sample
  // The answer was an aggregate (its one sample is stamped `start`).
  bool aggregate = false;
  // The end of the data delivered: just after the last sample (samples
  // are in [start, end)), `end` for an aggregate, unset without data.
  std::optional<absl::Time> covered;
};

CohortData QueryCohort(const MetricDefinition& metric, Cohort cohort,
                       absl::Time start, absl::Time end,
                       std::optional<Aggregation> aggregation,
                       const GateContext& context) {
  CohortData out;
  if (context.metric_source == nullptr) {
    out.error = absl::FailedPreconditionError(
        "GateContext.metric_source is null (the host provided no "
        "MetricSource)");
    return out;
  }
  MetricQuery query;
  query.metric = metric.name;
  query.query = metric.query;
  query.params = metric.params;
  query.cohort = cohort;
  query.targets = TargetsOf(cohort, context);
  query.wave_index = context.wave_index;
  query.stage = context.stage;
  query.start = start;
  query.end = end;
  query.aggregation = aggregation;
  absl::StatusOr<MetricResult> result = context.metric_source->Query(query);
  if (!result.ok()) {
    out.error = result.status();
    return out;
  }
  switch (result->kind) {
    case MetricResult::Kind::kNoData:
      break;
    case MetricResult::Kind::kSamples:
      out.samples = std::move(result->samples);
      std::stable_sort(
          out.samples.begin(), out.samples.end(),
          [](const Sample& a, const Sample& b) { return a.time < b.time; });
      if (!out.samples.empty()) {
        out.covered = out.samples.back().time + absl::Nanoseconds(1);
      }
      break;
    case MetricResult::Kind::kAggregate:
      out.aggregate = true;
      out.covered = end;
      if (!(result->sample_count.has_value() && *result->sample_count == 0)) {
        out.samples.push_back({start, result->value});
      }
      break;
  }
  return out;
}

absl::Time StartOf(const GateContext& context, GateState& state) {
  if (state.started_at == absl::InfinitePast()) {
    state.started_at = context.wave_deployed_at != absl::InfinitePast()
                           ? context.wave_deployed_at
                           : context.now;
  }
  return state.started_at;
}

// A query error: a retry (kHold) or the end (kError). `what` says which
// query, e.g. "querying latency on wave 2".
Verdict QueryError(const std::string& gate, const absl::Status& status,
                   const std::string& what, absl::Duration retry_interval,
                   int32_t consecutive_error_limit, const GateContext& context,
                   GateState& state) {
  ++state.counts.error;
  ++state.counts.consecutive_error;
  const std::string message = absl::StrCat(what, ": ", status.ToString());
  if (IsRetryable(status) &&
      state.counts.consecutive_error <= consecutive_error_limit) {
    return Verdict::Hold(
        gate, context.now + retry_interval,
        absl::StrCat(message, " (error ", state.counts.consecutive_error,
                     " in a row; retrying in ", DurationText(retry_interval),
                     ")"));
  }
  state.completed = Outcome::kError;
  state.message = IsRetryable(status)
                      ? absl::StrCat(message, " (consecutive errors (",
                                     state.counts.consecutive_error,
                                     ") > consecutive_error_limit (",
                                     consecutive_error_limit, "))")
                      : absl::StrCat(message, " (not retryable)");
  return Verdict::Error(gate, state.message);
}

// The verdict of a decided gate, from its state; `observations_at` is the
// measurement holding the observations.
Verdict Decided(const std::string& gate, const GateState& state,
                size_t observations_at) {
  Verdict v;
  v.outcome = *state.completed;
  v.gate = gate;
  v.reason = state.message;
  if (state.measurements.size() > observations_at) {
    const Measurement& m = state.measurements[observations_at];
    v.observations = m.observations;
    v.sample_count = m.sample_count;
  }
  return v;
}

absl::Status ValidateRetry(absl::Duration retry, int32_t limit) {
  if (retry <= absl::ZeroDuration()) {
    return InvalidArgumentAt(
        "error_retry_interval",
        absl::StrCat("must be > 0 (got ", DurationText(retry), ")"));
  }
  if (limit < 0) {
    return InvalidArgumentAt("consecutive_error_limit",
                             absl::StrCat("must be >= 0 (got ", limit, ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateSchedule(absl::Duration interval,
                              absl::Duration duration) {
  if (duration <= absl::ZeroDuration() ||
      duration == absl::InfiniteDuration()) {
    return internal::FieldPath("duration")
        .Invalid(internal::MustBe(internal::kMustBePositiveFinite, duration));
  }
  if (interval <= absl::ZeroDuration()) {
    return InvalidArgumentAt(
        "interval",
        absl::StrCat("must be > 0 (got ", DurationText(interval), ")"));
  }
  if (interval > duration) {
    return InvalidArgumentAt(
        "interval",
        absl::StrCat("must be <= duration (got ", DurationText(interval), " > ",
                     DurationText(duration), ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateMetricName(const MetricDefinition& metric) {
  if (metric.name.empty()) {
    return InvalidArgumentAt("metric.name", "must not be empty");
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Kayenta judge.

class KayentaJudgeGate : public HealthGate {
 public:
  KayentaJudgeGate(std::string name, KayentaJudgeGateOptions options)
      : name_(std::move(name)), options_(std::move(options)) {
    for (const MetricDefinition& m : options_.metrics) {
      definitions_.emplace(m.name, m);
    }
  }

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    const absl::Time start = StartOf(context, state);
    if (state.completed.has_value()) return Decided(name_, state, 0);
    if (NoBaseline(context)) {
      state.completed = Outcome::kPass;
      state.message = absl::StrCat(
          "no baseline for ", WavePhrase(context),
          ": no target is left on the old version to compare with");
      state.measurements.clear();
      return Decided(name_, state, 0);
    }
    const absl::Time end = start + options_.window;
    if (context.now < end) {
      return Verdict::Hold(
          name_, end,
          absl::StrCat("judging at ", FormatTimeUtc(end), " (after ",
                       DurationText(options_.window), " from ",
                       FormatTimeUtc(start), ")"));
    }
    std::vector<stats::MetricSamples> samples;
    // Per metric: the data behind each cohort's samples, [wave, baseline]
    // (requests for a rate metric, finite samples otherwise).
    std::vector<std::array<double, 2>> support;
    for (const stats::JudgedMetricConfig& m : options_.judge.metrics) {
      const MetricDefinition def = Definition(m.name);
      auto requests = options_.requests_metrics.find(m.name);
      stats::MetricSamples s;
      s.name = m.name;
      std::array<double, 2> n = {0, 0};
      for (Cohort cohort : {Cohort::kWave, Cohort::kBaseline}) {
        const int c = cohort == Cohort::kWave ? 0 : 1;
        const std::string where =
            cohort == Cohort::kWave ? WavePhrase(context) : "the baseline";
        CohortData data =
            QueryCohort(def, cohort, start, end, std::nullopt, context);
        if (data.error.has_value()) {
          return QueryError(name_, *data.error,
                            absl::StrCat("querying ", m.name, " on ", where),
                            options_.error_retry_interval,
                            options_.consecutive_error_limit, context, state);
        }
        std::vector<double>& values =
            cohort == Cohort::kWave ? s.experiment : s.control;
        if (requests == options_.requests_metrics.end()) {
          for (const Sample& sample : data.samples) {
            values.push_back(sample.value);
            if (std::isfinite(sample.value)) n[c] += 1;
          }
          continue;
        }
        CohortData req = QueryCohort(requests->second, cohort, start, end,
                                     std::nullopt, context);
        if (req.error.has_value()) {
          return QueryError(
              name_, *req.error,
              absl::StrCat("querying ", requests->second.name, " on ", where),
              options_.error_retry_interval, options_.consecutive_error_limit,
              context, state);
        }
        n[c] = Rates(data, req, values);
      }
      samples.push_back(std::move(s));
      support.push_back(n);
    }
    state.counts.consecutive_error = 0;
    if (options_.min_samples > 0) {
      for (size_t i = 0; i < options_.judge.metrics.size(); ++i) {
        const stats::JudgedMetricConfig& m = options_.judge.metrics[i];
        if (m.muted) continue;
        const double need = static_cast<double>(options_.min_samples);
        if (support[i][0] >= need && support[i][1] >= need) continue;
        return TooFewSamples(m.name, support[i], end, context, state);
      }
    }
    absl::StatusOr<stats::JudgeResult> result =
        stats::JudgeCanary(options_.judge, samples);
    if (!result.ok()) {
      // The config was validated; this is a bug.
      state.completed = Outcome::kError;
      state.message = absl::StrCat("judge: ", result.status().ToString());
      return Verdict::Error(name_, state.message);
    }
    std::map<std::string, std::array<double, 2>> by_name;
    for (size_t i = 0; i < support.size(); ++i) {
      by_name[options_.judge.metrics[i].name] = support[i];
    }
    Record(*result, end, by_name, state);
    return Decided(name_, state, 0);
  }

 private:
  // Appends to `rates` the per-interval rates errors / requests of the
  // timestamps where both counts are known and requests > 0 (an aggregate
  // answer of either is pooled whole into one rate); returns the requests
  // behind them. No error data is zero errors.
  static double Rates(const CohortData& errors, const CohortData& requests,
                      std::vector<double>& rates) {
    std::map<absl::Time, double> req, err;
    double total_req = 0, total_err = 0;
    for (const Sample& x : requests.samples) {
      if (!std::isfinite(x.value)) continue;
      req[x.time] += x.value;
      total_req += x.value;
    }
    for (const Sample& x : errors.samples) {
      if (!std::isfinite(x.value)) continue;
      err[x.time] += x.value;
      total_err += x.value;
    }
    if (requests.aggregate || errors.aggregate) {
      if (!(total_req > 0)) return 0;
      rates.push_back(total_err / total_req);
      return total_req;
    }
    const bool no_errors = errors.samples.empty();
    double used = 0;
    for (const auto& [t, r] : req) {
      if (!(r > 0)) continue;
      double e = 0;
      if (!no_errors) {
        auto it = err.find(t);
        if (it == err.end()) continue;
        e = it->second;
      }
      rates.push_back(e / r);
      used += r;
    }
    return used;
  }

  Verdict TooFewSamples(const std::string& metric,
                        const std::array<double, 2>& n, absl::Time end,
                        const GateContext& context, GateState& state) const {
    const bool rate = options_.requests_metrics.count(metric) > 0;
    const std::string what = rate ? "requests" : "data points";
    const double need = static_cast<double>(options_.min_samples);
    std::vector<std::string> parts;
    if (n[0] < need) {
      parts.push_back(
          absl::StrCat(n[0], " ", what, " on ", WavePhrase(context)));
    }
    if (n[1] < need) {
      parts.push_back(absl::StrCat(n[1], " ", what, " on the baseline"));
    }
    Measurement m;
    m.at = end;
    m.phase = Outcome::kInconclusive;
    m.observations.push_back({metric + ".n_control", n[1], ""});
    m.observations.push_back({metric + ".n_experiment", n[0], ""});
    m.sample_count = static_cast<int64_t>(std::llround(n[0] + n[1]));
    m.message = absl::StrCat("too few samples to judge: ", metric, " has ",
                             absl::StrJoin(parts, " and "), " (min_samples ",
                             options_.min_samples, ")");
    state.completed = Outcome::kInconclusive;
    state.message = m.message;
    state.measurements.assign(1, std::move(m));
    return Decided(name_, state, 0);
  }

  MetricDefinition Definition(const std::string& name) const {
    auto it = definitions_.find(name);
    if (it != definitions_.end()) return it->second;
    MetricDefinition def;
    def.name = name;
    return def;
  }

  void Record(const stats::JudgeResult& r, absl::Time end,
              const std::map<std::string, std::array<double, 2>>& support,
              GateState& state) const {
    const stats::ScoreThresholds& t = options_.judge.thresholds;
    std::string head;
    Outcome outcome;
    switch (r.label) {
      case stats::ScoreLabel::kPass:
        outcome = Outcome::kPass;
        head = absl::StrCat("judge score ", r.score, " >= pass ", t.pass);
        break;
      case stats::ScoreLabel::kMarginal:
        outcome = options_.marginal;
        head = absl::StrCat("judge score ", r.score, " < pass ", t.pass,
                            " (>= marginal ", t.marginal, ")");
        break;
      case stats::ScoreLabel::kFail:
      default:
        outcome = Outcome::kFail;
        head = absl::StrCat("judge score ", r.score, " < pass ", t.pass,
                            " (marginal ", t.marginal, ")");
        break;
    }
    Measurement m;
    m.at = end;
    m.phase = outcome;
    m.observations.push_back({"score", r.score, ""});
    std::vector<std::string> notes;
    int64_t n = 0;
    for (const stats::JudgedMetric& jm : r.metrics) {
      const stats::MetricClassification& c = jm.classification;
      const std::string unit = Definition(jm.name).unit;
      m.observations.push_back({jm.name + ".p_value", c.p_value, ""});
      m.observations.push_back({jm.name + ".estimate", c.estimate, unit});
      m.observations.push_back({jm.name + ".lower", c.lower, unit});
      m.observations.push_back({jm.name + ".upper", c.upper, unit});
      m.observations.push_back({jm.name + ".ratio", c.deviation, ""});
      m.observations.push_back(
          {jm.name + ".n_control", static_cast<double>(c.control.count), ""});
      m.observations.push_back({jm.name + ".n_experiment",
                                static_cast<double>(c.experiment.count), ""});
      if (options_.requests_metrics.count(jm.name) > 0 &&
          support.count(jm.name) > 0) {
        const std::array<double, 2>& rq = support.at(jm.name);
        m.observations.push_back({jm.name + ".requests_control", rq[1], ""});
        m.observations.push_back({jm.name + ".requests_experiment", rq[0], ""});
      }
      n += c.control.count + c.experiment.count;
      if (c.label == stats::MetricLabel::kPass) continue;
      std::string note =
          absl::StrCat(jm.name, " ", stats::MetricLabelName(c.label));
      if (!std::isnan(c.estimate)) {
        absl::StrAppend(&note, " (p=", Num(c.p_value), ", shift ",
                        WithUnit(Signed(c.estimate), unit), " [", Num(c.lower),
                        ", ", Num(c.upper), "]", c.critical ? ", critical" : "",
                        ")");
      } else if (c.critical) {
        absl::StrAppend(&note, " (critical)");
      }
      if (jm.muted) absl::StrAppend(&note, " (muted)");
      notes.push_back(std::move(note));
    }
    m.sample_count = n;
    std::string message = head;
    if (!r.reason.empty()) absl::StrAppend(&message, ": ", r.reason);
    if (!notes.empty()) {
      absl::StrAppend(&message, r.reason.empty() ? ": " : "; ",
                      absl::StrJoin(notes, ", "));
    }
    if (r.label == stats::ScoreLabel::kMarginal) {
      absl::StrAppend(&message, " (marginal is ", OutcomeName(outcome), ")");
    }
    m.message = message;
    state.completed = outcome;
    state.message = std::move(message);
    state.measurements.assign(1, std::move(m));
  }

  std::string name_;
  KayentaJudgeGateOptions options_;
  std::map<std::string, MetricDefinition> definitions_;
};

// ---------------------------------------------------------------------------
// Sequential gates: the shared schedule and checkpoint handling; the test
// itself is the subclass's.

struct SequentialSchedule {
  absl::Duration interval;
  absl::Duration duration;
  stats::MetricDirection direction;
  absl::Duration error_retry_interval;
  int32_t consecutive_error_limit;
  int64_t min_samples = 0;
  // Windows end this long before the check (data not delivered yet).
  absl::Duration delivery_delay = absl::ZeroDuration();
};

// One cohort's new data for a check: the metric's samples and, for a gate
// with a requests metric, the request counts of the same minutes.
struct CohortSeries {
  std::vector<Sample> values;
  std::vector<Sample> requests;
  // For a distribution gate: the cohort's distribution over the window.
  MetricDistribution distribution;
};

// The samples of `data` before `until` (an aggregate answer has one sample,
// stamped at its window's start, and is kept whole).
std::vector<Sample> Before(const CohortData& data, absl::Time until) {
  std::vector<Sample> out;
  for (const Sample& s : data.samples) {
    if (data.aggregate || s.time < until) out.push_back(s);
  }
  return out;
}

class SequentialGate : public HealthGate {
 public:
  SequentialGate(std::string name, MetricDefinition metric,
                 std::optional<MetricDefinition> requests,
                 SequentialSchedule schedule)
      : name_(std::move(name)),
        metric_(std::move(metric)),
        requests_(std::move(requests)),
        schedule_(schedule) {}

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    const absl::Time start = StartOf(context, state);
    if (state.completed.has_value()) return Decided(name_, state, 1);
    const absl::Time end = start + schedule_.duration;
    std::vector<double> saved;
    if (!state.measurements.empty()) {
      for (const Observation& o : state.measurements[0].observations) {
        saved.push_back(o.value);
      }
    }
    if (state.measurements.empty() || !Restorable(saved)) {
      // Fresh, or a state this gate did not write: start the test over.
      state.measurements.clear();
      Measurement checkpoint;
      checkpoint.at = start;
      checkpoint.message = "sequential test state";
      saved = InitialState();
      for (double v : saved)
        checkpoint.observations.push_back({"state", v, ""});
      state.measurements.push_back(std::move(checkpoint));
    }
    if (NoBaseline(context)) {
      return Decide(Outcome::kPass,
                    absl::StrCat("no baseline for ", WavePhrase(context),
                                 ": no target is left on the old version to "
                                 "compare with"),
                    saved, state);
    }
    Measurement& checkpoint = state.measurements[0];
    const absl::Time consumed = checkpoint.at;
    const absl::Time next = std::min(consumed + schedule_.interval, end);
    if (context.now < next) {
      Verdict v = Verdict::Hold(
          name_, next,
          absl::StrCat("testing until ", FormatTimeUtc(end), "; next check ",
                       FormatTimeUtc(next), ": ", Summary(saved)));
      v.observations = Observations(saved);
      return v;
    }
    const absl::Time upto = std::min(context.now, end);
    const Cohort cohorts[2] = {Cohort::kWave, Cohort::kBaseline};
    if (distribution()) {
      // Distributions carry no timestamps: the window ends delivery_delay
      // before the check, and is consumed whole.
      const absl::Time until = std::max(
          consumed, std::min(context.now - schedule_.delivery_delay, end));
      CohortSeries series[2];
      if (until > consumed) {
        for (int c = 0; c < 2; ++c) {
          absl::StatusOr<MetricDistribution> d =
              QueryDistributionOf(cohorts[c], consumed, until, context);
          if (!d.ok()) {
            return QueryError(
                name_, d.status(),
                absl::StrCat("querying the distribution of ", metric_.name,
                             " on ",
                             c == 0 ? WavePhrase(context) : "the baseline"),
                schedule_.error_retry_interval,
                schedule_.consecutive_error_limit, context, state);
          }
          series[c].distribution = *std::move(d);
        }
      }
      state.counts.consecutive_error = 0;
      return Conclude(context, start, end, upto, until, series[0], series[1],
                      saved, state);
    }
    CohortData data[2][2];  // [wave, baseline][values, requests]
    for (int c = 0; c < 2; ++c) {
      for (int k = 0; k < (requests_.has_value() ? 2 : 1); ++k) {
        const MetricDefinition& m = k == 0 ? metric_ : *requests_;
        data[c][k] =
            QueryCohort(m, cohorts[c], consumed, upto,
                        k == 0 ? aggregation() : SumAggregation(), context);
        if (data[c][k].error.has_value()) {
          return QueryError(
              name_, *data[c][k].error,
              absl::StrCat("querying ", m.name, " on ",
                           c == 0 ? WavePhrase(context) : "the baseline"),
              schedule_.error_retry_interval, schedule_.consecutive_error_limit,
              context, state);
        }
      }
    }
    state.counts.consecutive_error = 0;
    // Consume only what both cohorts delivered: up to the earlier of the
    // two cohorts' latest points (of the request counts when there are
    // some), so minutes a lagging source has not delivered yet are read at
    // a later check instead of being skipped. Without any point yet, wait;
    // at the test's end, take what there is.
    const int clock = requests_.has_value() ? 1 : 0;
    std::optional<absl::Time> covered;
    for (int c = 0; c < 2; ++c) {
      const std::optional<absl::Time>& t = data[c][clock].covered;
      if (t.has_value())
        covered = covered.has_value() ? std::min(*covered, *t) : *t;
    }
    absl::Time until =
        covered.has_value() ? std::min(*covered, upto) : consumed;
    if (upto >= end) until = upto;
    CohortSeries wave, base;
    wave.values = Before(data[0][0], until);
    base.values = Before(data[1][0], until);
    if (requests_.has_value()) {
      wave.requests = Before(data[0][1], until);
      base.requests = Before(data[1][1], until);
    }
    return Conclude(context, start, end, upto, until, wave, base, saved, state);
  }

 protected:
  // Pushes the new data, moves the checkpoint to `until` and decides.
  Verdict Conclude(const GateContext& context, absl::Time start, absl::Time end,
                   absl::Time upto, absl::Time until, const CohortSeries& wave,
                   const CohortSeries& base, const std::vector<double>& saved,
                   GateState& state) const {
    Measurement& checkpoint = state.measurements[0];
    const absl::Time consumed = checkpoint.at;
    absl::StatusOr<std::vector<double>> updated = Push(saved, wave, base);
    if (!updated.ok()) {
      state.completed = Outcome::kError;
      state.message =
          absl::StrCat("updating the test: ", updated.status().ToString());
      return Verdict::Error(name_, state.message);
    }
    checkpoint.at = std::max(until, consumed);
    checkpoint.observations.clear();
    for (double v : *updated)
      checkpoint.observations.push_back({"state", v, ""});
    ++state.counts.count;
    state.counts.samples += static_cast<int64_t>(
        wave.values.size() + base.values.size() + wave.distribution.count() +
        base.distribution.count());

    const stats::SequentialResult r = Result(*updated);
    const int harm = HarmSign(r);
    const bool harm_up =
        schedule_.direction != stats::MetricDirection::kDecrease && harm > 0;
    const bool harm_down =
        schedule_.direction != stats::MetricDirection::kIncrease && harm < 0;
    const std::string elapsed = DurationText(upto - start);
    if (harm_up || harm_down) {
      return Decide(Outcome::kFail,
                    absl::StrCat(harm_up ? "higher" : "lower", " on ",
                                 WavePhrase(context), " after ", elapsed, ": ",
                                 Summary(*updated)),
                    *updated, state);
    }
    if (upto >= end) {
      const int64_t n = WaveSamples(*updated);
      if (n < schedule_.min_samples) {
        return Decide(
            Outcome::kInconclusive,
            absl::StrCat("too few samples on ", WavePhrase(context), " over ",
                         elapsed, ": ", n, " ", SamplesName(),
                         " < min_samples ", schedule_.min_samples, ": ",
                         Summary(*updated)),
            *updated, state);
      }
      return Decide(
          Outcome::kPass,
          absl::StrCat("no harmful difference on ", WavePhrase(context),
                       " over ", elapsed, ": ", Summary(*updated)),
          *updated, state);
    }
    const absl::Time following = std::min(upto + schedule_.interval, end);
    Verdict v = Verdict::Hold(
        name_, following,
        absl::StrCat("testing until ", FormatTimeUtc(end), "; next check ",
                     FormatTimeUtc(following), ": ", Summary(*updated)));
    v.observations = Observations(*updated);
    return v;
  }

  // The test's state before any data.
  virtual std::vector<double> InitialState() const = 0;
  // Whether `state` is one this gate's test can resume from.
  virtual bool Restorable(const std::vector<double>& state) const = 0;
  // The state after pushing the new data (each cohort in time order).
  virtual absl::StatusOr<std::vector<double>> Push(
      const std::vector<double>& state, const CohortSeries& wave,
      const CohortSeries& baseline) const = 0;
  // The test's result at `state` (a state Push returned or InitialState).
  virtual stats::SequentialResult Result(
      const std::vector<double>& state) const = 0;
  // The effect of "no difference": 1 for a ratio, 0 for a difference.
  virtual double NullEffect() const = 0;
  // The name of the effect's observation, e.g. "rate_ratio".
  virtual std::string EffectName() const = 0;
  // The aggregation the queries ask for.
  virtual std::optional<Aggregation> aggregation() const = 0;
  // The wave's samples for the min_samples guard, and what they are.
  virtual int64_t WaveSamples(const std::vector<double>& state) const {
    return Result(state).n_canary;
  }
  virtual std::string SamplesName() const { return "samples"; }
  // Observations after the standard ones, and a note for the summary.
  virtual std::vector<Observation> ExtraObservations(
      const std::vector<double>& state) const {
    return {};
  }
  virtual std::string Note(const std::vector<double>& state) const {
    return "";
  }
  // Whether the gate compares distributions (QueryDistribution) rather than
  // samples.
  virtual bool distribution() const { return false; }
  // +1 when the result shows the wave higher, -1 lower, 0 neither.
  virtual int HarmSign(const stats::SequentialResult& r) const {
    if (r.lower > NullEffect()) return 1;
    if (r.upper < NullEffect()) return -1;
    return 0;
  }
  // The largest number of observations a distribution query asks for.
  virtual int64_t max_observations() const { return 0; }

  absl::StatusOr<MetricDistribution> QueryDistributionOf(
      Cohort cohort, absl::Time start, absl::Time end,
      const GateContext& context) const {
    if (context.metric_source == nullptr) {
      return absl::FailedPreconditionError(
          "GateContext.metric_source is null (the host provided no "
          "MetricSource)");
    }
    MetricQuery query;
    query.metric = metric_.name;
    query.query = metric_.query;
    query.params = metric_.params;
    query.cohort = cohort;
    query.targets = TargetsOf(cohort, context);
    query.wave_index = context.wave_index;
    query.stage = context.stage;
    query.start = start;
    query.end = end;
    query.max_observations = max_observations();
    return context.metric_source->QueryDistribution(query);
  }

  const MetricDefinition& metric() const { return metric_; }

  static std::optional<Aggregation> SumAggregation() {
    Aggregation sum;
    sum.kind = AggregationKind::kSum;
    return sum;
  }

 private:
  std::vector<Observation> Observations(
      const std::vector<double>& state) const {
    const stats::SequentialResult r = Result(state);
    const std::string unit = NullEffect() == 0 ? metric_.unit : "";
    std::vector<Observation> out = {
        {EffectName(), r.estimate, unit},
        {"lower", r.lower, unit},
        {"upper", r.upper, unit},
        {"p_value", r.p_value, ""},
        {"e_value", r.e_value, ""},
        {"n_canary", static_cast<double>(r.n_canary), ""},
        {"n_baseline", static_cast<double>(r.n_baseline), ""}};
    for (Observation& o : ExtraObservations(state)) out.push_back(std::move(o));
    return out;
  }

  std::string Summary(const std::vector<double>& state) const {
    const stats::SequentialResult r = Result(state);
    const std::string unit = NullEffect() == 0 ? metric_.unit : "";
    std::string out = absl::StrCat(
        metric_.name, " ", EffectName(), " ", WithUnit(Num(r.estimate), unit),
        " [", Num(r.lower), ", ", Num(r.upper),
        "] (always-valid p=", Num(r.p_value), ", n=", r.n_canary, " wave vs ",
        r.n_baseline, " baseline)");
    const std::string note = Note(state);
    if (!note.empty()) absl::StrAppend(&out, "; ", note);
    return out;
  }

  Verdict Decide(Outcome outcome, std::string message,
                 const std::vector<double>& state,
                 GateState& gate_state) const {
    const stats::SequentialResult r = Result(state);
    Measurement m;
    m.at = gate_state.measurements[0].at;
    m.phase = outcome;
    m.message = message;
    m.observations = Observations(state);
    m.sample_count = r.n_canary + r.n_baseline;
    gate_state.measurements.resize(1);
    gate_state.measurements.push_back(std::move(m));
    gate_state.completed = outcome;
    gate_state.message = std::move(message);
    return Decided(name_, gate_state, 1);
  }

  std::string name_;
  MetricDefinition metric_;
  std::optional<MetricDefinition> requests_;
  SequentialSchedule schedule_;
};

// A sequential gate around a streaming test of type `Test` (restored from
// and saved to the gate's state on every push) with test options `TestOptions`.
template <typename Test, typename TestOptions>
class StreamingTestGate : public SequentialGate {
 public:
  StreamingTestGate(std::string name, MetricDefinition metric,
                    std::optional<MetricDefinition> requests,
                    SequentialSchedule schedule, TestOptions test_options,
                    Test fresh)
      : SequentialGate(std::move(name), std::move(metric), std::move(requests),
                       schedule),
        test_options_(std::move(test_options)),
        fresh_(std::move(fresh)) {}

 protected:
  std::vector<double> InitialState() const override {
    return fresh_.SaveState();
  }

  bool Restorable(const std::vector<double>& state) const override {
    return Load(state).ok();
  }

  stats::SequentialResult Result(
      const std::vector<double>& state) const override {
    absl::StatusOr<Test> test = Load(state);
    return test.ok() ? test->result() : fresh_.result();
  }

  // The test as of `state`.
  absl::StatusOr<Test> Load(const std::vector<double>& state) const {
    return Test::Restore(test_options_, state);
  }

  const TestOptions test_options_;
  const Test fresh_;
};

SequentialSchedule ScheduleOf(absl::Duration interval, absl::Duration duration,
                              stats::MetricDirection direction,
                              absl::Duration retry, int32_t limit,
                              int64_t min_samples) {
  SequentialSchedule s;
  s.interval = interval;
  s.duration = duration;
  s.direction = direction;
  s.error_retry_interval = retry;
  s.consecutive_error_limit = limit;
  s.min_samples = min_samples;
  return s;
}

// The events in `samples`: the sum of the finite, positive values, rounded.
uint64_t Events(const std::vector<Sample>& samples) {
  double sum = 0;
  for (const Sample& s : samples) {
    if (std::isfinite(s.value) && s.value > 0) sum += s.value;
  }
  return static_cast<uint64_t>(std::llround(std::min(sum, 9.0e15)));
}

// The count gate at a configured share (SequentialCountTest).
class SequentialCountGate
    : public StreamingTestGate<stats::SequentialCountTest,
                               stats::SequentialCountOptions> {
 public:
  SequentialCountGate(std::string name, const SequentialCountGateOptions& o,
                      stats::SequentialCountTest fresh)
      : StreamingTestGate(std::move(name), o.metric, std::nullopt,
                          ScheduleOf(o.interval, o.duration, o.direction,
                                     o.error_retry_interval,
                                     o.consecutive_error_limit, o.min_samples),
                          o.test, std::move(fresh)) {}

 protected:
  absl::StatusOr<std::vector<double>> Push(
      const std::vector<double>& state, const CohortSeries& wave,
      const CohortSeries& baseline) const override {
    SLUICE_ASSIGN_OR_RETURN(stats::SequentialCountTest test, Load(state));
    SLUICE_RETURN_IF_ERROR(
        test.Update(Events(wave.values), Events(baseline.values)));
    return test.SaveState();
  }

  double NullEffect() const override { return 1; }
  std::string EffectName() const override { return "rate_ratio"; }
  std::string SamplesName() const override { return "events"; }
  std::optional<Aggregation> aggregation() const override {
    return SumAggregation();
  }
};

// The count gate at the measured share (SequentialRateTest): every check,
// each cohort's errors and requests over the same minutes.
class SequentialRateGate
    : public StreamingTestGate<stats::SequentialRateTest,
                               stats::SequentialRateOptions> {
 public:
  SequentialRateGate(std::string name, const SequentialCountGateOptions& o,
                     stats::SequentialRateOptions test_options,
                     stats::SequentialRateTest fresh)
      : StreamingTestGate(std::move(name), o.metric, o.requests_metric,
                          ScheduleOf(o.interval, o.duration, o.direction,
                                     o.error_retry_interval,
                                     o.consecutive_error_limit, o.min_samples),
                          std::move(test_options), std::move(fresh)),
        configured_share_(o.test.canary_share) {}

 protected:
  absl::StatusOr<std::vector<double>> Push(
      const std::vector<double>& state, const CohortSeries& wave,
      const CohortSeries& baseline) const override {
    SLUICE_ASSIGN_OR_RETURN(stats::SequentialRateTest test, Load(state));
    stats::CohortCounts c{Events(wave.values), Events(wave.requests)};
    stats::CohortCounts b{Events(baseline.values), Events(baseline.requests)};
    // A host's error and request series may disagree by a few points
    // (scraped apart); errors never exceed requests in the test.
    c.errors = std::min(c.errors, c.requests);
    b.errors = std::min(b.errors, b.requests);
    SLUICE_RETURN_IF_ERROR(test.Update(c, b));
    return test.SaveState();
  }

  double NullEffect() const override { return test_options_.null_ratio; }
  std::string EffectName() const override { return "rate_ratio"; }
  std::string SamplesName() const override { return "requests"; }
  std::optional<Aggregation> aggregation() const override {
    return SumAggregation();
  }
  int64_t WaveSamples(const std::vector<double>& state) const override {
    absl::StatusOr<stats::SequentialRateTest> t = Load(state);
    return t.ok() ? static_cast<int64_t>(t->canary_totals().requests) : 0;
  }
  std::vector<Observation> ExtraObservations(
      const std::vector<double>& state) const override {
    std::vector<Observation> out;
    const double share = MeasuredShare(state);
    out.push_back({"measured_share", share, ""});
    if (configured_share_ > 0) {
      out.push_back({"configured_share", configured_share_, ""});
    }
    return out;
  }
  std::string Note(const std::vector<double>& state) const override {
    const double share = MeasuredShare(state);
    std::string out = absl::StrCat("measured canary share ", Num(share));
    if (configured_share_ > 0 && std::isfinite(share) &&
        std::abs(share / configured_share_ - 1) > 0.2) {
      absl::StrAppend(&out, "; the configured canary_share ",
                      Num(configured_share_),
                      " disagrees with the measured share (the test uses "
                      "the measured one)");
    }
    return out;
  }

 private:
  double MeasuredShare(const std::vector<double>& state) const {
    absl::StatusOr<stats::SequentialRateTest> t = Load(state);
    if (!t.ok()) return std::numeric_limits<double>::quiet_NaN();
    const double c = static_cast<double>(t->canary_totals().requests);
    const double b = static_cast<double>(t->baseline_totals().requests);
    return c + b > 0 ? c / (c + b) : std::numeric_limits<double>::quiet_NaN();
  }

  double configured_share_;
};

class SequentialMeansGate
    : public StreamingTestGate<stats::SequentialMeanTest,
                               stats::SequentialMeanOptions> {
 public:
  SequentialMeansGate(std::string name, const SequentialMeansGateOptions& o,
                      stats::SequentialMeanTest fresh)
      : StreamingTestGate(std::move(name), o.metric, std::nullopt,
                          ScheduleOf(o.interval, o.duration, o.direction,
                                     o.error_retry_interval,
                                     o.consecutive_error_limit, o.min_samples),
                          o.test, std::move(fresh)),
        min_value_(o.min_value),
        max_value_(o.max_value) {}

 protected:
  absl::StatusOr<std::vector<double>> Push(
      const std::vector<double>& state, const CohortSeries& wave_series,
      const CohortSeries& baseline_series) const override {
    SLUICE_ASSIGN_OR_RETURN(stats::SequentialMeanTest test, Load(state));
    const std::vector<Sample>& wave = wave_series.values;
    const std::vector<Sample>& baseline = baseline_series.values;
    // Merge by time, wave first on ties, so blocks pair nearby values.
    size_t i = 0;
    size_t j = 0;
    while (i < wave.size() || j < baseline.size()) {
      const bool take_wave =
          j == baseline.size() ||
          (i < wave.size() && wave[i].time <= baseline[j].time);
      const Sample& s = take_wave ? wave[i++] : baseline[j++];
      if (!std::isfinite(s.value)) continue;
      const double v = Clip(s.value);
      SLUICE_RETURN_IF_ERROR(take_wave ? test.AddCanary(v)
                                       : test.AddBaseline(v));
    }
    return test.SaveState();
  }

  double NullEffect() const override { return 0; }
  std::string EffectName() const override { return "difference"; }
  std::optional<Aggregation> aggregation() const override {
    return std::nullopt;
  }

 private:
  double Clip(double v) const {
    if (min_value_.has_value()) v = std::max(v, *min_value_);
    if (max_value_.has_value()) v = std::min(v, *max_value_);
    return v;
  }

  std::optional<double> min_value_;
  std::optional<double> max_value_;
};

// The quantile gate (SequentialQuantileTest) over each cohort's latency
// distribution, observations or histogram buckets.
class SequentialQuantileGate
    : public StreamingTestGate<stats::SequentialQuantileTest,
                               stats::SequentialQuantileOptions> {
 public:
  SequentialQuantileGate(std::string name,
                         const SequentialQuantileGateOptions& o,
                         stats::SequentialQuantileOptions test_options,
                         stats::SequentialQuantileTest fresh)
      : StreamingTestGate(std::move(name), o.metric, std::nullopt,
                          QuantileSchedule(o), std::move(test_options),
                          std::move(fresh)),
        max_observations_(o.max_observations) {}

 protected:
  static SequentialSchedule QuantileSchedule(
      const SequentialQuantileGateOptions& o) {
    SequentialSchedule s =
        ScheduleOf(o.interval, o.duration, o.direction, o.error_retry_interval,
                   o.consecutive_error_limit, o.min_samples);
    s.delivery_delay = o.delivery_delay;
    return s;
  }

  absl::StatusOr<std::vector<double>> Push(
      const std::vector<double>& state, const CohortSeries& wave,
      const CohortSeries& baseline) const override {
    SLUICE_ASSIGN_OR_RETURN(stats::SequentialQuantileTest test, Load(state));
    for (int c = 0; c < 2; ++c) {
      const MetricDistribution& d =
          c == 0 ? wave.distribution : baseline.distribution;
      const char* arm = c == 0 ? "wave" : "baseline";
      switch (d.kind) {
        case MetricDistribution::Kind::kNoData:
          break;
        case MetricDistribution::Kind::kObservations: {
          std::vector<double> finite;
          for (double v : d.observations) {
            if (!std::isnan(v)) finite.push_back(v);
          }
          SLUICE_RETURN_IF_ERROR(c == 0 ? test.AddCanaryValues(finite)
                                        : test.AddBaselineValues(finite));
          break;
        }
        case MetricDistribution::Kind::kHistogram: {
          if (absl::Status s = ValidateHistogram(d.buckets); !s.ok()) {
            return absl::InvalidArgumentError(
                absl::StrCat("the ", arm, "'s histogram: ", s.message()));
          }
          stats::Histogram h;
          for (const HistogramBucket& b : d.buckets) {
            h.upper_bounds.push_back(b.upper_bound);
            h.cumulative_counts.push_back(static_cast<uint64_t>(
                std::llround(std::min(b.cumulative_count, 9.0e15))));
          }
          SLUICE_RETURN_IF_ERROR(c == 0 ? test.AddCanaryHistogram(h)
                                        : test.AddBaselineHistogram(h));
          break;
        }
      }
    }
    return test.SaveState();
  }

  double NullEffect() const override { return 0; }
  std::string EffectName() const override { return "quantile_difference"; }
  std::string SamplesName() const override { return "observations"; }
  std::optional<Aggregation> aggregation() const override {
    return std::nullopt;
  }
  bool distribution() const override { return true; }
  int64_t max_observations() const override { return max_observations_; }
  // The test itself decides (it can reject while the arms' union-bound
  // interval still holds 0): a rejection is harm on the estimate's side.
  int HarmSign(const stats::SequentialResult& r) const override {
    if (!r.rejected) return 0;
    return r.estimate >= 0 ? 1 : -1;
  }

 private:
  int64_t max_observations_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HealthGate>> NewKayentaJudgeGate(
    std::string name, KayentaJudgeGateOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  if (absl::Status s = options.judge.Validate(); !s.ok()) {
    return internal::NestStatus(s, "judge");
  }
  if (options.window <= absl::ZeroDuration() ||
      options.window == absl::InfiniteDuration()) {
    return internal::FieldPath("window").Invalid(
        internal::MustBe(internal::kMustBePositiveFinite, options.window));
  }
  if (options.marginal != Outcome::kInconclusive &&
      options.marginal != Outcome::kPass &&
      options.marginal != Outcome::kFail) {
    return InvalidArgumentAt(
        "marginal", absl::StrCat("must be kInconclusive, kPass or kFail (got ",
                                 OutcomeName(options.marginal), ")"));
  }
  SLUICE_RETURN_IF_ERROR(ValidateRetry(options.error_retry_interval,
                                       options.consecutive_error_limit));
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < options.metrics.size(); ++i) {
    const std::string& n = options.metrics[i].name;
    const internal::FieldPath path =
        internal::FieldPath("metrics").Index(static_cast<int>(i)).Field("name");
    bool judged = false;
    for (const stats::JudgedMetricConfig& m : options.judge.metrics) {
      judged = judged || m.name == n;
    }
    if (!judged) {
      return path.Invalid(
          absl::StrCat("\"", n, "\" is not a metric of the judge"));
    }
    if (!seen.emplace(n, i).second) {
      return path.Invalid(absl::StrCat("duplicate metric \"", n, "\""));
    }
  }
  for (const auto& [metric, requests] : options.requests_metrics) {
    const internal::FieldPath path =
        internal::FieldPath("requests_metrics").Key(metric);
    bool judged = false;
    for (const stats::JudgedMetricConfig& m : options.judge.metrics) {
      judged = judged || m.name == metric;
    }
    if (!judged) return path.Invalid("names no judged metric");
    if (requests.name.empty()) {
      return path.Field("name").Invalid(internal::kMustNotBeEmpty);
    }
    if (requests.name == metric) {
      return path.Field("name").Invalid(absl::StrCat(
          "must differ from the judged metric (both \"", metric, "\")"));
    }
  }
  if (options.min_samples < 0) {
    return InvalidArgumentAt(
        "min_samples",
        absl::StrCat("must be >= 0 (got ", options.min_samples, ")"));
  }
  return std::unique_ptr<HealthGate>(
      new KayentaJudgeGate(std::move(name), std::move(options)));
}

absl::StatusOr<std::unique_ptr<HealthGate>> NewSequentialCountGate(
    std::string name, SequentialCountGateOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  SLUICE_RETURN_IF_ERROR(ValidateMetricName(options.metric));
  SLUICE_RETURN_IF_ERROR(ValidateSchedule(options.interval, options.duration));
  SLUICE_RETURN_IF_ERROR(ValidateRetry(options.error_retry_interval,
                                       options.consecutive_error_limit));
  if (options.min_samples < 0) {
    return InvalidArgumentAt(
        "min_samples",
        absl::StrCat("must be >= 0 (got ", options.min_samples, ")"));
  }
  if (options.requests_metric.has_value()) {
    if (options.requests_metric->name.empty()) {
      return InvalidArgumentAt("requests_metric.name", "must not be empty");
    }
    if (options.test.canary_share != 0 &&
        !(options.test.canary_share > 0 && options.test.canary_share < 1)) {
      return InvalidArgumentAt(
          "test.canary_share",
          absl::StrCat("must be in (0, 1), or 0 (unset) with a requests "
                       "metric (got ",
                       options.test.canary_share, ")"));
    }
    stats::SequentialRateOptions rate = options.rate_test;
    rate.alpha = options.test.alpha;
    rate.alternative = options.direction == stats::MetricDirection::kIncrease
                           ? stats::Alternative::kGreater
                       : options.direction == stats::MetricDirection::kDecrease
                           ? stats::Alternative::kLess
                           : stats::Alternative::kTwoSided;
    absl::StatusOr<stats::SequentialRateTest> test =
        stats::SequentialRateTest::Create(rate);
    if (!test.ok()) return internal::NestStatus(test.status(), "rate_test");
    return std::unique_ptr<HealthGate>(new SequentialRateGate(
        std::move(name), options, rate, *std::move(test)));
  }
  absl::StatusOr<stats::SequentialCountTest> test =
      stats::SequentialCountTest::Create(options.test);
  if (!test.ok()) {
    if (options.test.canary_share == 0) {
      return InvalidArgumentAt(
          "test.canary_share",
          "is required without a requests metric (set requests_metric so "
          "that the canary's share is measured, or the traffic split's "
          "canary_share)");
    }
    return internal::NestStatus(test.status(), "test");
  }
  return std::unique_ptr<HealthGate>(
      new SequentialCountGate(std::move(name), options, *std::move(test)));
}

absl::StatusOr<std::unique_ptr<HealthGate>> NewSequentialMeansGate(
    std::string name, SequentialMeansGateOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  SLUICE_RETURN_IF_ERROR(ValidateMetricName(options.metric));
  absl::StatusOr<stats::SequentialMeanTest> test =
      stats::SequentialMeanTest::Create(options.test);
  if (!test.ok()) return internal::NestStatus(test.status(), "test");
  for (const auto& [field, v] : {std::pair<const char*, std::optional<double>>{
                                     "min_value", options.min_value},
                                 {"max_value", options.max_value}}) {
    if (v.has_value() && !std::isfinite(*v)) {
      return InvalidArgumentAt(field,
                               absl::StrCat("must be finite (got ", *v, ")"));
    }
  }
  if (options.min_value.has_value() && options.max_value.has_value() &&
      !(*options.max_value > *options.min_value)) {
    return InvalidArgumentAt(
        "max_value",
        absl::StrCat("must be > min_value (got ", *options.max_value,
                     " <= ", *options.min_value, ")"));
  }
  SLUICE_RETURN_IF_ERROR(ValidateSchedule(options.interval, options.duration));
  SLUICE_RETURN_IF_ERROR(ValidateRetry(options.error_retry_interval,
                                       options.consecutive_error_limit));
  if (options.min_samples < 0) {
    return InvalidArgumentAt(
        "min_samples",
        absl::StrCat("must be >= 0 (got ", options.min_samples, ")"));
  }
  return std::unique_ptr<HealthGate>(
      new SequentialMeansGate(std::move(name), options, *std::move(test)));
}

absl::StatusOr<std::unique_ptr<HealthGate>> NewSequentialQuantileGate(
    std::string name, SequentialQuantileGateOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  SLUICE_RETURN_IF_ERROR(ValidateMetricName(options.metric));
  stats::SequentialQuantileOptions test = options.test;
  test.alternative = options.direction == stats::MetricDirection::kIncrease
                         ? stats::Alternative::kGreater
                     : options.direction == stats::MetricDirection::kDecrease
                         ? stats::Alternative::kLess
                         : stats::Alternative::kTwoSided;
  absl::StatusOr<stats::SequentialQuantileTest> fresh =
      stats::SequentialQuantileTest::Create(test);
  if (!fresh.ok()) return internal::NestStatus(fresh.status(), "test");
  SLUICE_RETURN_IF_ERROR(ValidateSchedule(options.interval, options.duration));
  SLUICE_RETURN_IF_ERROR(ValidateRetry(options.error_retry_interval,
                                       options.consecutive_error_limit));
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
  if (options.delivery_delay < absl::ZeroDuration() ||
      options.delivery_delay >= options.duration) {
    return InvalidArgumentAt(
        "delivery_delay",
        absl::StrCat("must be >= 0 and < duration (got ",
                     DurationText(options.delivery_delay), ")"));
  }
  return std::unique_ptr<HealthGate>(new SequentialQuantileGate(
      std::move(name), options, test, *std::move(fresh)));
}

}  // namespace sluice
