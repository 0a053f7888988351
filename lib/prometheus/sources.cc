// Copyright 2026 The Sluice Authors.
//
// The Prometheus MetricSource and the Prometheus/Alertmanager AlarmSources.

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "lib/core/status_macros.h"
#include "lib/prometheus/alerts.h"
#include "lib/prometheus/http.h"
#include "sluice/prometheus/prometheus.h"

namespace sluice::prometheus {

namespace {

using internal::FetchWithRetry;
using internal::InvalidArgumentAt;

// Unix seconds with millisecond precision, as Prometheus takes them.
std::string UnixSeconds(absl::Time t) {
  return absl::StrFormat("%.3f", absl::ToUnixMillis(t) / 1000.0);
}

std::string Seconds(absl::Duration d) {
  return absl::StrFormat("%.3f", absl::ToDoubleSeconds(d));
}

// The body of a response: an error for HTTP statuses other than 2xx that
// carry no API JSON (4xx with JSON are parsed: Prometheus' bad_data is 400).
absl::Status HttpError(const std::string& what, const HttpResponse& r) {
  const std::string text =
      absl::StrCat(what, ": HTTP ", r.status_code, ": ",
                   r.body.substr(0, std::min<size_t>(r.body.size(), 300)));
  if (r.status_code >= 500 || r.status_code == 429)
    return absl::UnavailableError(text);
  if (r.status_code == 404) return absl::NotFoundError(text);
  return absl::InvalidArgumentError(text);
}

class PrometheusMetricSource : public MetricSource {
 public:
  explicit PrometheusMetricSource(PrometheusOptions options)
      : options_(std::move(options)) {}

  absl::StatusOr<MetricResult> Query(const MetricQuery& query) override {
    SLUICE_ASSIGN_OR_RETURN(Prepared p, Prepare(query));
    if (p.no_targets) return MetricResult::NoData(NoTargets(query));
    if (p.range) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<Series> series,
                              Run(query, p.promql, "/api/v1/query_range",
                                  {{"query", p.promql},
                                   {"start", UnixSeconds(query.start)},
                                   {"end", UnixSeconds(query.end)},
                                   {"step", Seconds(p.step)},
                                   {"timeout", Seconds(options_.timeout)}}));
      return FromRange(query, p, series);
    }
    SLUICE_ASSIGN_OR_RETURN(std::vector<Series> series,
                            Run(query, p.promql, "/api/v1/query",
                                {{"query", p.promql},
                                 {"time", UnixSeconds(query.end)},
                                 {"timeout", Seconds(options_.timeout)}}));
    if (series.empty()) {
      return MetricResult::NoData(
          absl::StrCat("no series matched: ", p.promql));
    }
    if (series.size() > 1) {
      std::vector<std::string> labels;
      for (size_t i = 0; i < series.size() && i < 3; ++i) {
        std::vector<std::string> parts;
        for (const auto& [k, v] : series[i].labels)
          parts.push_back(absl::StrCat(k, "=\"", v, "\""));
        labels.push_back(absl::StrCat("{", absl::StrJoin(parts, ","), "}"));
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "metric ", query.metric, ": the query gave ", series.size(),
          " series (", absl::StrJoin(labels, ", "),
          series.size() > 3 ? ", ..." : "",
          ") where one value is needed; aggregate them, e.g. sum(...): ",
          p.promql));
    }
    const double v = series[0].points.back().value;
    if (std::isnan(v) || std::isinf(v)) {
      return MetricResult::NoData(absl::StrCat(
          "the query's value is ", std::isnan(v) ? "NaN" : "infinite",
          " (e.g. a ratio with no requests in the window): ", p.promql));
    }
    return MetricResult::FromAggregate(v);
  }

  absl::StatusOr<MetricDistribution> QueryDistribution(
      const MetricQuery& query) override {
    SLUICE_ASSIGN_OR_RETURN(Prepared p, Prepare(query));
    if (p.no_targets) return MetricDistribution::NoData(NoTargets(query));
    SLUICE_ASSIGN_OR_RETURN(std::vector<Series> series,
                            Run(query, p.promql, "/api/v1/query",
                                {{"query", p.promql},
                                 {"time", UnixSeconds(query.end)},
                                 {"timeout", Seconds(options_.timeout)}}));
    absl::StatusOr<MetricDistribution> d = HistogramFromSeries(series);
    if (!d.ok()) {
      return absl::Status(d.status().code(),
                          absl::StrCat("metric ", query.metric, ": ",
                                       d.status().message(), ": ", p.promql));
    }
    if (d->kind == MetricDistribution::Kind::kNoData) {
      d->message = absl::StrCat(d->message, ": ", p.promql);
    }
    return d;
  }

 private:
  struct Prepared {
    std::string promql;
    bool range = false;
    absl::Duration step;
    // A wave or baseline cohort without targets: {{targets_regex}} would
    // match the whole fleet, so nothing is asked.
    bool no_targets = false;
  };

  static std::string NoTargets(const MetricQuery& query) {
    return absl::StrCat("the ", CohortName(query.cohort),
                        " cohort has no targets");
  }

  absl::StatusOr<Prepared> Prepare(const MetricQuery& query) const {
    const std::string field =
        absl::StrCat("metrics[", query.metric, "].prometheus.query");
    if (query.query.empty()) {
      return InvalidArgumentAt(
          field, "empty: a Prometheus metric needs a PromQL template");
    }
    if (query.end <= query.start) {
      return absl::InvalidArgumentError(
          absl::StrCat("metric ", query.metric, ": the window [",
                       absl::FormatTime(query.start), ", ",
                       absl::FormatTime(query.end), ") is empty"));
    }
    Prepared p;
    p.step = options_.step;
    if (auto it = query.params.find("prometheus.range");
        it != query.params.end()) {
      if (it->second != "true" && it->second != "false") {
        return InvalidArgumentAt(
            absl::StrCat("metrics[", query.metric,
                         "].params[\"prometheus.range\"]"),
            absl::StrCat("must be true or false (got \"", it->second, "\")"));
      }
      p.range = it->second == "true";
    }
    if (auto it = query.params.find("prometheus.step");
        it != query.params.end()) {
      if (!absl::ParseDuration(it->second, &p.step) ||
          p.step <= absl::ZeroDuration()) {
        return InvalidArgumentAt(
            absl::StrCat("metrics[", query.metric,
                         "].params[\"prometheus.step\"]"),
            absl::StrCat("must be a duration > 0, e.g. \"15s\" (got \"",
                         it->second, "\")"));
      }
    }
    TemplateValues values;
    values.metric = query.metric;
    values.cohort = query.cohort;
    for (const std::string& id : query.targets)
      values.targets.push_back(options_.target_label(id));
    values.window = query.end - query.start;
    values.wave_index = query.wave_index;
    values.stage = query.stage;
    values.params = query.params;
    SLUICE_ASSIGN_OR_RETURN(p.promql,
                            ExpandTemplate(query.query, values, field));
    p.no_targets = query.cohort != Cohort::kFleet && query.targets.empty();
    return p;
  }

  absl::StatusOr<std::vector<Series>> Run(
      const MetricQuery& query, const std::string& promql,
      const std::string& path,
      const std::vector<std::pair<std::string, std::string>>& params) const {
    // POSTed as a form, as Prometheus allows: a cohort of thousands of
    // targets makes a query longer than a URL may be.
    SLUICE_ASSIGN_OR_RETURN(std::string url,
                            internal::ApiUrl(options_.url, path, {}));
    SLUICE_ASSIGN_OR_RETURN(std::string body, internal::FormBody(params));
    absl::StatusOr<HttpResponse> r = FetchWithRetry(
        options_, url, body, "application/x-www-form-urlencoded");
    const std::string what =
        absl::StrCat("metric ", query.metric, ": Prometheus ", path);
    if (!r.ok()) {
      return absl::Status(r.status().code(),
                          absl::StrCat(what, ": ", r.status().message()));
    }
    absl::StatusOr<std::vector<Series>> series = ParseQueryResponse(r->body);
    if (!series.ok()) {
      // A body that is no API JSON: say what HTTP said instead.
      if (r->status_code / 100 != 2 &&
          series.status().code() == absl::StatusCode::kInternal) {
        return HttpError(what, *r);
      }
      return absl::Status(series.status().code(),
                          absl::StrCat(what, ": ", series.status().message(),
                                       " (query: ", promql, ")"));
    }
    if (r->status_code / 100 != 2) return HttpError(what, *r);
    return series;
  }

  absl::StatusOr<MetricResult> FromRange(const MetricQuery& query,
                                         const Prepared& p,
                                         const std::vector<Series>& series) {
    if (series.empty()) {
      return MetricResult::NoData(
          absl::StrCat("no series matched: ", p.promql));
    }
    std::vector<Sample> samples;
    absl::Time newest = absl::InfinitePast();
    for (const Series& s : series) {
      for (const Sample& point : s.points) {
        if (point.time >= query.end || std::isnan(point.value)) continue;
        samples.push_back(point);
        newest = std::max(newest, point.time);
      }
    }
    if (samples.empty()) {
      return MetricResult::NoData(
          absl::StrCat("no values in the window (", series.size(),
                       " series, all NaN): ", p.promql));
    }
    if (query.end - newest > options_.staleness) {
      return MetricResult::NoData(absl::StrCat(
          "stale: the newest value is from ", absl::FormatTime(newest), ", ",
          absl::FormatDuration(query.end - newest),
          " before the window's end (staleness ",
          absl::FormatDuration(options_.staleness), "): ", p.promql));
    }
    return MetricResult::FromSamples(std::move(samples));
  }

  const PrometheusOptions options_;
};

// Common to both alarm sources: fetch the alerts once, match each alarm.
class AlertsAlarmSource : public AlarmSource {
 public:
  AlertsAlarmSource(PrometheusOptions options, bool alertmanager)
      : options_(std::move(options)), alertmanager_(alertmanager) {}

  absl::StatusOr<std::vector<AlarmStatus>> QueryAlarms(
      const AlarmQuery& query) override {
    if (query.alarms.empty())
      return InvalidArgumentAt("alarms", "must not be empty");
    std::vector<std::string> targets;
    for (const std::string& id : query.targets)
      targets.push_back(options_.target_label(id));
    std::vector<AlertSelector> selectors;
    for (size_t i = 0; i < query.alarms.size(); ++i) {
      SLUICE_ASSIGN_OR_RETURN(
          AlertSelector s, ParseAlertSelector(query.alarms[i], targets,
                                              absl::StrCat("alarms[", i, "]")));
      selectors.push_back(std::move(s));
    }
    const std::string path =
        alertmanager_ ? "/api/v2/alerts" : "/api/v1/alerts";
    const std::string what =
        absl::StrCat(alertmanager_ ? "Alertmanager " : "Prometheus ", path);
    SLUICE_ASSIGN_OR_RETURN(std::string url,
                            internal::ApiUrl(options_.url, path, {}));
    absl::StatusOr<HttpResponse> r = FetchWithRetry(options_, url);
    if (!r.ok()) {
      return absl::Status(r.status().code(),
                          absl::StrCat(what, ": ", r.status().message()));
    }
    if (r->status_code / 100 != 2) return HttpError(what, *r);
    absl::StatusOr<std::vector<internal::Alert>> alerts =
        alertmanager_ ? internal::ParseAlertmanagerAlerts(r->body)
                      : internal::ParsePrometheusAlerts(r->body);
    if (!alerts.ok()) {
      return absl::Status(alerts.status().code(),
                          absl::StrCat(what, ": ", alerts.status().message()));
    }
    std::vector<AlarmStatus> out;
    for (size_t i = 0; i < selectors.size(); ++i) {
      AlarmStatus status;
      status.name = query.alarms[i];
      std::vector<std::string> firing;
      std::vector<std::string> quiet;
      for (const internal::Alert& a : *alerts) {
        SLUICE_ASSIGN_OR_RETURN(bool match,
                                AlertMatches(selectors[i], a.labels));
        if (!match) continue;
        const bool active =
            alertmanager_ ? (a.state == "active" || a.state == "unprocessed")
                          : a.state == "firing";
        std::string text = Describe(a);
        (active ? firing : quiet).push_back(std::move(text));
      }
      std::sort(firing.begin(), firing.end());
      std::sort(quiet.begin(), quiet.end());
      if (!firing.empty()) {
        status.state = AlarmState::kAlarm;
        status.reason = absl::StrCat(firing.size(), " ",
                                     alertmanager_ ? "active" : "firing", ": ",
                                     absl::StrJoin(firing, "; "));
      } else if (!quiet.empty()) {
        status.reason = absl::StrJoin(quiet, "; ");
      }
      out.push_back(std::move(status));
    }
    return out;
  }

 private:
  static std::string Describe(const internal::Alert& a) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : a.labels) {
      if (k == "alertname") continue;
      parts.push_back(absl::StrCat(k, "=\"", v, "\""));
    }
    std::string text = absl::StrCat(a.labels.at("alertname"), "{",
                                    absl::StrJoin(parts, ","), "} ", a.state);
    if (!a.since.empty()) absl::StrAppend(&text, " since ", a.since);
    if (auto s = a.annotations.find("summary"); s != a.annotations.end())
      absl::StrAppend(&text, ": ", s->second);
    return text;
  }

  const PrometheusOptions options_;
  const bool alertmanager_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<MetricSource>> NewPrometheusMetricSource(
    PrometheusOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::PrepareOptions(options));
  return std::unique_ptr<MetricSource>(
      new PrometheusMetricSource(std::move(options)));
}

absl::StatusOr<std::unique_ptr<AlarmSource>> NewPrometheusAlarmSource(
    PrometheusOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::PrepareOptions(options));
  return std::unique_ptr<AlarmSource>(
      new AlertsAlarmSource(std::move(options), /*alertmanager=*/false));
}

absl::StatusOr<std::unique_ptr<AlarmSource>> NewAlertmanagerAlarmSource(
    PrometheusOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::PrepareOptions(options));
  return std::unique_ptr<AlarmSource>(
      new AlertsAlarmSource(std::move(options), /*alertmanager=*/true));
}

}  // namespace sluice::prometheus
