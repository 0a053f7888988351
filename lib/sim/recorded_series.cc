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
  double cv = 0;
  int64_t repeated = 0;
  int64_t gaps = 0;
  absl::Duration longest_step;
};

RecordedSeries::RecordedSeries(std::shared_ptr<const Data> data)
    : data_(std::move(data)) {}

absl::StatusOr<RecordedSeries> RecordedSeries::FromPoints(
    std::vector<Sample> points) {
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
  // Repeated times: one point with the mean of the repeated values.
  std::vector<Sample> merged;
  merged.reserve(points.size());
  for (size_t i = 0; i < points.size();) {
    size_t j = i;
    double sum = 0;
    while (j < points.size() && points[j].time == points[i].time) {
      sum += points[j].value;
      ++j;
    }
    merged.push_back(Sample{points[i].time, sum / static_cast<double>(j - i)});
    data->repeated += static_cast<int64_t>(j - i - 1);
    i = j;
  }
  if (merged.size() < 2) {
    return internal::InvalidArgumentAt(
        "points", absl::StrCat("need at least 2 distinct times (got ",
                               merged.size(), ")"));
  }
  std::vector<absl::Duration> steps;
  steps.reserve(merged.size() - 1);
  double sum = 0;
  for (size_t i = 0; i < merged.size(); ++i) {
    sum += merged[i].value;
    if (i > 0) steps.push_back(merged[i].time - merged[i - 1].time);
  }
  std::vector<absl::Duration> sorted = steps;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2,
                   sorted.end());
  data->step = sorted[sorted.size() / 2];
  for (absl::Duration step : steps) {
    if (step > data->step * 1.5) ++data->gaps;
    data->longest_step = std::max(data->longest_step, step);
  }
  data->period = merged.back().time - merged.front().time + data->step;
  data->mean = sum / static_cast<double>(merged.size());
  double squares = 0;
  for (const Sample& p : merged) {
    squares += (p.value - data->mean) * (p.value - data->mean);
  }
  if (data->mean != 0) {
    data->cv = std::sqrt(squares / static_cast<double>(merged.size())) /
               std::fabs(data->mean);
  }
  data->points = std::move(merged);
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
int64_t RecordedSeries::repeated_points() const { return data_->repeated; }
int64_t RecordedSeries::gaps() const { return data_->gaps; }
absl::Duration RecordedSeries::longest_step() const {
  return data_->longest_step;
}
absl::Duration RecordedSeries::span() const {
  return data_->points.back().time - data_->points.front().time;
}
double RecordedSeries::mean() const { return data_->mean; }
double RecordedSeries::cv() const { return data_->cv; }

double RecordedSeries::ValueAt(absl::Duration offset) const {
  const std::vector<Sample>& points = data_->points;
  const absl::Duration period = data_->period;
  absl::Duration wrapped = offset % period;
  if (wrapped < absl::ZeroDuration()) wrapped += period;
  const absl::Time t = points.front().time + wrapped;
  // The last point at or before t: guessed from the median step (exact for
  // an even series), corrected by a few steps, else a binary search.
  const size_t n = points.size();
  absl::Duration remainder;
  size_t i = static_cast<size_t>(
      std::min<int64_t>(static_cast<int64_t>(n) - 1,
                        absl::IDivDuration(wrapped, data_->step, &remainder)));
  for (int walk = 0; walk < 8; ++walk) {
    if (points[i].time > t) {
      --i;
    } else if (i + 1 < n && points[i + 1].time <= t) {
      ++i;
    } else {
      break;
    }
  }
  if (points[i].time > t || (i + 1 < n && points[i + 1].time <= t)) {
    auto it = std::upper_bound(
        points.begin(), points.end(), t,
        [](absl::Time time, const Sample& s) { return time < s.time; });
    i = static_cast<size_t>(it - points.begin()) - 1;
  }
  const Sample& before = points[i];
  const Sample after =
      i + 1 < n ? points[i + 1]
                : Sample{points.front().time + period, points.front().value};
  const double span = absl::ToDoubleSeconds(after.time - before.time);
  const double fraction = absl::ToDoubleSeconds(t - before.time) / span;
  return before.value + fraction * (after.value - before.value);
}

bool operator==(const RecordedSeries& a, const RecordedSeries& b) {
  return a.data_ == b.data_ || a.data_->points == b.data_->points;
}

std::ostream& operator<<(std::ostream& os, const RecordedSeries& series) {
  os << "RecordedSeries(" << series.points().size() << " points from "
     << absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", series.start(),
                         absl::UTCTimeZone())
     << ", step " << absl::FormatDuration(series.step()) << ", mean "
     << absl::StrFormat("%.6g", series.mean());
  if (series.repeated_points() > 0) {
    os << ", " << series.repeated_points() << " repeated times merged";
  }
  if (series.gaps() > 0) {
    os << ", " << series.gaps() << (series.gaps() == 1 ? " gap" : " gaps")
       << " up to " << absl::FormatDuration(series.longest_step());
  }
  return os << ")";
}

}  // namespace sluice::sim
