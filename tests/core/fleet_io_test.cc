// Copyright 2026 The Sluice Authors.

#include "sluice/fleet_io.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_proto.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(ParseFleetCsvTest, ReadsRequiredOptionalAndLabelColumns) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, ParseFleetCsv("id,region,zone,cell,weight,tier\n"
                                 "web-1,us-east-1,use1-az1,c1,2,gold\n"
                                 "# a comment line\n"
                                 "\n"
                                 "\"web,2\",us-east-1,use1-az2,,,\n"));
  ASSERT_EQ(fleet.size(), 2u);
  const Target& a = fleet.target(0);
  EXPECT_EQ(a.id, "web-1");
  EXPECT_EQ(a.topology, (Topology{"us-east-1", "use1-az1", "c1"}));
  EXPECT_EQ(a.weight, 2.0);
  EXPECT_THAT(a.labels, UnorderedElementsAre(Pair("tier", "gold")));
  const Target& b = fleet.target(1);
  EXPECT_EQ(b.id, "web,2");
  EXPECT_EQ(b.weight, 1.0);  // empty weight cell: the default
  EXPECT_TRUE(b.labels.empty());
}

TEST(ParseFleetCsvTest, AcceptsCrlfBomAndColumnsInAnyOrder) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, ParseFleetCsv("\xEF\xBB\xBFzone,id,region\r\nz1,h1,r1\r\n"));
  EXPECT_EQ(fleet.target(0).id, "h1");
  EXPECT_EQ(fleet.target(0).topology.zone, "z1");
}

TEST(ParseFleetCsvTest, HashLinesAreCommentsAndQuotedHashIdsAreTargets) {
  // '#' at the start of a line is a comment (documented in fleet_io.h); an
  // id that starts with '#' is quoted, as FleetToCsv() writes it.
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, ParseFleetCsv("id,region,zone\n"
                                                         "#web-1,r1,z1\n"
                                                         "\"#web-2\",r1,z1\n"));
  ASSERT_EQ(fleet.size(), 1u);
  EXPECT_EQ(fleet.target(0).id, "#web-2");
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet back, ParseFleetCsv(FleetToCsv(fleet)));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back.target(0).id, "#web-2");
}

TEST(ParseFleetCsvTest, OtherEncodingsAreNamed) {
  const std::string utf16le("\xFF\xFEi\0d\0,\0", 8);
  EXPECT_THAT(ParseFleetCsv(utf16le),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the text is UTF-16LE (byte-order mark FF "
                                 "FE), not UTF-8; save it as UTF-8")));
  EXPECT_THAT(ParseFleetCsv(std::string("\xFE\xFF\0i\0d", 6)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("UTF-16BE (byte-order mark FE FF)")));
  EXPECT_THAT(ParseFleetCsv(std::string("i\0d\0,\0r\0", 8)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("UTF-16LE (no byte-order mark, NUL bytes)")));
  EXPECT_THAT(
      ParseFleetCsv(std::string("\xFF\xFE\0\0i\0\0\0", 8)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("UTF-32LE")));
  EXPECT_THAT(ParseFleetCsv("id,region,zone\nweb-\xff,r1,z1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2:5: not valid UTF-8 (byte 0xff)")));
  // Overlong forms and surrogates are not UTF-8 either.
  EXPECT_FALSE(ParseFleetCsv("id,region,zone\nweb-\xc0\xaf,r1,z1\n").ok());
  EXPECT_FALSE(ParseFleetCsv("id,region,zone\nweb-\xed\xa0\x80,r1,z1\n").ok());
  // Real UTF-8 is fine.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, ParseFleetCsv("id,region,zone\nwéb-1,eu-zürich,z1\n"));
  EXPECT_EQ(fleet.target(0).id, "wéb-1");
}

TEST(ParseFleetTextProtoTest, InvalidUtf8IsRefusedWithThePath) {
  EXPECT_THAT(ParseFleetTextProto(
                  "targets { id: \"web-\\377\" region: \"r\" zone: \"z\" }"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("targets[0].id: not valid UTF-8 (byte 0xff "
                                 "at offset 4)")));
  EXPECT_THAT(ParseFleetJson("{\"targets\": [{\"id\": \"web-\xff\"}]}"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not valid UTF-8")));
}

struct BadCsvCase {
  const char* label;
  const char* csv;
  const char* message;
};

class BadFleetCsvTest : public ::testing::TestWithParam<BadCsvCase> {};

TEST_P(BadFleetCsvTest, NamesLineAndField) {
  EXPECT_THAT(ParseFleetCsv(GetParam().csv),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadFleetCsvTest,
    ::testing::Values(
        BadCsvCase{"empty", "", "line 1: missing header row"},
        BadCsvCase{"no_rows", "id,region,zone\n", "targets: must not be empty"},
        BadCsvCase{"missing_zone", "id,region\nh,r\n",
                   "missing required column \"zone\""},
        BadCsvCase{
            "negative_weight",
            "id,region,zone,weight\na,r,z,1\nb,r,z,1\nc,r,z,1\nd,r,z,-1\n",
            "line 5 (targets[3]).weight: must be finite and >= 0 (got "
            "-1)"},
        BadCsvCase{"not_a_number", "id,region,zone,weight\na,r,z,heavy\n",
                   "line 2 (targets[0]).weight: not a number (got \"heavy\")"},
        BadCsvCase{"duplicate_id", "id,region,zone\na,r,z\n\na,r,z\n",
                   "line 4 (targets[1]).id: duplicate id \"a\" (first at line "
                   "2 (targets[0]))"},
        BadCsvCase{"ragged", "id,region,zone\na,r\n",
                   "line 2: expected 3 fields as in the header, got 2"},
        BadCsvCase{"unterminated", "id,region,zone\n\"a,r,z\n",
                   "line 2: unterminated quoted field"},
        BadCsvCase{"stray_quote", "id,region,zone\na\"b,r,z\n",
                   "line 2: a quote inside an unquoted field (column 1)"},
        BadCsvCase{"duplicate_header", "id,region,zone,id\n",
                   "line 1: duplicate header column \"id\""},
        BadCsvCase{"empty_header", "id,,zone\n", "header column 2 is empty"}),
    [](const ::testing::TestParamInfo<BadCsvCase>& info) {
      return std::string(info.param.label);
    });

TEST(FleetCsvTest, RoundTrips) {
  const std::string csv =
      "id,region,zone,cell,weight,owner,tier\n"
      "a,r1,z1,c1,0.5,\"team \"\"x\"\"\",gold\n"
      "\"b,c\",r1,z2,,3,,silver\n";
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, ParseFleetCsv(csv));
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet again, ParseFleetCsv(FleetToCsv(fleet)));
  EXPECT_EQ(fleet, again);
}

TEST(ParseFleetCsvTest, QuoteInsideUnquotedFieldIsAnError) {
  EXPECT_THAT(
      ParseFleetCsv("id,region,zone,owner\na,r1,z1,team \"x\"\n"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("column 4")));
}

TEST(ParseFleetTextProtoTest, ReadsTargetsAndDefaultsWeight) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, ParseFleetTextProto(R"pb(
        targets {
          id: "a"
          region: "r"
          zone: "z"
          labels { key: "k" value: "v" }
        }
        targets { id: "b" region: "r" zone: "z" weight: 0 }
      )pb"));
  EXPECT_EQ(fleet.target(0).weight, 1.0);
  EXPECT_EQ(fleet.target(1).weight, 0.0);
  EXPECT_EQ(fleet.target(0).labels.at("k"), "v");
}

TEST(ParseFleetTextProtoTest, RejectsUnknownFieldWithLine) {
  EXPECT_THAT(
      ParseFleetTextProto("targets { id: \"a\"\n colour: \"red\" }"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2:")));
  EXPECT_THAT(
      ParseFleetTextProto("targets { id: \"a\"\n colour: \"red\" }"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("colour")));
}

TEST(ParseFleetJsonTest, ReadsAndValidates) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, ParseFleetJson(R"({"targets": [
          {"id": "a", "region": "r", "zone": "z", "weight": 2.5}]})"));
  EXPECT_EQ(fleet.target(0).weight, 2.5);
  EXPECT_THAT(ParseFleetJson(R"({"targets": [{"id": "a", "region": "r",
                                "zone": "z", "weight": -1}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("targets[0].weight: must be finite")));
  EXPECT_THAT(ParseFleetJson(R"({"targets": [], "extra": 1})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("extra")));
}

TEST(FleetProtoTest, RoundTrips) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet,
                              ParseFleetCsv("id,region,zone,cell,weight,tier\n"
                                            "a,r,z,c,2,gold\nb,r,z2,,0,\n"));
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet again, FleetFromProto(FleetToProto(fleet)));
  EXPECT_EQ(fleet, again);
}

TEST(LoadFleetFileTest, ChoosesFormatByExtensionAndPrefixesPath) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  EXPECT_GE(fleet.regions().size(), 3u);
  EXPECT_THAT(LoadFleetFile("tests/core/testdata/no_such_fleet.csv"),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("tests/core/testdata/no_such_fleet.csv")));
  EXPECT_THAT(LoadFleetFile("fleet.yaml"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown file type")));
  EXPECT_THAT(
      LoadFleetFile("tests/core/testdata/negative_weight.csv"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("tests/core/testdata/negative_weight.csv: line "
                         "3 (targets[1]).weight")));
}

// ---- Infrastructure columns: kind, zones, regions.

constexpr char kInfraCsv[] =
    "id,region,zone,kind,zones,regions,tier\n"
    "asg-a,us-east-1,a,autoscaling_group,,,gold\n"
    "asg-b,us-east-1,b,autoscaling_group,,,\n"
    "asg-c,us-east-1,c,autoscaling_group,,,\n"
    "asg-w,eu-west-1,a,autoscaling_group,,,\n"
    "role,us-east-1,a,instance_role, a ; b;c ,,\n"
    "lb,us-east-1,a,load_balancer,,us-east-1;eu-west-1,\n";

TEST(ParseFleetCsvTest, ReadsKindZonesAndRegionsColumns) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, ParseFleetCsv(kInfraCsv));
  EXPECT_EQ(fleet.target(0).kind, "autoscaling_group");
  EXPECT_TRUE(fleet.target(0).zones.empty());
  EXPECT_THAT(fleet.target(0).labels,
              UnorderedElementsAre(Pair("tier", "gold")));
  EXPECT_EQ(fleet.target(4).kind, "instance_role");
  EXPECT_EQ(fleet.target(4).zones, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(fleet.target(5).regions,
            (std::vector<std::string>{"us-east-1", "eu-west-1"}));
  EXPECT_TRUE(fleet.target(4).labels.empty());
  EXPECT_TRUE(fleet.spans_several(4));
  EXPECT_TRUE(fleet.spans_several(5));
}

TEST(ParseFleetCsvTest, OldFilesWithoutTheNewColumnsStillRead) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, ParseFleetCsv("id,region,zone,weight\nh,r,z,2\n"));
  EXPECT_EQ(fleet.target(0).kind, "");
  EXPECT_TRUE(fleet.target(0).zones.empty());
  EXPECT_TRUE(fleet.target(0).regions.empty());
  // And are written back in the five-column form.
  EXPECT_EQ(FleetToCsv(fleet), "id,region,zone,cell,weight\nh,r,z,,2\n");
}

TEST(ParseFleetCsvTest, SpanErrorsNameTheLineAndField) {
  EXPECT_THAT(ParseFleetCsv("id,region,zone,zones\n"
                            "a,r,z1,\n"
                            "b,r,z2,z1;z2;z9\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 3 (targets[1]).zones[2]: unknown zone "
                                 "\"z9\"")));
  EXPECT_THAT(ParseFleetCsv("id,region,zone,zones\n"
                            "a,r,z1,\n"
                            "b,r,z2,z1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 3 (targets[1]).zones: must include the "
                                 "target's own zone \"z2\"")));
  EXPECT_THAT(ParseFleetCsv("id,region,zone,regions\n"
                            "a,r,z1,r;q\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2 (targets[0]).regions[1]: unknown "
                                 "region \"q\"")));
}

TEST(FleetCsvTest, InfrastructureColumnsRoundTrip) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, ParseFleetCsv(kInfraCsv));
  const std::string csv = FleetToCsv(fleet);
  EXPECT_THAT(csv, HasSubstr("id,region,zone,cell,weight,kind,zones,regions,"
                             "tier\n"));
  EXPECT_THAT(csv, HasSubstr("role,us-east-1,a,,1,instance_role,a;b;c,,\n"));
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet again, ParseFleetCsv(csv));
  EXPECT_EQ(fleet, again);
}

TEST(ParseFleetTextProtoTest, ReadsKindZonesAndRegions) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, ParseFleetTextProto(R"pb(
        targets { id: "a" region: "r" zone: "z1" kind: "autoscaling_group" }
        targets { id: "b" region: "r" zone: "z2" kind: "autoscaling_group" }
        targets {
          id: "role"
          region: "r"
          zone: "z1"
          kind: "instance_role"
          zones: [ "z1", "z2" ]
        }
      )pb"));
  EXPECT_EQ(fleet.target(2).kind, "instance_role");
  EXPECT_EQ(fleet.target(2).zones, (std::vector<std::string>{"z1", "z2"}));
  EXPECT_TRUE(fleet.spans_several(2));
  EXPECT_THAT(ParseFleetTextProto(R"pb(
                targets {
                  id: "a"
                  region: "r"
                  zone: "z1"
                  zones: [ "z1", "z3" ]
                }
              )pb"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("targets[0].zones[1]: unknown zone \"z3\"")));
  EXPECT_THAT(
      ParseFleetJson(R"({"targets": [{"id": "a", "region": "r", "zone": "z",
                        "regions": ["s"]}]})"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("targets[0].regions[0]: unknown region \"s\"")));
}

TEST(FleetProtoTest, InfrastructureFieldsRoundTrip) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, ParseFleetCsv(kInfraCsv));
  const v1::Fleet proto = FleetToProto(fleet);
  EXPECT_EQ(proto.targets(4).kind(), "instance_role");
  EXPECT_EQ(proto.targets(4).zones_size(), 3);
  EXPECT_EQ(proto.targets(5).regions(1), "eu-west-1");
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet again, FleetFromProto(proto));
  EXPECT_EQ(fleet, again);
}

}  // namespace
}  // namespace sluice
