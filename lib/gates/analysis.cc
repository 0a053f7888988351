// Copyright 2026 The Sluice Authors.
//
// Repeated analysis with Argo Rollouts' AnalysisRun semantics, and the
// one-measurement analysis the threshold, relative and alarm gates are
// (lib/gates/metric_checks.cc).
//
// The steps of one evaluation follow Argo's reconcileAnalysisRun
// (analysis/analysis.go):
//   1. generateMetricTasks: which metrics measure now. A completed metric
//      never does; none does while the run is terminating; the first
//      measurement waits for initial_delay; no measurement once count is
//      reached; the next one is due `interval` after the last, or
//      error_retry_interval (10 s) after an error.
//   2. runMeasurements: each due metric measures once and updates its
//      counters (an error does not use up the count).
//   3. assessMetricStatus, per metric, in this order: no measurement yet
//      (pending, or successful when terminating); failed > failure_limit
//      (unless -1) -> Failed; inconclusive > inconclusive_limit ->
//      Inconclusive; consecutive_error > consecutive_error_limit -> Error
//      (a later match in this list wins, as in Argo); consecutive successes
//      reached -> Successful; count reached -> Successful (Inconclusive when
//      both failure_limit and consecutive_success_limit apply, Failed when
//      only the latter does); terminating -> Successful; else running.
//   4. assessRunStatus: running while any metric is; else the worst phase of
//      the non-dry-run metrics (Successful < Running < Inconclusive < Error
//      < Failed), Successful when every metric is dry-run.
// Deliberate differences, documented in docs/gates.md: a measurement is due
// at last + interval inclusive (virtual time); a non-retryable host error
// ends the metric with Error at once; a metric that completes Failed,
// Error or Inconclusive terminates the run in the same evaluation (Argo
// needs one more reconcile).

#include "lib/gates/analysis.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/checks.h"
#include "sluice/analysis_gate.h"

namespace sluice {
namespace {

using internal::Check;
using internal::CheckResult;

struct MetricPlan {
  AnalysisMetric spec;
  std::unique_ptr<Check> check;
  int32_t effective_count = 1;
};

std::string CountsText(const MeasurementCounts& c) {
  return absl::StrCat(c.count, " measured (", c.successful, " passed, ",
                      c.failed, " failed, ", c.inconclusive, " inconclusive), ",
                      c.error, " errors");
}

class AnalysisGate : public HealthGate {
 public:
  AnalysisGate(std::string name, std::vector<MetricPlan> metrics)
      : name_(std::move(name)), metrics_(std::move(metrics)) {}

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    const absl::Time now = context.now;
    if (state.started_at == absl::InfinitePast()) state.started_at = now;
    for (size_t i = 0; i < metrics_.size(); ++i) state.Child(i);

    // 1 and 2: generateMetricTasks and runMeasurements.
    const bool terminating = IsTerminating(state);
    for (size_t i = 0; i < metrics_.size(); ++i) {
      GateState& s = state.children[i];
      if (s.completed.has_value() || terminating) continue;
      if (now >=
          NextDue(metrics_[i], s, state.started_at, context.wave_deployed_at)) {
        Measure(metrics_[i], context, s);
      }
    }

    // 3: assessMetricStatus. Sluice ends the run in this evaluation when a
    // metric completed badly (Argo notices on its next reconcile).
    AssessAll(state, terminating);
    if (!terminating && IsTerminating(state)) AssessAll(state, true);

    // 4: assessRunStatus.
    return BuildVerdict(state, now, context.wave_deployed_at);
  }

 private:
  bool IsTerminating(const GateState& state) const {
    for (size_t i = 0; i < metrics_.size(); ++i) {
      if (metrics_[i].spec.dry_run) continue;
      const std::optional<Outcome>& c = state.children[i].completed;
      if (c.has_value() && *c != Outcome::kPass) return true;
    }
    return false;
  }

  // When metric `m` wants its next measurement. InfiniteFuture when it
  // takes no more (count reached).
  // The first waits for initial_delay and, unless the check may reach
  // before the deploy, until a whole window has passed since the deploy.
  static absl::Time NextDue(const MetricPlan& m, const GateState& s,
                            absl::Time started_at, absl::Time deployed_at) {
    if (s.measurements.empty()) {
      absl::Time due = started_at + m.spec.initial_delay;
      if (deployed_at != absl::InfinitePast()) {
        due = std::max(due, deployed_at + m.check->settle());
      }
      return due;
    }
    if (s.counts.count >= m.effective_count) return absl::InfiniteFuture();
    const Measurement& last = s.measurements.back();
    const absl::Duration wait = last.phase == Outcome::kError
                                    ? m.spec.error_retry_interval
                                    : m.spec.interval;
    return last.at + wait;
  }

  static void Measure(const MetricPlan& m, const GateContext& context,
                      GateState& s) {
    CheckResult r = m.check->Measure(context);
    MeasurementCounts& c = s.counts;
    switch (r.phase) {
      case Outcome::kPass:
        c.count++;
        c.consecutive_error = 0;
        if (!r.ignored) {
          c.successful++;
          c.consecutive_success++;
        }
        break;
      case Outcome::kFail:
        c.failed++;
        c.count++;
        c.consecutive_error = 0;
        c.consecutive_success = 0;
        break;
      case Outcome::kInconclusive:
        c.inconclusive++;
        c.count++;
        c.consecutive_error = 0;
        c.consecutive_success = 0;
        break;
      case Outcome::kError:
      case Outcome::kHold:
        r.phase = Outcome::kError;
        c.error++;
        c.consecutive_error++;
        c.consecutive_success = 0;
        break;
    }
    if (r.phase != Outcome::kError && r.sample_count.has_value()) {
      c.samples += *r.sample_count;
    }
    Measurement measurement;
    measurement.at = context.now;
    measurement.phase = r.phase;
    measurement.ignored = r.ignored;
    measurement.value = r.value;
    measurement.message = r.message;
    measurement.observations = std::move(r.observations);
    measurement.sample_count = r.sample_count;
    s.measurements.push_back(std::move(measurement));
    if (s.measurements.size() > GateState::kMaxMeasurements) {
      s.measurements.erase(s.measurements.begin(),
                           s.measurements.end() - GateState::kMaxMeasurements);
    }
    if (r.phase == Outcome::kError && !r.retryable) {
      s.completed = Outcome::kError;
      s.message = "the error is not retryable";
    }
  }

  void AssessAll(GateState& state, bool terminating) const {
    for (size_t i = 0; i < metrics_.size(); ++i) {
      GateState& s = state.children[i];
      if (s.completed.has_value()) continue;
      std::string message;
      Outcome phase = AssessMetric(metrics_[i], s, terminating, &message);
      if (phase != Outcome::kHold) {
        s.completed = phase;
        s.message = std::move(message);
      }
    }
  }

  // Argo's assessMetricStatus (and assessMetricFailureInconclusiveOrError).
  // kHold means running or pending.
  static Outcome AssessMetric(const MetricPlan& m, const GateState& s,
                              bool terminating, std::string* message) {
    const AnalysisMetric& spec = m.spec;
    const MeasurementCounts& c = s.counts;
    if (s.measurements.empty()) {
      if (terminating) {
        *message = "run terminated before the first measurement";
        return Outcome::kPass;
      }
      return Outcome::kHold;
    }
    std::optional<Outcome> phase;
    if (spec.failure_limit >= 0 && c.failed > spec.failure_limit) {
      phase = Outcome::kFail;
      *message = absl::StrCat("failed (", c.failed, ") > failure_limit (",
                              spec.failure_limit, ")");
    }
    if (c.inconclusive > spec.inconclusive_limit) {
      phase = Outcome::kInconclusive;
      *message = absl::StrCat("inconclusive (", c.inconclusive,
                              ") > inconclusive_limit (",
                              spec.inconclusive_limit, ")");
    }
    if (c.consecutive_error > spec.consecutive_error_limit) {
      phase = Outcome::kError;
      *message = absl::StrCat("consecutive_error (", c.consecutive_error,
                              ") > consecutive_error_limit (",
                              spec.consecutive_error_limit, ")");
    }
    if (phase.has_value()) return *phase;
    if (spec.consecutive_success_limit > 0 &&
        c.consecutive_success >= spec.consecutive_success_limit) {
      *message = absl::StrCat("consecutive_success (", c.consecutive_success,
                              ") >= consecutive_success_limit (",
                              spec.consecutive_success_limit, ")");
      return Outcome::kPass;
    }
    if (c.count >= m.effective_count) {
      const bool failure_applicable = spec.failure_limit >= 0;
      const bool success_applicable = spec.consecutive_success_limit > 0;
      if (failure_applicable && success_applicable) {
        *message = absl::StrCat("count (", m.effective_count,
                                ") reached: consecutive_success_limit (",
                                spec.consecutive_success_limit,
                                ") not reached and failure_limit (",
                                spec.failure_limit, ") not exceeded");
        return Outcome::kInconclusive;
      }
      if (success_applicable) {
        *message = absl::StrCat("count (", m.effective_count,
                                ") reached without consecutive_success_limit (",
                                spec.consecutive_success_limit, ")");
        return Outcome::kFail;
      }
      *message = absl::StrCat("count (", m.effective_count, ") reached");
      return Outcome::kPass;
    }
    if (terminating) {
      *message = "run terminated";
      return Outcome::kPass;
    }
    return Outcome::kHold;
  }

  Verdict MetricVerdict(const MetricPlan& m, const GateState& s,
                        absl::Time started_at, absl::Time deployed_at) const {
    const std::string gate =
        m.spec.dry_run ? absl::StrCat(m.spec.name, " (dry run)") : m.spec.name;
    const Measurement* last =
        s.measurements.empty() ? nullptr : &s.measurements.back();
    Verdict v;
    v.gate = gate;
    if (last != nullptr) v.observations = last->observations;
    if (m.effective_count > 1) {
      v.observations.push_back({"measurements", double(s.counts.count), ""});
      v.observations.push_back({"successful", double(s.counts.successful), ""});
      v.observations.push_back({"failed", double(s.counts.failed), ""});
      v.observations.push_back(
          {"inconclusive", double(s.counts.inconclusive), ""});
      v.observations.push_back({"errors", double(s.counts.error), ""});
    }
    bool any_count = false;
    for (const Measurement& x : s.measurements) {
      any_count = any_count || x.sample_count.has_value();
    }
    if (any_count) v.sample_count = s.counts.samples;

    if (!s.completed.has_value()) {
      v.outcome = Outcome::kHold;
      v.hold_until = NextDue(m, s, started_at, deployed_at);
      if (last == nullptr) {
        v.reason = absl::StrCat(
            "first measurement at ", internal::FormatTimeUtc(v.hold_until),
            " (initial_delay ", internal::DurationText(m.spec.initial_delay),
            m.check->settle() > absl::ZeroDuration()
                ? absl::StrCat("; a whole ",
                               internal::DurationText(m.check->settle()),
                               " window after the deploy")
                : "",
            ")");
      } else {
        v.reason = absl::StrCat(
            last->phase == Outcome::kError ? "retrying after an error; " : "",
            CountsText(s.counts), " of ", m.effective_count,
            "; next measurement at ", internal::FormatTimeUtc(v.hold_until),
            "; last: ", last->message);
      }
      return v;
    }
    v.outcome = *s.completed;
    const bool simple = m.effective_count == 1 && last != nullptr &&
                        last->phase == *s.completed &&
                        *s.completed != Outcome::kError;
    if (simple) {
      v.reason = last->message;
    } else if (last == nullptr) {
      v.reason = s.message;
    } else {
      v.reason = absl::StrCat(s.message, "; last: ", last->message);
    }
    return v;
  }

  Verdict BuildVerdict(const GateState& state, absl::Time now,
                       absl::Time deployed_at) const {
    std::vector<Verdict> details;
    details.reserve(metrics_.size());
    bool running = false;
    std::optional<Outcome> worst;
    size_t worst_index = 0;
    absl::Time next = absl::InfiniteFuture();
    for (size_t i = 0; i < metrics_.size(); ++i) {
      details.push_back(MetricVerdict(metrics_[i], state.children[i],
                                      state.started_at, deployed_at));
      const Verdict& d = details.back();
      if (d.outcome == Outcome::kHold) {
        running = true;
        next = std::min(next, d.hold_until);
        continue;
      }
      if (metrics_[i].spec.dry_run) continue;
      if (!worst.has_value() ||
          OutcomeSeverity(d.outcome) > OutcomeSeverity(*worst)) {
        worst = d.outcome;
        worst_index = i;
      }
    }

    if (metrics_.size() == 1) {
      Verdict v = details[0];
      v.gate = name_;
      if (metrics_[0].spec.dry_run && v.outcome != Outcome::kHold) {
        Verdict shown = details[0];
        v.outcome = Outcome::kPass;
        v.reason = absl::StrCat("dry run (", OutcomeName(shown.outcome),
                                "): ", shown.reason);
        v.details = {std::move(shown)};
      }
      if (v.outcome == Outcome::kHold)
        v.hold_until = std::max(v.hold_until, now);
      return v;
    }

    Verdict v;
    v.gate = name_;
    int64_t samples = 0;
    bool any_samples = false;
    for (size_t i = 0; i < metrics_.size(); ++i) {
      if (metrics_[i].spec.dry_run) continue;
      for (const Observation& o : details[i].observations) {
        v.observations.push_back(
            {absl::StrCat(metrics_[i].spec.name, ".", o.name), o.value,
             o.unit});
      }
      if (details[i].sample_count.has_value()) {
        any_samples = true;
        samples += *details[i].sample_count;
      }
    }
    if (any_samples) v.sample_count = samples;
    if (running) {
      size_t waiting = 0;
      for (const Verdict& d : details) waiting += d.outcome == Outcome::kHold;
      v.outcome = Outcome::kHold;
      v.hold_until = std::max(next, now);
      v.reason = absl::StrCat(waiting, " of ", metrics_.size(),
                              " metrics still measuring; next at ",
                              internal::FormatTimeUtc(v.hold_until));
    } else if (!worst.has_value() || *worst == Outcome::kPass) {
      v.outcome = Outcome::kPass;
      std::vector<std::string> dry;
      for (size_t i = 0; i < metrics_.size(); ++i) {
        if (metrics_[i].spec.dry_run) {
          dry.push_back(absl::StrCat(metrics_[i].spec.name, " ",
                                     OutcomeName(details[i].outcome)));
        }
      }
      const size_t counted = metrics_.size() - dry.size();
      v.reason = counted == 1
                     ? "1 metric passed"
                     : absl::StrCat("all ", counted, " metrics passed");
      if (!dry.empty()) {
        absl::StrAppend(&v.reason, " (dry run: ", absl::StrJoin(dry, ", "),
                        ")");
      }
    } else {
      v.outcome = *worst;
      v.reason =
          absl::StrCat("metric ", metrics_[worst_index].spec.name, " ",
                       OutcomeName(*worst), ": ", details[worst_index].reason);
    }
    v.details = std::move(details);
    return v;
  }

  std::string name_;
  std::vector<MetricPlan> metrics_;
};

absl::Status ValidateDuration(absl::string_view field, absl::Duration d,
                              bool allow_zero) {
  if (d == absl::InfiniteDuration() || d < absl::ZeroDuration() ||
      (!allow_zero && d == absl::ZeroDuration())) {
    return internal::FieldPath(field).Invalid(
        internal::MustBe(allow_zero ? internal::kMustBeNonNegativeFinite
                                    : internal::kMustBePositiveFinite,
                         d));
  }
  return absl::OkStatus();
}

absl::StatusOr<MetricPlan> PlanMetric(AnalysisMetric spec) {
  MetricPlan plan;
  {
    absl::StatusOr<std::unique_ptr<Check>> check =
        internal::NewCheck(spec.check);
    if (!check.ok()) {
      absl::string_view kind =
          std::holds_alternative<ThresholdCheck>(spec.check)  ? "threshold"
          : std::holds_alternative<RelativeCheck>(spec.check) ? "relative"
                                                              : "alarm";
      return internal::NestStatus(check.status(), kind);
    }
    plan.check = *std::move(check);
  }
  if (spec.name.empty()) spec.name = plan.check->default_name();
  SLUICE_RETURN_IF_ERROR(ValidateDuration("interval", spec.interval, true));
  SLUICE_RETURN_IF_ERROR(
      ValidateDuration("initial_delay", spec.initial_delay, true));
  SLUICE_RETURN_IF_ERROR(ValidateDuration("error_retry_interval",
                                          spec.error_retry_interval, false));
  if (spec.count.has_value() && *spec.count < 1) {
    return internal::InvalidArgumentAt(
        "count", absl::StrCat("must be >= 1 (got ", *spec.count, ")"));
  }
  if (spec.interval > absl::ZeroDuration() && !spec.count.has_value()) {
    return internal::InvalidArgumentAt(
        "count",
        "required when interval is set (Sluice runs no unbounded background "
        "analysis; use a bake gate)");
  }
  plan.effective_count = spec.count.value_or(1);
  if (plan.effective_count > 1 && spec.interval == absl::ZeroDuration()) {
    return internal::InvalidArgumentAt(
        "interval", absl::StrCat("must be > 0 when count > 1 (got count ",
                                 plan.effective_count, ")"));
  }
  if (spec.failure_limit < -1) {
    return internal::InvalidArgumentAt(
        "failure_limit", absl::StrCat("must be >= 0, or -1 to disable (got ",
                                      spec.failure_limit, ")"));
  }
  if (spec.inconclusive_limit < 0) {
    return internal::InvalidArgumentAt(
        "inconclusive_limit",
        absl::StrCat("must be >= 0 (got ", spec.inconclusive_limit, ")"));
  }
  if (spec.consecutive_error_limit < 0) {
    return internal::InvalidArgumentAt(
        "consecutive_error_limit",
        absl::StrCat("must be >= 0 (got ", spec.consecutive_error_limit, ")"));
  }
  if (spec.consecutive_success_limit < 0) {
    return internal::InvalidArgumentAt(
        "consecutive_success_limit",
        absl::StrCat("must be >= 0 (got ", spec.consecutive_success_limit,
                     ")"));
  }
  if (spec.count.has_value()) {
    if (*spec.count < spec.failure_limit) {
      return internal::InvalidArgumentAt(
          "count", absl::StrCat("must be >= failure_limit (got ", *spec.count,
                                " < ", spec.failure_limit, ")"));
    }
    if (*spec.count < spec.inconclusive_limit) {
      return internal::InvalidArgumentAt(
          "count",
          absl::StrCat("must be >= inconclusive_limit (got ", *spec.count,
                       " < ", spec.inconclusive_limit, ")"));
    }
  }
  if (spec.consecutive_success_limit > plan.effective_count) {
    return internal::InvalidArgumentAt(
        "consecutive_success_limit",
        absl::StrCat("must be <= count (got ", spec.consecutive_success_limit,
                     " > ", plan.effective_count, ")"));
  }
  if (spec.failure_limit == -1 && spec.consecutive_success_limit == 0 &&
      !spec.dry_run) {
    return internal::InvalidArgumentAt(
        "failure_limit",
        "-1 (disabled) needs consecutive_success_limit > 0, or the metric "
        "can never fail");
  }
  plan.spec = std::move(spec);
  return plan;
}

}  // namespace

namespace internal {

absl::StatusOr<std::unique_ptr<HealthGate>> NewSingleCheckGate(
    std::string name, MetricCheck check) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  // Validate the check on its own first, so errors name its fields
  // without a "threshold." prefix.
  SLUICE_RETURN_IF_ERROR(internal::NewCheck(check).status());
  AnalysisMetric metric;
  metric.check = std::move(check);
  SLUICE_ASSIGN_OR_RETURN(MetricPlan plan, PlanMetric(std::move(metric)));
  std::vector<MetricPlan> plans;
  plans.push_back(std::move(plan));
  return std::unique_ptr<HealthGate>(
      new AnalysisGate(std::move(name), std::move(plans)));
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<HealthGate>> NewAnalysisGate(
    std::string name, std::vector<AnalysisMetric> metrics) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  if (metrics.empty()) {
    return internal::FieldPath("metrics").Invalid(internal::kMustNotBeEmpty);
  }
  std::vector<MetricPlan> plans;
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < metrics.size(); ++i) {
    const internal::FieldPath path =
        internal::FieldPath("metrics").Index(static_cast<int>(i));
    absl::StatusOr<MetricPlan> plan = PlanMetric(std::move(metrics[i]));
    if (!plan.ok()) return path.Nest(plan.status());
    auto [it, inserted] = seen.emplace(plan->spec.name, i);
    if (!inserted) {
      return path.Field("name").Invalid(
          absl::StrCat("duplicate metric name \"", plan->spec.name,
                       "\" (first at metrics[", it->second, "])"));
    }
    plans.push_back(*std::move(plan));
  }
  return std::unique_ptr<HealthGate>(
      new AnalysisGate(std::move(name), std::move(plans)));
}

}  // namespace sluice
