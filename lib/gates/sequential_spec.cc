// Copyright 2026 The Sluice Authors.
//
// The sequential test gate kinds (sluice/judge_gates.h): sequential_count
// (v1::SequentialCountGateSpec), sequential_means
// (v1::SequentialMeansGateSpec) and sequential_quantile
// (v1::SequentialQuantileGateSpec), which share their schedule.

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/judge_gates.h"
#include "sluice/judge_proto.h"

namespace sluice::internal {
namespace {

// The metric's harmful direction (default: an increase is harmful).
absl::StatusOr<stats::MetricDirection> Direction(v1::MetricDirection proto,
                                                 const FieldPath& path) {
  absl::StatusOr<stats::MetricDirection> d =
      DirectionFromProto(proto, stats::MetricDirection::kIncrease);
  if (!d.ok()) return path.Invalid(d.status().message());
  return d;
}

// The interval (default 1m) and duration (required) of a sequential gate.
absl::Status ScheduleFromProto(bool has_interval,
                               const google::protobuf::Duration& interval,
                               bool has_duration,
                               const google::protobuf::Duration& duration,
                               const FieldPath& path,
                               absl::Duration* interval_out,
                               absl::Duration* duration_out) {
  if (has_interval) {
    SLUICE_ASSIGN_OR_RETURN(
        *interval_out, DurationFromProto(interval, path.Field("interval")));
  }
  if (!has_duration) {
    return path.Field("duration")
        .Invalid("is required (how long the test runs)");
  }
  SLUICE_ASSIGN_OR_RETURN(*duration_out,
                          DurationFromProto(duration, path.Field("duration")));
  return absl::OkStatus();
}

absl::StatusOr<SequentialCountGateOptions> SequentialCountFromProto(
    const v1::SequentialCountGateSpec& p, const MetricsByName& metrics,
    const FieldPath& path) {
  SequentialCountGateOptions o;
  SLUICE_ASSIGN_OR_RETURN(
      o.metric, FindMetric(metrics, p.metric(), path.Field("metric")));
  o.test.canary_share = p.canary_share();
  if (p.has_alpha()) o.test.alpha = p.alpha();
  if (p.has_prior_concentration()) {
    o.test.prior_concentration = p.prior_concentration();
  }
  if (!p.requests_metric().empty()) {
    SLUICE_ASSIGN_OR_RETURN(o.requests_metric,
                            FindMetric(metrics, p.requests_metric(),
                                       path.Field("requests_metric")));
    if (p.canary_share() != 0 &&
        !(p.canary_share() > 0 && p.canary_share() < 1)) {
      return path.Field("canary_share")
          .Invalid(absl::StrCat("must be in (0, 1) or unset (got ",
                                p.canary_share(), ")"));
    }
    stats::SequentialRateOptions rate;
    if (p.has_null_ratio()) rate.null_ratio = p.null_ratio();
    if (p.has_tuning_events()) rate.tuning_events = p.tuning_events();
    rate.alpha = o.test.alpha;
    if (absl::Status s = rate.Validate(); !s.ok()) return path.Nest(s);
    o.rate_test = rate;
  } else {
    if (p.canary_share() == 0) {
      return path.Field("canary_share")
          .Invalid(
              "is required without requests_metric (name a metric of request "
              "counts in requests_metric so that the canary's share is "
              "measured, "
              "or give the traffic split's share)");
    }
    if (p.has_null_ratio() || p.has_tuning_events()) {
      return path.Field(p.has_null_ratio() ? "null_ratio" : "tuning_events")
          .Invalid(
              "needs requests_metric (it is a parameter of the measured-share "
              "test)");
    }
    // The test's fields are the spec's own (no "test." level).
    if (absl::Status s = o.test.Validate(); !s.ok()) return path.Nest(s);
  }
  if (p.min_samples() < 0) {
    return path.Field("min_samples")
        .Invalid(MustBe(kMustBeNonNegative, p.min_samples()));
  }
  o.min_samples = p.min_samples();
  SLUICE_RETURN_IF_ERROR(ScheduleFromProto(p.has_interval(), p.interval(),
                                           p.has_duration(), p.duration(), path,
                                           &o.interval, &o.duration));
  SLUICE_ASSIGN_OR_RETURN(o.direction,
                          Direction(p.direction(), path.Field("direction")));
  return o;
}

absl::StatusOr<SequentialQuantileGateOptions> SequentialQuantileFromProto(
    const v1::SequentialQuantileGateSpec& p, const MetricsByName& metrics,
    const FieldPath& path) {
  SequentialQuantileGateOptions o;
  SLUICE_ASSIGN_OR_RETURN(
      o.metric, FindMetric(metrics, p.metric(), path.Field("metric")));
  if (p.has_quantile()) o.test.quantile = p.quantile();
  if (p.has_alpha()) o.test.alpha = p.alpha();
  if (p.has_tuning_observations()) {
    o.test.tuning_observations = p.tuning_observations();
  }
  // The test's fields are the spec's own (no "test." level).
  if (absl::Status s = o.test.Validate(); !s.ok()) return path.Nest(s);
  SLUICE_RETURN_IF_ERROR(ScheduleFromProto(p.has_interval(), p.interval(),
                                           p.has_duration(), p.duration(), path,
                                           &o.interval, &o.duration));
  SLUICE_ASSIGN_OR_RETURN(o.direction,
                          Direction(p.direction(), path.Field("direction")));
  o.min_samples = p.min_samples();
  o.max_observations = p.max_observations();
  if (p.has_delivery_delay()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.delivery_delay,
        DurationFromProto(p.delivery_delay(), path.Field("delivery_delay")));
  }
  return o;
}

absl::StatusOr<SequentialMeansGateOptions> SequentialMeansFromProto(
    const v1::SequentialMeansGateSpec& p, const MetricsByName& metrics,
    const FieldPath& path) {
  SequentialMeansGateOptions o;
  SLUICE_ASSIGN_OR_RETURN(
      o.metric, FindMetric(metrics, p.metric(), path.Field("metric")));
  o.test.sigma_canary = p.sigma_canary();
  o.test.sigma_baseline = p.sigma_baseline();
  if (p.has_alpha()) o.test.alpha = p.alpha();
  if (p.has_tuning_observations()) {
    o.test.tuning_observations = p.tuning_observations();
  }
  // The test's fields are the spec's own (no "test." level).
  if (absl::Status s = o.test.Validate(); !s.ok()) return path.Nest(s);
  if (p.has_min_value()) o.min_value = p.min_value();
  if (p.has_max_value()) o.max_value = p.max_value();
  o.min_samples = p.min_samples();
  SLUICE_RETURN_IF_ERROR(ScheduleFromProto(p.has_interval(), p.interval(),
                                           p.has_duration(), p.duration(), path,
                                           &o.interval, &o.duration));
  SLUICE_ASSIGN_OR_RETURN(o.direction,
                          Direction(p.direction(), path.Field("direction")));
  return o;
}

absl::StatusOr<std::unique_ptr<HealthGate>> BuildCount(const GateInput& in) {
  SLUICE_ASSIGN_OR_RETURN(SequentialCountGateOptions o,
                          SequentialCountFromProto(in.spec.sequential_count(),
                                                   in.metrics, in.kind_path));
  return in.Made(NewSequentialCountGate(in.name, std::move(o)));
}

absl::StatusOr<std::unique_ptr<HealthGate>> BuildMeans(const GateInput& in) {
  SLUICE_ASSIGN_OR_RETURN(SequentialMeansGateOptions o,
                          SequentialMeansFromProto(in.spec.sequential_means(),
                                                   in.metrics, in.kind_path));
  return in.Made(NewSequentialMeansGate(in.name, std::move(o)));
}

absl::StatusOr<std::unique_ptr<HealthGate>> BuildQuantile(const GateInput& in) {
  SLUICE_ASSIGN_OR_RETURN(
      SequentialQuantileGateOptions o,
      SequentialQuantileFromProto(in.spec.sequential_quantile(), in.metrics,
                                  in.kind_path));
  return in.Made(NewSequentialQuantileGate(in.name, std::move(o)));
}

}  // namespace

GateKind SequentialCountGateKind() {
  return {v1::GateSpec::kSequentialCount,
          [](const v1::GateSpec& g) {
            return absl::StrCat("sequential count ",
                                g.sequential_count().metric());
          },
          BuildCount};
}

GateKind SequentialMeansGateKind() {
  return {v1::GateSpec::kSequentialMeans,
          [](const v1::GateSpec& g) {
            return absl::StrCat("sequential means ",
                                g.sequential_means().metric());
          },
          BuildMeans};
}

GateKind SequentialQuantileGateKind() {
  return {v1::GateSpec::kSequentialQuantile,
          [](const v1::GateSpec& g) {
            return absl::StrCat("sequential quantile ",
                                g.sequential_quantile().metric());
          },
          BuildQuantile};
}

}  // namespace sluice::internal
