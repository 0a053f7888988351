// Copyright 2026 The Sluice Authors.
//
// Tuning a spec's gates: the table of tunable fields, how each kind of field
// moves, the walk over a spec's gate tree, and the search.

#include "sluice/sim/tune.h"

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/proto_io.h"
#include "sluice/sim/history.h"
#include "sluice/spec.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/gates.pb.h"

namespace sluice::sim {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

v1::RolloutSpec Load(const std::string& name) {
  absl::StatusOr<v1::RolloutSpec> spec =
      ReadSpecMessage("examples/specs/" + name + ".textproto");
  EXPECT_THAT(spec, IsOk());
  return *spec;
}

// The regional waves with threshold, relative and bake gates (the example
// spec before its gates became self-baselines).
v1::RolloutSpec LoadThresholds() {
  absl::StatusOr<v1::RolloutSpec> spec =
      ReadSpecMessage("tests/sim/testdata/regional_waves_thresholds.textproto");
  EXPECT_THAT(spec, IsOk());
  return *spec;
}

const SpecField* Find(const std::vector<SpecField>& fields,
                      const std::string& suffix) {
  for (const SpecField& f : fields) {
    if (f.path.size() >= suffix.size() &&
        f.path.compare(f.path.size() - suffix.size(), suffix.size(), suffix) ==
            0) {
      return &f;
    }
  }
  return nullptr;
}

// Every row names a real field of a real gate message, of a type its kind
// can move: a table entry that matches nothing would silently tune nothing.
TEST(TuneTest, EveryRowOfTheTableNamesARealField) {
  const google::protobuf::DescriptorPool* pool =
      v1::GateSpec::descriptor()->file()->pool();
  std::set<std::string> seen;
  ASSERT_GE(TunableFields().size(), 10u);
  for (const TunableField& row : TunableFields()) {
    SCOPED_TRACE(absl::StrCat(row.message, ".", row.field));
    EXPECT_TRUE(seen.insert(absl::StrCat(row.message, ".", row.field)).second);
    const google::protobuf::Descriptor* message =
        pool->FindMessageTypeByName(row.message);
    ASSERT_NE(message, nullptr);
    const google::protobuf::FieldDescriptor* field =
        message->FindFieldByName(row.field);
    ASSERT_NE(field, nullptr);
    EXPECT_FALSE(field->is_repeated());
    const bool duration =
        field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE;
    if (duration) {
      EXPECT_EQ(field->message_type()->full_name(), "google.protobuf.Duration");
      EXPECT_EQ(row.kind, TunableField::Kind::kDuration);
    }
    EXPECT_LE(row.min_value, row.max_value);
    EXPECT_NE(std::string(row.meaning), "");
  }
}

TEST(TuneTest, FindsTheTunableFieldsOfASpec) {
  const std::vector<SpecField> fields = FindTunableFields(LoadThresholds());
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0].path, "gates.default[0].bake.duration");
  EXPECT_EQ(fields[0].original, 1200);
  EXPECT_EQ(fields[1].path,
            "gates.default[0].bake.check.all_of.gates[0].threshold.max");
  EXPECT_EQ(fields[1].original, 0.01);
  EXPECT_EQ(fields[2].row->field, std::string("max_difference"));
  EXPECT_EQ(fields[3].original, 1.5);
  // Defaults count for fields with presence: the sequential tests' alpha.
  const std::vector<SpecField> statistical =
      FindTunableFields(Load("codedeploy_canary_sequential"));
  const SpecField* alpha = Find(statistical, "sequential_count.alpha");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->original, 0.05);  // unset: the gate's default
  const SpecField* pass = Find(statistical, "thresholds.pass");
  ASSERT_NE(pass, nullptr);
  EXPECT_EQ(pass->original, 95);
  // The self-baseline gates' alpha, length and fallback null, in the
  // defaults and the stage overrides (3 fields of 12 gates), and the null
  // of the 4 zone-batch gates that set it.
  const std::vector<SpecField> regional =
      FindTunableFields(Load("regional_waves_gated"));
  ASSERT_EQ(regional.size(), 40u);
  EXPECT_EQ(regional[0].path, "gates.default[0].self_baseline.duration");
  EXPECT_EQ(regional[0].original, 1800);
  EXPECT_EQ(regional[1].path, "gates.default[0].self_baseline.alpha");
  EXPECT_EQ(regional[1].original, 0.01);
  EXPECT_EQ(regional[2].path,
            "gates.default[0].self_baseline.fallback_null_ratio");
  EXPECT_EQ(regional[2].original, 3);
  // A spec without gates has nothing to tune.
  EXPECT_TRUE(FindTunableFields(Load("regional_waves")).empty());
}

TEST(TuneTest, EachKindOfFieldMovesAsStated) {
  v1::RolloutSpec spec = LoadThresholds();
  const std::vector<SpecField> moved = ApplyTuning(spec, 2, 0.5);
  // Margins double, durations halve.
  EXPECT_EQ(moved[0].tuned, 600);
  EXPECT_DOUBLE_EQ(moved[1].tuned, 0.02);
  EXPECT_DOUBLE_EQ(moved[2].tuned, 0.008);
  EXPECT_DOUBLE_EQ(moved[3].tuned, 2.0);  // 1 + 0.5 * 2
  const v1::BakeGateSpec& bake = spec.gates().default_(0).bake();
  EXPECT_EQ(bake.duration().seconds(), 600);
  EXPECT_DOUBLE_EQ(bake.check().all_of().gates(2).relative().max_ratio(), 2);
  EXPECT_THAT(RolloutSpec::FromProto(spec).status(), IsOk());
  // Self-baselines: alpha halves, the fallback null's margin doubles.
  v1::RolloutSpec regional = Load("regional_waves_gated");
  ApplyTuning(regional, 2, 2);
  const v1::SelfBaselineGateSpec& errors =
      regional.gates().default_(0).self_baseline();
  EXPECT_DOUBLE_EQ(errors.alpha(), 0.005);
  EXPECT_DOUBLE_EQ(errors.fallback_null_ratio(), 5);  // 1 + 2 * 2
  EXPECT_EQ(errors.duration().seconds(), 3600);
  EXPECT_THAT(RolloutSpec::FromProto(regional).status(), IsOk());
  // A set null moves with the fallback null, which stays at or above it
  // at the search's tightest looseness.
  v1::RolloutSpec tight = Load("regional_waves_gated");
  ApplyTuning(tight, 0.125, 1);
  const v1::StageGates* batch = nullptr;
  for (const v1::StageGates& stage : tight.gates().stages()) {
    if (stage.stage() == "zone-batch") batch = &stage;
  }
  ASSERT_NE(batch, nullptr);
  EXPECT_DOUBLE_EQ(batch->gates(0).self_baseline().null_ratio(), 1.125);
  EXPECT_DOUBLE_EQ(batch->gates(0).self_baseline().fallback_null_ratio(), 1.25);
  EXPECT_THAT(RolloutSpec::FromProto(tight).status(), IsOk());
  // Unset, the null stays unset (1).
  EXPECT_FALSE(tight.gates().default_(0).self_baseline().has_null_ratio());
  // Inverse, count and score fields.
  v1::RolloutSpec statistical = Load("codedeploy_canary_sequential");
  ApplyTuning(statistical, 4, 1);
  const v1::GatePolicy& gates = statistical.gates();
  EXPECT_DOUBLE_EQ(gates.default_(0).sequential_count().alpha(), 0.0125);
  EXPECT_DOUBLE_EQ(gates.default_(1).sequential_quantile().alpha(), 0.0125);
  EXPECT_DOUBLE_EQ(gates.default_(2).kayenta_judge().thresholds().pass(), 80);
  EXPECT_DOUBLE_EQ(gates.default_(2).kayenta_judge().thresholds().marginal(),
                   0);
  EXPECT_THAT(RolloutSpec::FromProto(statistical).status(), IsOk());
  v1::RolloutSpec analysis = Load("argo_steps_analysis");
  const std::vector<SpecField> counts = ApplyTuning(analysis, 4, 1);
  const SpecField* limit = Find(counts, "failure_limit");
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->original, 1);
  EXPECT_EQ(limit->tuned, 3);  // 1 + log2(4)
  // A bake cannot get shorter than its interval.
  v1::RolloutSpec linear = Load("codedeploy_linear_gated");
  ApplyTuning(linear, 1, 0.25);
  EXPECT_EQ(linear.gates().default_(0).bake().duration().seconds(), 180);
  EXPECT_THAT(RolloutSpec::FromProto(linear).status(), IsOk());
}

TEST(TuneTest, NoMoveChangesNothing) {
  for (const char* name :
       {"regional_waves_gated", "regional_waves_self_baseline",
        "codedeploy_canary_statistical", "codedeploy_canary_sequential",
        "argo_steps_analysis", "sequential_gate"}) {
    SCOPED_TRACE(name);
    const v1::RolloutSpec original = Load(name);
    v1::RolloutSpec same = original;
    ApplyTuning(same, 1, 1);
    // Unset fields keep their defaults unset.
    EXPECT_EQ(sluice::ToTextProto(same), sluice::ToTextProto(original));
  }
}

TEST(TuneTest, UnsetDefaultsAreWrittenOnlyWhenTheyMove) {
  v1::RolloutSpec spec = Load("codedeploy_canary_sequential");
  spec.mutable_gates()
      ->mutable_default_(2)
      ->mutable_kayenta_judge()
      ->clear_thresholds();
  v1::RolloutSpec same = spec;
  ApplyTuning(same, 1, 1);
  EXPECT_FALSE(same.gates().default_(2).kayenta_judge().has_thresholds());
  ApplyTuning(spec, 2, 1);
  const v1::ScoreThresholdsSpec& t =
      spec.gates().default_(2).kayenta_judge().thresholds();
  EXPECT_DOUBLE_EQ(t.pass(), 90);
  EXPECT_DOUBLE_EQ(t.marginal(), 50);
}

TEST(TuneTest, WritesTheTunedSpecWithItsComment) {
  const std::string text =
      SpecToText(Load("sequential_gate"), "line one\nline two");
  EXPECT_THAT(text, HasSubstr("# proto-message: sluice.v1.RolloutSpec\n"
                              "# line one\n# line two\n"));
  v1::RolloutSpec back;
  ASSERT_THAT(sluice::ParseTextProto(text, &back), IsOk());
  EXPECT_EQ(back.name(), Load("sequential_gate").name());
}

TEST(TuneTest, SearchesForTheTargetAtTheHighestPower) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<HistorySeries> history,
      LoadHistory({"examples/data/elb_request_count_8c0756.csv",
                   "examples/data/rds_cpu_utilization_cc0c53.csv"}));
  const v1::RolloutSpec spec = Load("codedeploy_linear_gated");
  TuneOptions options;
  options.max_false_rollbacks = 0.2;
  options.good_runs = 20;
  options.power_runs = 4;
  options.duration_scales = {1};
  options.steps = 2;
  options.threads = 2;
  int64_t points = 0;
  options.progress = [&](int64_t done, int64_t total) {
    points = done;
    EXPECT_EQ(total, 1 + 1 * (2 + 2));
  };
  SLUICE_ASSERT_OK_AND_ASSIGN(TuneResult a,
                              TuneSpec(spec, fleet, history, options));
  EXPECT_GE(points, 2);
  EXPECT_EQ(a.original.looseness, 1);
  EXPECT_EQ(a.original.false_rollback.trials, 20);
  EXPECT_EQ(a.original.power.trials, 12);
  ASSERT_EQ(a.curve.size(), 1u);
  if (a.chosen.has_value()) {
    EXPECT_TRUE(a.chosen->feasible);
    EXPECT_LE(a.chosen->false_rollback.rate, 0.2);
  }
  ASSERT_FALSE(a.fields.empty());
  EXPECT_THAT(RolloutSpec::FromProto(a.tuned).status(), IsOk());
  // Deterministic: the same seed, the same result.
  options.progress = nullptr;
  options.threads = 1;
  SLUICE_ASSERT_OK_AND_ASSIGN(TuneResult b,
                              TuneSpec(spec, fleet, history, options));
  EXPECT_EQ(a.curve[0].looseness, b.curve[0].looseness);
  EXPECT_EQ(a.curve[0].false_rollback, b.curve[0].false_rollback);
  EXPECT_EQ(a.curve[0].power, b.curve[0].power);
  EXPECT_EQ(sluice::ToTextProto(a.tuned), sluice::ToTextProto(b.tuned));
}

TEST(TuneTest, RejectsBadInput) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<HistorySeries> history,
                              LoadHistory({"examples/data"}));
  TuneOptions options;
  options.max_false_rollbacks = 2;
  EXPECT_THAT(TuneSpec(Load("regional_waves_gated"), fleet, history, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("max_false_rollbacks: must be in (0, 1) (got "
                                 "2)")));
  options.max_false_rollbacks = 0.01;
  options.duration_scales = {1, -1};
  EXPECT_THAT(TuneSpec(Load("regional_waves_gated"), fleet, history, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("duration_scales[1]: must be > 0 (got -1)")));
  options.duration_scales = {1};
  EXPECT_THAT(TuneSpec(Load("regional_waves"), fleet, history, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("spec: no tunable gate field")));
  EXPECT_THAT(TuneSpec(Load("regional_waves_gated"), fleet, {}, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("history: no series")));
  v1::RolloutSpec broken = Load("regional_waves_gated");
  broken.clear_waves();
  EXPECT_THAT(TuneSpec(broken, fleet, history, options),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      ReadSpecMessage("examples/specs/none.textproto"),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("none.textproto")));
}

}  // namespace
}  // namespace sluice::sim
