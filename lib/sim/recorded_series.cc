// Copyright 2026 The Sluice Authors.

#include "sluice/sim/recorded_series.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "lib/core/status_macros.h"
#include "sluice/csv.h"
#include "sluice/proto_io.h"

namespace sluice::sim {

struct RecordedSeries::Data {
  std::vector<Sample> points;
  absl::Duration step;
  absl::Duration period;
  double mean = 0;
};

RecordedSeries::RecordedSeries(std::shared_ptr<const Data> data)
    : data_(std::move(data)) {}

absl::StatusOr<RecordedSeries> RecordedSeries::FromPoints(
    std::vector<Sample> points) {
  if (points.size() < 2) {
    return internal::InvalidArgumentAt(
        "points", absl::StrCat("need at least 2 (got ", points.size(), ")"));
  }
  for (size_t i = 0; i < points.size(); ++i) {
    if (!std::isfinite(points[i].value)) {
      return internal::InvalidArgumentAt(
          absl::StrCat("points[", i, "].value"),
          absl::StrCat("must be finite (got ", points[i].value, ")"));
    }
  }
  std::stable_sort(
      points.begin(), points.end(),
      [](const Sample& a, const Sample& b) { return a.time < b.time; });
  auto data = std::make_shared<Data>();
  std::vector<absl::Duration> steps;
  steps.reserve(points.size() - 1);
  double sum = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    sum += points[i].value;
    if (i > 0) {
      if (points[i].time == points[i - 1].time) {
        return internal::InvalidArgumentAt(
            absl::StrCat("points[", i, "].time"),
            absl::StrCat("duplicate time ",
                         absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", points[i].time,
                                          absl::UTCTimeZone())));
      }
      steps.push_back(points[i].time - points[i - 1].time);
    }
  }
  std::nth_element(steps.begin(), steps.begin() + steps.size() / 2,
                   steps.end());
  data->step = steps[steps.size() / 2];
  data->period = points.back().time - points.front().time + data->step;
  data->mean = sum / static_cast<double>(points.size());
  data->points = std::move(points);
  return RecordedSeries(std::move(data));
}

namespace {

absl::StatusOr<absl::Time> ParseTimestamp(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  absl::Time time;
  std::string error;
  if (absl::ParseTime("%Y-%m-%d %H:%M:%S", text, absl::UTCTimeZone(), &time,
                      &error) ||
      absl::ParseTime("%Y-%m-%d %H:%M", text, absl::UTCTimeZone(), &time,
                      &error) ||
      absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return time;
  }
  double seconds = 0;
  if (absl::SimpleAtod(text, &seconds) && std::isfinite(seconds)) {
    return absl::UnixEpoch() + absl::Seconds(seconds);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "timestamp: want \"YYYY-MM-DD HH:MM:SS\", RFC 3339 or Unix seconds "
      "(got \"",
      text, "\")"));
}

}  // namespace

absl::StatusOr<RecordedSeries> RecordedSeries::ParseCsv(
    absl::string_view text) {
  SLUICE_ASSIGN_OR_RETURN(CsvTable table, sluice::ParseCsv(text));
  std::optional<size_t> time_col = table.Column("timestamp");
  std::optional<size_t> value_col = table.Column("value");
  if (!time_col.has_value() || !value_col.has_value()) {
    return absl::InvalidArgumentError(
        "line 1: header: want columns \"timestamp\" and \"value\"");
  }
  std::vector<Sample> points;
  points.reserve(table.rows.size());
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const std::string line = absl::StrCat("line ", table.lines[i]);
    absl::StatusOr<absl::Time> time = ParseTimestamp(table.rows[i][*time_col]);
    if (!time.ok()) return internal::PrefixStatus(time.status(), line);
    std::optional<double> value = ParseCsvDouble(table.rows[i][*value_col]);
    if (!value.has_value() || !std::isfinite(*value)) {
      return absl::InvalidArgumentError(
          absl::StrCat(line, ": value: must be a finite number (got \"",
                       table.rows[i][*value_col], "\")"));
    }
    points.push_back(Sample{*time, *value});
  }
  return FromPoints(std::move(points));
}

absl::StatusOr<RecordedSeries> RecordedSeries::LoadFile(
    const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  absl::StatusOr<RecordedSeries> series = ParseCsv(text);
  if (!series.ok()) return internal::PrefixStatus(series.status(), path);
  return series;
}

absl::Span<const Sample> RecordedSeries::points() const {
  return data_->points;
}
absl::Time RecordedSeries::start() const { return data_->points.front().time; }
absl::Duration RecordedSeries::period() const { return data_->period; }
absl::Duration RecordedSeries::step() const { return data_->step; }
double RecordedSeries::mean() const { return data_->mean; }

double RecordedSeries::ValueAt(absl::Duration offset) const {
  const std::vector<Sample>& points = data_->points;
  const absl::Duration period = data_->period;
  absl::Duration wrapped = offset % period;
  if (wrapped < absl::ZeroDuration()) wrapped += period;
  const absl::Time t = points.front().time + wrapped;
  // The first point after t.
  auto it = std::upper_bound(
      points.begin(), points.end(), t,
      [](absl::Time time, const Sample& s) { return time < s.time; });
  const Sample* before;
  Sample after;
  if (it == points.end()) {
    before = &points.back();
    after = Sample{points.front().time + period, points.front().value};
  } else {
    before = &*(it - 1);
    after = *it;
  }
  const double span = absl::ToDoubleSeconds(after.time - before->time);
  const double fraction = absl::ToDoubleSeconds(t - before->time) / span;
  return before->value + fraction * (after.value - before->value);
}

bool operator==(const RecordedSeries& a, const RecordedSeries& b) {
  return a.data_ == b.data_ || a.data_->points == b.data_->points;
}

std::ostream& operator<<(std::ostream& os, const RecordedSeries& series) {
  return os << "RecordedSeries(" << series.points().size() << " points from "
            << absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", series.start(),
                                absl::UTCTimeZone())
            << ", step " << absl::FormatDuration(series.step()) << ", mean "
            << absl::StrFormat("%.6g", series.mean()) << ")";
}

}  // namespace sluice::sim
