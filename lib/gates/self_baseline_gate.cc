// Copyright 2026 The Sluice Authors.
//
// The self-baseline gate of sluice/self_baseline_gate.h, and its spec form
// (SelfBaselineFromProto, lib/gates/self_baseline_proto.h).
//
// State: started_at is the wave's deploy (the start of the window after);
// counts.count the looks made, counts.error / consecutive_error the query
// errors; measurements the latest looks (their observations); completed
// and message once decided. The windows are re-read at every look, so no
// other state is needed to resume.

#include "sluice/self_baseline_gate.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/checks.h"
#include "lib/gates/self_baseline_proto.h"
#include "sluice/fleet.h"
#include "sluice/metric_source.h"
#include "sluice/stats/rate_did.h"

namespace sluice {
namespace {

using internal::DurationText;
using internal::InvalidArgumentAt;

// The window after starts a minute after the deploy: a per-minute point is
// stamped with its minute's end, so the point stamped at the deploy covers
// the minute before it.
constexpr absl::Duration kAfterSkip = absl::Minutes(1);

std::string Num(double v) { return absl::StrFormat("%.3g", v); }

// A cohort's per-minute errors and requests over a window, on the minutes
// both metrics delivered.
struct Minutes {
  std::vector<double> errors, requests;
  double error_sum = 0, request_sum = 0;
};

class SelfBaselineGate : public HealthGate {
 public:
  SelfBaselineGate(std::string name, SelfBaselineGateOptions o)
      : name_(std::move(name)), o_(std::move(o)) {
    looks_ = static_cast<int64_t>(
        std::ceil(absl::FDivDuration(o_.duration, o_.interval) - 1e-9));
  }

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    if (state.completed.has_value()) return DecidedVerdict(state);
    // No target left on the old version: no control at all (unless
    // settled_control finds one below).
    bool no_control = context.baseline_targets.empty();
    if (no_control && !context.wave_targets.empty() &&
        !o_.judge_without_control) {
      return Decide(state, context.now, Outcome::kPass,
                    absl::StrCat("no baseline for wave ", context.wave_index,
                                 ": no target is left on the old version to "
                                 "compare with"),
                    {});
    }
    if (context.metric_source == nullptr) {
      return Decide(state, context.now, Outcome::kError,
                    "GateContext.metric_source is null (the host provided no "
                    "MetricSource)",
                    {});
    }
    if (state.started_at == absl::InfinitePast()) {
      state.started_at = context.wave_deployed_at != absl::InfinitePast()
                             ? context.wave_deployed_at
                             : context.now;
    }
    const absl::Time start = state.started_at;
    absl::Duration remainder;
    const int64_t look = std::min<int64_t>(
        looks_, absl::IDivDuration(context.now - o_.delivery_delay - start,
                                   o_.interval, &remainder));
    if (look < 1) {
      return Verdict::Hold(
          name_, start + o_.interval + o_.delivery_delay,
          absl::StrCat("waiting for the first look, ",
                       DurationText(o_.interval), " after the deploy"));
    }
    const bool last = look == looks_;
    const absl::Time after_end =
        last ? start + o_.duration : start + look * o_.interval;
    const absl::Time before_end = start - o_.before_gap;
    const absl::Time before_start = before_end - o_.before;

    // The control: old-version targets in the wave's zones; with
    // settled_control, when none is left there, the new-version targets
    // earlier waves left in them.
    std::vector<std::string> control;
    bool same_zone = false;
    bool settled = false;
    if (o_.control == ControlScope::kSameZone && context.fleet != nullptr) {
      std::set<std::string> zones;
      for (const std::string& id : context.wave_targets) {
        if (auto t = context.fleet->IndexOf(id); t.has_value()) {
          zones.insert(context.fleet->target(*t).topology.zone);
        }
      }
      auto in_zones = [&](absl::Span<const std::string> ids) {
        for (const std::string& id : ids) {
          if (auto t = context.fleet->IndexOf(id);
              t.has_value() &&
              zones.count(context.fleet->target(*t).topology.zone) > 0) {
            control.push_back(id);
          }
        }
        return !control.empty();
      };
      same_zone = in_zones(context.baseline_targets);
      settled =
          !same_zone && o_.settled_control && in_zones(context.settled_targets);
      if (settled) no_control = false;
    }
    if (!same_zone && !settled) {
      control.assign(context.baseline_targets.begin(),
                     context.baseline_targets.end());
    }
    const std::string control_text =
        no_control ? absl::StrCat(
                         "none: judged without a control (no target is "
                         "left on the old version), against "
                         "fallback_null_ratio")
        : same_zone ? absl::StrCat(control.size(),
                                   " old-version targets in the wave's zones")
        : settled
            ? absl::StrCat(control.size(),
                           " new-version targets of earlier waves in the "
                           "wave's zones: no old-version target is left there")
        : o_.control == ControlScope::kBaseline
            ? absl::StrCat("the baseline (", control.size(), " targets)")
            : absl::StrCat(
                  "the whole baseline (", control.size(),
                  " targets): no old-version target is left in the wave's "
                  "zones",
                  context.fleet == nullptr ? " or no fleet is known" : "");

    // Cells: wave after, wave before, control after, control before.
    Minutes cells[4];
    const absl::Span<const std::string> cohorts[2] = {context.wave_targets,
                                                      control};
    const int cell_count = no_control ? 2 : 4;
    for (int i = 0; i < cell_count; ++i) {
      const bool after = i % 2 == 0;
      // Settled targets run the new version: the host's wave cohort.
      const Cohort cohort =
          i < 2 || settled ? Cohort::kWave : Cohort::kBaseline;
      absl::Status s = Read(context, cohort, cohorts[i / 2],
                            after ? start + kAfterSkip : before_start,
                            after ? after_end : before_end, &cells[i]);
      if (!s.ok()) {
        return QueryError(
            state, context, s,
            absl::StrCat("querying ", i < 2 ? "the wave" : "the control", " ",
                         after ? "after" : "before", " the deploy"));
      }
    }
    state.counts.consecutive_error = 0;
    ++state.counts.count;

    const double null_ratio = same_zone || o_.fallback_null_ratio == 0
                                  ? o_.null_ratio
                                  : o_.fallback_null_ratio;
    std::vector<Observation> obs;
    static const char* const kCell[4] = {"wave_after", "wave_before",
                                         "control_after", "control_before"};
    for (int i = 0; i < cell_count; ++i) {
      obs.push_back(
          {absl::StrCat(kCell[i], ".errors"), cells[i].error_sum, ""});
      obs.push_back(
          {absl::StrCat(kCell[i], ".requests"), cells[i].request_sum, ""});
    }
    obs.push_back({"look", static_cast<double>(look), ""});
    obs.push_back({"looks", static_cast<double>(looks_), ""});
    obs.push_back({"control_same_zone", same_zone ? 1.0 : 0.0, ""});
    obs.push_back({"control_settled", settled ? 1.0 : 0.0, ""});
    obs.push_back({"control_none", no_control ? 1.0 : 0.0, ""});

    for (int i = 0; i < cell_count; ++i) {
      if (cells[i].request_sum < static_cast<double>(o_.min_requests) ||
          !(cells[i].request_sum > 0)) {
        const std::string why =
            absl::StrCat(kCell[i], " has ", Num(cells[i].request_sum),
                         " requests < min_requests (", o_.min_requests, ")");
        if (last) {
          return Decide(state, context.now, Outcome::kInconclusive,
                        absl::StrCat("too little data: ", why, "; control ",
                                     control_text),
                        obs);
        }
        Record(state, context.now, Outcome::kInconclusive, why, obs);
        return Verdict::Hold(
            name_, start + (look + 1) * o_.interval + o_.delivery_delay,
            absl::StrCat("look ", look, " of ", looks_, ": ", why));
      }
    }

    // A cell's dispersion is the larger of its cohort's, pooled over the
    // two windows, and its own window's: pooling gives the short window
    // after the long window before's degrees of freedom, and its own keeps
    // a burst of noise inside one window (a spike of the zone's background
    // that a negative binomial's variance, mu + k mu^2, makes far noisier
    // than the window's mean says) from being diluted by the other window's
    // quiet minutes.
    stats::CountCell cell[4];
    for (int cohort = 0; cohort < cell_count / 2; ++cohort) {
      std::vector<double> e, n;
      std::vector<int> g;
      for (int w = 0; w < 2; ++w) {
        const Minutes& m = cells[2 * cohort + w];
        e.insert(e.end(), m.errors.begin(), m.errors.end());
        n.insert(n.end(), m.requests.begin(), m.requests.end());
        g.insert(g.end(), m.errors.size(), w);
      }
      absl::StatusOr<double> phi = stats::PearsonDispersion(e, n, g);
      if (!phi.ok()) {
        return Decide(state, context.now, Outcome::kError,
                      absl::StrCat("bad counts: ", phi.status().message()),
                      obs);
      }
      obs.push_back(
          {cohort == 0 ? "wave.dispersion" : "control.dispersion", *phi, ""});
      for (int w = 0; w < 2; ++w) {
        const int i = 2 * cohort + w;
        // The pooled call above has validated these same counts.
        const double own =
            stats::PearsonDispersion(cells[i].errors, cells[i].requests)
                .value_or(1.0);
        cell[i] = {cells[i].error_sum, cells[i].request_sum,
                   std::max(*phi, own)};
        obs.push_back(
            {absl::StrCat(kCell[i], ".dispersion"), cell[i].dispersion, ""});
      }
    }
    absl::StatusOr<stats::DidResult> r =
        no_control ? stats::RateRatioTest(cell[0], cell[1], null_ratio)
                   : stats::RatioOfRatiosTest(cell[0], cell[1], cell[2],
                                              cell[3], null_ratio);
    if (!r.ok()) {
      return Decide(state, context.now, Outcome::kError,
                    absl::StrCat("bad counts: ", r.status().message()), obs);
    }
    // The alpha spent by look k is alpha (k / K)^rho; each look tests at
    // its increment, so the looks' levels sum to alpha (a union bound).
    auto spent = [&](int64_t k) {
      return o_.alpha *
             std::pow(static_cast<double>(k) / looks_, o_.spending_exponent);
    };
    const double level = spent(look) - spent(look - 1);
    obs.push_back({"ratio_of_ratios", r->ratio, ""});
    obs.push_back({"null_ratio", null_ratio, ""});
    obs.push_back({"z", r->z, ""});
    obs.push_back({"p_value", r->p_value, ""});
    obs.push_back({"level", level, ""});
    const std::string control_change =
        no_control ? std::string(", no control")
                   : absl::StrCat(", control's x",
                                  Num(cell[2].events / cell[2].exposure /
                                      (cell[3].events / cell[3].exposure)));
    const std::string summary = absl::StrCat(
        "wave's rate of ", o_.errors.name, " x",
        Num(cell[0].events / cell[0].exposure /
            (cell[1].events / cell[1].exposure)),
        " since the deploy", control_change,
        no_control ? ": rate ratio " : ": ratio of ratios ", Num(r->ratio),
        " (null ", Num(null_ratio), ", p ", Num(r->p_value), " vs ", Num(level),
        ", look ", look, " of ", looks_, "); control ", control_text);
    if (r->p_value < level) {
      return Decide(state, context.now, Outcome::kFail, summary, obs);
    }
    if (last) return Decide(state, context.now, Outcome::kPass, summary, obs);
    if (o_.early_pass_margin > 0 && r->standard_error > 0) {
      // The lower one-sided p-value of H0: R >= null * margin, from the
      // same estimate and standard error: Phi(z'), z' = (log R - log bound)
      // / se.
      const double bound = null_ratio * o_.early_pass_margin;
      const double z_below =
          (r->log_ratio - std::log(bound)) / r->standard_error;
      const double p_below = 0.5 * std::erfc(-z_below / std::sqrt(2.0));
      obs.push_back({"early_pass_bound", bound, ""});
      obs.push_back({"early_pass_p_value", p_below, ""});
      if (p_below < o_.early_pass_level) {
        return Decide(state, context.now, Outcome::kPass,
                      absl::StrCat(summary, "; passed early: shown below x",
                                   Num(bound), " (p ", Num(p_below), " vs ",
                                   Num(o_.early_pass_level), ")"),
                      obs);
      }
    }
    Record(state, context.now, Outcome::kPass, summary, obs);
    return Verdict::Hold(
        name_, start + (look + 1) * o_.interval + o_.delivery_delay,
        absl::StrCat("look ", look, " of ", looks_, ": ", summary));
  }

 private:
  // Reads one metric's per-minute samples into `by_time`.
  absl::Status ReadMetric(const GateContext& context,
                          const MetricDefinition& metric, Cohort cohort,
                          absl::Span<const std::string> targets,
                          absl::Time from, absl::Time to,
                          std::map<absl::Time, double>* by_time) const {
    MetricQuery q;
    q.metric = metric.name;
    q.query = metric.query;
    q.params = metric.params;
    q.cohort = cohort;
    q.targets = targets;
    q.wave_index = context.wave_index;
    q.stage = context.stage;
    q.start = from;
    q.end = to;
    absl::StatusOr<MetricResult> result = context.metric_source->Query(q);
    if (!result.ok()) return result.status();
    if (result->kind == MetricResult::Kind::kSamples) {
      for (const Sample& s : result->samples) {
        if (std::isfinite(s.value)) (*by_time)[s.time] += s.value;
      }
    } else if (result->kind == MetricResult::Kind::kAggregate &&
               std::isfinite(result->value)) {
      (*by_time)[from] += result->value;
    }
    return absl::OkStatus();
  }

  absl::Status Read(const GateContext& context, Cohort cohort,
                    absl::Span<const std::string> targets, absl::Time from,
                    absl::Time to, Minutes* out) const {
    std::map<absl::Time, double> errors, requests;
    SLUICE_RETURN_IF_ERROR(
        ReadMetric(context, o_.errors, cohort, targets, from, to, &errors));
    SLUICE_RETURN_IF_ERROR(
        ReadMetric(context, o_.requests, cohort, targets, from, to, &requests));
    for (const auto& [time, n] : requests) {
      auto e = errors.find(time);
      if (e == errors.end() || !(n >= 0) || !(e->second >= 0)) continue;
      out->errors.push_back(e->second);
      out->requests.push_back(n);
      out->error_sum += e->second;
      out->request_sum += n;
    }
    return absl::OkStatus();
  }

  Verdict QueryError(GateState& state, const GateContext& context,
                     const absl::Status& status,
                     const std::string& what) const {
    ++state.counts.error;
    ++state.counts.consecutive_error;
    const std::string message = absl::StrCat(what, ": ", status.ToString());
    if (IsRetryable(status) &&
        state.counts.consecutive_error <= o_.consecutive_error_limit) {
      return Verdict::Hold(
          name_, context.now + o_.error_retry_interval,
          absl::StrCat(message, " (error ", state.counts.consecutive_error,
                       " in a row; retrying in ",
                       DurationText(o_.error_retry_interval), ")"));
    }
    return Decide(state, context.now, Outcome::kError,
                  IsRetryable(status)
                      ? absl::StrCat(message, " (consecutive errors (",
                                     state.counts.consecutive_error,
                                     ") > consecutive_error_limit (",
                                     o_.consecutive_error_limit, "))")
                      : absl::StrCat(message, " (not retryable)"),
                  {});
  }

  static void Record(GateState& state, absl::Time at, Outcome phase,
                     std::string message, std::vector<Observation> obs) {
    Measurement m;
    m.at = at;
    m.phase = phase;
    m.message = std::move(message);
    m.observations = std::move(obs);
    state.measurements.push_back(std::move(m));
    if (state.measurements.size() > GateState::kMaxMeasurements) {
      state.measurements.erase(state.measurements.begin());
    }
  }

  Verdict Decide(GateState& state, absl::Time at, Outcome outcome,
                 std::string message, std::vector<Observation> obs) const {
    state.completed = outcome;
    state.message = std::move(message);
    Record(state, at, outcome, state.message, std::move(obs));
    return DecidedVerdict(state);
  }

  Verdict DecidedVerdict(const GateState& state) const {
    Verdict v;
    v.outcome = *state.completed;
    v.gate = name_;
    v.reason = state.message;
    if (!state.measurements.empty()) {
      v.observations = state.measurements.back().observations;
    }
    return v;
  }

  std::string name_;
  SelfBaselineGateOptions o_;
  int64_t looks_ = 1;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HealthGate>> NewSelfBaselineGate(
    std::string name, SelfBaselineGateOptions o) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  if (o.errors.name.empty()) {
    return InvalidArgumentAt("errors.name", "must not be empty");
  }
  if (o.requests.name.empty()) {
    return InvalidArgumentAt("requests.name", "must not be empty");
  }
  auto positive = [](absl::Duration d, const char* field) -> absl::Status {
    if (d <= absl::ZeroDuration()) {
      return InvalidArgumentAt(field,
                               internal::MustBe(internal::kMustBePositive, d));
    }
    return absl::OkStatus();
  };
  auto non_negative = [](absl::Duration d, const char* field) -> absl::Status {
    if (d < absl::ZeroDuration()) {
      return InvalidArgumentAt(
          field, internal::MustBe(internal::kMustBeNonNegative, d));
    }
    return absl::OkStatus();
  };
  SLUICE_RETURN_IF_ERROR(positive(o.before, "before"));
  SLUICE_RETURN_IF_ERROR(non_negative(o.before_gap, "before_gap"));
  SLUICE_RETURN_IF_ERROR(positive(o.interval, "interval"));
  SLUICE_RETURN_IF_ERROR(positive(o.duration, "duration"));
  SLUICE_RETURN_IF_ERROR(non_negative(o.delivery_delay, "delivery_delay"));
  SLUICE_RETURN_IF_ERROR(
      positive(o.error_retry_interval, "error_retry_interval"));
  if (o.interval > o.duration) {
    return InvalidArgumentAt(
        "interval",
        absl::StrCat("must be <= duration (got ", DurationText(o.interval),
                     " > ", DurationText(o.duration), ")"));
  }
  if (!(std::isfinite(o.spending_exponent) && o.spending_exponent >= 1)) {
    return InvalidArgumentAt("spending_exponent",
                             absl::StrCat("must be finite and >= 1 (got ",
                                          o.spending_exponent, ")"));
  }
  if (!(o.alpha > 0 && o.alpha < 1)) {
    return InvalidArgumentAt(
        "alpha", absl::StrCat("must be in (0, 1) (got ", o.alpha, ")"));
  }
  if (!(std::isfinite(o.null_ratio) && o.null_ratio > 0)) {
    return InvalidArgumentAt(
        "null_ratio",
        absl::StrCat("must be finite and > 0 (got ", o.null_ratio, ")"));
  }
  if (o.fallback_null_ratio != 0 && !(std::isfinite(o.fallback_null_ratio) &&
                                      o.fallback_null_ratio >= o.null_ratio)) {
    return InvalidArgumentAt(
        "fallback_null_ratio",
        absl::StrCat("must be 0 (null_ratio) or >= null_ratio (got ",
                     o.fallback_null_ratio, " < ", o.null_ratio, ")"));
  }
  if (o.settled_control && o.control != ControlScope::kSameZone) {
    return InvalidArgumentAt(
        "settled_control",
        "needs control kSameZone (CONTROL_SAME_ZONE): settled targets are "
        "taken from the wave's zones");
  }
  if (o.early_pass_margin != 0 &&
      !(std::isfinite(o.early_pass_margin) && o.early_pass_margin > 1)) {
    return InvalidArgumentAt(
        "early_pass_margin",
        absl::StrCat("must be 0 (off) or finite and > 1 (got ",
                     o.early_pass_margin, ")"));
  }
  if (!(o.early_pass_level > 0 && o.early_pass_level < 0.5)) {
    return InvalidArgumentAt(
        "early_pass_level",
        absl::StrCat("must be in (0, 0.5) (got ", o.early_pass_level, ")"));
  }
  if (o.min_requests < 0) {
    return InvalidArgumentAt("min_requests", absl::StrCat("must be >= 0 (got ",
                                                          o.min_requests, ")"));
  }
  if (o.consecutive_error_limit < 0) {
    return InvalidArgumentAt(
        "consecutive_error_limit",
        absl::StrCat("must be >= 0 (got ", o.consecutive_error_limit, ")"));
  }
  return std::unique_ptr<HealthGate>(
      new SelfBaselineGate(std::move(name), std::move(o)));
}

namespace internal {
namespace {

// An optional Duration field, >= 0, through the one conversion.
absl::Status DurationField(bool has, const google::protobuf::Duration& d,
                           const FieldPath& path, absl::Duration* out) {
  if (!has) return absl::OkStatus();
  SLUICE_ASSIGN_OR_RETURN(
      *out, DurationFromProto(d, path, DurationRule::kNonNegative));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<HealthGate>> SelfBaselineFromProto(
    const std::string& name, const v1::SelfBaselineGateSpec& p,
    const std::map<std::string, MetricDefinition>& metrics,
    const FieldPath& path) {
  SelfBaselineGateOptions o;
  auto find = [&](const std::string& metric, const char* field,
                  MetricDefinition* out) -> absl::Status {
    const FieldPath at = path.Field(field);
    if (metric.empty()) return at.Invalid(kIsRequired);
    auto it = metrics.find(metric);
    if (it == metrics.end()) {
      return at.Invalid(
          absl::StrCat("names undeclared metric \"", metric, "\""));
    }
    *out = it->second;
    return absl::OkStatus();
  };
  SLUICE_RETURN_IF_ERROR(find(p.metric(), "metric", &o.errors));
  SLUICE_RETURN_IF_ERROR(
      find(p.requests_metric(), "requests_metric", &o.requests));
  if (!p.has_duration()) return path.Field("duration").Invalid(kIsRequired);
  SLUICE_RETURN_IF_ERROR(DurationField(p.has_before(), p.before(),
                                       path.Field("before"), &o.before));
  SLUICE_RETURN_IF_ERROR(DurationField(p.has_before_gap(), p.before_gap(),
                                       path.Field("before_gap"),
                                       &o.before_gap));
  SLUICE_RETURN_IF_ERROR(DurationField(p.has_interval(), p.interval(),
                                       path.Field("interval"), &o.interval));
  SLUICE_RETURN_IF_ERROR(DurationField(p.has_duration(), p.duration(),
                                       path.Field("duration"), &o.duration));
  SLUICE_RETURN_IF_ERROR(
      DurationField(p.has_delivery_delay(), p.delivery_delay(),
                    path.Field("delivery_delay"), &o.delivery_delay));
  if (p.has_alpha()) o.alpha = p.alpha();
  if (p.has_spending_exponent()) o.spending_exponent = p.spending_exponent();
  if (p.has_null_ratio()) o.null_ratio = p.null_ratio();
  if (p.has_fallback_null_ratio()) {
    o.fallback_null_ratio = p.fallback_null_ratio();
  }
  if (p.has_min_requests()) o.min_requests = p.min_requests();
  if (p.has_early_pass_margin()) o.early_pass_margin = p.early_pass_margin();
  if (p.has_early_pass_level()) o.early_pass_level = p.early_pass_level();
  o.judge_without_control = p.judge_without_control();
  o.control = p.control() == v1::SelfBaselineGateSpec::CONTROL_BASELINE
                  ? ControlScope::kBaseline
                  : ControlScope::kSameZone;
  o.settled_control = p.settled_control();
  absl::StatusOr<std::unique_ptr<HealthGate>> gate =
      NewSelfBaselineGate(name, std::move(o));
  if (!gate.ok()) return path.Nest(gate.status());
  return gate;
}

}  // namespace internal
}  // namespace sluice
