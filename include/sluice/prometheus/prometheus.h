// Copyright 2026 The Sluice Authors.
//
// Prometheus adapters: a MetricSource over Prometheus' HTTP query API and
// AlarmSources over Prometheus' and Alertmanager's alerts APIs
// (sluice/metric_source.h). Library sluice_prometheus (sluice::prometheus),
// above core; links Debian's libcurl and nlohmann-json. docs/prometheus.md
// is the guide.
//
// A metric's PromQL is a template in the spec (MetricSpec.prometheus.query,
// or MetricSpec.query), into which the question's cohort is substituted:
//
//   metrics {
//     name: "error_ratio"
//     prometheus {
//       query: "sum(rate(http_errors_total{instance=~\"{{targets_regex}}\"}"
//              "[{{window}}])) / sum(rate(http_requests_total{instance=~"
//              "\"{{targets_regex}}\"}[{{window}}]))"
//     }
//   }
//
// Placeholders (ExpandTemplate()): {{targets_regex}} (the cohort's targets
// as an anchored regex alternation, regex- and PromQL-string-escaped),
// {{window}} (the window as a PromQL duration, e.g. "300s"),
// {{window_seconds}}, {{cohort}}, {{stage}}, {{wave}}, {{metric}},
// {{param.NAME}} (the metric's params, PromQL-string-escaped).
//
// By default the template is evaluated once at the window's end
// (/api/v1/query) and must give one series: its value is the answer
// (MetricResult::FromAggregate). With the param "prometheus.range" = "true"
// it is evaluated over the window (/api/v1/query_range, step
// "prometheus.step") and every point of every series is a sample. A
// QueryDistribution() evaluates the template at the window's end and reads
// the series' `le` labels as cumulative histogram buckets. No series, NaN
// values, stale series and a wave or baseline cohort without targets are
// MetricResult::NoData with the reason (the metric's missing_data policy
// decides); timeouts and HTTP 5xx are retried
// with backoff, then kUnavailable / kDeadlineExceeded.
//
// Example:
//
//   sluice::prometheus::PrometheusOptions options;
//   options.url = "http://127.0.0.1:9090";
//   absl::StatusOr<std::unique_ptr<sluice::MetricSource>> metrics =
//       sluice::prometheus::NewPrometheusMetricSource(options);
//   if (!metrics.ok()) return metrics.status();
//   context.metric_source = metrics->get();

#ifndef SLUICE_PROMETHEUS_PROMETHEUS_H_
#define SLUICE_PROMETHEUS_PROMETHEUS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/metric_source.h"

namespace sluice::prometheus {

// One HTTP exchange, as the adapters see it. Value type; thread-compatible.
struct HttpResponse {
  // The HTTP status code, e.g. 200. Default: 0.
  int status_code = 0;
  // The response body. Default: empty.
  std::string body;
};

// How the adapters talk HTTP. The default (NewCurlTransport()) is libcurl;
// tests inject a fake to script failures. Host interface.
// Thread-safe: implementations must allow concurrent calls.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // GETs `url` (when `post_body` is empty) or POSTs `post_body` with
  // `content_type`, waiting at most `timeout`. Returns the response whatever
  // its status code; errors are transport failures: kDeadlineExceeded for a
  // timeout, kUnavailable for a refused or broken connection,
  // kInvalidArgument for a malformed URL.
  virtual absl::StatusOr<HttpResponse> Fetch(const std::string& url,
                                             const std::string& post_body,
                                             const std::string& content_type,
                                             absl::Duration timeout) = 0;
};

// libcurl's transport (no proxy from the environment, no redirects).
std::shared_ptr<HttpTransport> NewCurlTransport();

// How a request is retried: at most max_attempts tries; before try k+1
// (k >= 1) the adapter sleeps min(initial_backoff * multiplier^(k-1),
// max_backoff). Retried: transport errors and HTTP 5xx / 429. Not retried:
// HTTP 4xx (a bad query) and malformed answers. Value type;
// thread-compatible.
struct RetryOptions {
  // Tries per request, >= 1. Default: 3.
  int max_attempts = 3;
  // The first pause, >= 0. Default: 200 ms.
  absl::Duration initial_backoff = absl::Milliseconds(200);
  // The factor between pauses, >= 1. Default: 2.
  double multiplier = 2;
  // The longest pause, >= initial_backoff. Default: 5 s.
  absl::Duration max_backoff = absl::Seconds(5);
};

// Options of the Prometheus MetricSource and of the alarm sources. Value
// type; thread-compatible.
struct PrometheusOptions {
  // The server's base URL, http:// or https://, e.g.
  // "http://127.0.0.1:9090" (a path prefix is kept: ".../prometheus").
  // Required.
  std::string url;
  // The limit of one HTTP request, > 0; also sent to Prometheus as the
  // query's `timeout`. Default: 10 s.
  absl::Duration timeout = absl::Seconds(10);
  // Retries of one request. Default: see RetryOptions.
  RetryOptions retry;
  // The step of range queries ("prometheus.range"), > 0, unless the metric's
  // param "prometheus.step" says otherwise. Default: 15 s.
  absl::Duration step = absl::Seconds(15);
  // A range query's series whose last point is older than this before the
  // window's end is stale: if every series is, the answer is NoData saying
  // so. > 0. Default: 5 minutes (Prometheus' own lookback).
  absl::Duration staleness = absl::Minutes(5);
  // Maps a target id to the label value it has in Prometheus (what
  // {{targets_regex}} matches), e.g. "web-1" -> "web-1:9100". Default:
  // identity.
  std::function<std::string(absl::string_view)> target_label;
  // Pauses between retries. Default: absl::SleepFor. Tests inject a
  // recorder.
  std::function<void(absl::Duration)> sleep;
  // The HTTP transport. Default: NewCurlTransport().
  std::shared_ptr<HttpTransport> transport;
};

// What ExpandTemplate() substitutes. Value type; thread-compatible.
struct TemplateValues {
  // The metric's name ({{metric}}). Default: empty.
  std::string metric;
  // The cohort ({{cohort}}: "wave", "baseline" or "fleet"). Default: kWave.
  Cohort cohort = Cohort::kWave;
  // The cohort's label values ({{targets_regex}}); empty matches any (".*").
  // Default: none.
  std::vector<std::string> targets;
  // The window's length ({{window}}, {{window_seconds}}); rounded up to
  // whole seconds, at least 1 s. Default: 0 (gives 1 s).
  absl::Duration window = absl::ZeroDuration();
  // {{wave}}: the wave's index, or -1. Default: -1.
  int wave_index = -1;
  // {{stage}}. Default: empty.
  std::string stage;
  // {{param.NAME}}. Default: none.
  std::map<std::string, std::string> params;
};

// Escapes `text` so that RE2 (Prometheus' regex engine) matches it
// literally: every character of \.+*?()|[]{}^$ gets a backslash.
std::string EscapeRegex(absl::string_view text);

// Escapes `text` for the inside of a double-quoted PromQL string: backslash,
// double quote, newline, carriage return and tab become \\, \", \n, \r, \t.
std::string EscapePromQLString(absl::string_view text);

// The regex matching exactly the given label values: each EscapeRegex()'d,
// joined with '|', in order; ".*" when there are none. Not yet
// PromQL-string-escaped.
std::string TargetsRegex(absl::Span<const std::string> values);

// Substitutes the placeholders of `tmpl` ("{{name}}", spaces inside the
// braces allowed). Values that go inside PromQL strings ({{targets_regex}},
// {{cohort}}, {{stage}}, {{metric}}, {{param.NAME}}) are
// EscapePromQLString()'d. Errors are kInvalidArgument naming `field` (e.g.
// "metrics[error_ratio].prometheus.query") and the placeholder: unknown
// placeholder, unknown param, unclosed "{{", empty template.
absl::StatusOr<std::string> ExpandTemplate(absl::string_view tmpl,
                                           const TemplateValues& values,
                                           absl::string_view field);

// Checks a template's placeholders without values (params are not checked).
// Same errors as ExpandTemplate().
absl::Status ValidateTemplate(absl::string_view tmpl, absl::string_view field);

// One series of a query answer: its labels and points. Value type;
// thread-compatible.
struct Series {
  // The labels, including __name__ when Prometheus returned it. Default:
  // none.
  std::map<std::string, std::string> labels;
  // The points, in time order ("NaN", "+Inf", "-Inf" parsed as such).
  // Default: none.
  std::vector<Sample> points;
};

// Parses a Prometheus query API body (/api/v1/query or /api/v1/query_range):
// status "success" with resultType vector, matrix or scalar. Errors:
// kInvalidArgument for status "error" with errorType "bad_data" (the
// message is Prometheus' error), kUnavailable for other Prometheus errors
// (timeout, execution, unavailable), kInternal for a body that is not the
// API's JSON (saying what is wrong).
absl::StatusOr<std::vector<Series>> ParseQueryResponse(absl::string_view body);

// Turns series with `le` labels into one cumulative histogram: the series
// must differ only in `le` (else kInvalidArgument, "N histograms; aggregate
// with sum by (le)"), one of them "+Inf" (else kInvalidArgument); each
// series' last point is its count. Counts are made non-decreasing as
// histogram_quantile() does (rate() jitter). NoData when there are no
// series or the total is 0.
absl::StatusOr<MetricDistribution> HistogramFromSeries(
    absl::Span<const Series> series);

// A MetricSource over Prometheus (see the file comment). kInvalidArgument
// naming the option for bad options ("url: ...", "timeout: ...",
// "retry.max_attempts: ..."). Thread-safe.
absl::StatusOr<std::unique_ptr<MetricSource>> NewPrometheusMetricSource(
    PrometheusOptions options);

// An alarm in a spec names an alert and, optionally, label matchers in
// PromQL's selector syntax, e.g. `HighErrorRate` or
// `HighErrorRate{severity="page", instance=~"{{targets_regex}}"}`
// (operators =, !=, =~, !~; regexes fully anchored; {{targets_regex}} is
// the wave's targets). Value type; thread-compatible.
struct AlertMatcher {
  // The kind of match.
  enum class Op { kEqual, kNotEqual, kRegex, kNotRegex };
  // The label's name. Default: empty.
  std::string label;
  // The operator. Default: kEqual.
  Op op = Op::kEqual;
  // The value or regex (unescaped). Default: empty.
  std::string value;
};

// A parsed alarm: the alert's name and matchers. Value type;
// thread-compatible.
struct AlertSelector {
  // The alert's name (label alertname). Default: empty.
  std::string alertname;
  // Further matchers. Default: none.
  std::vector<AlertMatcher> matchers;
};

// Parses an alarm name as above, substituting {{targets_regex}} from
// `targets` (label values). Errors are kInvalidArgument naming `field` and
// the position.
absl::StatusOr<AlertSelector> ParseAlertSelector(
    absl::string_view text, absl::Span<const std::string> targets,
    absl::string_view field);

// Whether `labels` (an alert's labels) satisfy `selector`. Errors are
// kInvalidArgument for a regex RE2 rejects.
absl::StatusOr<bool> AlertMatches(
    const AlertSelector& selector,
    const std::map<std::string, std::string>& labels);

// An AlarmSource over Prometheus' /api/v1/alerts: an alarm is kAlarm while a
// matching alert is firing (reason: its labels and summary annotation), kOk
// otherwise (reason "pending" while one is only pending). Options as
// NewPrometheusMetricSource (options.url is Prometheus). Thread-safe.
absl::StatusOr<std::unique_ptr<AlarmSource>> NewPrometheusAlarmSource(
    PrometheusOptions options);

// An AlarmSource over Alertmanager's /api/v2/alerts: an alarm is kAlarm
// while a matching alert is active (not silenced, not inhibited), kOk
// otherwise. options.url is Alertmanager, e.g. "http://127.0.0.1:9093".
// Thread-safe.
absl::StatusOr<std::unique_ptr<AlarmSource>> NewAlertmanagerAlarmSource(
    PrometheusOptions options);

}  // namespace sluice::prometheus

#endif  // SLUICE_PROMETHEUS_PROMETHEUS_H_
