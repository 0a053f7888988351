// Copyright 2026 The Sluice Authors.

#include "sluice/csv.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::internal {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CsvTest, QuotedFieldsKeepCommasNewlinesAndQuotes) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      CsvTable t, ParseCsv("a,b\n\"x,\ny\",\"say \"\"hi\"\"\"\n3, 4 \n"));
  EXPECT_THAT(t.header, ElementsAre("a", "b"));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_THAT(t.rows[0], ElementsAre("x,\ny", "say \"hi\""));
  EXPECT_THAT(t.rows[1], ElementsAre("3", "4"));
  EXPECT_THAT(t.lines, ElementsAre(2, 4));
  EXPECT_EQ(t.Column("b"), 1u);
  EXPECT_EQ(t.Column("c"), std::nullopt);
}

TEST(CsvTest, EmptyTrailingFieldIsKept) {
  SLUICE_ASSERT_OK_AND_ASSIGN(CsvTable t, ParseCsv("a,b\n1,\n"));
  EXPECT_THAT(t.rows[0], ElementsAre("1", ""));
}

TEST(CsvTest, TextAfterClosingQuoteIsAnError) {
  EXPECT_THAT(ParseCsv("a\n\"x\"y\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2: text after a closing quote")));
}

TEST(CsvTest, ParsesDoubles) {
  EXPECT_EQ(ParseCsvDouble(" 2.5 "), 2.5);
  EXPECT_EQ(ParseCsvDouble("1e3"), 1000.0);
  EXPECT_TRUE(std::isnan(*ParseCsvDouble("nan")));
  EXPECT_EQ(ParseCsvDouble(""), std::nullopt);
  EXPECT_EQ(ParseCsvDouble("12abc"), std::nullopt);
}

}  // namespace
}  // namespace sluice::internal
