// Copyright 2026 The Sluice Authors.

#include "sluice/gate_state_proto.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"

namespace sluice {
namespace {

constexpr int kMaxDepth = 64;

void TimeToProto(absl::Time t, google::protobuf::Timestamp* out) {
  const absl::Duration since = t - absl::UnixEpoch();
  absl::Duration rem;
  int64_t seconds = absl::IDivDuration(since, absl::Seconds(1), &rem);
  int64_t nanos = absl::ToInt64Nanoseconds(rem);
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1000000000;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(nanos));
}

absl::StatusOr<absl::Time> TimeFromProto(const google::protobuf::Timestamp& ts,
                                         const std::string& path) {
  if (ts.nanos() < 0 || ts.nanos() >= 1000000000) {
    return internal::InvalidArgumentAt(
        path, absl::StrCat("nanos must be in [0, 1e9) (got ", ts.nanos(), ")"));
  }
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

absl::StatusOr<Outcome> OutcomeFromName(const std::string& name,
                                        const std::string& path,
                                        bool allow_hold) {
  for (Outcome o : {Outcome::kPass, Outcome::kFail, Outcome::kInconclusive,
                    Outcome::kError, Outcome::kHold}) {
    if (name == OutcomeName(o) && (allow_hold || o != Outcome::kHold)) return o;
  }
  return internal::InvalidArgumentAt(
      path, absl::StrCat("unknown outcome \"", name,
                         "\" (want PASS, FAIL, INCONCLUSIVE or ERROR)"));
}

void ToProto(const GateState& s, v1::GateState* out) {
  if (s.started_at != absl::InfinitePast()) {
    TimeToProto(s.started_at, out->mutable_started_at());
  }
  out->set_count(s.counts.count);
  out->set_successful(s.counts.successful);
  out->set_failed(s.counts.failed);
  out->set_inconclusive(s.counts.inconclusive);
  out->set_error(s.counts.error);
  out->set_consecutive_error(s.counts.consecutive_error);
  out->set_consecutive_success(s.counts.consecutive_success);
  out->set_samples(s.counts.samples);
  for (const Measurement& m : s.measurements) {
    v1::MeasurementState* pm = out->add_measurements();
    TimeToProto(m.at, pm->mutable_at());
    pm->set_phase(std::string(OutcomeName(m.phase)));
    pm->set_ignored(m.ignored);
    if (m.value.has_value()) pm->set_value(*m.value);
    pm->set_message(m.message);
    for (const Observation& o : m.observations) {
      v1::ObservationState* po = pm->add_observations();
      po->set_name(o.name);
      po->set_value(o.value);
      po->set_unit(o.unit);
    }
    if (m.sample_count.has_value()) pm->set_sample_count(*m.sample_count);
  }
  if (s.completed.has_value()) {
    out->set_completed(std::string(OutcomeName(*s.completed)));
  }
  out->set_message(s.message);
  for (const GateState& child : s.children) ToProto(child, out->add_children());
}

absl::Status NonNegative(const std::string& path, int64_t v) {
  if (v < 0) {
    return internal::InvalidArgumentAt(
        path, absl::StrCat("must be >= 0 (got ", v, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<GateState> FromProto(const v1::GateState& p,
                                    const std::string& prefix, int depth) {
  if (depth > kMaxDepth) {
    return internal::InvalidArgumentAt(
        prefix.empty() ? "children" : prefix,
        absl::StrCat("nested deeper than ", kMaxDepth, " levels"));
  }
  auto at = [&prefix](absl::string_view field) {
    return prefix.empty() ? std::string(field)
                          : absl::StrCat(prefix, ".", field);
  };
  GateState s;
  if (p.has_started_at()) {
    SLUICE_ASSIGN_OR_RETURN(s.started_at,
                            TimeFromProto(p.started_at(), at("started_at")));
  }
  SLUICE_RETURN_IF_ERROR(NonNegative(at("count"), p.count()));
  SLUICE_RETURN_IF_ERROR(NonNegative(at("successful"), p.successful()));
  SLUICE_RETURN_IF_ERROR(NonNegative(at("failed"), p.failed()));
  SLUICE_RETURN_IF_ERROR(NonNegative(at("inconclusive"), p.inconclusive()));
  SLUICE_RETURN_IF_ERROR(NonNegative(at("error"), p.error()));
  SLUICE_RETURN_IF_ERROR(
      NonNegative(at("consecutive_error"), p.consecutive_error()));
  SLUICE_RETURN_IF_ERROR(
      NonNegative(at("consecutive_success"), p.consecutive_success()));
  SLUICE_RETURN_IF_ERROR(NonNegative(at("samples"), p.samples()));
  s.counts.count = p.count();
  s.counts.successful = p.successful();
  s.counts.failed = p.failed();
  s.counts.inconclusive = p.inconclusive();
  s.counts.error = p.error();
  s.counts.consecutive_error = p.consecutive_error();
  s.counts.consecutive_success = p.consecutive_success();
  s.counts.samples = p.samples();
  for (int i = 0; i < p.measurements_size(); ++i) {
    const v1::MeasurementState& pm = p.measurements(i);
    const std::string mpath = at(absl::StrCat("measurements[", i, "]"));
    Measurement m;
    SLUICE_ASSIGN_OR_RETURN(m.at,
                            TimeFromProto(pm.at(), absl::StrCat(mpath, ".at")));
    SLUICE_ASSIGN_OR_RETURN(
        m.phase, OutcomeFromName(pm.phase(), absl::StrCat(mpath, ".phase"),
                                 /*allow_hold=*/false));
    m.ignored = pm.ignored();
    if (pm.has_value()) m.value = pm.value();
    m.message = pm.message();
    for (const v1::ObservationState& po : pm.observations()) {
      m.observations.push_back({po.name(), po.value(), po.unit()});
    }
    if (pm.has_sample_count()) m.sample_count = pm.sample_count();
    s.measurements.push_back(std::move(m));
  }
  if (!p.completed().empty()) {
    SLUICE_ASSIGN_OR_RETURN(
        Outcome o,
        OutcomeFromName(p.completed(), at("completed"), /*allow_hold=*/false));
    s.completed = o;
  }
  s.message = p.message();
  for (int i = 0; i < p.children_size(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(
        GateState child,
        FromProto(p.children(i), at(absl::StrCat("children[", i, "]")),
                  depth + 1));
    s.children.push_back(std::move(child));
  }
  return s;
}

}  // namespace

v1::GateState GateStateToProto(const GateState& state) {
  v1::GateState out;
  ToProto(state, &out);
  return out;
}

absl::StatusOr<GateState> GateStateFromProto(const v1::GateState& proto) {
  return FromProto(proto, "", 0);
}

}  // namespace sluice
