// Copyright 2026 The Sluice Authors.

#include "sluice/sim/result_proto.h"

#include <string>

#include "absl/time/time.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout_proto.h"

namespace sluice::sim {
namespace {

v1::Distribution ToProto(const Distribution& d) {
  v1::Distribution p;
  p.set_count(d.count);
  p.set_mean(d.mean);
  p.set_min(d.min);
  p.set_p50(d.p50);
  p.set_p90(d.p90);
  p.set_p99(d.p99);
  p.set_max(d.max);
  return p;
}

v1::Proportion ToProto(const Proportion& x) {
  v1::Proportion p;
  p.set_successes(x.successes);
  p.set_trials(x.trials);
  p.set_rate(x.rate);
  p.set_low(x.low);
  p.set_high(x.high);
  return p;
}

}  // namespace

v1::RunOutcome RunOutcomeToProto(const RunOutcome& o) {
  v1::RunOutcome p;
  p.set_run(o.run);
  p.set_seed(o.seed);
  p.set_bad_release(o.bad_release);
  p.set_rolled_back(o.rolled_back);
  p.set_detected(o.detected);
  if (o.time_to_detect.has_value()) {
    p.set_time_to_detect_s(absl::ToDoubleSeconds(*o.time_to_detect));
  }
  p.set_max_bad_targets(o.max_bad_targets);
  p.set_max_bad_weight_share(o.max_bad_weight_share);
  p.set_bad_requests(o.bad_requests);
  if (o.time_to_full_rollout.has_value()) {
    p.set_time_to_full_rollout_s(
        absl::ToDoubleSeconds(*o.time_to_full_rollout));
  }
  p.set_false_rollback(o.false_rollback);
  p.set_final_state(o.final_state);
  p.set_stopped(o.stopped);
  if (o.stop_trigger.has_value()) {
    p.set_stop_trigger(std::string(FailureTriggerName(*o.stop_trigger)));
  }
  p.set_stop_wave(o.stop_wave);
  p.set_stop_stage(o.stop_stage);
  p.set_decisive_gate(o.decisive_gate);
  p.set_zones_reached(o.zones_reached);
  p.set_regions_reached(o.regions_reached);
  p.set_stopped_in_first_zone(o.stopped_in_first_zone);
  p.set_stopped_before_region_complete(o.stopped_before_region_complete);
  p.set_stopped_by_fault(o.stopped_by_fault);
  p.set_escaped(o.escaped);
  if (o.time_to_detect_from_harm.has_value()) {
    p.set_time_to_detect_from_harm_s(
        absl::ToDoubleSeconds(*o.time_to_detect_from_harm));
  }
  if (o.first_harm.has_value()) {
    p.set_first_harm_s(absl::ToDoubleSeconds(*o.first_harm));
  }
  p.set_excess_errors(o.excess_errors);
  return p;
}

v1::SimulationSummary SummaryToProto(const MonteCarloSummary& s) {
  v1::SimulationSummary p;
  p.set_runs(s.runs);
  p.set_seed(s.seed);
  *p.mutable_detection() = ToProto(s.detection);
  *p.mutable_false_rollback() = ToProto(s.false_rollback);
  *p.mutable_completion() = ToProto(s.completion);
  *p.mutable_time_to_detect_s() = ToProto(s.time_to_detect_s);
  *p.mutable_max_bad_targets() = ToProto(s.max_bad_targets);
  *p.mutable_max_bad_weight_share() = ToProto(s.max_bad_weight_share);
  *p.mutable_bad_requests() = ToProto(s.bad_requests);
  *p.mutable_time_to_full_rollout_s() = ToProto(s.time_to_full_rollout_s);
  *p.mutable_escaped() = ToProto(s.escaped);
  *p.mutable_caught_in_first_zone() = ToProto(s.caught_in_first_zone);
  *p.mutable_caught_before_region_complete() =
      ToProto(s.caught_before_region_complete);
  for (const TriggerCount& t : s.false_rollback_triggers) {
    v1::TriggerCount* out = p.add_false_rollback_triggers();
    out->set_trigger(t.trigger);
    out->set_count(t.count);
  }
  for (const TriggerCount& t : s.bad_release_stop_triggers) {
    v1::TriggerCount* out = p.add_bad_release_stop_triggers();
    out->set_trigger(t.trigger);
    out->set_count(t.count);
  }
  for (const TriggerCount& t : s.false_rollback_gates) {
    v1::TriggerCount* out = p.add_false_rollback_gates();
    out->set_trigger(t.trigger);
    out->set_count(t.count);
  }
  for (const TriggerCount& t : s.bad_release_stop_gates) {
    v1::TriggerCount* out = p.add_bad_release_stop_gates();
    out->set_trigger(t.trigger);
    out->set_count(t.count);
  }
  for (const TriggerCount& t : s.false_rollback_stages) {
    v1::TriggerCount* out = p.add_false_rollback_stages();
    out->set_trigger(t.trigger);
    out->set_count(t.count);
  }
  *p.mutable_time_to_detect_from_harm_s() =
      ToProto(s.time_to_detect_from_harm_s);
  *p.mutable_excess_errors() = ToProto(s.excess_errors);
  return p;
}

v1::TimelineEvent TimelineEventToProto(const TimelineEvent& e) {
  v1::TimelineEvent p;
  p.set_time(
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", e.time, absl::UTCTimeZone()));
  p.set_kind(TimelineEventKindName(e.kind));
  p.set_wave(e.wave);
  p.set_detail(e.detail);
  return p;
}

v1::EfficacySpec SpecEfficacyToProto(const SpecEfficacy& e,
                                     const std::string& path) {
  v1::EfficacySpec p;
  p.set_path(path);
  p.set_name(e.spec);
  const EfficacyHeadline& h = e.headline;
  v1::EfficacyHeadline* out = p.mutable_headline();
  *out->mutable_x2_caught_in_first_zone() = ToProto(h.x2_caught_in_first_zone);
  *out->mutable_x5_caught_in_first_zone() = ToProto(h.x5_caught_in_first_zone);
  *out->mutable_x2_caught_before_region_complete() =
      ToProto(h.x2_caught_before_region_complete);
  *out->mutable_p99_20_detected() = ToProto(h.p99_20_detected);
  *out->mutable_p99_20_caught_in_first_zone() =
      ToProto(h.p99_20_caught_in_first_zone);
  *out->mutable_false_rollback() = ToProto(h.false_rollback);
  *out->mutable_x2_time_to_detect_s() = ToProto(h.x2_time_to_detect_s);
  *out->mutable_x2_max_bad_weight_share() = ToProto(h.x2_max_bad_weight_share);
  *out->mutable_time_to_full_rollout_s() = ToProto(h.time_to_full_rollout_s);
  for (const FamilyEfficacy& f : e.families) {
    v1::EfficacyFamily* family = p.add_families();
    family->set_name(f.family);
    family->set_bad(f.bad);
    *family->mutable_summary() = SummaryToProto(f.summary);
  }
  *p.mutable_good() = SummaryToProto(e.good);
  for (const FalseRollbackStop& stop : e.false_rollback_stops) {
    v1::EfficacyStop* out_stop = p.add_false_rollback_stops();
    out_stop->set_family(stop.family);
    out_stop->set_run(stop.run);
    out_stop->set_seed(stop.seed);
    *out_stop->mutable_outcome() = RunOutcomeToProto(stop.outcome);
    *out_stop->mutable_event() = EventToProto(stop.event);
  }
  return p;
}

}  // namespace sluice::sim
