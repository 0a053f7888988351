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
                       HasSubstr("points: need at least 2 distinct times "
                                 "(got 1)")));
  // Two readings of one time are one point: still too few.
  EXPECT_THAT(RecordedSeries::ParseCsv("timestamp,value\n0,1\n0,2\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("need at least 2 distinct times (got 1)")));
  EXPECT_THAT(RecordedSeries::FromPoints({{T(0), 1}, {T(1), NAN}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("points[1].value: must be finite")));
  EXPECT_THAT(RecordedSeries::LoadFile("tests/sim/testdata/missing.csv"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing.csv")));
}

// A daylight-saving fall-back exports the repeated local hour twice: the
// stated rule merges repeated times into one point with the mean value.
TEST(RecordedSeriesTest, MergesRepeatedTimestampsIntoTheirMean) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RecordedSeries series,
      RecordedSeries::ParseCsv("timestamp,value\n"
                               "2014-11-02 01:00:00,10\n"
                               "2014-11-02 01:05:00,20\n"
                               "2014-11-02 01:00:00,30\n"
                               "2014-11-02 01:05:00,40\n"
                               "2014-11-02 01:05:00,60\n"
                               "2014-11-02 01:10:00,50\n"));
  ASSERT_EQ(series.points().size(), 3u);
  EXPECT_EQ(series.repeated_points(), 3);
  EXPECT_DOUBLE_EQ(series.points()[0].value, 20);  // (10 + 30) / 2
  EXPECT_DOUBLE_EQ(series.points()[1].value, 40);  // (20 + 40 + 60) / 3
  EXPECT_DOUBLE_EQ(series.points()[2].value, 50);
  EXPECT_DOUBLE_EQ(series.mean(), (20 + 40 + 50) / 3.0);
  EXPECT_EQ(series.gaps(), 0);
  std::ostringstream os;
  os << series;
  EXPECT_THAT(os.str(), HasSubstr("3 repeated times merged"));
}

// Missing timestamps are bridged by linear interpolation, and counted.
TEST(RecordedSeriesTest, BridgesGapsByInterpolation) {
  SLUICE_ASSERT_OK_AND_ASSIGN(RecordedSeries series,
                              RecordedSeries::FromPoints({{T(0), 0},
                                                          {T(5), 10},
                                                          {T(10), 20},
                                                          {T(70), 140},
                                                          {T(75), 150},
                                                          {T(85), 170}}));
  EXPECT_EQ(series.step(), absl::Minutes(5));
  EXPECT_EQ(series.gaps(), 2);  // 10 -> 70 and 75 -> 85
  EXPECT_EQ(series.longest_step(), absl::Hours(1));
  EXPECT_EQ(series.span(), absl::Minutes(85));
  EXPECT_DOUBLE_EQ(series.ValueAt(absl::Minutes(40)), 80);
  EXPECT_DOUBLE_EQ(series.ValueAt(absl::Minutes(80)), 160);
  std::ostringstream os;
  os << series;
  EXPECT_THAT(os.str(), HasSubstr("2 gaps up to 1h"));
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
