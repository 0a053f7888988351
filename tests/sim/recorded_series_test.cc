// Copyright 2026 The Sluice Authors.

#include "sluice/sim/recorded_series.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::sim {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

absl::Time T(int minutes) { return absl::UnixEpoch() + absl::Minutes(minutes); }

TEST(RecordedSeriesTest, ParsesNabFormat) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RecordedSeries series,
      RecordedSeries::ParseCsv("timestamp,value\n"
                               "2014-04-10 00:04:00,94.0\n"
                               "2014-04-10 00:09:00,56.0\n"
                               "2014-04-10 00:14:00,187.0\n"));
  ASSERT_EQ(series.points().size(), 3u);
  EXPECT_EQ(series.start(),
            absl::FromCivil(absl::CivilMinute(2014, 4, 10, 0, 4),
                            absl::UTCTimeZone()));
  EXPECT_EQ(series.step(), absl::Minutes(5));
  EXPECT_EQ(series.period(), absl::Minutes(15));
  EXPECT_DOUBLE_EQ(series.mean(), (94.0 + 56.0 + 187.0) / 3);
}

TEST(RecordedSeriesTest, InterpolatesAndWraps) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RecordedSeries series,
      RecordedSeries::FromPoints({{T(10), 30}, {T(0), 10}, {T(5), 20}}));
  EXPECT_DOUBLE_EQ(series.ValueAt(absl::ZeroDuration()), 10);
  EXPECT_DOUBLE_EQ(series.ValueAt(absl::Seconds(150)), 15);
  EXPECT_DOUBLE_EQ(series.ValueAt(absl::Minutes(10)), 30);
  // Between the last point and the next repetition's first: 30 -> 10.
  EXPECT_DOUBLE_EQ(series.ValueAt(absl::Seconds(750)), 20);
  // Period 15 minutes.
  EXPECT_DOUBLE_EQ(series.ValueAt(absl::Minutes(20)), 20);
  EXPECT_DOUBLE_EQ(series.ValueAt(absl::Minutes(-10)), 20);
}

TEST(RecordedSeriesTest, AcceptsUnixSecondsAndRfc3339) {
  EXPECT_THAT(RecordedSeries::ParseCsv("timestamp,value\n0,1\n60,2\n"),
              ::sluice::testing::IsOk());
  EXPECT_THAT(RecordedSeries::ParseCsv("value,timestamp\n1,2026-01-01T00:00:"
                                       "00Z\n2,2026-01-01T00:01:00Z\n"),
              ::sluice::testing::IsOk());
}

TEST(RecordedSeriesTest, RejectsBadInput) {
  EXPECT_THAT(RecordedSeries::ParseCsv("time,value\n0,1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"timestamp\" and \"value\"")));
  EXPECT_THAT(RecordedSeries::ParseCsv("timestamp,value\nyesterday,1\n0,2\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2: timestamp:")));
  EXPECT_THAT(RecordedSeries::ParseCsv("timestamp,value\n0,x\n60,2\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2: value: must be a finite number")));
  EXPECT_THAT(RecordedSeries::ParseCsv("timestamp,value\n0,1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("points: need at least 2 (got 1)")));
  EXPECT_THAT(RecordedSeries::ParseCsv("timestamp,value\n0,1\n0,2\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("duplicate time")));
  EXPECT_THAT(RecordedSeries::LoadFile("tests/sim/testdata/missing.csv"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing.csv")));
}

TEST(RecordedSeriesTest, LoadsTheExampleSeries) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RecordedSeries series,
      RecordedSeries::LoadFile("examples/data/elb_request_count_8c0756.csv"));
  EXPECT_EQ(series.points().size(), 4032u);
  EXPECT_EQ(series.step(), absl::Minutes(5));
  EXPECT_GT(series.mean(), 0);
  std::ostringstream os;
  os << series;
  EXPECT_THAT(os.str(), HasSubstr("4032 points from 2014-04-10T00:04:00Z"));
}

}  // namespace
}  // namespace sluice::sim
