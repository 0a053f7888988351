// Copyright 2026 The Sluice Authors.
//
// The Prometheus and Alertmanager APIs' JSON bodies, parsed with
// nlohmann::json (never by hand), and histogram buckets from series.

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/prometheus/alerts.h"
#include "nlohmann/json.hpp"
#include "sluice/prometheus/prometheus.h"

namespace sluice::prometheus {

namespace {

using nlohmann::json;

absl::Status Malformed(absl::string_view what) {
  return absl::InternalError(
      absl::StrCat("malformed Prometheus API answer: ", what));
}

// Prometheus' float strings: decimal, "NaN", "+Inf", "-Inf".
bool ParseFloat(const std::string& text, double* out) {
  if (text == "NaN") {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (text == "+Inf" || text == "Inf") {
    *out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (text == "-Inf") {
    *out = -std::numeric_limits<double>::infinity();
    return true;
  }
  return absl::SimpleAtod(text, out);
}

// A [<unix seconds>, "<value>"] pair.
absl::StatusOr<Sample> ParsePoint(const json& point) {
  if (!point.is_array() || point.size() != 2 || !point[0].is_number() ||
      !point[1].is_string()) {
    return Malformed(absl::StrCat("a point must be [time, \"value\"] (got ",
                                  point.dump(), ")"));
  }
  Sample s;
  s.time = absl::FromUnixMillis(
      static_cast<int64_t>(std::llround(point[0].get<double>() * 1000)));
  if (!ParseFloat(point[1].get<std::string>(), &s.value)) {
    return Malformed(absl::StrCat("value \"", point[1].get<std::string>(),
                                  "\" is not a number"));
  }
  return s;
}

absl::StatusOr<std::map<std::string, std::string>> ParseLabels(
    const json& labels) {
  std::map<std::string, std::string> out;
  if (labels.is_null()) return out;
  if (!labels.is_object()) return Malformed("labels must be an object");
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    if (!it.value().is_string())
      return Malformed(absl::StrCat("label ", it.key(), " is not a string"));
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

// A status "error" body as a Status; OK for "success".
absl::Status ApiError(const json& doc) {
  if (!doc.is_object()) return Malformed("not a JSON object");
  auto status = doc.find("status");
  if (status == doc.end() || !status->is_string())
    return Malformed("no \"status\"");
  if (*status == "success") return absl::OkStatus();
  std::string type = "unknown";
  std::string message;
  if (auto t = doc.find("errorType"); t != doc.end() && t->is_string())
    type = t->get<std::string>();
  if (auto e = doc.find("error"); e != doc.end() && e->is_string())
    message = e->get<std::string>();
  const std::string text =
      absl::StrCat("Prometheus error (", type, "): ", message);
  if (type == "bad_data") return absl::InvalidArgumentError(text);
  if (type == "timeout") return absl::DeadlineExceededError(text);
  return absl::UnavailableError(text);
}

}  // namespace

absl::StatusOr<std::vector<Series>> ParseQueryResponse(absl::string_view body) {
  const json doc = json::parse(body.begin(), body.end(), nullptr,
                               /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Malformed(
        absl::StrCat("not JSON: \"",
                     body.substr(0, std::min<size_t>(body.size(), 200)), "\""));
  }
  if (absl::Status s = ApiError(doc); !s.ok()) return s;
  auto data = doc.find("data");
  if (data == doc.end() || !data->is_object()) return Malformed("no \"data\"");
  auto type = data->find("resultType");
  auto result = data->find("result");
  if (type == data->end() || !type->is_string() || result == data->end())
    return Malformed("no data.resultType or data.result");
  std::vector<Series> out;
  if (*type == "scalar") {
    absl::StatusOr<Sample> p = ParsePoint(*result);
    if (!p.ok()) return p.status();
    out.push_back(Series{{}, {*p}});
    return out;
  }
  if (*type != "vector" && *type != "matrix") {
    return Malformed(absl::StrCat("resultType \"", type->get<std::string>(),
                                  "\" (want vector, matrix or scalar)"));
  }
  if (!result->is_array()) return Malformed("data.result is not an array");
  const bool matrix = *type == "matrix";
  for (const json& item : *result) {
    if (!item.is_object()) return Malformed("a series is not an object");
    Series series;
    auto metric = item.find("metric");
    if (metric != item.end()) {
      absl::StatusOr<std::map<std::string, std::string>> labels =
          ParseLabels(*metric);
      if (!labels.ok()) return labels.status();
      series.labels = *std::move(labels);
    }
    if (matrix) {
      auto values = item.find("values");
      if (values == item.end() || !values->is_array())
        return Malformed("a matrix series has no \"values\" array");
      for (const json& v : *values) {
        absl::StatusOr<Sample> p = ParsePoint(v);
        if (!p.ok()) return p.status();
        series.points.push_back(*p);
      }
      std::sort(
          series.points.begin(), series.points.end(),
          [](const Sample& a, const Sample& b) { return a.time < b.time; });
    } else {
      auto value = item.find("value");
      if (value == item.end()) return Malformed("a vector series has no value");
      absl::StatusOr<Sample> p = ParsePoint(*value);
      if (!p.ok()) return p.status();
      series.points.push_back(*p);
    }
    out.push_back(std::move(series));
  }
  return out;
}

namespace {

std::string LabelsText(const std::map<std::string, std::string>& labels) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : labels) {
    parts.push_back(absl::StrCat(k, "=\"", EscapePromQLString(v), "\""));
  }
  return absl::StrCat("{", absl::StrJoin(parts, ", "), "}");
}

}  // namespace

absl::StatusOr<MetricDistribution> HistogramFromSeries(
    absl::Span<const Series> series) {
  if (series.empty()) return MetricDistribution::NoData("no series matched");
  std::map<std::string, std::string> group;
  std::vector<HistogramBucket> buckets;
  for (size_t i = 0; i < series.size(); ++i) {
    std::map<std::string, std::string> labels = series[i].labels;
    auto le = labels.find("le");
    if (le == labels.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "series ", LabelsText(labels),
          " has no `le` label: a distribution needs histogram buckets, e.g. "
          "sum by (le) (rate(x_bucket[{{window}}]))"));
    }
    HistogramBucket b;
    if (!ParseFloat(le->second, &b.upper_bound) || std::isnan(b.upper_bound)) {
      return absl::InvalidArgumentError(
          absl::StrCat("series ", LabelsText(labels), ": le \"", le->second,
                       "\" is not a number"));
    }
    labels.erase(le);
    labels.erase("__name__");
    if (i == 0) {
      group = labels;
    } else if (labels != group) {
      return absl::InvalidArgumentError(
          absl::StrCat("the buckets are of more than one histogram (",
                       LabelsText(group), " and ", LabelsText(labels),
                       "); aggregate them into one with sum by (le) (...)"));
    }
    if (series[i].points.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("bucket le=\"", le->second, "\" has no value"));
    }
    b.cumulative_count = series[i].points.back().value;
    if (std::isnan(b.cumulative_count)) {
      return MetricDistribution::NoData(absl::StrCat(
          "bucket le=\"", le->second, "\" is NaN (no data in the window)"));
    }
    buckets.push_back(b);
  }
  std::sort(buckets.begin(), buckets.end(),
            [](const HistogramBucket& a, const HistogramBucket& b) {
              return a.upper_bound < b.upper_bound;
            });
  for (size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].upper_bound == buckets[i - 1].upper_bound) {
      return absl::InvalidArgumentError(
          absl::StrCat("two buckets with le=", buckets[i].upper_bound));
    }
  }
  if (!std::isinf(buckets.back().upper_bound) ||
      buckets.back().upper_bound < 0) {
    return absl::InvalidArgumentError(
        "no le=\"+Inf\" bucket: a histogram's buckets must include +Inf");
  }
  // rate() of each bucket is computed separately and may jitter below the
  // bucket before it; histogram_quantile() smooths the same way.
  for (size_t i = 0; i < buckets.size(); ++i) {
    if (buckets[i].cumulative_count < 0) buckets[i].cumulative_count = 0;
    if (i > 0 && buckets[i].cumulative_count < buckets[i - 1].cumulative_count)
      buckets[i].cumulative_count = buckets[i - 1].cumulative_count;
    if (std::isinf(buckets[i].cumulative_count)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bucket le=", buckets[i].upper_bound, " is infinite"));
    }
  }
  if (buckets.back().cumulative_count <= 0)
    return MetricDistribution::NoData("no observations in the window");
  if (absl::Status s = ValidateHistogram(buckets); !s.ok()) return s;
  return MetricDistribution::FromHistogram(std::move(buckets));
}

}  // namespace sluice::prometheus

namespace sluice::internal {

namespace {

using nlohmann::json;

absl::StatusOr<Alert> ParseAlert(const json& item, bool alertmanager) {
  if (!item.is_object())
    return prometheus::Malformed("an alert is not an object");
  Alert a;
  auto labels = item.find("labels");
  if (labels == item.end())
    return prometheus::Malformed("an alert has no labels");
  absl::StatusOr<std::map<std::string, std::string>> l =
      prometheus::ParseLabels(*labels);
  if (!l.ok()) return l.status();
  a.labels = *std::move(l);
  if (auto ann = item.find("annotations"); ann != item.end()) {
    absl::StatusOr<std::map<std::string, std::string>> m =
        prometheus::ParseLabels(*ann);
    if (!m.ok()) return m.status();
    a.annotations = *std::move(m);
  }
  if (alertmanager) {
    auto status = item.find("status");
    if (status == item.end() || !status->is_object())
      return prometheus::Malformed("an Alertmanager alert has no status");
    auto state = status->find("state");
    if (state == status->end() || !state->is_string())
      return prometheus::Malformed("an Alertmanager alert has no status.state");
    a.state = state->get<std::string>();
    if (auto s = item.find("startsAt"); s != item.end() && s->is_string())
      a.since = s->get<std::string>();
  } else {
    auto state = item.find("state");
    if (state == item.end() || !state->is_string())
      return prometheus::Malformed("an alert has no state");
    a.state = state->get<std::string>();
    if (auto s = item.find("activeAt"); s != item.end() && s->is_string())
      a.since = s->get<std::string>();
  }
  return a;
}

}  // namespace

absl::StatusOr<std::vector<Alert>> ParsePrometheusAlerts(
    absl::string_view body) {
  const json doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded()) return prometheus::Malformed("not JSON");
  if (absl::Status s = prometheus::ApiError(doc); !s.ok()) return s;
  auto data = doc.find("data");
  if (data == doc.end() || !data->is_object()) {
    return prometheus::Malformed("no \"data\"");
  }
  auto alerts = data->find("alerts");
  if (alerts == data->end() || !alerts->is_array())
    return prometheus::Malformed("no data.alerts array");
  std::vector<Alert> out;
  for (const json& item : *alerts) {
    absl::StatusOr<Alert> a = ParseAlert(item, false);
    if (!a.ok()) return a.status();
    out.push_back(*std::move(a));
  }
  return out;
}

absl::StatusOr<std::vector<Alert>> ParseAlertmanagerAlerts(
    absl::string_view body) {
  const json doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded()) return prometheus::Malformed("not JSON");
  if (!doc.is_array()) {
    return prometheus::Malformed("Alertmanager's alerts must be a JSON array");
  }
  std::vector<Alert> out;
  for (const json& item : doc) {
    absl::StatusOr<Alert> a = ParseAlert(item, true);
    if (!a.ok()) return a.status();
    out.push_back(*std::move(a));
  }
  return out;
}

}  // namespace sluice::internal
