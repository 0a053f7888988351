// Copyright 2026 The Sluice Authors.

#include "sluice/spec.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(RolloutSpecTest, ParsesTextAndJson) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec text, RolloutSpec::Parse(R"pb(name: "r"
                                                service: "svc"
                                                version: "2"
                                                previous_version: "1")pb",
                                           SpecFormat::kTextProto));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec json, RolloutSpec::Parse(
                            R"({"name": "r", "service": "svc", "version": "2",
              "previousVersion": "1"})",
                            SpecFormat::kJson));
  EXPECT_EQ(text.name(), "r");
  EXPECT_EQ(json.previous_version(), "1");
  EXPECT_THAT(text.Summary(), StartsWith("r: svc 2 (rollback to 1)"));
  EXPECT_EQ(text.Summary(), json.Summary());
}

struct BadSpecCase {
  const char* label;
  const char* text;
  const char* message;
};

class BadSpecTest : public ::testing::TestWithParam<BadSpecCase> {};

TEST_P(BadSpecTest, IsRejectedNamingTheField) {
  EXPECT_THAT(RolloutSpec::Parse(GetParam().text, SpecFormat::kTextProto),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadSpecTest,
    ::testing::Values(
        BadSpecCase{"unknown_field", "name: \"r\"\nversion: \"2\"\nspeed: 3",
                    "line 3:6: Message type \"sluice.v1.RolloutSpec\" has no "
                    "field named \"speed\""},
        BadSpecCase{"no_name", "version: \"2\"", "name: must not be empty"},
        BadSpecCase{"no_version", "name: \"r\"", "version: must not be empty"},
        BadSpecCase{"same_versions",
                    "name: \"r\" version: \"2\" previous_version: \"2\"",
                    "previous_version: must differ from version"},
        BadSpecCase{"syntax", "name: ", "line 1:"}),
    [](const ::testing::TestParamInfo<BadSpecCase>& info) {
      return std::string(info.param.label);
    });

TEST(RolloutSpecTest, LongNameIsRejected) {
  std::string text = "version: \"1\" name: \"" + std::string(201, 'x') + "\"";
  EXPECT_THAT(RolloutSpec::Parse(text, SpecFormat::kTextProto),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("name: must be at most 200 characters (got "
                                 "201)")));
}

TEST(RolloutSpecTest, JsonUnknownFieldIsRejected) {
  EXPECT_THAT(RolloutSpec::Parse(R"({"name": "r", "version": "1", "x": 1})",
                                 SpecFormat::kJson),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("x")));
}

TEST(RolloutSpecTest, FromProtoValidates) {
  v1::RolloutSpec proto;
  proto.set_name("r");
  EXPECT_THAT(
      RolloutSpec::FromProto(proto),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("version")));
  proto.set_version("3");
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec, RolloutSpec::FromProto(proto));
  EXPECT_EQ(spec.ToProto().version(), "3");
}

TEST(RolloutSpecTest, LoadFileReadsExampleAndPrefixesErrors) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/regional_waves.textproto"));
  EXPECT_EQ(spec.service(), "checkout-api");
  EXPECT_THAT(RolloutSpec::LoadFile("tests/core/testdata/missing.textproto"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing")));
  EXPECT_THAT(RolloutSpec::LoadFile("examples/fleets/three_regions.csv"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("CSV")));
  EXPECT_THAT(
      RolloutSpec::LoadFile("tests/core/testdata/unknown_field.textproto"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("tests/core/testdata/unknown_field.textproto: line "
                         "3:")));
}

}  // namespace
}  // namespace sluice
