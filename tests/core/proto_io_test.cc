// Copyright 2026 The Sluice Authors.
//
// sluice/proto_io.h: config messages read and written by extension, with
// errors that name the file and the line.

#include "sluice/proto_io.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/fleet.pb.h"
#include "sluice/v1/gates.pb.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::IsOkAndHolds;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

v1::Fleet OneTargetFleet() {
  v1::Fleet fleet;
  v1::Target* t = fleet.add_targets();
  t->set_id("web-1");
  t->set_region("us-east-1");
  t->set_zone("use1-az1");
  t->set_weight(2);
  return fleet;
}

TEST(ProtoIoTest, FormatFromExtension) {
  EXPECT_THAT(ConfigFormatFromPath("spec.json"),
              IsOkAndHolds(ConfigFormat::kJson));
  EXPECT_THAT(ConfigFormatFromPath("SPEC.JSON"),
              IsOkAndHolds(ConfigFormat::kJson));
  EXPECT_THAT(ConfigFormatFromPath("fleet.csv"),
              IsOkAndHolds(ConfigFormat::kCsv));
  for (const char* path :
       {"a.textproto", "a.txtpb", "a.pbtxt", "a.textpb", "a.txt"}) {
    EXPECT_THAT(ConfigFormatFromPath(path),
                IsOkAndHolds(ConfigFormat::kTextProto))
        << path;
  }
  EXPECT_THAT(ConfigFormatFromPath("spec.yaml"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("spec.yaml: unknown file type")));
}

TEST(ProtoIoTest, MissingFileIsNotFoundNamingThePath) {
  EXPECT_THAT(ReadFileToString("tests/core/testdata/no_such_file.json"),
              StatusIs(absl::StatusCode::kNotFound,
                       "tests/core/testdata/no_such_file.json: no such file"));
}

TEST(ProtoIoTest, WritesAndReadsBackEveryFormat) {
  const v1::Fleet fleet = OneTargetFleet();
  const std::string dir = ::testing::TempDir();
  const std::string json_path = dir + "/proto_io_test_fleet.json";
  const std::string text_path = dir + "/proto_io_test_fleet.textproto";
  ASSERT_THAT(WriteStringToFile(json_path, ToJson(fleet)), IsOk());
  ASSERT_THAT(WriteStringToFile(text_path, ToTextProto(fleet)), IsOk());

  v1::Fleet from_json;
  ASSERT_THAT(ParseProtoFile(json_path, &from_json), IsOk());
  EXPECT_EQ(from_json.SerializeAsString(), fleet.SerializeAsString());
  v1::Fleet from_text;
  ASSERT_THAT(ParseProtoFile(text_path, &from_text), IsOk());
  EXPECT_EQ(from_text.SerializeAsString(), fleet.SerializeAsString());
  EXPECT_THAT(ReadFileToString(json_path),
              IsOkAndHolds(HasSubstr("\"id\": \"web-1\"")));
}

TEST(ProtoIoTest, UnknownFieldsAreErrorsWithTheLineAndLeaveTheMessageEmpty) {
  v1::Fleet fleet = OneTargetFleet();
  EXPECT_THAT(
      ParseTextProto("targets { id: \"a\" }\nsize: 3", &fleet),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("line 2:5: Message type \"sluice.v1.Fleet\" has no "
                         "field named \"size\"")));
  EXPECT_EQ(fleet.targets_size(), 0);

  fleet = OneTargetFleet();
  EXPECT_THAT(ParseJsonProto(R"({"targets": [], "size": 3})", &fleet),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("size")));
  EXPECT_EQ(fleet.targets_size(), 0);
}

TEST(ProtoIoTest, DeepNestingIsAnErrorNotAStackOverflow) {
  // Thousands of nested shadow gates (the crash of issue 17): refused at
  // kMaxMessageDepth levels in both formats.
  std::string text = "gates { default { ";
  std::string json = R"({"gates": {"default": [)";
  for (int i = 0; i < 5000; ++i) {
    text += "shadow { ";
    json += R"({"shadow": )";
  }
  text += "alarm { alarms: \"A\" }";
  json += R"({"alarm": {"alarms": ["A"]}})";
  for (int i = 0; i < 5000; ++i) {
    text += " }";
    json += "}";
  }
  text += " } }";
  json += "]}}";
  v1::RolloutSpec spec;
  EXPECT_THAT(ParseTextProto(text, &spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("recursion limit of 100")));
  EXPECT_EQ(spec.ByteSizeLong(), 0u);
  EXPECT_THAT(ParseJsonProto(json, &spec),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Nesting within the limit parses.
  std::string ok = "gates { default { ";
  for (int i = 0; i < 20; ++i) ok += "shadow { ";
  ok += "alarm { alarms: \"A\" }";
  for (int i = 0; i < 20; ++i) ok += " }";
  ok += " } }";
  EXPECT_THAT(ParseTextProto(ok, &spec), IsOk());
}

TEST(ProtoIoTest, ValuesTheParsersLetThroughAreRefusedWithThePath) {
  v1::RolloutSpec spec;
  // An open enum's unknown number.
  EXPECT_THAT(
      ParseTextProto("waves { staged { region_order_default: 99 } }", &spec),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("waves.staged.region_order_default: unknown value "
                         "99 of enum sluice.v1.")));
  EXPECT_EQ(spec.ByteSizeLong(), 0u);
  EXPECT_THAT(
      ParseJsonProto(R"({"waves": {"staged": {"regionOrderDefault": 99}}})",
                     &spec),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("waves.staged.region_order_default: unknown value")));
  // A duration beyond protobuf's range.
  EXPECT_THAT(
      ParseTextProto("waves { all_at_once { bake { seconds: 315576000001 } } }",
                     &spec),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("waves.all_at_once.bake: duration out of range")));
  EXPECT_THAT(
      ParseTextProto("waves { all_at_once { bake { seconds: 1 nanos: -5 } } }",
                     &spec),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("waves.all_at_once.bake: duration out of "
                         "range")));
  // A timestamp outside 0001-9999.
  v1::MeasurementState m;
  EXPECT_THAT(ParseTextProto("at { seconds: 253402300800 }", &m),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("at: timestamp must be within 0001-01-01 and "
                                 "9999-12-31")));
  EXPECT_THAT(ParseTextProto("at { seconds: 253402300799 }", &m), IsOk());
  // Raw bytes that are not UTF-8, and escapes that make them.
  EXPECT_THAT(ParseTextProto("name: \"a\xff\"", &spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 1:9: not valid UTF-8 (byte 0xff)")));
  EXPECT_THAT(
      ParseTextProto("labels { key: \"team\" value: \"\\300\" }", &spec),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("labels[\"team\"]: not valid UTF-8")));
}

TEST(ProtoIoTest, JsonDuplicateKeysAndStringBoolsAreRefused) {
  v1::RolloutSpec spec;
  EXPECT_THAT(
      ParseJsonProto(R"({"name": "a", "version": "1", "name": "b"})", &spec),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("duplicate key \"name\"")));
  // (protobuf itself refuses a repeated map key.)
  EXPECT_THAT(
      ParseJsonProto(R"({"labels": {"team": "a", "team": "b"}})", &spec),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("team")));
  EXPECT_THAT(
      ParseJsonProto(
          R"({"waves": {"staged": {"bakes": {}, "noOneBox": true, "bakes": {}}}})",
          &spec),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("waves.staged: duplicate key \"bakes\"")));
  EXPECT_THAT(
      ParseJsonProto(R"({"waves": {"staged": {"noOneBox": "true"}}})", &spec),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("waves.staged.no_one_box: a string where true or "
                         "false is expected")));
  EXPECT_EQ(spec.ByteSizeLong(), 0u);
  // The same keys in different objects, and real bools, are fine.
  EXPECT_THAT(
      ParseJsonProto(
          R"({"name": "a", "labels": {"name": "x"}, "waves": {"staged": {"noOneBox": true}}})",
          &spec),
      IsOk());
}

TEST(ProtoIoTest, ParseProtoChoosesTheParserAndRefusesCsv) {
  v1::Fleet fleet;
  EXPECT_THAT(
      ParseProto("targets { id: \"a\" }", ConfigFormat::kTextProto, &fleet),
      IsOk());
  EXPECT_EQ(fleet.targets(0).id(), "a");
  EXPECT_THAT(
      ParseProto(R"({"targets": [{"id": "b"}]})", ConfigFormat::kJson, &fleet),
      IsOk());
  EXPECT_EQ(fleet.targets(0).id(), "b");
  EXPECT_THAT(ParseProto("id,region\n", ConfigFormat::kCsv, &fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "sluice.v1.Fleet cannot be read from CSV; use "
                       ".textproto or .json"));
}

TEST(ProtoIoTest, FileErrorsArePrefixedWithThePath) {
  v1::RolloutSpec spec;
  EXPECT_THAT(
      ParseProtoFile("tests/core/testdata/unknown_field.textproto", &spec),
      StatusIs(absl::StatusCode::kInvalidArgument,
               StartsWith("tests/core/testdata/unknown_field.textproto: "
                          "line 3:14: ")));
}

}  // namespace
}  // namespace sluice
