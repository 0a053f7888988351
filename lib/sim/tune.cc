// Copyright 2026 The Sluice Authors.

#include "sluice/sim/tune.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/message.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "sluice/proto_io.h"
#include "sluice/spec.h"

namespace sluice::sim {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNoDefault = std::numeric_limits<double>::quiet_NaN();

using Kind = TunableField::Kind;

// A row and, for a field with presence left unset, the gate's documented
// default (NaN: none, the field is only tuned when set).
struct Row {
  TunableField field;
  double default_value;
};

// The table. A gate added to gates.proto becomes tunable by a row here.
const Row kRows[] = {
    {{"sluice.v1.ThresholdGateSpec", "max", Kind::kMargin, 0, 0, kInf,
      "threshold's upper limit"},
     kNoDefault},
    {{"sluice.v1.ThresholdGateSpec", "min", Kind::kInverse, 0, 0, kInf,
      "threshold's lower limit"},
     kNoDefault},
    {{"sluice.v1.RelativeGateSpec", "max_ratio", Kind::kMargin, 1, 1, 1e6,
      "canary/baseline upper ratio"},
     kNoDefault},
    {{"sluice.v1.RelativeGateSpec", "min_ratio", Kind::kMargin, 1, 0, 1,
      "canary/baseline lower ratio"},
     kNoDefault},
    {{"sluice.v1.RelativeGateSpec", "max_difference", Kind::kMargin, 0, 0, kInf,
      "canary - baseline upper difference"},
     kNoDefault},
    {{"sluice.v1.RelativeGateSpec", "min_difference", Kind::kMargin, 0, -kInf,
      0, "canary - baseline lower difference"},
     kNoDefault},
    {{"sluice.v1.AnalysisMetricSpec", "failure_limit", Kind::kCount, 0, 0, 1000,
      "failed measurements tolerated"},
     0},
    {{"sluice.v1.AnalysisMetricSpec", "count", Kind::kDuration, 0, 1, 1000,
      "measurements of an analysis"},
     kNoDefault},
    {{"sluice.v1.BakeGateSpec", "duration", Kind::kDuration, 0, 1, 86400 * 7,
      "bake length"},
     kNoDefault},
    {{"sluice.v1.ScoreThresholdsSpec", "pass", Kind::kMargin, 100, 0, 100,
      "judge's pass score"},
     95},
    {{"sluice.v1.ScoreThresholdsSpec", "marginal", Kind::kMargin, 100, 0, 100,
      "judge's marginal score"},
     75},
    {{"sluice.v1.KayentaJudgeSpec", "window", Kind::kDuration, 0, 60, 86400 * 7,
      "judge's window"},
     kNoDefault},
    {{"sluice.v1.SequentialCountGateSpec", "alpha", Kind::kInverse, 0, 1e-9,
      0.5, "sequential count test's alpha"},
     0.05},
    {{"sluice.v1.SequentialCountGateSpec", "duration", Kind::kDuration, 0, 60,
      86400 * 7, "sequential count test's length"},
     kNoDefault},
    {{"sluice.v1.SequentialMeansGateSpec", "alpha", Kind::kInverse, 0, 1e-9,
      0.5, "sequential means test's alpha"},
     0.05},
    {{"sluice.v1.SequentialMeansGateSpec", "duration", Kind::kDuration, 0, 60,
      86400 * 7, "sequential means test's length"},
     kNoDefault},
    {{"sluice.v1.SequentialQuantileGateSpec", "alpha", Kind::kInverse, 0, 1e-9,
      0.5, "sequential quantile test's alpha"},
     0.05},
    {{"sluice.v1.SequentialQuantileGateSpec", "duration", Kind::kDuration, 0,
      60, 86400 * 7, "sequential quantile test's length"},
     kNoDefault},
    {{"sluice.v1.SelfBaselineGateSpec", "duration", Kind::kDuration, 0, 300,
      86400 * 7, "self-baseline test's length"},
     kNoDefault},
    {{"sluice.v1.SelfBaselineGateSpec", "alpha", Kind::kInverse, 0, 1e-9, 0.5,
      "self-baseline test's alpha"},
     0.01},
    // Tuned only when set (unset, it is 1: no margin to scale), and by the
    // same looseness as fallback_null_ratio, which must stay >= it.
    {{"sluice.v1.SelfBaselineGateSpec", "null_ratio", Kind::kMargin, 1, 1, 1e6,
      "self-baseline null"},
     kNoDefault},
    // Its default is null_ratio's, so it is tuned only when set.
    {{"sluice.v1.SelfBaselineGateSpec", "fallback_null_ratio", Kind::kMargin, 1,
      1, 1e6, "self-baseline null without a same-zone control"},
     kNoDefault},
};

const std::vector<TunableField>& Fields() {
  static const auto* fields = [] {
    auto* out = new std::vector<TunableField>();
    for (const Row& row : kRows) out->push_back(row.field);
    return out;
  }();
  return *fields;
}

const Row* RowFor(const Descriptor* message, const FieldDescriptor* field) {
  for (const Row& row : kRows) {
    if (message->full_name() == row.field.message &&
        field->name() == row.field.field) {
      return &row;
    }
  }
  return nullptr;
}

// Whether any row's message is `message` and has a default (so an unset
// instance is worth walking into).
bool HasDefaults(const Descriptor* message) {
  for (const Row& row : kRows) {
    if (message->full_name() == row.field.message &&
        !std::isnan(row.default_value)) {
      return true;
    }
  }
  return false;
}

bool IsDuration(const FieldDescriptor* field) {
  return field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         field->message_type()->full_name() == "google.protobuf.Duration";
}

double ReadDuration(const Message& duration) {
  const auto& d = static_cast<const google::protobuf::Duration&>(duration);
  return static_cast<double>(d.seconds()) + d.nanos() * 1e-9;
}

void WriteDuration(Message* duration, double seconds) {
  auto* d = static_cast<google::protobuf::Duration*>(duration);
  const double whole = std::floor(seconds);
  d->set_seconds(static_cast<int64_t>(whole));
  d->set_nanos(static_cast<int32_t>(std::round((seconds - whole) * 1e9)));
}

// Reads a scalar field as a double.
double ReadNumber(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return r->GetDouble(m, f);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return r->GetFloat(m, f);
    case FieldDescriptor::CPPTYPE_INT32:
      return r->GetInt32(m, f);
    case FieldDescriptor::CPPTYPE_INT64:
      return static_cast<double>(r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return r->GetUInt32(m, f);
    case FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<double>(r->GetUInt64(m, f));
    default:
      return 0;
  }
}

void WriteNumber(Message* m, const FieldDescriptor* f, double v) {
  const Reflection* r = m->GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
      r->SetDouble(m, f, v);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      r->SetFloat(m, f, static_cast<float>(v));
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      r->SetInt32(m, f, static_cast<int32_t>(std::llround(v)));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      r->SetInt64(m, f, std::llround(v));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      r->SetUInt32(m, f, static_cast<uint32_t>(std::llround(v)));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      r->SetUInt64(m, f, static_cast<uint64_t>(std::llround(v)));
      break;
    default:
      break;
  }
}

// The moved value of one field.
double Move(const TunableField& row, double value, double looseness,
            double duration_scale) {
  double out = value;
  switch (row.kind) {
    case Kind::kMargin:
      out = row.null_value + (value - row.null_value) * looseness;
      break;
    case Kind::kInverse:
      out = value / looseness;
      break;
    case Kind::kCount:
      if (value < 0) return value;  // disabled stays disabled
      out = std::round(value + std::log2(looseness));
      break;
    case Kind::kDuration:
      out = value * duration_scale;
      break;
  }
  return std::clamp(out, row.min_value, row.max_value);
}

// Walks `m` (at `path`), calling `visit(message, field, row, path)` for
// every tunable field that is set (or unset with a default). With
// `mutable_m`, unset messages that hold defaults are created.
template <typename Visit>
void Walk(const Message& m, Message* mutable_m, const std::string& path,
          Visit&& visit) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string at = path.empty() ? f->name() : path + "." + f->name();
    const Row* row = RowFor(d, f);
    if (row != nullptr && !f->is_repeated()) {
      const bool set = f->has_presence() ? r->HasField(m, f)
                       : IsDuration(f)   ? r->HasField(m, f)
                                         : ReadNumber(m, f) != 0;
      if (set || !std::isnan(row->default_value)) {
        visit(m, mutable_m, f, *row, at, set);
      }
      continue;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      const int n = r->FieldSize(m, f);
      for (int k = 0; k < n; ++k) {
        Walk(r->GetRepeatedMessage(m, f, k),
             mutable_m == nullptr
                 ? nullptr
                 : mutable_m->GetReflection()->MutableRepeatedMessage(mutable_m,
                                                                      f, k),
             absl::StrCat(at, "[", k, "]"), visit);
      }
      continue;
    }
    const bool present = r->HasField(m, f);
    if (!present &&
        (f->containing_oneof() != nullptr || !HasDefaults(f->message_type()))) {
      continue;
    }
    if (present || mutable_m == nullptr) {
      Walk(r->GetMessage(m, f),
           mutable_m == nullptr
               ? nullptr
               : mutable_m->GetReflection()->MutableMessage(mutable_m, f),
           at, visit);
    } else {
      Message* created =
          mutable_m->GetReflection()->MutableMessage(mutable_m, f);
      Walk(*created, created, at, visit);
      // Nothing moved: the message stays unset.
      if (created->ByteSizeLong() == 0) {
        mutable_m->GetReflection()->ClearField(mutable_m, f);
      }
    }
  }
}

double ValueOf(const Message& m, const FieldDescriptor* f, const Row& row,
               bool set) {
  if (!set) return row.default_value;
  if (IsDuration(f)) return ReadDuration(m.GetReflection()->GetMessage(m, f));
  return ReadNumber(m, f);
}

}  // namespace

absl::Span<const TunableField> TunableFields() { return Fields(); }

std::vector<SpecField> FindTunableFields(const v1::RolloutSpec& spec) {
  std::vector<SpecField> out;
  Walk(spec.gates(), nullptr, "gates",
       [&](const Message& m, Message*, const FieldDescriptor* f, const Row& row,
           const std::string& path, bool set) {
         const double value = ValueOf(m, f, row, set);
         out.push_back({path, &row.field, value, value});
       });
  return out;
}

std::vector<SpecField> ApplyTuning(v1::RolloutSpec& spec, double looseness,
                                   double duration_scale) {
  std::vector<SpecField> out;
  const v1::GatePolicy snapshot = spec.gates();
  Walk(snapshot, spec.mutable_gates(), "gates",
       [&](const Message& m, Message* mutable_m, const FieldDescriptor* f,
           const Row& row, const std::string& path, bool set) {
         const double value = ValueOf(m, f, row, set);
         double moved = Move(row.field, value, looseness, duration_scale);
         if (!set && moved == value) {
           // An unset field keeps its default: leave it unset.
           out.push_back({path, &row.field, value, value});
           return;
         }
         if (IsDuration(f)) {
           // A bake or test cannot be shorter than its interval.
           const FieldDescriptor* interval =
               m.GetDescriptor()->FindFieldByName("interval");
           if (interval != nullptr && IsDuration(interval) &&
               m.GetReflection()->HasField(m, interval)) {
             moved = std::max(moved, ReadDuration(m.GetReflection()->GetMessage(
                                         m, interval)));
           }
           WriteDuration(
               mutable_m->GetReflection()->MutableMessage(mutable_m, f), moved);
         } else {
           WriteNumber(mutable_m, f, moved);
           moved = ReadNumber(*mutable_m, f);  // as stored (rounded)
         }
         out.push_back({path, &row.field, value, moved});
       });
  return out;
}

absl::StatusOr<v1::RolloutSpec> ReadSpecMessage(const std::string& path) {
  v1::RolloutSpec spec;
  SLUICE_RETURN_IF_ERROR(sluice::ParseProtoFile(path, &spec));
  return spec;
}

std::string SpecToText(const v1::RolloutSpec& spec,
                       const std::string& comment) {
  std::string out =
      "# proto-file: proto/sluice/v1/rollout_spec.proto\n"
      "# proto-message: sluice.v1.RolloutSpec\n";
  for (absl::string_view line : absl::StrSplit(comment, '\n')) {
    absl::StrAppend(&out, "# ", line, "\n");
  }
  absl::StrAppend(&out, "\n", sluice::ToTextProto(spec));
  return out;
}

namespace {

// Every family a point is measured on: the good releases and the tuning
// families, with their seeds fixed for every point.
struct TuneSetup {
  const v1::RolloutSpec* spec;
  const Fleet* fleet;
  absl::Span<const HistorySeries> history;
  Scenario base;
  std::vector<ReleaseFamily> families;  // [0] good, then the tuning ones
  EfficacyOptions options;
  double target;
};

absl::StatusOr<TunePoint> Evaluate(const TuneSetup& setup, double looseness,
                                   double duration_scale) {
  v1::RolloutSpec message = *setup.spec;
  ApplyTuning(message, looseness, duration_scale);
  absl::StatusOr<RolloutSpec> spec = RolloutSpec::FromProto(message);
  if (!spec.ok()) {
    return internal::PrefixStatus(
        spec.status(), absl::StrFormat("the spec tuned by looseness %g, "
                                       "duration scale %g",
                                       looseness, duration_scale));
  }
  TunePoint point;
  point.duration_scale = duration_scale;
  point.looseness = looseness;
  std::vector<RunOutcome> bad;
  for (size_t i = 0; i < setup.families.size(); ++i) {
    const ReleaseFamily& family = setup.families[i];
    absl::StatusOr<std::vector<RunOutcome>> runs =
        RunFamily(*spec, *setup.fleet, setup.history, family, setup.base,
                  setup.options, RunSeed(setup.options.seed, i));
    if (!runs.ok()) return internal::PrefixStatus(runs.status(), family.name);
    if (i == 0) {
      const MonteCarloSummary good = Summarize(*runs, setup.options.seed);
      point.false_rollback = good.false_rollback;
      point.time_to_full_rollout_s = good.time_to_full_rollout_s;
    } else {
      bad.insert(bad.end(), runs->begin(), runs->end());
    }
  }
  point.power = Summarize(bad, setup.options.seed).detection;
  point.feasible = point.false_rollback.rate <= setup.target;
  return point;
}

}  // namespace

absl::StatusOr<TuneResult> TuneSpec(const v1::RolloutSpec& spec,
                                    const Fleet& fleet,
                                    absl::Span<const HistorySeries> history,
                                    const TuneOptions& options) {
  if (!(options.max_false_rollbacks > 0 && options.max_false_rollbacks < 1)) {
    return internal::InvalidArgumentAt(
        "max_false_rollbacks", absl::StrCat("must be in (0, 1) (got ",
                                            options.max_false_rollbacks, ")"));
  }
  if (options.good_runs < 1) {
    return internal::InvalidArgumentAt(
        "good_runs",
        absl::StrCat("must be >= 1 (got ", options.good_runs, ")"));
  }
  if (options.power_runs < 1) {
    return internal::InvalidArgumentAt(
        "power_runs",
        absl::StrCat("must be >= 1 (got ", options.power_runs, ")"));
  }
  if (!(options.min_looseness > 0 && options.min_looseness < 1 &&
        options.max_looseness > 1 && std::isfinite(options.max_looseness))) {
    return internal::InvalidArgumentAt(
        "min_looseness", "want 0 < min_looseness < 1 < max_looseness");
  }
  if (options.duration_scales.empty()) {
    return internal::FieldPath("duration_scales")
        .Invalid(internal::kMustNotBeEmpty);
  }
  for (size_t i = 0; i < options.duration_scales.size(); ++i) {
    if (!(options.duration_scales[i] > 0)) {
      return internal::FieldPath("duration_scales")
          .Index(static_cast<int>(i))
          .Invalid(internal::MustBe(internal::kMustBePositive,
                                    options.duration_scales[i]));
    }
  }
  if (history.empty()) return absl::InvalidArgumentError("history: no series");
  // The spec as written must be valid.
  SLUICE_RETURN_IF_ERROR(RolloutSpec::FromProto(spec).status());
  if (FindTunableFields(spec).empty()) {
    return absl::InvalidArgumentError(
        "spec: no tunable gate field (see sluice/sim/tune.h)");
  }
  TuneSetup setup;
  setup.spec = &spec;
  setup.fleet = &fleet;
  setup.history = history;
  setup.base = options.base.value_or(ProductionScenario(fleet));
  setup.target = options.max_false_rollbacks;
  setup.options.runs = options.power_runs;
  setup.options.good_runs = options.good_runs;
  setup.options.seed = options.seed;
  setup.options.threads = options.threads;
  setup.options.replay = options.replay;
  ReleaseFamily good;
  good.name = "good";
  setup.families.push_back(good);
  for (const ReleaseFamily& f : StandardFamilies(setup.base, fleet, 1)) {
    if (f.name == "errors x2 everywhere" || f.name == "errors x5 everywhere" ||
        f.name == "p99 +20%") {
      setup.families.push_back(f);
    }
  }

  const int64_t total =
      1 + static_cast<int64_t>(options.duration_scales.size()) *
              (2 + options.steps);
  int64_t points = 0;
  auto evaluate = [&](double looseness,
                      double scale) -> absl::StatusOr<TunePoint> {
    absl::StatusOr<TunePoint> point = Evaluate(setup, looseness, scale);
    if (options.progress) options.progress(++points, total);
    return point;
  };

  TuneResult result;
  SLUICE_ASSIGN_OR_RETURN(result.original, evaluate(1, 1));
  for (double scale : options.duration_scales) {
    double lo = options.min_looseness, hi = options.max_looseness;
    SLUICE_ASSIGN_OR_RETURN(TunePoint loosest, evaluate(hi, scale));
    if (!loosest.feasible) {
      result.curve.push_back(loosest);
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(TunePoint tightest, evaluate(lo, scale));
    if (tightest.feasible) {
      result.curve.push_back(tightest);
      continue;
    }
    TunePoint best = loosest;
    for (int step = 0; step < options.steps; ++step) {
      const double mid = std::sqrt(lo * hi);
      SLUICE_ASSIGN_OR_RETURN(TunePoint point, evaluate(mid, scale));
      if (point.feasible) {
        hi = mid;
        best = point;
      } else {
        lo = mid;
      }
    }
    result.curve.push_back(best);
  }
  for (const TunePoint& point : result.curve) {
    if (!point.feasible) continue;
    const bool better = !result.chosen.has_value() ||
                        point.power.rate > result.chosen->power.rate ||
                        (point.power.rate == result.chosen->power.rate &&
                         point.time_to_full_rollout_s.p50 <
                             result.chosen->time_to_full_rollout_s.p50);
    if (better) result.chosen = point;
  }
  result.tuned = spec;
  const double looseness = result.chosen.has_value() ? result.chosen->looseness
                                                     : options.max_looseness;
  const double scale =
      result.chosen.has_value() ? result.chosen->duration_scale : 1.0;
  result.fields = ApplyTuning(result.tuned, looseness, scale);
  return result;
}

}  // namespace sluice::sim
