// Copyright 2026 The Sluice Authors.
//
// The C API (include/sluice/c.h) over the C++ API: handles wrap C++ values,
// host interfaces adapt C callbacks to the C++ interfaces, errors become
// "<CODE>: <message>" strings.

#include "sluice/c.h"

#include <cstdlib>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sluice/action.h"
#include "sluice/blocker.h"
#include "sluice/fleet.h"
#include "sluice/fleet_io.h"
#include "sluice/health_gate.h"
#include "sluice/judge_proto.h"
#include "sluice/metric_source.h"
#include "sluice/proto_io.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_event.h"
#include "sluice/rollout_proto.h"
#include "sluice/sim/monte_carlo.h"
#include "sluice/sim/result_proto.h"
#include "sluice/sim/scenario.h"
#include "sluice/sim/simulator.h"
#include "sluice/spec.h"
#include "sluice/stats/kayenta_judge.h"
#include "sluice/v1/rollout_spec.pb.h"
#include "sluice/v1/scenario.pb.h"
#include "sluice/v1/waves.pb.h"
#include "sluice/version.h"
#include "sluice/wave_plan.h"
#include "sluice/wave_plan_proto.h"
#include "sluice/wave_scheduler.h"

// ---- Handles ----------------------------------------------------------------

struct sluice_fleet_t {
  sluice::Fleet fleet;
};

struct sluice_spec_t {
  sluice::RolloutSpec spec;
};

struct sluice_plan_t {
  sluice::WavePlan plan;
  sluice::Fleet fleet;
};

struct sluice_scenario_t {
  sluice::sim::Scenario scenario;
};

struct sluice_event_t {
  const sluice::RolloutEvent* event;
  mutable std::optional<std::string> json;
};

struct sluice_metric_query_t {
  const sluice::MetricQuery* query;
};

struct sluice_metric_result_t {
  sluice::MetricResult result;
  absl::Status status;
};

struct sluice_alarm_query_t {
  const sluice::AlarmQuery* query;
};

struct sluice_alarm_result_t {
  std::vector<sluice::AlarmStatus> alarms;
  absl::Status status;
};

struct sluice_gate_context_t {
  const sluice::GateContext* context;
  const sluice::GateState* state;
};

struct sluice_verdict_t {
  sluice::Verdict verdict;
  std::optional<std::string> memory;
};

struct sluice_failure_t {
  const sluice::FailureContext* failure;
};

struct sluice_decision_t {
  sluice::Decision decision;
};

struct sluice_actions_t {
  std::vector<sluice::Action> actions;
};

struct sluice_blockers_t {
  std::vector<sluice::Blocker> blockers;
  std::vector<std::string> described;
};

namespace {

using sluice::Fleet;

// The user data and destructor of a host interface; the destructor runs
// once, when the adapter (shared by every user) goes.
class UserState {
 public:
  UserState(void* state, void (*destructor)(void*))
      : state_(state), destructor_(destructor) {}
  UserState(const UserState&) = delete;
  UserState& operator=(const UserState&) = delete;
  ~UserState() {
    if (destructor_ != nullptr) destructor_(state_);
  }
  void* get() const { return state_; }

 private:
  void* state_;
  void (*destructor_)(void*);
};

// ---- Conversions ------------------------------------------------------------

absl::Time ToTime(int64_t ns) {
  if (ns == std::numeric_limits<int64_t>::max()) return absl::InfiniteFuture();
  if (ns == std::numeric_limits<int64_t>::min()) return absl::InfinitePast();
  return absl::FromUnixNanos(ns);
}

int64_t FromTime(absl::Time t) {
  if (t == absl::InfiniteFuture()) return std::numeric_limits<int64_t>::max();
  if (t == absl::InfinitePast()) return std::numeric_limits<int64_t>::min();
  return absl::ToUnixNanos(t);
}

absl::Duration ToDuration(int64_t ns) { return absl::Nanoseconds(ns); }

char* CopyString(absl::string_view s, size_t* len) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) return nullptr;
  if (!s.empty()) std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  if (len != nullptr) *len = s.size();
  return out;
}

void SetError(char** errptr, const absl::Status& status) {
  if (errptr == nullptr) return;
  std::free(*errptr);
  *errptr = CopyString(status.ToString(), nullptr);
}

// Returns the code after storing the error (SLUICE_OK leaves errptr alone).
int Report(char** errptr, const absl::Status& status) {
  if (!status.ok()) SetError(errptr, status);
  return static_cast<int>(status.code());
}

absl::Status NullArgument(absl::string_view call, absl::string_view arg) {
  return absl::InvalidArgumentError(
      absl::StrCat(call, ": ", arg, " must not be NULL"));
}

absl::Status OutOfRange(absl::string_view call, absl::string_view arg,
                        int value, int lo, int hi) {
  return absl::InvalidArgumentError(absl::StrCat(
      call, ": ", arg, " must be in [", lo, ", ", hi, "] (got ", value, ")"));
}

bool InRange(int value, int lo, int hi) { return value >= lo && value <= hi; }

std::string Str(const char* s) { return s == nullptr ? std::string() : s; }

// A name table of string literals, NUL-terminated copies kept forever.
template <typename Enum, int N, typename NameFn>
const char* EnumName(int value, NameFn name_fn) {
  static const std::vector<std::string>* names = [&] {
    auto* out = new std::vector<std::string>();
    for (int i = 0; i < N; ++i) {
      out->emplace_back(name_fn(static_cast<Enum>(i)));
    }
    return out;
  }();
  if (!InRange(value, 0, N - 1)) return "";
  return (*names)[value].c_str();
}

absl::StatusOr<sluice::ConfigFormat> MessageFormat(absl::string_view call,
                                                   int format) {
  if (format == SLUICE_FORMAT_TEXTPROTO)
    return sluice::ConfigFormat::kTextProto;
  if (format == SLUICE_FORMAT_JSON) return sluice::ConfigFormat::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat(call,
                   ": format must be SLUICE_FORMAT_TEXTPROTO (0) or "
                   "SLUICE_FORMAT_JSON (1) (got ",
                   format, ")"));
}

const char* At(const std::vector<std::string>& v, size_t i) {
  return i < v.size() ? v[i].c_str() : nullptr;
}

const char* At(absl::Span<const std::string> v, size_t i) {
  return i < v.size() ? v[i].c_str() : nullptr;
}

absl::Status CodeStatus(int code, const char* message) {
  if (!InRange(code, 1, 16)) code = SLUICE_UNKNOWN;
  return absl::Status(static_cast<absl::StatusCode>(code), Str(message));
}

// ---- Host-interface adapters ------------------------------------------------

class CEventSink : public sluice::EventSink {
 public:
  CEventSink(void* state, void (*destructor)(void*),
             void (*on_event)(void*, const sluice_event_t*))
      : state_(state, destructor), on_event_(on_event) {}
  void OnEvent(const sluice::RolloutEvent& event) override {
    if (on_event_ == nullptr) return;
    sluice_event_t c_event{&event, std::nullopt};
    on_event_(state_.get(), &c_event);
  }

 private:
  UserState state_;
  void (*on_event_)(void*, const sluice_event_t*);
};

class CMetricSource : public sluice::MetricSource {
 public:
  CMetricSource(void* state, void (*destructor)(void*),
                void (*query)(void*, const sluice_metric_query_t*,
                              sluice_metric_result_t*))
      : state_(state, destructor), query_(query) {}
  absl::StatusOr<sluice::MetricResult> Query(
      const sluice::MetricQuery& query) override {
    if (query_ == nullptr) {
      return absl::UnimplementedError("metric source: no query callback");
    }
    sluice_metric_query_t c_query{&query};
    sluice_metric_result_t result;
    query_(state_.get(), &c_query, &result);
    if (!result.status.ok()) return result.status;
    return std::move(result.result);
  }

 private:
  UserState state_;
  void (*query_)(void*, const sluice_metric_query_t*, sluice_metric_result_t*);
};

class CAlarmSource : public sluice::AlarmSource {
 public:
  CAlarmSource(void* state, void (*destructor)(void*),
               void (*query)(void*, const sluice_alarm_query_t*,
                             sluice_alarm_result_t*))
      : state_(state, destructor), query_(query) {}
  absl::StatusOr<std::vector<sluice::AlarmStatus>> QueryAlarms(
      const sluice::AlarmQuery& query) override {
    if (query_ == nullptr) {
      return absl::UnimplementedError("alarm source: no query callback");
    }
    sluice_alarm_query_t c_query{&query};
    sluice_alarm_result_t result;
    query_(state_.get(), &c_query, &result);
    if (!result.status.ok()) return result.status;
    return std::move(result.alarms);
  }

 private:
  UserState state_;
  void (*query_)(void*, const sluice_alarm_query_t*, sluice_alarm_result_t*);
};

class CGate : public sluice::HealthGate {
 public:
  CGate(void* state, void (*destructor)(void*), std::string name,
        void (*evaluate)(void*, const sluice_gate_context_t*,
                         sluice_verdict_t*))
      : state_(state, destructor),
        name_(std::move(name)),
        evaluate_(evaluate) {}
  std::string name() const override { return name_; }
  sluice::Verdict Evaluate(const sluice::GateContext& context,
                           sluice::GateState& state) const override {
    if (state.started_at == absl::InfinitePast()) {
      state.started_at = context.now;
    }
    sluice_gate_context_t c_context{&context, &state};
    sluice_verdict_t verdict;
    verdict.verdict = sluice::Verdict::Pass(name_, "");
    if (evaluate_ != nullptr) evaluate_(state_.get(), &c_context, &verdict);
    if (verdict.memory.has_value()) state.message = std::move(*verdict.memory);
    verdict.verdict.gate = name_;
    return std::move(verdict.verdict);
  }

 private:
  UserState state_;
  std::string name_;
  void (*evaluate_)(void*, const sluice_gate_context_t*, sluice_verdict_t*);
};

class CRollbackPolicy : public sluice::RollbackPolicy {
 public:
  CRollbackPolicy(void* state, void (*destructor)(void*), std::string name,
                  void (*decide)(void*, const sluice_failure_t*,
                                 sluice_decision_t*))
      : state_(state, destructor), name_(std::move(name)), decide_(decide) {}
  std::string name() const override { return name_; }
  sluice::Decision Decide(
      const sluice::FailureContext& context) const override {
    sluice_failure_t failure{&context};
    sluice_decision_t decision;
    decision.decision = sluice::Decision::RollBackAll(
        sluice::RollbackOrder::kReverseWaves, name_ + ": default decision");
    if (decide_ != nullptr) decide_(state_.get(), &failure, &decision);
    return std::move(decision.decision);
  }

 private:
  UserState state_;
  std::string name_;
  void (*decide_)(void*, const sluice_failure_t*, sluice_decision_t*);
};

}  // namespace

struct sluice_event_sink_t {
  std::shared_ptr<CEventSink> impl;
};
struct sluice_metric_source_t {
  std::shared_ptr<CMetricSource> impl;
};
struct sluice_alarm_source_t {
  std::shared_ptr<CAlarmSource> impl;
};
struct sluice_gate_t {
  std::shared_ptr<const sluice::HealthGate> impl;
};
struct sluice_rollback_policy_t {
  std::shared_ptr<const sluice::RollbackPolicy> impl;
};

struct sluice_options_t {
  sluice::RolloutOptions options;
  // How restores compare the configuration (sluice_options_set_restore_config).
  sluice::RestoreOptions restore;
  // Owners of the borrowed pointers in `options`.
  std::shared_ptr<sluice::MetricSource> metric_source;
  std::shared_ptr<sluice::AlarmSource> alarm_source;
  std::shared_ptr<sluice::EventSink> event_sink;
};

struct sluice_rollout_t {
  explicit sluice_rollout_t(Fleet f) : fleet(std::move(f)) {}
  Fleet fleet;
  std::shared_ptr<sluice::MetricSource> metric_source;
  std::shared_ptr<sluice::AlarmSource> alarm_source;
  std::shared_ptr<sluice::EventSink> event_sink;
  std::unique_ptr<sluice::Rollout> rollout;
};

namespace {

// The C++ options of `options` (defaults for NULL) and a rollout holding the
// owners of their borrowed pointers.
sluice::RolloutOptions OptionsFor(const sluice_options_t* options,
                                  sluice_rollout_t& rollout) {
  if (options == nullptr) return sluice::RolloutOptions();
  rollout.metric_source = options->metric_source;
  rollout.alarm_source = options->alarm_source;
  rollout.event_sink = options->event_sink;
  return options->options;
}

sluice_rollout_t* Finish(std::unique_ptr<sluice_rollout_t> rollout,
                         absl::StatusOr<std::unique_ptr<sluice::Rollout>> made,
                         char** errptr) {
  if (!made.ok()) {
    SetError(errptr, made.status());
    return nullptr;
  }
  rollout->rollout = *std::move(made);
  return rollout.release();
}

int Command(sluice_rollout_t* rollout, const char* call, const char* who,
            char** errptr,
            absl::Status (sluice::Rollout::*command)(absl::string_view,
                                                     absl::Time),
            int64_t now) {
  if (rollout == nullptr) return Report(errptr, NullArgument(call, "rollout"));
  return Report(errptr, ((*rollout->rollout).*command)(Str(who), ToTime(now)));
}

}  // namespace

extern "C" {

// ---- Version, memory, errors
// --------------------------------------------------

const char* sluice_version(void) { return sluice::Version(); }

int sluice_abi_version(void) { return SLUICE_C_ABI_VERSION; }

void sluice_free(void* ptr) { std::free(ptr); }

int sluice_error_code(const char* error) {
  if (error == nullptr) return SLUICE_OK;
  absl::string_view text(error);
  for (int code = 1; code <= 16; ++code) {
    std::string prefix = absl::StrCat(
        absl::StatusCodeToString(static_cast<absl::StatusCode>(code)), ": ");
    if (absl::StartsWith(text, prefix)) return code;
  }
  return SLUICE_UNKNOWN;
}

// ---- Fleets
// -------------------------------------------------------------------

sluice_fleet_t* sluice_fleet_load_file(const char* path, char** errptr) {
  if (path == nullptr) {
    SetError(errptr, NullArgument("sluice_fleet_load_file", "path"));
    return nullptr;
  }
  absl::StatusOr<Fleet> fleet = sluice::LoadFleetFile(path);
  if (!fleet.ok()) {
    SetError(errptr, fleet.status());
    return nullptr;
  }
  return new sluice_fleet_t{*std::move(fleet)};
}

sluice_fleet_t* sluice_fleet_parse(const char* data, size_t len, int format,
                                   char** errptr) {
  if (data == nullptr && len > 0) {
    SetError(errptr, NullArgument("sluice_fleet_parse", "data"));
    return nullptr;
  }
  absl::string_view text(data == nullptr ? "" : data, len);
  absl::StatusOr<Fleet> fleet;
  switch (format) {
    case SLUICE_FORMAT_CSV:
      fleet = sluice::ParseFleetCsv(text);
      break;
    case SLUICE_FORMAT_TEXTPROTO:
      fleet = sluice::ParseFleetTextProto(text);
      break;
    case SLUICE_FORMAT_JSON:
      fleet = sluice::ParseFleetJson(text);
      break;
    default:
      fleet = OutOfRange("sluice_fleet_parse", "format", format, 0, 2);
  }
  if (!fleet.ok()) {
    SetError(errptr, fleet.status());
    return nullptr;
  }
  return new sluice_fleet_t{*std::move(fleet)};
}

void sluice_fleet_destroy(sluice_fleet_t* fleet) { delete fleet; }

size_t sluice_fleet_size(const sluice_fleet_t* fleet) {
  return fleet == nullptr ? 0 : fleet->fleet.size();
}

const char* sluice_fleet_target_id(const sluice_fleet_t* fleet, size_t i) {
  if (fleet == nullptr || i >= fleet->fleet.size()) return nullptr;
  return fleet->fleet.target(i).id.c_str();
}

const char* sluice_fleet_target_region(const sluice_fleet_t* fleet, size_t i) {
  if (fleet == nullptr || i >= fleet->fleet.size()) return nullptr;
  return fleet->fleet.target(i).topology.region.c_str();
}

const char* sluice_fleet_target_zone(const sluice_fleet_t* fleet, size_t i) {
  if (fleet == nullptr || i >= fleet->fleet.size()) return nullptr;
  return fleet->fleet.target(i).topology.zone.c_str();
}

const char* sluice_fleet_target_kind(const sluice_fleet_t* fleet, size_t i) {
  if (fleet == nullptr || i >= fleet->fleet.size()) return nullptr;
  return fleet->fleet.target(i).kind.c_str();
}

size_t sluice_fleet_target_spanned_zone_count(const sluice_fleet_t* fleet,
                                              size_t i) {
  if (fleet == nullptr || i >= fleet->fleet.size()) return 0;
  return fleet->fleet.target(i).zones.size();
}

const char* sluice_fleet_target_spanned_zone(const sluice_fleet_t* fleet,
                                             size_t i, size_t j) {
  if (fleet == nullptr || i >= fleet->fleet.size()) return nullptr;
  const std::vector<std::string>& zones = fleet->fleet.target(i).zones;
  return j < zones.size() ? zones[j].c_str() : nullptr;
}

size_t sluice_fleet_target_spanned_region_count(const sluice_fleet_t* fleet,
                                                size_t i) {
  if (fleet == nullptr || i >= fleet->fleet.size()) return 0;
  return fleet->fleet.target(i).regions.size();
}

const char* sluice_fleet_target_spanned_region(const sluice_fleet_t* fleet,
                                               size_t i, size_t j) {
  if (fleet == nullptr || i >= fleet->fleet.size()) return nullptr;
  const std::vector<std::string>& regions = fleet->fleet.target(i).regions;
  return j < regions.size() ? regions[j].c_str() : nullptr;
}

int64_t sluice_fleet_index_of(const sluice_fleet_t* fleet, const char* id) {
  if (fleet == nullptr || id == nullptr) return -1;
  std::optional<Fleet::TargetIndex> i = fleet->fleet.IndexOf(id);
  return i.has_value() ? static_cast<int64_t>(*i) : -1;
}

char* sluice_fleet_to_csv(const sluice_fleet_t* fleet, size_t* len) {
  if (fleet == nullptr) return CopyString("", len);
  return CopyString(sluice::FleetToCsv(fleet->fleet), len);
}

// ---- Specs
// --------------------------------------------------------------------

sluice_spec_t* sluice_spec_load_file(const char* path, char** errptr) {
  if (path == nullptr) {
    SetError(errptr, NullArgument("sluice_spec_load_file", "path"));
    return nullptr;
  }
  absl::StatusOr<sluice::RolloutSpec> spec =
      sluice::RolloutSpec::LoadFile(path);
  if (!spec.ok()) {
    SetError(errptr, spec.status());
    return nullptr;
  }
  return new sluice_spec_t{*std::move(spec)};
}

sluice_spec_t* sluice_spec_parse(const char* data, size_t len, int format,
                                 char** errptr) {
  if (data == nullptr && len > 0) {
    SetError(errptr, NullArgument("sluice_spec_parse", "data"));
    return nullptr;
  }
  absl::StatusOr<sluice::ConfigFormat> f =
      MessageFormat("sluice_spec_parse", format);
  if (!f.ok()) {
    SetError(errptr, f.status());
    return nullptr;
  }
  absl::StatusOr<sluice::RolloutSpec> spec = sluice::RolloutSpec::Parse(
      absl::string_view(data == nullptr ? "" : data, len),
      *f == sluice::ConfigFormat::kJson ? sluice::SpecFormat::kJson
                                        : sluice::SpecFormat::kTextProto);
  if (!spec.ok()) {
    SetError(errptr, spec.status());
    return nullptr;
  }
  return new sluice_spec_t{*std::move(spec)};
}

void sluice_spec_destroy(sluice_spec_t* spec) { delete spec; }

int sluice_spec_validate_against(const sluice_spec_t* spec,
                                 const sluice_fleet_t* fleet, char** errptr) {
  if (spec == nullptr) {
    return Report(errptr, NullArgument("sluice_spec_validate_against", "spec"));
  }
  if (fleet == nullptr) {
    return Report(errptr,
                  NullArgument("sluice_spec_validate_against", "fleet"));
  }
  return Report(errptr, spec->spec.ValidateAgainst(fleet->fleet));
}

const char* sluice_spec_name(const sluice_spec_t* spec) {
  return spec == nullptr ? nullptr : spec->spec.name().c_str();
}
const char* sluice_spec_service(const sluice_spec_t* spec) {
  return spec == nullptr ? nullptr : spec->spec.service().c_str();
}
const char* sluice_spec_version(const sluice_spec_t* spec) {
  return spec == nullptr ? nullptr : spec->spec.version().c_str();
}
const char* sluice_spec_previous_version(const sluice_spec_t* spec) {
  return spec == nullptr ? nullptr : spec->spec.previous_version().c_str();
}

char* sluice_spec_summary(const sluice_spec_t* spec) {
  return CopyString(spec == nullptr ? "" : spec->spec.Summary(), nullptr);
}

char* sluice_spec_to_json(const sluice_spec_t* spec, size_t* len) {
  return CopyString(spec == nullptr ? "" : sluice::ToJson(spec->spec.ToProto()),
                    len);
}

// ---- Plans
// --------------------------------------------------------------------

sluice_plan_t* sluice_plan_from_spec(const sluice_spec_t* spec,
                                     const sluice_fleet_t* fleet,
                                     char** errptr) {
  if (spec == nullptr || fleet == nullptr) {
    SetError(errptr, NullArgument("sluice_plan_from_spec",
                                  spec == nullptr ? "spec" : "fleet"));
    return nullptr;
  }
  absl::Status valid = spec->spec.ValidateAgainst(fleet->fleet);
  if (!valid.ok()) {
    SetError(errptr, valid);
    return nullptr;
  }
  absl::StatusOr<std::unique_ptr<sluice::WaveScheduler>> scheduler =
      sluice::NewScheduler(spec->spec);
  if (!scheduler.ok()) {
    SetError(errptr, scheduler.status());
    return nullptr;
  }
  absl::StatusOr<sluice::WavePlan> plan = (*scheduler)->Plan(fleet->fleet);
  if (!plan.ok()) {
    SetError(errptr, plan.status());
    return nullptr;
  }
  return new sluice_plan_t{*std::move(plan), fleet->fleet};
}

sluice_plan_t* sluice_plan_parse(const char* data, size_t len, int format,
                                 const sluice_fleet_t* fleet, char** errptr) {
  if (fleet == nullptr || (data == nullptr && len > 0)) {
    SetError(errptr, NullArgument("sluice_plan_parse",
                                  fleet == nullptr ? "fleet" : "data"));
    return nullptr;
  }
  absl::StatusOr<sluice::ConfigFormat> f =
      MessageFormat("sluice_plan_parse", format);
  if (!f.ok()) {
    SetError(errptr, f.status());
    return nullptr;
  }
  sluice::v1::WavePlan proto;
  absl::Status parsed = sluice::ParseProto(
      absl::string_view(data == nullptr ? "" : data, len), *f, &proto);
  if (!parsed.ok()) {
    SetError(errptr, parsed);
    return nullptr;
  }
  absl::StatusOr<sluice::WavePlan> plan =
      sluice::WavePlanFromProto(proto, fleet->fleet);
  if (!plan.ok()) {
    SetError(errptr, plan.status());
    return nullptr;
  }
  return new sluice_plan_t{*std::move(plan), fleet->fleet};
}

void sluice_plan_destroy(sluice_plan_t* plan) { delete plan; }

size_t sluice_plan_wave_count(const sluice_plan_t* plan) {
  return plan == nullptr ? 0 : plan->plan.waves.size();
}

const char* sluice_plan_strategy(const sluice_plan_t* plan) {
  return plan == nullptr ? nullptr : plan->plan.strategy.c_str();
}

const char* sluice_plan_wave_name(const sluice_plan_t* plan, size_t i) {
  if (plan == nullptr || i >= plan->plan.waves.size()) return nullptr;
  return plan->plan.waves[i].name.c_str();
}

const char* sluice_plan_wave_stage(const sluice_plan_t* plan, size_t i) {
  if (plan == nullptr || i >= plan->plan.waves.size()) return nullptr;
  return plan->plan.waves[i].stage.c_str();
}

size_t sluice_plan_wave_target_count(const sluice_plan_t* plan, size_t i) {
  if (plan == nullptr || i >= plan->plan.waves.size()) return 0;
  return plan->plan.waves[i].targets.size();
}

int64_t sluice_plan_wave_target(const sluice_plan_t* plan, size_t i, size_t j) {
  if (plan == nullptr || i >= plan->plan.waves.size() ||
      j >= plan->plan.waves[i].targets.size()) {
    return -1;
  }
  return plan->plan.waves[i].targets[j];
}

int64_t sluice_plan_wave_bake(const sluice_plan_t* plan, size_t i) {
  if (plan == nullptr || i >= plan->plan.waves.size()) return 0;
  return absl::ToInt64Nanoseconds(plan->plan.waves[i].bake);
}

char* sluice_plan_to_json(const sluice_plan_t* plan, size_t* len) {
  if (plan == nullptr) return CopyString("", len);
  return CopyString(
      sluice::ToJson(sluice::WavePlanToProto(plan->plan, plan->fleet)), len);
}

// ---- Enum names
// -----------------------------------------------------------------

const char* sluice_status_name(int status) {
  return EnumName<sluice::RolloutStatus, 8>(status, sluice::RolloutStatusName);
}
const char* sluice_phase_name(int phase) {
  return EnumName<sluice::WavePhase, 8>(phase, sluice::WavePhaseName);
}
const char* sluice_action_kind_name(int kind) {
  return EnumName<sluice::ActionKind, 6>(kind, sluice::ActionKindName);
}
const char* sluice_blocker_kind_name(int kind) {
  return EnumName<sluice::Blocker::Kind, 7>(kind, sluice::BlockerKindName);
}
const char* sluice_event_kind_name(int kind) {
  return EnumName<sluice::EventKind, 18>(kind, sluice::EventKindName);
}
const char* sluice_outcome_name(int outcome) {
  return EnumName<sluice::Outcome, 5>(outcome, sluice::OutcomeName);
}
const char* sluice_trigger_name(int trigger) {
  return EnumName<sluice::FailureTrigger, 6>(trigger,
                                             sluice::FailureTriggerName);
}
const char* sluice_decision_kind_name(int kind) {
  return EnumName<sluice::Decision::Kind, 4>(kind, sluice::DecisionKindName);
}

// ---- Events
// -----------------------------------------------------------------------

sluice_event_sink_t* sluice_event_sink_create(
    void* state, void (*destructor)(void*),
    void (*on_event)(void*, const sluice_event_t*)) {
  return new sluice_event_sink_t{
      std::make_shared<CEventSink>(state, destructor, on_event)};
}

void sluice_event_sink_destroy(sluice_event_sink_t* sink) { delete sink; }

int64_t sluice_event_sequence(const sluice_event_t* e) {
  return e == nullptr ? 0 : e->event->sequence;
}
int64_t sluice_event_time(const sluice_event_t* e) {
  return e == nullptr ? 0 : FromTime(e->event->time);
}
int sluice_event_kind(const sluice_event_t* e) {
  return e == nullptr ? -1 : static_cast<int>(e->event->kind);
}
const char* sluice_event_rollout(const sluice_event_t* e) {
  return e == nullptr ? nullptr : e->event->rollout.c_str();
}
int sluice_event_wave(const sluice_event_t* e) {
  return e == nullptr ? -1 : e->event->wave;
}
const char* sluice_event_action_id(const sluice_event_t* e) {
  return e == nullptr ? nullptr : e->event->action_id.c_str();
}
const char* sluice_event_command(const sluice_event_t* e) {
  return e == nullptr ? nullptr : e->event->command.c_str();
}
const char* sluice_event_who(const sluice_event_t* e) {
  return e == nullptr ? nullptr : e->event->who.c_str();
}
const char* sluice_event_message(const sluice_event_t* e) {
  return e == nullptr ? nullptr : e->event->message.c_str();
}
const char* sluice_event_status(const sluice_event_t* e) {
  return e == nullptr ? nullptr : e->event->status.c_str();
}
const char* sluice_event_json(const sluice_event_t* e) {
  if (e == nullptr) return nullptr;
  if (!e->json.has_value()) e->json = sluice::EventToJsonLine(*e->event);
  return e->json->c_str();
}

// ---- Metric and alarm sources
// ---------------------------------------------------

sluice_metric_source_t* sluice_metric_source_create(
    void* state, void (*destructor)(void*),
    void (*query)(void*, const sluice_metric_query_t*,
                  sluice_metric_result_t*)) {
  return new sluice_metric_source_t{
      std::make_shared<CMetricSource>(state, destructor, query)};
}

void sluice_metric_source_destroy(sluice_metric_source_t* source) {
  delete source;
}

const char* sluice_metric_query_metric(const sluice_metric_query_t* q) {
  return q == nullptr ? nullptr : q->query->metric.c_str();
}
const char* sluice_metric_query_text(const sluice_metric_query_t* q) {
  return q == nullptr ? nullptr : q->query->query.c_str();
}
const char* sluice_metric_query_param(const sluice_metric_query_t* q,
                                      const char* key) {
  if (q == nullptr || key == nullptr) return nullptr;
  auto it = q->query->params.find(key);
  return it == q->query->params.end() ? nullptr : it->second.c_str();
}
size_t sluice_metric_query_param_count(const sluice_metric_query_t* q) {
  return q == nullptr ? 0 : q->query->params.size();
}
const char* sluice_metric_query_param_key(const sluice_metric_query_t* q,
                                          size_t i) {
  if (q == nullptr || i >= q->query->params.size()) return nullptr;
  return std::next(q->query->params.begin(), i)->first.c_str();
}
const char* sluice_metric_query_param_value(const sluice_metric_query_t* q,
                                            size_t i) {
  if (q == nullptr || i >= q->query->params.size()) return nullptr;
  return std::next(q->query->params.begin(), i)->second.c_str();
}
int sluice_metric_query_cohort(const sluice_metric_query_t* q) {
  return q == nullptr ? -1 : static_cast<int>(q->query->cohort);
}
size_t sluice_metric_query_target_count(const sluice_metric_query_t* q) {
  return q == nullptr ? 0 : q->query->targets.size();
}
const char* sluice_metric_query_target(const sluice_metric_query_t* q,
                                       size_t i) {
  return q == nullptr ? nullptr : At(q->query->targets, i);
}
int sluice_metric_query_wave_index(const sluice_metric_query_t* q) {
  return q == nullptr ? -1 : q->query->wave_index;
}
const char* sluice_metric_query_stage(const sluice_metric_query_t* q) {
  return q == nullptr ? nullptr : q->query->stage.c_str();
}
int64_t sluice_metric_query_start(const sluice_metric_query_t* q) {
  return q == nullptr ? 0 : FromTime(q->query->start);
}
int64_t sluice_metric_query_end(const sluice_metric_query_t* q) {
  return q == nullptr ? 0 : FromTime(q->query->end);
}
int sluice_metric_query_aggregation(const sluice_metric_query_t* q) {
  if (q == nullptr || !q->query->aggregation.has_value()) {
    return SLUICE_AGGREGATION_NONE;
  }
  return static_cast<int>(q->query->aggregation->kind);
}
double sluice_metric_query_quantile(const sluice_metric_query_t* q) {
  if (q == nullptr || !q->query->aggregation.has_value()) return 0;
  return q->query->aggregation->quantile;
}

void sluice_metric_result_set_samples(sluice_metric_result_t* result,
                                      const int64_t* times,
                                      const double* values, size_t n) {
  if (result == nullptr) return;
  if (n > 0 && (times == nullptr || values == nullptr)) {
    result->status =
        NullArgument("sluice_metric_result_set_samples", "times or values");
    return;
  }
  std::vector<sluice::Sample> samples(n);
  for (size_t i = 0; i < n; ++i) {
    samples[i].time = ToTime(times[i]);
    samples[i].value = values[i];
  }
  result->result = sluice::MetricResult::FromSamples(std::move(samples));
  result->status = absl::OkStatus();
}

void sluice_metric_result_set_aggregate(sluice_metric_result_t* result,
                                        double value, int64_t sample_count) {
  if (result == nullptr) return;
  std::optional<int64_t> count;
  if (sample_count >= 0) count = sample_count;
  result->result = sluice::MetricResult::FromAggregate(value, count);
  result->status = absl::OkStatus();
}

void sluice_metric_result_set_no_data(sluice_metric_result_t* result,
                                      const char* message) {
  if (result == nullptr) return;
  result->result = sluice::MetricResult::NoData(Str(message));
  result->status = absl::OkStatus();
}

void sluice_metric_result_set_error(sluice_metric_result_t* result, int code,
                                    const char* message) {
  if (result == nullptr) return;
  result->status = CodeStatus(code, message);
}

sluice_alarm_source_t* sluice_alarm_source_create(
    void* state, void (*destructor)(void*),
    void (*query)(void*, const sluice_alarm_query_t*, sluice_alarm_result_t*)) {
  return new sluice_alarm_source_t{
      std::make_shared<CAlarmSource>(state, destructor, query)};
}

void sluice_alarm_source_destroy(sluice_alarm_source_t* source) {
  delete source;
}

size_t sluice_alarm_query_alarm_count(const sluice_alarm_query_t* q) {
  return q == nullptr ? 0 : q->query->alarms.size();
}
const char* sluice_alarm_query_alarm(const sluice_alarm_query_t* q, size_t i) {
  return q == nullptr ? nullptr : At(q->query->alarms, i);
}
size_t sluice_alarm_query_target_count(const sluice_alarm_query_t* q) {
  return q == nullptr ? 0 : q->query->targets.size();
}
const char* sluice_alarm_query_target(const sluice_alarm_query_t* q, size_t i) {
  return q == nullptr ? nullptr : At(q->query->targets, i);
}
int sluice_alarm_query_wave_index(const sluice_alarm_query_t* q) {
  return q == nullptr ? -1 : q->query->wave_index;
}
const char* sluice_alarm_query_stage(const sluice_alarm_query_t* q) {
  return q == nullptr ? nullptr : q->query->stage.c_str();
}
int64_t sluice_alarm_query_now(const sluice_alarm_query_t* q) {
  return q == nullptr ? 0 : FromTime(q->query->now);
}

void sluice_alarm_result_add(sluice_alarm_result_t* result, const char* name,
                             int state, const char* reason) {
  if (result == nullptr) return;
  if (!InRange(state, SLUICE_ALARM_OK, SLUICE_ALARM_INSUFFICIENT_DATA)) {
    result->status =
        OutOfRange("sluice_alarm_result_add", "state", state, SLUICE_ALARM_OK,
                   SLUICE_ALARM_INSUFFICIENT_DATA);
    return;
  }
  sluice::AlarmStatus status;
  status.name = Str(name);
  status.state = static_cast<sluice::AlarmState>(state);
  status.reason = Str(reason);
  result->alarms.push_back(std::move(status));
}

void sluice_alarm_result_set_error(sluice_alarm_result_t* result, int code,
                                   const char* message) {
  if (result == nullptr) return;
  result->status = CodeStatus(code, message);
}

// ---- Custom gates
// ------------------------------------------------------------------

sluice_gate_t* sluice_gate_create(
    void* state, void (*destructor)(void*), const char* name,
    void (*evaluate)(void*, const sluice_gate_context_t*, sluice_verdict_t*)) {
  return new sluice_gate_t{
      std::make_shared<CGate>(state, destructor, Str(name), evaluate)};
}

void sluice_gate_destroy(sluice_gate_t* gate) { delete gate; }

int64_t sluice_gate_context_now(const sluice_gate_context_t* c) {
  return c == nullptr ? 0 : FromTime(c->context->now);
}
int sluice_gate_context_wave_index(const sluice_gate_context_t* c) {
  return c == nullptr ? -1 : c->context->wave_index;
}
const char* sluice_gate_context_wave_name(const sluice_gate_context_t* c) {
  return c == nullptr ? nullptr : c->context->wave_name.c_str();
}
const char* sluice_gate_context_stage(const sluice_gate_context_t* c) {
  return c == nullptr ? nullptr : c->context->stage.c_str();
}
int64_t sluice_gate_context_wave_deployed_at(const sluice_gate_context_t* c) {
  return c == nullptr ? 0 : FromTime(c->context->wave_deployed_at);
}
int64_t sluice_gate_context_started_at(const sluice_gate_context_t* c) {
  return c == nullptr ? 0 : FromTime(c->state->started_at);
}
size_t sluice_gate_context_wave_target_count(const sluice_gate_context_t* c) {
  return c == nullptr ? 0 : c->context->wave_targets.size();
}
const char* sluice_gate_context_wave_target(const sluice_gate_context_t* c,
                                            size_t i) {
  return c == nullptr ? nullptr : At(c->context->wave_targets, i);
}
size_t sluice_gate_context_baseline_target_count(
    const sluice_gate_context_t* c) {
  return c == nullptr ? 0 : c->context->baseline_targets.size();
}
const char* sluice_gate_context_baseline_target(const sluice_gate_context_t* c,
                                                size_t i) {
  return c == nullptr ? nullptr : At(c->context->baseline_targets, i);
}
size_t sluice_gate_context_settled_target_count(
    const sluice_gate_context_t* c) {
  return c == nullptr ? 0 : c->context->settled_targets.size();
}
const char* sluice_gate_context_settled_target(const sluice_gate_context_t* c,
                                               size_t i) {
  return c == nullptr ? nullptr : At(c->context->settled_targets, i);
}
const char* sluice_gate_context_memory(const sluice_gate_context_t* c) {
  return c == nullptr ? nullptr : c->state->message.c_str();
}

void sluice_verdict_set(sluice_verdict_t* verdict, int outcome,
                        const char* reason, int64_t hold_until) {
  if (verdict == nullptr) return;
  if (!InRange(outcome, SLUICE_OUTCOME_PASS, SLUICE_OUTCOME_HOLD)) {
    verdict->verdict = sluice::Verdict::Error(
        "", std::string(OutOfRange("sluice_verdict_set", "outcome", outcome,
                                   SLUICE_OUTCOME_PASS, SLUICE_OUTCOME_HOLD)
                            .message()));
    return;
  }
  sluice::Verdict v;
  v.outcome = static_cast<sluice::Outcome>(outcome);
  v.reason = Str(reason);
  if (v.outcome == sluice::Outcome::kHold) v.hold_until = ToTime(hold_until);
  verdict->verdict = std::move(v);
}

void sluice_verdict_set_memory(sluice_verdict_t* verdict, const char* memory) {
  if (verdict == nullptr) return;
  verdict->memory = Str(memory);
}

// ---- Rollback policies
// ----------------------------------------------------------------

sluice_rollback_policy_t* sluice_rollback_policy_create(
    void* state, void (*destructor)(void*), const char* name,
    void (*decide)(void*, const sluice_failure_t*, sluice_decision_t*)) {
  return new sluice_rollback_policy_t{
      std::make_shared<CRollbackPolicy>(state, destructor, Str(name), decide)};
}

sluice_rollback_policy_t* sluice_rollback_policy_builtin(const char* name,
                                                         char** errptr) {
  std::string n = Str(name);
  std::shared_ptr<const sluice::RollbackPolicy> policy;
  if (n == "default") {
    policy = sluice::NewDefaultRollbackPolicy();
  } else if (n == "roll-back-all") {
    policy = sluice::NewRollBackAllPolicy(sluice::RollbackOrder::kReverseWaves);
  } else if (n == "roll-back-all-at-once") {
    policy = sluice::NewRollBackAllPolicy(sluice::RollbackOrder::kAllAtOnce);
  } else if (n == "roll-back-current-wave") {
    policy = sluice::NewRollBackCurrentWavePolicy();
  } else if (n == "pause-and-escalate") {
    policy = sluice::NewPauseAndEscalatePolicy();
  } else {
    SetError(errptr,
             absl::InvalidArgumentError(absl::StrCat(
                 "sluice_rollback_policy_builtin: unknown policy \"", n,
                 "\" (known: default, roll-back-all, roll-back-all-at-once, "
                 "roll-back-current-wave, pause-and-escalate)")));
    return nullptr;
  }
  return new sluice_rollback_policy_t{std::move(policy)};
}

void sluice_rollback_policy_destroy(sluice_rollback_policy_t* policy) {
  delete policy;
}

int sluice_failure_trigger(const sluice_failure_t* f) {
  return f == nullptr ? -1 : static_cast<int>(f->failure->trigger);
}
int sluice_failure_wave_index(const sluice_failure_t* f) {
  return f == nullptr ? -1 : f->failure->wave_index;
}
int sluice_failure_wave_count(const sluice_failure_t* f) {
  return f == nullptr ? 0 : f->failure->wave_count;
}
const char* sluice_failure_stage(const sluice_failure_t* f) {
  return f == nullptr ? nullptr : f->failure->stage.c_str();
}
int sluice_failure_attempt(const sluice_failure_t* f) {
  return f == nullptr ? 0 : f->failure->attempt;
}
int64_t sluice_failure_now(const sluice_failure_t* f) {
  return f == nullptr ? 0 : FromTime(f->failure->now);
}
const char* sluice_failure_reason(const sluice_failure_t* f) {
  return f == nullptr ? nullptr : f->failure->reason.c_str();
}
int64_t sluice_failure_failed_targets(const sluice_failure_t* f) {
  return f == nullptr ? 0 : f->failure->failed_targets;
}
int sluice_failure_anything_deployed(const sluice_failure_t* f) {
  return f == nullptr ? 0 : (f->failure->anything_deployed ? 1 : 0);
}
int sluice_failure_verdict_outcome(const sluice_failure_t* f) {
  if (f == nullptr || !f->failure->verdict.has_value()) return -1;
  return static_cast<int>(f->failure->verdict->outcome);
}

void sluice_decision_set(sluice_decision_t* decision, int kind, int order,
                         int64_t retry_after, int escalate,
                         const char* reason) {
  if (decision == nullptr) return;
  absl::Status bad;
  if (!InRange(kind, SLUICE_DECISION_ROLL_BACK_ALL,
               SLUICE_DECISION_RETRY_WAVE)) {
    bad = OutOfRange("sluice_decision_set", "kind", kind,
                     SLUICE_DECISION_ROLL_BACK_ALL, SLUICE_DECISION_RETRY_WAVE);
  } else if (!InRange(order, SLUICE_ORDER_REVERSE_WAVES,
                      SLUICE_ORDER_ALL_AT_ONCE)) {
    bad = OutOfRange("sluice_decision_set", "order", order,
                     SLUICE_ORDER_REVERSE_WAVES, SLUICE_ORDER_ALL_AT_ONCE);
  } else if (retry_after < 0) {
    bad = absl::InvalidArgumentError(
        absl::StrCat("sluice_decision_set: retry_after must be >= 0 (got ",
                     retry_after, ")"));
  }
  if (!bad.ok()) {
    decision->decision =
        sluice::Decision::PauseAndEscalate(std::string(bad.message()));
    return;
  }
  sluice::Decision d;
  d.kind = static_cast<sluice::Decision::Kind>(kind);
  d.order = static_cast<sluice::RollbackOrder>(order);
  d.retry_after = ToDuration(retry_after);
  d.escalate = escalate != 0;
  d.reason = Str(reason);
  decision->decision = std::move(d);
}

// ---- Options
// ------------------------------------------------------------------------

sluice_options_t* sluice_options_create(void) { return new sluice_options_t(); }

void sluice_options_destroy(sluice_options_t* options) { delete options; }

void sluice_options_set_name(sluice_options_t* o, const char* name) {
  if (o != nullptr) o->options.name = Str(name);
}
void sluice_options_set_version(sluice_options_t* o, const char* version) {
  if (o != nullptr) o->options.version = Str(version);
}
void sluice_options_set_previous_version(sluice_options_t* o,
                                         const char* previous_version) {
  if (o != nullptr) o->options.previous_version = Str(previous_version);
}
void sluice_options_set_progress_deadline(sluice_options_t* o, int64_t d) {
  if (o != nullptr) o->options.progress_deadline = ToDuration(d);
}
void sluice_options_set_approval_timeout(sluice_options_t* o, int64_t t) {
  if (o != nullptr) o->options.approval_timeout = ToDuration(t);
}
void sluice_options_set_rollback_retry_backoff(sluice_options_t* o, int64_t b) {
  if (o != nullptr) o->options.rollback_retry_backoff = ToDuration(b);
}
void sluice_options_set_rollback_attempts(sluice_options_t* o, int attempts) {
  if (o != nullptr) o->options.rollback_attempts = attempts;
}
void sluice_options_add_approval_wave(sluice_options_t* o, int wave) {
  if (o != nullptr) o->options.approval_waves.push_back(wave);
}

int sluice_options_set_abort_order(sluice_options_t* o, int order,
                                   char** errptr) {
  if (o == nullptr) {
    return Report(errptr,
                  NullArgument("sluice_options_set_abort_order", "options"));
  }
  if (!InRange(order, SLUICE_ORDER_REVERSE_WAVES, SLUICE_ORDER_ALL_AT_ONCE)) {
    return Report(errptr, OutOfRange("sluice_options_set_abort_order", "order",
                                     order, SLUICE_ORDER_REVERSE_WAVES,
                                     SLUICE_ORDER_ALL_AT_ONCE));
  }
  o->options.abort_order = static_cast<sluice::RollbackOrder>(order);
  return SLUICE_OK;
}

int sluice_options_set_baseline(sluice_options_t* o, int baseline,
                                char** errptr) {
  if (o == nullptr) {
    return Report(errptr,
                  NullArgument("sluice_options_set_baseline", "options"));
  }
  if (!InRange(baseline, SLUICE_BASELINE_NEXT_WAVE,
               SLUICE_BASELINE_ALL_REMAINING)) {
    return Report(errptr, OutOfRange("sluice_options_set_baseline", "baseline",
                                     baseline, SLUICE_BASELINE_NEXT_WAVE,
                                     SLUICE_BASELINE_ALL_REMAINING));
  }
  o->options.baseline = static_cast<sluice::BaselineCohort>(baseline);
  return SLUICE_OK;
}

void sluice_options_set_metric_source(sluice_options_t* o,
                                      sluice_metric_source_t* source) {
  if (o == nullptr) return;
  o->metric_source = source == nullptr
                         ? nullptr
                         : std::shared_ptr<sluice::MetricSource>(source->impl);
  o->options.metric_source = o->metric_source.get();
}
void sluice_options_set_alarm_source(sluice_options_t* o,
                                     sluice_alarm_source_t* source) {
  if (o == nullptr) return;
  o->alarm_source = source == nullptr
                        ? nullptr
                        : std::shared_ptr<sluice::AlarmSource>(source->impl);
  o->options.alarm_source = o->alarm_source.get();
}
void sluice_options_set_event_sink(sluice_options_t* o,
                                   sluice_event_sink_t* sink) {
  if (o == nullptr) return;
  o->event_sink = sink == nullptr
                      ? nullptr
                      : std::shared_ptr<sluice::EventSink>(sink->impl);
  o->options.event_sink = o->event_sink.get();
}
void sluice_options_set_gate(sluice_options_t* o, sluice_gate_t* gate) {
  if (o == nullptr) return;
  o->options.gate = gate == nullptr ? nullptr : gate->impl;
}
void sluice_options_set_stage_gate(sluice_options_t* o, const char* stage,
                                   sluice_gate_t* gate) {
  if (o == nullptr) return;
  if (gate == nullptr) {
    o->options.stage_gates.erase(Str(stage));
  } else {
    o->options.stage_gates[Str(stage)] = gate->impl;
  }
}
void sluice_options_set_rollback_policy(sluice_options_t* o,
                                        sluice_rollback_policy_t* policy) {
  if (o == nullptr) return;
  o->options.rollback_policy = policy == nullptr ? nullptr : policy->impl;
}

int sluice_options_set_restore_config(sluice_options_t* o, int mode,
                                      const char* who, char** errptr) {
  static constexpr char kCall[] = "sluice_options_set_restore_config";
  if (o == nullptr) return Report(errptr, NullArgument(kCall, "options"));
  if (!InRange(mode, SLUICE_CONFIG_CHECK, SLUICE_CONFIG_UNCHECKED)) {
    return Report(errptr, OutOfRange(kCall, "mode", mode, SLUICE_CONFIG_CHECK,
                                     SLUICE_CONFIG_UNCHECKED));
  }
  o->restore.check_config = mode != SLUICE_CONFIG_UNCHECKED;
  o->restore.accept_config_change = mode == SLUICE_CONFIG_ACCEPT_CHANGE;
  o->restore.who = who == nullptr ? "" : who;
  return SLUICE_OK;
}

// ---- Actions and blockers
// -----------------------------------------------------------

void sluice_actions_destroy(sluice_actions_t* actions) { delete actions; }

namespace {
const sluice::Action* ActionAt(const sluice_actions_t* a, size_t i) {
  if (a == nullptr || i >= a->actions.size()) return nullptr;
  return &a->actions[i];
}
const sluice::Blocker* BlockerAt(const sluice_blockers_t* b, size_t i) {
  if (b == nullptr || i >= b->blockers.size()) return nullptr;
  return &b->blockers[i];
}
}  // namespace

size_t sluice_actions_count(const sluice_actions_t* a) {
  return a == nullptr ? 0 : a->actions.size();
}
const char* sluice_actions_id(const sluice_actions_t* a, size_t i) {
  const sluice::Action* action = ActionAt(a, i);
  return action == nullptr ? nullptr : action->id.c_str();
}
int sluice_actions_kind(const sluice_actions_t* a, size_t i) {
  const sluice::Action* action = ActionAt(a, i);
  return action == nullptr ? -1 : static_cast<int>(action->kind);
}
int sluice_actions_wave(const sluice_actions_t* a, size_t i) {
  const sluice::Action* action = ActionAt(a, i);
  return action == nullptr ? -1 : action->wave;
}
const char* sluice_actions_version(const sluice_actions_t* a, size_t i) {
  const sluice::Action* action = ActionAt(a, i);
  return action == nullptr ? nullptr : action->version.c_str();
}
size_t sluice_actions_target_count(const sluice_actions_t* a, size_t i) {
  const sluice::Action* action = ActionAt(a, i);
  return action == nullptr ? 0 : action->targets.size();
}
int64_t sluice_actions_target(const sluice_actions_t* a, size_t i, size_t j) {
  const sluice::Action* action = ActionAt(a, i);
  if (action == nullptr || j >= action->targets.size()) return -1;
  return action->targets[j];
}
double sluice_actions_traffic_percent(const sluice_actions_t* a, size_t i) {
  const sluice::Action* action = ActionAt(a, i);
  if (action == nullptr || !action->traffic_percent.has_value()) return -1;
  return *action->traffic_percent;
}
int64_t sluice_actions_wait_until(const sluice_actions_t* a, size_t i) {
  const sluice::Action* action = ActionAt(a, i);
  return action == nullptr ? SLUICE_TIME_INFINITE_PAST
                           : FromTime(action->wait_until);
}
const char* sluice_actions_message(const sluice_actions_t* a, size_t i) {
  const sluice::Action* action = ActionAt(a, i);
  return action == nullptr ? nullptr : action->message.c_str();
}
int sluice_actions_escalate(const sluice_actions_t* a, size_t i) {
  const sluice::Action* action = ActionAt(a, i);
  return action != nullptr && action->escalate ? 1 : 0;
}
int sluice_actions_needs_outcome(const sluice_actions_t* a, size_t i) {
  const sluice::Action* action = ActionAt(a, i);
  return action != nullptr && action->NeedsOutcome() ? 1 : 0;
}

void sluice_blockers_destroy(sluice_blockers_t* blockers) { delete blockers; }

size_t sluice_blockers_count(const sluice_blockers_t* b) {
  return b == nullptr ? 0 : b->blockers.size();
}
int sluice_blockers_kind(const sluice_blockers_t* b, size_t i) {
  const sluice::Blocker* blocker = BlockerAt(b, i);
  return blocker == nullptr ? -1 : static_cast<int>(blocker->kind);
}
const char* sluice_blockers_name(const sluice_blockers_t* b, size_t i) {
  const sluice::Blocker* blocker = BlockerAt(b, i);
  return blocker == nullptr ? nullptr : blocker->name.c_str();
}
const char* sluice_blockers_reason(const sluice_blockers_t* b, size_t i) {
  const sluice::Blocker* blocker = BlockerAt(b, i);
  return blocker == nullptr ? nullptr : blocker->reason.c_str();
}
int64_t sluice_blockers_since(const sluice_blockers_t* b, size_t i) {
  const sluice::Blocker* blocker = BlockerAt(b, i);
  return blocker == nullptr ? SLUICE_TIME_INFINITE_PAST
                            : FromTime(blocker->since);
}
int64_t sluice_blockers_until(const sluice_blockers_t* b, size_t i) {
  const sluice::Blocker* blocker = BlockerAt(b, i);
  if (blocker == nullptr || !blocker->until.has_value()) {
    return SLUICE_TIME_INFINITE_PAST;
  }
  return FromTime(*blocker->until);
}
const char* sluice_blockers_describe(const sluice_blockers_t* b, size_t i) {
  return b == nullptr ? nullptr : At(b->described, i);
}

// ---- Rollouts
// ------------------------------------------------------------------------

sluice_rollout_t* sluice_rollout_create(const sluice_fleet_t* fleet,
                                        const sluice_plan_t* plan,
                                        const sluice_options_t* options,
                                        char** errptr) {
  if (fleet == nullptr || plan == nullptr) {
    SetError(errptr, NullArgument("sluice_rollout_create",
                                  fleet == nullptr ? "fleet" : "plan"));
    return nullptr;
  }
  auto rollout = std::make_unique<sluice_rollout_t>(fleet->fleet);
  sluice::RolloutOptions o = OptionsFor(options, *rollout);
  auto made = sluice::Rollout::Create(rollout->fleet, plan->plan, std::move(o));
  return Finish(std::move(rollout), std::move(made), errptr);
}

sluice_rollout_t* sluice_rollout_from_spec(const sluice_spec_t* spec,
                                           const sluice_fleet_t* fleet,
                                           const sluice_options_t* options,
                                           char** errptr) {
  if (spec == nullptr || fleet == nullptr) {
    SetError(errptr, NullArgument("sluice_rollout_from_spec",
                                  spec == nullptr ? "spec" : "fleet"));
    return nullptr;
  }
  auto rollout = std::make_unique<sluice_rollout_t>(fleet->fleet);
  sluice::RolloutOptions o = OptionsFor(options, *rollout);
  auto made =
      sluice::Rollout::FromSpec(spec->spec, rollout->fleet, std::move(o));
  return Finish(std::move(rollout), std::move(made), errptr);
}

sluice_rollout_t* sluice_rollout_from_spec_and_plan(
    const sluice_spec_t* spec, const sluice_fleet_t* fleet,
    const sluice_plan_t* plan, const sluice_options_t* options, char** errptr) {
  if (spec == nullptr || fleet == nullptr || plan == nullptr) {
    SetError(errptr, NullArgument("sluice_rollout_from_spec_and_plan",
                                  spec == nullptr    ? "spec"
                                  : fleet == nullptr ? "fleet"
                                                     : "plan"));
    return nullptr;
  }
  auto rollout = std::make_unique<sluice_rollout_t>(fleet->fleet);
  sluice::RolloutOptions o = OptionsFor(options, *rollout);
  auto made = sluice::Rollout::FromSpec(spec->spec, rollout->fleet, plan->plan,
                                        std::move(o));
  return Finish(std::move(rollout), std::move(made), errptr);
}

sluice_rollout_t* sluice_rollout_restore(const sluice_fleet_t* fleet,
                                         const sluice_options_t* options,
                                         const char* snapshot, size_t len,
                                         char** errptr) {
  if (fleet == nullptr || (snapshot == nullptr && len > 0)) {
    SetError(errptr, NullArgument("sluice_rollout_restore",
                                  fleet == nullptr ? "fleet" : "snapshot"));
    return nullptr;
  }
  auto rollout = std::make_unique<sluice_rollout_t>(fleet->fleet);
  sluice::RolloutOptions o = OptionsFor(options, *rollout);
  auto made = sluice::Rollout::Restore(
      rollout->fleet, std::move(o),
      absl::string_view(snapshot == nullptr ? "" : snapshot, len),
      options == nullptr ? sluice::RestoreOptions() : options->restore);
  return Finish(std::move(rollout), std::move(made), errptr);
}

sluice_rollout_t* sluice_rollout_restore_from_spec(
    const sluice_spec_t* spec, const sluice_fleet_t* fleet,
    const sluice_options_t* options, const char* snapshot, size_t len,
    char** errptr) {
  if (spec == nullptr || fleet == nullptr || (snapshot == nullptr && len > 0)) {
    SetError(errptr, NullArgument("sluice_rollout_restore_from_spec",
                                  spec == nullptr    ? "spec"
                                  : fleet == nullptr ? "fleet"
                                                     : "snapshot"));
    return nullptr;
  }
  auto rollout = std::make_unique<sluice_rollout_t>(fleet->fleet);
  sluice::RolloutOptions o = OptionsFor(options, *rollout);
  auto made = sluice::Rollout::RestoreFromSpec(
      spec->spec, rollout->fleet, std::move(o),
      absl::string_view(snapshot == nullptr ? "" : snapshot, len),
      options == nullptr ? sluice::RestoreOptions() : options->restore);
  return Finish(std::move(rollout), std::move(made), errptr);
}

void sluice_rollout_destroy(sluice_rollout_t* rollout) {
  if (rollout == nullptr) return;
  // The engine goes before the sources and sink it borrows.
  rollout->rollout.reset();
  delete rollout;
}

sluice_actions_t* sluice_rollout_advance(sluice_rollout_t* rollout, int64_t now,
                                         char** errptr) {
  if (rollout == nullptr) {
    SetError(errptr, NullArgument("sluice_rollout_advance", "rollout"));
    return nullptr;
  }
  absl::StatusOr<std::vector<sluice::Action>> actions =
      rollout->rollout->Advance(ToTime(now));
  if (!actions.ok()) {
    SetError(errptr, actions.status());
    return nullptr;
  }
  return new sluice_actions_t{*std::move(actions)};
}

int sluice_rollout_report_outcome(sluice_rollout_t* rollout,
                                  const char* action_id, const int64_t* targets,
                                  const int* succeeded,
                                  const char* const* reasons, size_t n,
                                  int64_t now, char** errptr) {
  static constexpr char kCall[] = "sluice_rollout_report_outcome";
  if (rollout == nullptr) return Report(errptr, NullArgument(kCall, "rollout"));
  if (action_id == nullptr) {
    return Report(errptr, NullArgument(kCall, "action_id"));
  }
  if (n > 0 && (targets == nullptr || succeeded == nullptr)) {
    return Report(errptr, NullArgument(kCall, "targets or succeeded"));
  }
  std::vector<sluice::TargetResult> results(n);
  for (size_t i = 0; i < n; ++i) {
    if (targets[i] < 0 ||
        targets[i] > std::numeric_limits<Fleet::TargetIndex>::max()) {
      return Report(errptr, absl::InvalidArgumentError(absl::StrCat(
                                kCall, ": targets[", i, "]: index ", targets[i],
                                " out of range (fleet has ",
                                rollout->fleet.size(), " targets)")));
    }
    results[i].target = static_cast<Fleet::TargetIndex>(targets[i]);
    results[i].succeeded = succeeded[i] != 0;
    if (reasons != nullptr) results[i].reason = Str(reasons[i]);
  }
  return Report(
      errptr, rollout->rollout->ReportOutcome(action_id, results, ToTime(now)));
}

int sluice_rollout_report_action_outcome(sluice_rollout_t* rollout,
                                         const char* action_id, int succeeded,
                                         const char* reason, int64_t now,
                                         char** errptr) {
  static constexpr char kCall[] = "sluice_rollout_report_action_outcome";
  if (rollout == nullptr) return Report(errptr, NullArgument(kCall, "rollout"));
  if (action_id == nullptr) {
    return Report(errptr, NullArgument(kCall, "action_id"));
  }
  return Report(
      errptr, rollout->rollout->ReportActionOutcome(action_id, succeeded != 0,
                                                    Str(reason), ToTime(now)));
}

int sluice_rollout_pause(sluice_rollout_t* r, const char* who, int64_t now,
                         char** errptr) {
  return Command(r, "sluice_rollout_pause", who, errptr,
                 &sluice::Rollout::Pause, now);
}
int sluice_rollout_resume(sluice_rollout_t* r, const char* who, int64_t now,
                          char** errptr) {
  return Command(r, "sluice_rollout_resume", who, errptr,
                 &sluice::Rollout::Resume, now);
}
int sluice_rollout_abort(sluice_rollout_t* r, const char* who, int64_t now,
                         char** errptr) {
  return Command(r, "sluice_rollout_abort", who, errptr,
                 &sluice::Rollout::Abort, now);
}
int sluice_rollout_promote(sluice_rollout_t* r, const char* who, int64_t now,
                           char** errptr) {
  return Command(r, "sluice_rollout_promote", who, errptr,
                 &sluice::Rollout::Promote, now);
}
int sluice_rollout_retry(sluice_rollout_t* r, const char* who, int64_t now,
                         char** errptr) {
  return Command(r, "sluice_rollout_retry", who, errptr,
                 &sluice::Rollout::Retry, now);
}
int sluice_rollout_approve(sluice_rollout_t* r, const char* who, int64_t now,
                           char** errptr) {
  return Command(r, "sluice_rollout_approve", who, errptr,
                 &sluice::Rollout::Approve, now);
}
int sluice_rollout_reject(sluice_rollout_t* r, const char* who, int64_t now,
                          char** errptr) {
  return Command(r, "sluice_rollout_reject", who, errptr,
                 &sluice::Rollout::Reject, now);
}
int sluice_rollout_supersede(sluice_rollout_t* r, const char* version,
                             const char* who, int64_t now, char** errptr) {
  if (r == nullptr) {
    return Report(errptr, NullArgument("sluice_rollout_supersede", "rollout"));
  }
  return Report(errptr,
                r->rollout->Supersede(Str(version), Str(who), ToTime(now)));
}

sluice_blockers_t* sluice_rollout_blockers(const sluice_rollout_t* r,
                                           int64_t now) {
  auto* out = new sluice_blockers_t();
  if (r == nullptr) return out;
  out->blockers = r->rollout->Blockers(ToTime(now));
  for (const sluice::Blocker& b : out->blockers) {
    out->described.push_back(sluice::DescribeBlocker(b, ToTime(now)));
  }
  return out;
}

sluice_actions_t* sluice_rollout_pending_actions(const sluice_rollout_t* r) {
  auto* out = new sluice_actions_t();
  if (r != nullptr) out->actions = r->rollout->PendingActions();
  return out;
}

int sluice_rollout_status(const sluice_rollout_t* r) {
  return r == nullptr ? -1 : static_cast<int>(r->rollout->status());
}
int sluice_rollout_is_terminal(const sluice_rollout_t* r) {
  return r != nullptr && sluice::IsTerminal(r->rollout->status()) ? 1 : 0;
}
int sluice_rollout_current_wave(const sluice_rollout_t* r) {
  return r == nullptr ? -1 : r->rollout->current_wave();
}
int sluice_rollout_wave_phase(const sluice_rollout_t* r) {
  return r == nullptr ? -1 : static_cast<int>(r->rollout->wave_phase());
}
const char* sluice_rollout_version(const sluice_rollout_t* r) {
  return r == nullptr ? nullptr : r->rollout->version().c_str();
}
const char* sluice_rollout_previous_version(const sluice_rollout_t* r) {
  return r == nullptr ? nullptr : r->rollout->previous_version().c_str();
}
sluice_plan_t* sluice_rollout_plan(const sluice_rollout_t* r) {
  if (r == nullptr) return nullptr;
  return new sluice_plan_t{r->rollout->plan(), r->fleet};
}
int64_t sluice_rollout_next_wakeup(const sluice_rollout_t* r) {
  return r == nullptr ? SLUICE_TIME_INFINITE_FUTURE
                      : FromTime(r->rollout->NextWakeup());
}
int sluice_rollout_runs_new_version(const sluice_rollout_t* r, size_t i) {
  if (r == nullptr || i >= r->fleet.size()) return 0;
  return r->rollout->RunsNewVersion(static_cast<Fleet::TargetIndex>(i)) ? 1 : 0;
}
int64_t sluice_rollout_event_sequence(const sluice_rollout_t* r) {
  return r == nullptr ? 0 : r->rollout->event_sequence();
}
int64_t sluice_rollout_state_version(const sluice_rollout_t* r) {
  return r == nullptr ? 0 : r->rollout->state_version();
}
char* sluice_rollout_snapshot(const sluice_rollout_t* r, size_t* len) {
  return CopyString(r == nullptr ? "" : r->rollout->Snapshot(), len);
}

// ---- The judge
// ------------------------------------------------------------------------

char* sluice_judge(const char* config, size_t len, int format,
                   const sluice_judge_samples_t* samples, size_t n,
                   size_t* result_len, char** errptr) {
  static constexpr char kCall[] = "sluice_judge";
  if (config == nullptr && len > 0) {
    SetError(errptr, NullArgument(kCall, "config"));
    return nullptr;
  }
  if (samples == nullptr && n > 0) {
    SetError(errptr, NullArgument(kCall, "samples"));
    return nullptr;
  }
  absl::StatusOr<sluice::ConfigFormat> f = MessageFormat(kCall, format);
  if (!f.ok()) {
    SetError(errptr, f.status());
    return nullptr;
  }
  sluice::v1::KayentaJudgeSpec spec;
  absl::Status parsed = sluice::ParseProto(
      absl::string_view(config == nullptr ? "" : config, len), *f, &spec);
  if (!parsed.ok()) {
    SetError(errptr, parsed);
    return nullptr;
  }
  absl::StatusOr<sluice::stats::KayentaJudgeConfig> judge_config =
      sluice::JudgeConfigFromProto(spec);
  if (!judge_config.ok()) {
    SetError(errptr, judge_config.status());
    return nullptr;
  }
  std::vector<sluice::stats::MetricSamples> metric_samples(n);
  for (size_t i = 0; i < n; ++i) {
    const sluice_judge_samples_t& s = samples[i];
    if ((s.control == nullptr && s.control_count > 0) ||
        (s.experiment == nullptr && s.experiment_count > 0)) {
      SetError(errptr, absl::InvalidArgumentError(absl::StrCat(
                           kCall, ": samples[", i,
                           "]: control or experiment is NULL with a count")));
      return nullptr;
    }
    metric_samples[i].name = Str(s.name);
    if (s.control_count > 0) {
      metric_samples[i].control.assign(s.control, s.control + s.control_count);
    }
    if (s.experiment_count > 0) {
      metric_samples[i].experiment.assign(s.experiment,
                                          s.experiment + s.experiment_count);
    }
  }
  absl::StatusOr<sluice::stats::JudgeResult> result =
      sluice::stats::JudgeCanary(*judge_config, metric_samples);
  if (!result.ok()) {
    SetError(errptr, result.status());
    return nullptr;
  }
  return CopyString(
      sluice::ToJson(sluice::JudgeResultToProto(*judge_config, *result)),
      result_len);
}

// ---- The simulator
// ----------------------------------------------------------------------

sluice_scenario_t* sluice_scenario_load_file(const char* path, char** errptr) {
  if (path == nullptr) {
    SetError(errptr, NullArgument("sluice_scenario_load_file", "path"));
    return nullptr;
  }
  absl::StatusOr<sluice::sim::Scenario> scenario =
      sluice::sim::LoadScenarioFile(path);
  if (!scenario.ok()) {
    SetError(errptr, scenario.status());
    return nullptr;
  }
  return new sluice_scenario_t{*std::move(scenario)};
}

sluice_scenario_t* sluice_scenario_parse(const char* data, size_t len,
                                         int format, char** errptr) {
  if (data == nullptr && len > 0) {
    SetError(errptr, NullArgument("sluice_scenario_parse", "data"));
    return nullptr;
  }
  absl::StatusOr<sluice::ConfigFormat> f =
      MessageFormat("sluice_scenario_parse", format);
  if (!f.ok()) {
    SetError(errptr, f.status());
    return nullptr;
  }
  sluice::v1::Scenario proto;
  absl::Status parsed = sluice::ParseProto(
      absl::string_view(data == nullptr ? "" : data, len), *f, &proto);
  if (!parsed.ok()) {
    SetError(errptr, parsed);
    return nullptr;
  }
  absl::StatusOr<sluice::sim::Scenario> scenario =
      sluice::sim::ScenarioFromProto(proto);
  if (!scenario.ok()) {
    SetError(errptr, scenario.status());
    return nullptr;
  }
  return new sluice_scenario_t{*std::move(scenario)};
}

void sluice_scenario_destroy(sluice_scenario_t* scenario) { delete scenario; }

char* sluice_simulate(const sluice_spec_t* spec, const sluice_fleet_t* fleet,
                      const sluice_scenario_t* scenario, int64_t runs,
                      uint64_t seed, int threads, size_t* len, char** errptr) {
  static constexpr char kCall[] = "sluice_simulate";
  if (spec == nullptr || fleet == nullptr || scenario == nullptr) {
    SetError(errptr, NullArgument(kCall, spec == nullptr    ? "spec"
                                         : fleet == nullptr ? "fleet"
                                                            : "scenario"));
    return nullptr;
  }
  absl::StatusOr<sluice::sim::Simulator> simulator =
      sluice::sim::Simulator::Create(spec->spec, fleet->fleet,
                                     scenario->scenario);
  if (!simulator.ok()) {
    SetError(errptr, simulator.status());
    return nullptr;
  }
  sluice::sim::MonteCarloOptions options;
  options.runs = runs;
  options.seed = seed;
  options.threads = threads;
  absl::StatusOr<std::vector<sluice::sim::RunOutcome>> outcomes =
      simulator->RunMany(options);
  if (!outcomes.ok()) {
    SetError(errptr, outcomes.status());
    return nullptr;
  }
  std::string json = absl::StrCat("{\"summary\": ",
                                  sluice::ToJson(sluice::sim::SummaryToProto(
                                      sluice::sim::Summarize(*outcomes, seed))),
                                  ", \"runs\": [");
  for (size_t i = 0; i < outcomes->size(); ++i) {
    if (i > 0) json += ", ";
    json += sluice::ToJson(sluice::sim::RunOutcomeToProto((*outcomes)[i]));
  }
  json += "]}";
  return CopyString(json, len);
}

}  // extern "C"
