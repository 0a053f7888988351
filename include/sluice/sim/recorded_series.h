// Copyright 2026 The Sluice Authors.
//
// RecordedSeries: a metric recorded from a real service (CSV
// `timestamp,value`), replayed by the simulator as the background a fault is
// added to, or used to backtest a gate on a past week of a healthy service.
//
// The series is kept as its points, sorted by time. ValueAt() interpolates
// linearly between points and repeats the series when asked past its end, so
// a two-week recording can drive any number of virtual hours.
//
// Real exports are irregular, and two rules make any of them usable:
//   - repeated timestamps (a daylight-saving fall-back exports one local hour
//     twice; some exporters write a point twice) are merged into one point
//     whose value is the mean of the repeated values: the two readings cannot
//     be told apart, so their mean stands for both;
//   - missing timestamps (a gap longer than the series' median step) are
//     bridged by linear interpolation between the points on either side,
//     whatever the gap's length.
// Both are counted (repeated_points(), gaps()) so tools can say what they did.
//
// Example:
//
//   absl::StatusOr<sluice::sim::RecordedSeries> series =
//       sluice::sim::RecordedSeries::LoadFile(
//           "examples/data/elb_request_count_8c0756.csv");
//   if (!series.ok()) return series.status();
//   double first_hour = series->ValueAt(absl::Hours(1));
//   double shape = first_hour / series->mean();

#ifndef SLUICE_SIM_RECORDED_SERIES_H_
#define SLUICE_SIM_RECORDED_SERIES_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/metric_source.h"

namespace sluice::sim {

// A validated recorded series: at least two distinct times, finite values,
// points sorted by time with repeated times merged (see above). Copying is
// cheap (the points are shared and immutable). Thread-safe: all methods are
// const.
class RecordedSeries {
 public:
  // Builds a series from points in any order; points with the same time are
  // merged into one with their mean value. Errors (kInvalidArgument):
  // "points: need at least 2 distinct times (got 1)", "points[3].value: must
  // be finite (got nan)".
  static absl::StatusOr<RecordedSeries> FromPoints(std::vector<Sample> points);

  // Parses CSV text with a header naming the columns `timestamp` and
  // `value` (other columns are ignored). Timestamps are "YYYY-MM-DD
  // HH:MM:SS" (UTC), RFC 3339, or Unix seconds. Errors are kInvalidArgument
  // "line N: timestamp: ..." or as FromPoints().
  static absl::StatusOr<RecordedSeries> ParseCsv(absl::string_view text);

  // Reads and parses a CSV file; errors are prefixed with the path.
  static absl::StatusOr<RecordedSeries> LoadFile(const std::string& path);

  // The points, sorted by time, with strictly increasing times.
  absl::Span<const Sample> points() const;
  // How many input points were merged away because their time repeated an
  // earlier point's (0 for a clean series).
  int64_t repeated_points() const;
  // How many steps between consecutive points are longer than 1.5 times the
  // median step (missing timestamps, bridged by interpolation), and the
  // longest step.
  int64_t gaps() const;
  absl::Duration longest_step() const;
  // The time from the first point to the last.
  absl::Duration span() const;
  // The time of the first point.
  absl::Time start() const;
  // The period of the replay: last time - first time + the median step
  // between points, so that the series repeats with an even step.
  absl::Duration period() const;
  // The median time between consecutive points.
  absl::Duration step() const;
  // The mean of the values.
  double mean() const;
  // Their coefficient of variation: the population standard deviation over
  // the mean (0 when the mean is 0).
  double cv() const;

  // The value `offset` after start(), interpolated linearly between points;
  // offsets past the end wrap around (period()); negative offsets wrap too.
  // Between the last point and the first point of the next repetition the
  // value is interpolated between them.
  double ValueAt(absl::Duration offset) const;

  friend bool operator==(const RecordedSeries& a, const RecordedSeries& b);
  friend bool operator!=(const RecordedSeries& a, const RecordedSeries& b) {
    return !(a == b);
  }

 private:
  struct Data;
  explicit RecordedSeries(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

// Prints "RecordedSeries(4032 points from 2014-04-10T00:04:00Z, step 5m,
// mean 152.3)", followed by ", 11 repeated times merged, 2 gaps up to 1h1m"
// when there were any.
std::ostream& operator<<(std::ostream& os, const RecordedSeries& series);

}  // namespace sluice::sim

#endif  // SLUICE_SIM_RECORDED_SERIES_H_
