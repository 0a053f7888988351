// Copyright 2026 The Sluice Authors.
//
// MetricSpec.prometheus: the spec's PromQL template and its options reach
// the MetricSource as MetricQuery::query and params (docs/prometheus.md);
// conflicts name the field.

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/gate_policy.h"
#include "sluice/spec.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice {
namespace {

using ::sluice::testing::DriveGate;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

absl::StatusOr<RolloutSpec> Spec(const std::string& metric) {
  return RolloutSpec::Parse(
      absl::StrCat(R"pb(name: "checkout" version: "2" metrics {)pb", metric,
                   R"pb(}
                        gates {
                     default { threshold { metric: "errors" max: 0.01 } }
                   })pb"),
      SpecFormat::kTextProto);
}

TEST(PrometheusMetricSpecTest, TemplateAndOptionsReachTheSource) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      Spec(
          R"pb(name: "errors"
               params { key: "job" value: "api" }
               prometheus {
                 query: "sum(rate(e{instance=~\"{{targets_regex}}\"}[{{window}}]))"
                 range: true
                 step { seconds: 30 }
               })pb"));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy policy, GatePolicy::FromSpec(spec));
  testing::GateHarness h;
  h.metrics.SetAggregate("errors", Cohort::kWave, T0(), 0.001, 100);
  GateState state;
  DriveGate(policy.ForStage("zone"), h, state, T0());
  const auto queries = h.metrics.queries();  // a copy
  ASSERT_EQ(queries.size(), 1u);
  const auto& q = queries[0];
  EXPECT_EQ(q.query,
            "sum(rate(e{instance=~\"{{targets_regex}}\"}[{{window}}]))");
  EXPECT_THAT(q.params, UnorderedElementsAre(Pair("job", "api"),
                                             Pair("prometheus.range", "true"),
                                             Pair("prometheus.step", "30s")));
}

TEST(PrometheusMetricSpecTest, ConflictsNameTheField) {
  EXPECT_THAT(Spec(R"pb(name: "errors"
                        query: "x"
                        prometheus { query: "y" })pb")
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("metrics[0].prometheus: set either query or "
                                 "prometheus, not both")));
  EXPECT_THAT(Spec(R"pb(name: "errors"
                        prometheus {})pb")
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("metrics[0].prometheus.query: must not be "
                                 "empty")));
  EXPECT_THAT(Spec(R"pb(name: "errors"
                        params { key: "prometheus.range" value: "true" }
                        prometheus { query: "y" })pb")
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("metrics[0].params[\"prometheus.range\"]: set "
                                 "by prometheus")));
  EXPECT_THAT(Spec(R"pb(name: "errors"
                        prometheus {
                          query: "y"
                          step { seconds: -1 }
                        })pb")
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("metrics[0].prometheus.step: must be > 0")));
}

// The first textproto example of docs/prometheus.md is a valid spec.
TEST(PrometheusMetricSpecTest, DocExampleValidates) {
  std::ifstream in("docs/prometheus.md");
  ASSERT_TRUE(in.good()) << "run from the source root";
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string open = "```textproto\n";
  const size_t start = doc.find(open);
  ASSERT_NE(start, std::string::npos);
  const size_t end = doc.find("```", start + open.size());
  ASSERT_NE(end, std::string::npos);
  const std::string example =
      doc.substr(start + open.size(), end - start - open.size());
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::Parse(absl::StrCat("name: \"x\" version: \"1\"\n", example),
                         SpecFormat::kTextProto));
  EXPECT_THAT(GatePolicy::FromSpec(spec).status(), testing::IsOk());
  ASSERT_EQ(spec.ToProto().metrics_size(), 1);
  EXPECT_THAT(spec.ToProto().metrics(0).prometheus().query(),
              HasSubstr("{{targets_regex}}"));
}

}  // namespace
}  // namespace sluice
