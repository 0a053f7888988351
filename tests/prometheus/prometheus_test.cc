// Copyright 2026 The Sluice Authors.
//
// Unit tests of sluice_prometheus without a server: escaping, templates,
// alert selectors, the APIs' bodies (recorded from Prometheus 2.42 and
// Alertmanager 0.25 in testdata/), histograms, options, and the sources over
// a scripted transport (retries, backoff, errors, no data, staleness).

#include "sluice/prometheus/prometheus.h"

#include <cmath>
#include <deque>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/prometheus/alerts.h"
#include "lib/prometheus/http.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::prometheus {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::IsOkAndHolds;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Testdata(const std::string& name) {
  std::ifstream in("tests/prometheus/testdata/" + name);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << name;
  return s.str();
}

// ---- escaping and templates

TEST(EscapeTest, RegexMetacharactersGetABackslash) {
  EXPECT_EQ(EscapeRegex("web-1"), "web-1");
  EXPECT_EQ(EscapeRegex("web.2"), "web\\.2");
  EXPECT_EQ(EscapeRegex("a+b*c?(d)|[e]{f}^$\\"),
            "a\\+b\\*c\\?\\(d\\)\\|\\[e\\]\\{f\\}\\^\\$\\\\");
}

TEST(EscapeTest, PromQLStringEscapes) {
  EXPECT_EQ(EscapePromQLString("plain"), "plain");
  EXPECT_EQ(EscapePromQLString("a\"b\\c\nd\te\r"), "a\\\"b\\\\c\\nd\\te\\r");
}

TEST(EscapeTest, TargetsRegexIsAnAlternationOrMatchesAll) {
  EXPECT_EQ(TargetsRegex({"web-1", "web.2"}), "web-1|web\\.2");
  EXPECT_EQ(TargetsRegex({}), ".*");
}

TEST(TemplateTest, ExpandsEveryPlaceholder) {
  TemplateValues v;
  v.metric = "error_ratio";
  v.cohort = Cohort::kBaseline;
  v.targets = {"web-1", "web.2", "a\"b"};
  v.window = absl::Seconds(299) + absl::Milliseconds(1);
  v.wave_index = 3;
  v.stage = "one-box";
  v.params = {{"job", "api\"x"}};
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::string out,
      ExpandTemplate("r{i=~\"{{targets_regex}}\",job=\"{{ param.job }}\"}"
                     "[{{window}}] {{window_seconds}} {{cohort}} {{stage}} "
                     "{{wave}} {{metric}}",
                     v, "metrics[error_ratio].prometheus.query"));
  // The regex's backslash is doubled inside the PromQL string, the quote
  // escaped; the window rounded up to whole seconds.
  EXPECT_EQ(out,
            "r{i=~\"web-1|web\\\\.2|a\\\"b\",job=\"api\\\"x\"}[300s] 300 "
            "baseline one-box 3 error_ratio");
}

TEST(TemplateTest, WindowIsAtLeastOneSecond) {
  TemplateValues v;
  v.window = absl::Milliseconds(10);
  SLUICE_ASSERT_OK_AND_ASSIGN(std::string out,
                              ExpandTemplate("[{{window}}]", v, "q"));
  EXPECT_EQ(out, "[1s]");
}

TEST(TemplateTest, ErrorsNameTheFieldAndThePlaceholder) {
  TemplateValues v;
  EXPECT_THAT(
      ExpandTemplate("x{{targets}}", v, "metrics[m].prometheus.query").status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("metrics[m].prometheus.query: unknown "
                         "placeholder {{targets}}")));
  EXPECT_THAT(ExpandTemplate("x{{window", v, "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("f: unclosed \"{{\" at offset 1")));
  EXPECT_THAT(ExpandTemplate("{{param.job}}", v, "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("no param \"job\"")));
  EXPECT_THAT(ExpandTemplate("  ", v, "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("f: must not be empty")));
  EXPECT_THAT(ValidateTemplate("{{param.any}} {{window}}", "f"), IsOk());
  EXPECT_THAT(ValidateTemplate("{{nope}}", "f"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown placeholder {{nope}}")));
}

// ---- alert selectors

TEST(AlertSelectorTest, ParsesNameAndMatchers) {
  std::vector<std::string> targets = {"web.1"};
  SLUICE_ASSERT_OK_AND_ASSIGN(
      AlertSelector s,
      ParseAlertSelector("HighErrors{severity=\"page\", team != \"x\\\"y\","
                         " instance=~\"{{targets_regex}}\", zone!~\"eu-.*\"}",
                         targets, "alarms[0]"));
  EXPECT_EQ(s.alertname, "HighErrors");
  ASSERT_EQ(s.matchers.size(), 4u);
  EXPECT_EQ(s.matchers[0].label, "severity");
  EXPECT_EQ(s.matchers[0].op, AlertMatcher::Op::kEqual);
  EXPECT_EQ(s.matchers[1].op, AlertMatcher::Op::kNotEqual);
  EXPECT_EQ(s.matchers[1].value, "x\"y");
  EXPECT_EQ(s.matchers[2].op, AlertMatcher::Op::kRegex);
  EXPECT_EQ(s.matchers[2].value, "web\\.1");
  EXPECT_EQ(s.matchers[3].op, AlertMatcher::Op::kNotRegex);

  std::map<std::string, std::string> labels = {{"alertname", "HighErrors"},
                                               {"severity", "page"},
                                               {"instance", "web.1"},
                                               {"zone", "us-1"}};
  EXPECT_THAT(AlertMatches(s, labels), IsOkAndHolds(true));
  labels["instance"] = "webx1";  // the '.' was escaped
  EXPECT_THAT(AlertMatches(s, labels), IsOkAndHolds(false));
  labels["instance"] = "web.1";
  labels["zone"] = "eu-west";
  EXPECT_THAT(AlertMatches(s, labels), IsOkAndHolds(false));
  labels["zone"] = "us-1";
  labels["alertname"] = "Other";
  EXPECT_THAT(AlertMatches(s, labels), IsOkAndHolds(false));
}

TEST(AlertSelectorTest, BareNameAndErrors) {
  SLUICE_ASSERT_OK_AND_ASSIGN(AlertSelector s,
                              ParseAlertSelector("Down", {}, "alarms[1]"));
  EXPECT_EQ(s.alertname, "Down");
  EXPECT_TRUE(s.matchers.empty());
  EXPECT_THAT(ParseAlertSelector("Down{x=1}", {}, "alarms[1]").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("alarms[1]: a \"quoted\" value is needed")));
  EXPECT_THAT(ParseAlertSelector("{x=\"1\"}", {}, "alarms[2]").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("alarms[2]: an alert name is needed")));
  EXPECT_THAT(ParseAlertSelector("Down{x=~\"(\"}", {}, "alarms[3]").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("alarms[3]: bad regex")));
  EXPECT_THAT(ParseAlertSelector("Down{x=\"1\"", {}, "alarms[4]").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("',' or '}' is needed")));
}

// ---- bodies recorded from Prometheus

TEST(ParseQueryResponseTest, Vector) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<Series> s, ParseQueryResponse(Testdata("query_vector.json")));
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].labels.empty());
  ASSERT_EQ(s[0].points.size(), 1u);
  EXPECT_EQ(s[0].points[0].time, absl::FromUnixSeconds(1700000900));
  EXPECT_EQ(s[0].points[0].value, 0.075);
}

TEST(ParseQueryResponseTest, ManySeriesKeepTheirLabels) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<Series> s,
      ParseQueryResponse(Testdata("query_vector_many.json")));
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[1].labels.at("instance"), "web-10");
  EXPECT_EQ(s[1].points[0].value, 5);
}

TEST(ParseQueryResponseTest, MatrixScalarEmptyNaN) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<Series> m,
      ParseQueryResponse(Testdata("query_range_matrix.json")));
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].points.size(), 4u);
  EXPECT_EQ(m[0].points[3].time, absl::FromUnixSeconds(1700000690));
  EXPECT_EQ(m[1].points[0].value, 5);

  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<Series> sc,
      ParseQueryResponse(Testdata("query_scalar.json")));
  ASSERT_EQ(sc.size(), 1u);
  EXPECT_EQ(sc[0].points[0].value, 15.5);

  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Series> e,
                              ParseQueryResponse(Testdata("query_empty.json")));
  EXPECT_TRUE(e.empty());

  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Series> n,
                              ParseQueryResponse(Testdata("query_nan.json")));
  ASSERT_EQ(n.size(), 1u);
  EXPECT_TRUE(std::isnan(n[0].points[0].value));
}

TEST(ParseQueryResponseTest, Errors) {
  EXPECT_THAT(ParseQueryResponse(Testdata("query_bad_data.json")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("(bad_data): invalid parameter \"query\": "
                                 "1:10: parse error: unclosed left "
                                 "parenthesis")));
  EXPECT_THAT(
      ParseQueryResponse(
          R"({"status":"error","errorType":"timeout","error":"query timed out"})")
          .status(),
      StatusIs(absl::StatusCode::kDeadlineExceeded, HasSubstr("timed out")));
  EXPECT_THAT(ParseQueryResponse(
                  R"({"status":"error","errorType":"execution","error":"x"})")
                  .status(),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(ParseQueryResponse("<html>502 Bad Gateway</html>").status(),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("not JSON")));
  EXPECT_THAT(
      ParseQueryResponse(
          R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}})")
          .status(),
      StatusIs(absl::StatusCode::kInternal, HasSubstr("[time, \"value\"]")));
  EXPECT_THAT(
      ParseQueryResponse(
          R"({"status":"success","data":{"resultType":"string","result":[1,"a"]}})")
          .status(),
      StatusIs(absl::StatusCode::kInternal, HasSubstr("resultType")));
}

// ---- histograms

TEST(HistogramTest, BucketsFromRecordedAnswer) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<Series> s,
      ParseQueryResponse(Testdata("query_histogram.json")));
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricDistribution d, HistogramFromSeries(s));
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(d, MetricDistribution::FromHistogram(
                   {{0.1, 5}, {0.5, 8}, {1, 9}, {inf, 10}}));
}

TEST(HistogramTest, TwoHistogramsAreAnError) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<Series> s,
      ParseQueryResponse(Testdata("query_histogram_two.json")));
  EXPECT_THAT(HistogramFromSeries(s).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("more than one histogram")));
}

Series Bucket(const std::string& le, double count) {
  return Series{{{"le", le}}, {{absl::UnixEpoch(), count}}};
}

TEST(HistogramTest, SmoothsJitterAndReportsMissingPieces) {
  const double inf = std::numeric_limits<double>::infinity();
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricDistribution d,
      HistogramFromSeries(
          {Bucket("+Inf", 10), Bucket("1", 6.5), Bucket("0.5", 7)}));
  EXPECT_EQ(d.buckets,
            (std::vector<HistogramBucket>{{0.5, 7}, {1, 7}, {inf, 10}}));

  EXPECT_THAT(HistogramFromSeries({Bucket("1", 3)}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("no le=\"+Inf\" bucket")));
  EXPECT_THAT(HistogramFromSeries({Series{{{"job", "x"}}, {{}}}}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("has no `le` label")));
  EXPECT_THAT(HistogramFromSeries({Bucket("x", 1)}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is not a number")));

  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricDistribution none,
      HistogramFromSeries({Bucket("1", 0), Bucket("+Inf", 0)}));
  EXPECT_EQ(none.kind, MetricDistribution::Kind::kNoData);
  EXPECT_THAT(none.message, HasSubstr("no observations"));
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricDistribution empty,
                              HistogramFromSeries({}));
  EXPECT_EQ(empty.kind, MetricDistribution::Kind::kNoData);
}

// ---- alerts bodies

TEST(AlertsParseTest, PrometheusAlerts) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<internal::Alert> a,
      internal::ParsePrometheusAlerts(Testdata("prometheus_alerts.json")));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].labels.at("alertname"), "AlwaysFiring");
  EXPECT_EQ(a[0].state, "firing");
  EXPECT_EQ(a[0].annotations.at("summary"), "it fires");
  EXPECT_EQ(a[1].state, "pending");
  EXPECT_THAT(internal::ParsePrometheusAlerts("[]").status(),
              StatusIs(absl::StatusCode::kInternal));
}

TEST(AlertsParseTest, AlertmanagerAlerts) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<internal::Alert> a,
      internal::ParseAlertmanagerAlerts(Testdata("alertmanager_alerts.json")));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].labels.at("alertname"), "Quiet");
  EXPECT_EQ(a[0].state, "suppressed");
  EXPECT_EQ(a[1].state, "active");
  EXPECT_THAT(internal::ParseAlertmanagerAlerts("{}").status(),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("array")));
}

// ---- options and URLs

TEST(OptionsTest, BadOptionsNameTheField) {
  auto status_of = [](PrometheusOptions o) {
    return NewPrometheusMetricSource(std::move(o)).status();
  };
  PrometheusOptions o;
  EXPECT_THAT(status_of(o), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("url: must not be empty")));
  o.url = "ftp://127.0.0.1:9090";
  EXPECT_THAT(status_of(o),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("url: ")));
  o.url = "http://127.0.0.1:9090?x=1";
  EXPECT_THAT(status_of(o), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("must not have a query")));
  o.url = "not a url";
  EXPECT_THAT(NewAlertmanagerAlarmSource(o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("url: ")));
  o.url = "http://127.0.0.1:9090";
  o.timeout = absl::ZeroDuration();
  EXPECT_THAT(status_of(o), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("timeout: must be > 0")));
  o.timeout = absl::Seconds(1);
  o.retry.max_attempts = 0;
  EXPECT_THAT(status_of(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("retry.max_attempts: must be in [1, 100]")));
  o.retry.max_attempts = 2;
  o.retry.multiplier = 0.5;
  EXPECT_THAT(NewPrometheusAlarmSource(o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("retry.multiplier")));
  o.retry.multiplier = 2;
  o.retry.max_backoff = absl::Milliseconds(1);
  EXPECT_THAT(status_of(o), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("retry.max_backoff")));
  o.retry.max_backoff = absl::Seconds(1);
  o.step = absl::ZeroDuration();
  EXPECT_THAT(status_of(o), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("step: must be > 0")));
  o.step = absl::Seconds(1);
  EXPECT_THAT(status_of(o), IsOk());
}

TEST(ApiUrlTest, KeepsThePrefixAndEncodesParameters) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::string url,
      internal::ApiUrl("http://h:9090/prom/", "/api/v1/query",
                       {{"query", "sum(x{a=~\"b|c\"}) / 2"}, {"time", "1.5"}}));
  EXPECT_EQ(url,
            "http://h:9090/prom/api/v1/"
            "query?query=sum%28x%7ba%3d~%22b%7cc%22%7d%29+%2f+2&time=1.5");
}

// ---- the sources over a scripted transport

class ScriptedTransport : public HttpTransport {
 public:
  absl::StatusOr<HttpResponse> Fetch(const std::string& url,
                                     const std::string& post_body,
                                     const std::string& content_type,
                                     absl::Duration timeout) override {
    urls.push_back(url);
    bodies.push_back(post_body);
    content_types.push_back(content_type);
    timeouts.push_back(timeout);
    if (answers.empty()) return absl::InternalError("script ran out");
    absl::StatusOr<HttpResponse> a = answers.front();
    answers.pop_front();
    return a;
  }
  std::deque<absl::StatusOr<HttpResponse>> answers;
  std::vector<std::string> urls;
  std::vector<std::string> bodies;
  std::vector<std::string> content_types;
  std::vector<absl::Duration> timeouts;
};

class SourceTest : public ::testing::Test {
 protected:
  SourceTest() {
    options_.url = "http://prom:9090";
    options_.transport = transport_;
    options_.sleep = [this](absl::Duration d) { sleeps_.push_back(d); };
    options_.timeout = absl::Seconds(7);
  }
  std::unique_ptr<MetricSource> Source() {
    auto s = NewPrometheusMetricSource(options_);
    EXPECT_THAT(s.status(), IsOk());
    return *std::move(s);
  }
  MetricQuery Query(const std::string& promql) {
    MetricQuery q;
    q.metric = "error_ratio";
    q.query = promql;
    q.targets = absl::MakeConstSpan(targets_);
    q.start = absl::FromUnixSeconds(1700000600);
    q.end = absl::FromUnixSeconds(1700000900);
    return q;
  }
  void Answer(int code, const std::string& body) {
    transport_->answers.push_back(HttpResponse{code, body});
  }

  std::shared_ptr<ScriptedTransport> transport_ =
      std::make_shared<ScriptedTransport>();
  std::vector<absl::Duration> sleeps_;
  PrometheusOptions options_;
  std::vector<std::string> targets_ = {"web-1", "web.2"};
};

TEST_F(SourceTest, InstantQueryIsOneAggregate) {
  Answer(200, Testdata("query_vector.json"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricResult r,
      Source()->Query(
          Query("sum(rate(e{i=~\"{{targets_regex}}\"}[{{window}}]))")));
  EXPECT_EQ(r, MetricResult::FromAggregate(0.075));
  ASSERT_EQ(transport_->urls.size(), 1u);
  // POSTed as a form (a large cohort makes a query too long for a URL).
  EXPECT_EQ(transport_->urls[0], "http://prom:9090/api/v1/query");
  EXPECT_EQ(transport_->content_types[0], "application/x-www-form-urlencoded");
  EXPECT_EQ(transport_->bodies[0],
            "query=sum%28rate%28e%7bi%3d~%22web-1%7cweb%5c%5c.2%22%7d%"
            "5b300s%5d%29%29&time=1700000900.000&timeout=7.000");
  EXPECT_EQ(transport_->timeouts[0], absl::Seconds(7));
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(SourceTest, TargetLabelMapsIds) {
  options_.target_label = [](absl::string_view id) {
    return absl::StrCat(id, ":9100");
  };
  Answer(200, Testdata("query_vector.json"));
  ASSERT_THAT(Source()->Query(Query("x{i=~\"{{targets_regex}}\"}")).status(),
              IsOk());
  EXPECT_THAT(transport_->bodies[0],
              HasSubstr("web-1%3a9100%7cweb%5c%5c.2%3a9100"));
}

TEST_F(SourceTest, RetriesWithBackoffThenSucceeds) {
  options_.retry.max_attempts = 4;
  transport_->answers.push_back(absl::UnavailableError("connection refused"));
  Answer(
      503,
      "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"x\"}");
  transport_->answers.push_back(absl::DeadlineExceededError("timed out"));
  Answer(200, Testdata("query_vector.json"));
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult r, Source()->Query(Query("x")));
  EXPECT_EQ(r.value, 0.075);
  EXPECT_THAT(sleeps_,
              ElementsAre(absl::Milliseconds(200), absl::Milliseconds(400),
                          absl::Milliseconds(800)));
}

TEST_F(SourceTest, BackoffIsCapped) {
  options_.retry.max_attempts = 4;
  options_.retry.initial_backoff = absl::Seconds(1);
  options_.retry.multiplier = 3;
  options_.retry.max_backoff = absl::Seconds(2);
  for (int i = 0; i < 4; ++i) Answer(502, "bad gateway");
  EXPECT_THAT(Source()->Query(Query("x")).status(),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("HTTP 502: bad gateway")));
  EXPECT_THAT(sleeps_, ElementsAre(absl::Seconds(1), absl::Seconds(2),
                                   absl::Seconds(2)));
}

TEST_F(SourceTest, GivesUpAfterMaxAttempts) {
  for (int i = 0; i < 3; ++i)
    transport_->answers.push_back(
        absl::DeadlineExceededError("GET x: timeout"));
  EXPECT_THAT(
      Source()->Query(Query("x")).status(),
      StatusIs(absl::StatusCode::kDeadlineExceeded,
               HasSubstr("metric error_ratio: Prometheus /api/v1/query: "
                         "GET x: timeout (3 attempts)")));
  EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(SourceTest, PrometheusTimeoutIsDeadlineExceeded) {
  for (int i = 0; i < 3; ++i) {
    Answer(
        503,
        R"({"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"})");
  }
  EXPECT_THAT(Source()->Query(Query("x")).status(),
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       HasSubstr("query timed out")));
}

TEST_F(SourceTest, BadQueryIsNotRetried) {
  Answer(400, Testdata("query_bad_data.json"));
  EXPECT_THAT(Source()->Query(Query("sum(rate(")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unclosed left parenthesis")));
  EXPECT_TRUE(sleeps_.empty());
  EXPECT_EQ(transport_->urls.size(), 1u);
}

TEST_F(SourceTest, NotFoundWithoutJson) {
  Answer(404, "404 page not found");
  EXPECT_THAT(Source()->Query(Query("x")).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("HTTP 404")));
}

TEST_F(SourceTest, NoSeriesAndNaNAreNoDataWithTheReason) {
  Answer(200, Testdata("query_empty.json"));
  Answer(200, Testdata("query_nan.json"));
  auto source = Source();
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult none, source->Query(Query("q1")));
  EXPECT_EQ(none.kind, MetricResult::Kind::kNoData);
  EXPECT_EQ(none.message, "no series matched: q1");
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult nan, source->Query(Query("q2")));
  EXPECT_EQ(nan.kind, MetricResult::Kind::kNoData);
  EXPECT_THAT(nan.message, HasSubstr("NaN"));
}

TEST_F(SourceTest, CohortWithoutTargetsIsNoDataNotTheFleet) {
  auto source = Source();
  MetricQuery q = Query("x{i=~\"{{targets_regex}}\"}");
  q.targets = {};
  q.cohort = Cohort::kBaseline;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult r, source->Query(q));
  EXPECT_EQ(r, MetricResult::NoData("the baseline cohort has no targets"));
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricDistribution d,
                              source->QueryDistribution(q));
  EXPECT_EQ(d.kind, MetricDistribution::Kind::kNoData);
  EXPECT_TRUE(transport_->urls.empty());
  // The fleet has no targets by definition: everything matches.
  Answer(200, Testdata("query_vector.json"));
  q.cohort = Cohort::kFleet;
  ASSERT_THAT(source->Query(q).status(), IsOk());
  EXPECT_THAT(transport_->bodies[0], HasSubstr("i%3d~%22.%2a%22"));
}

TEST_F(SourceTest, ManySeriesIsAnError) {
  Answer(200, Testdata("query_vector_many.json"));
  EXPECT_THAT(Source()->Query(Query("rate(e[5m])")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the query gave 4 series")));
}

TEST_F(SourceTest, RangeQueryGivesSamplesInTheWindow) {
  Answer(200, Testdata("query_range_matrix.json"));
  MetricQuery q = Query("x");
  q.params = {{"prometheus.range", "true"}, {"prometheus.step", "30s"}};
  q.start = absl::FromUnixSeconds(1700000600);
  q.end = absl::FromUnixSeconds(1700000690);  // exclusive
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult r, Source()->Query(q));
  ASSERT_EQ(r.kind, MetricResult::Kind::kSamples);
  EXPECT_EQ(r.samples.size(), 6u);  // 3 points of each series before the end
  EXPECT_EQ(transport_->urls[0], "http://prom:9090/api/v1/query_range");
  EXPECT_THAT(transport_->bodies[0],
              HasSubstr("query=x&start=1700000600.000&end=1700000690.000&"
                        "step=30.000"));
}

TEST_F(SourceTest, StaleRangeIsNoData) {
  Answer(200, Testdata("query_range_matrix.json"));
  MetricQuery q = Query("x");
  q.params = {{"prometheus.range", "true"}};
  q.start = absl::FromUnixSeconds(1700000600);
  q.end = absl::FromUnixSeconds(1700000690 + 301);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult r, Source()->Query(q));
  EXPECT_EQ(r.kind, MetricResult::Kind::kNoData);
  EXPECT_THAT(r.message, HasSubstr("stale: the newest value is from"));
}

TEST_F(SourceTest, BadParamsAndTemplatesNameTheField) {
  auto source = Source();
  MetricQuery q = Query("x");
  q.params = {{"prometheus.range", "yes"}};
  EXPECT_THAT(source->Query(q).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("metrics[error_ratio].params[\"prometheus."
                                 "range\"]: must be true or false")));
  q.params = {{"prometheus.step", "-1s"}};
  EXPECT_THAT(source->Query(q).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("params[\"prometheus.step\"]")));
  EXPECT_THAT(
      source->Query(Query("x{{bad}}")).status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("metrics[error_ratio].prometheus.query: unknown "
                         "placeholder {{bad}}")));
  EXPECT_THAT(source->Query(Query("")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("metrics[error_ratio].prometheus.query")));
  EXPECT_TRUE(transport_->urls.empty());
}

TEST_F(SourceTest, DistributionFromBuckets) {
  Answer(200, Testdata("query_histogram.json"));
  Answer(200, Testdata("query_empty.json"));
  auto source = Source();
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricDistribution d,
                              source->QueryDistribution(Query("h")));
  EXPECT_EQ(d.kind, MetricDistribution::Kind::kHistogram);
  EXPECT_EQ(d.count(), 10);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricDistribution none,
                              source->QueryDistribution(Query("h2")));
  EXPECT_EQ(none.kind, MetricDistribution::Kind::kNoData);
  EXPECT_EQ(none.message, "no series matched: h2");
}

TEST_F(SourceTest, PrometheusAlarms) {
  Answer(200, Testdata("prometheus_alerts.json"));
  SLUICE_ASSERT_OK_AND_ASSIGN(auto alarms, NewPrometheusAlarmSource(options_));
  AlarmQuery q;
  q.alarms = {"AlwaysFiring", "AlwaysFiring{severity=\"ticket\"}", "SlowToFire",
              "Nope", "AlwaysFiring{instance=~\"{{targets_regex}}\"}"};
  std::vector<std::string> targets = {"web-1"};
  q.targets = absl::MakeConstSpan(targets);
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<AlarmStatus> s,
                              alarms->QueryAlarms(q));
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].state, AlarmState::kAlarm);
  EXPECT_THAT(s[0].reason,
              HasSubstr("1 firing: AlwaysFiring{instance=\"web-1\","
                        "severity=\"page\"} firing since "));
  EXPECT_THAT(s[0].reason, HasSubstr(": it fires"));
  EXPECT_EQ(s[1].state, AlarmState::kOk);
  EXPECT_EQ(s[2].state, AlarmState::kOk);
  EXPECT_THAT(s[2].reason, HasSubstr("SlowToFire{} pending"));
  EXPECT_EQ(s[3], (AlarmStatus{"Nope", AlarmState::kOk, ""}));
  EXPECT_EQ(s[4].state, AlarmState::kAlarm);
  EXPECT_THAT(transport_->urls, ElementsAre("http://prom:9090/api/v1/alerts"));
  EXPECT_THAT(transport_->bodies, ElementsAre(""));  // a GET
}

TEST_F(SourceTest, AlertmanagerAlarms) {
  Answer(200, Testdata("alertmanager_alerts.json"));
  SLUICE_ASSERT_OK_AND_ASSIGN(auto alarms,
                              NewAlertmanagerAlarmSource(options_));
  AlarmQuery q;
  q.alarms = {"HighErrorRate", "Quiet"};
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<AlarmStatus> s,
                              alarms->QueryAlarms(q));
  EXPECT_EQ(s[0].state, AlarmState::kAlarm);
  EXPECT_THAT(s[0].reason, HasSubstr("1 active: HighErrorRate"));
  EXPECT_EQ(s[1].state, AlarmState::kOk);
  EXPECT_THAT(s[1].reason, HasSubstr("suppressed"));
  EXPECT_THAT(transport_->urls, ElementsAre("http://prom:9090/api/v2/alerts"));
}

TEST_F(SourceTest, AlarmErrors) {
  SLUICE_ASSERT_OK_AND_ASSIGN(auto alarms, NewPrometheusAlarmSource(options_));
  AlarmQuery q;
  EXPECT_THAT(alarms->QueryAlarms(q).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("alarms: must not be empty")));
  q.alarms = {"Ok", "Bad{"};
  EXPECT_THAT(
      alarms->QueryAlarms(q).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("alarms[1]: ")));
  for (int i = 0; i < 3; ++i)
    transport_->answers.push_back(absl::UnavailableError("refused"));
  q.alarms = {"Ok"};
  EXPECT_THAT(alarms->QueryAlarms(q).status(),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("Prometheus /api/v1/alerts: refused")));
}

}  // namespace
}  // namespace sluice::prometheus
