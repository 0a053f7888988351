// Copyright 2026 The Sluice Authors.
//
// The table of gate kinds (lib/gates/gate_kind.h): it covers every case of
// GateSpec's `kind` oneof, once each, and the default names and the "needs a
// kind" error derive from it.

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "lib/gates/gate_kind.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/gates.pb.h"

namespace sluice::internal {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;

const google::protobuf::OneofDescriptor& KindOneof() {
  const google::protobuf::OneofDescriptor* kind =
      v1::GateSpec::descriptor()->FindOneofByName("kind");
  EXPECT_NE(kind, nullptr);
  return *kind;
}

// A new field in GateSpec's `kind` oneof without a table entry (a line in
// GateKinds(), lib/gates/gate_kinds.cc) fails here.
TEST(GateKindsTest, TableCoversEveryKindOfTheOneof) {
  const google::protobuf::OneofDescriptor& kind = KindOneof();
  ASSERT_GT(kind.field_count(), 0);
  for (int i = 0; i < kind.field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = kind.field(i);
    const auto kind_case = static_cast<v1::GateSpec::KindCase>(field->number());
    const GateKind* entry = FindGateKind(kind_case);
    ASSERT_NE(entry, nullptr)
        << "GateSpec." << field->name()
        << " has no entry in GateKinds() (lib/gates/gate_kinds.cc)";
    EXPECT_EQ(entry->kind, kind_case);
    EXPECT_NE(entry->default_name, nullptr) << field->name();
    EXPECT_NE(entry->build, nullptr) << field->name();
    EXPECT_EQ(GateKindField(kind_case), field->name());
  }
  EXPECT_EQ(GateKinds().size(), static_cast<size_t>(kind.field_count()));
}

TEST(GateKindsTest, EveryEntryIsOneKindOfTheOneofOnce) {
  std::set<int> seen;
  for (const GateKind& entry : GateKinds()) {
    const google::protobuf::FieldDescriptor* field =
        v1::GateSpec::descriptor()->FindFieldByNumber(entry.kind);
    ASSERT_NE(field, nullptr) << entry.kind;
    EXPECT_EQ(field->containing_oneof(), &KindOneof()) << field->name();
    EXPECT_TRUE(seen.insert(entry.kind).second) << field->name();
  }
  EXPECT_EQ(FindGateKind(v1::GateSpec::KIND_NOT_SET), nullptr);
}

TEST(GateKindsTest, DefaultNamesComeFromTheKind) {
  v1::GateSpec g;
  EXPECT_EQ(DefaultGateName(g), "gate");
  g.mutable_threshold()->set_metric("p99");
  EXPECT_EQ(DefaultGateName(g), "threshold p99");
  EXPECT_EQ(GateName(g), "threshold p99");
  g.set_name("latency");
  EXPECT_EQ(GateName(g), "latency");
  v1::GateSpec shadow;
  shadow.mutable_shadow()->mutable_bake();
  EXPECT_EQ(DefaultGateName(shadow), "shadow bake");
  v1::GateSpec at_least;
  at_least.mutable_at_least()->set_k(2);
  EXPECT_EQ(DefaultGateName(at_least), "at least 2 of");
  // Every kind names its gates (non-empty) even with an empty message.
  const google::protobuf::OneofDescriptor& kind = KindOneof();
  for (int i = 0; i < kind.field_count(); ++i) {
    v1::GateSpec spec;
    spec.GetReflection()->MutableMessage(&spec, kind.field(i));
    EXPECT_FALSE(DefaultGateName(spec).empty()) << kind.field(i)->name();
  }
}

TEST(GateKindsTest, GateWithoutKindListsTheTable) {
  std::vector<std::string> kinds;
  for (const GateKind& entry : GateKinds()) {
    kinds.push_back(GateKindField(entry.kind));
  }
  EXPECT_THAT(BuildGate(v1::GateSpec(), MetricsByName(),
                        FieldPath("gates").Field("default").Index(3)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       absl::StrCat("gates.default[3]: needs a kind: one of ",
                                    absl::StrJoin(kinds, ", "))));
  EXPECT_EQ(kinds.front(), "threshold");
  // One entry per kind of GateSpec.kind (self_baseline and rank_test are
  // the 18th and 19th).
  EXPECT_EQ(kinds.size(), static_cast<size_t>(KindOneof().field_count()));
  EXPECT_EQ(kinds.size(), 19u);
}

TEST(GateKindsTest, BuildsThroughTheEntryAtTheKindsPath) {
  MetricsByName metrics;
  MetricDefinition errors;
  errors.name = "errors";
  metrics.emplace("errors", errors);
  v1::GateSpec g;
  g.mutable_threshold()->set_metric("errors");
  g.mutable_threshold()->set_max(0.01);
  absl::StatusOr<std::unique_ptr<HealthGate>> gate =
      BuildGate(g, metrics, FieldPath("x"));
  ASSERT_THAT(gate, IsOk());
  EXPECT_EQ((*gate)->name(), "threshold errors");
  g.mutable_threshold()->mutable_window()->set_seconds(-60);
  EXPECT_THAT(BuildGate(g, metrics, FieldPath("x")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "x.threshold.window: must be finite and > 0 (got -1m)"));
}

}  // namespace
}  // namespace sluice::internal
