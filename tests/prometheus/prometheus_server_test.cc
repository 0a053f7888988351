// Copyright 2026 The Sluice Authors.
//
// Integration tests against a real Prometheus and Alertmanager from Debian's
// packages, started by the test (tests/prometheus/test_server.h): the TSDB
// is backfilled with known samples at known past timestamps (promtool tsdb
// create-blocks-from openmetrics), so every answer is exact. A missing
// package fails the tests with the package's name.

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "sluice/prometheus/prometheus.h"
#include "sluice/testing/status_matchers.h"
#include "tests/prometheus/test_server.h"

namespace sluice::prometheus {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::sluice::testing::TestServer;
using ::testing::HasSubstr;

constexpr int64_t kT0 = 1700000000;  // the first sample
constexpr int kPoints = 121;         // every 15 s for 30 minutes

// Counters rising linearly: requests 10/s on every instance; errors at a
// per-instance rate. "webx2" is there to catch an unescaped '.' in "web.2",
// "web-10" to catch an unanchored "web-1".
std::string OpenMetrics() {
  const std::vector<std::pair<std::string, double>> errors = {
      {"web-1", 1}, {"web.2", 0.5}, {"webx2", 9}, {"web-10", 5}};
  std::string out = "# TYPE http_requests counter\n";
  for (const auto& [instance, rate] : errors) {
    for (int k = 0; k < kPoints; ++k) {
      absl::StrAppendFormat(&out,
                            "http_requests_total{instance=\"%s\"} %d %d\n",
                            instance, 150 * k, kT0 + 15 * k);
    }
  }
  out += "# TYPE http_errors counter\n";
  for (const auto& [instance, rate] : errors) {
    for (int k = 0; k < kPoints; ++k) {
      absl::StrAppendFormat(&out, "http_errors_total{instance=\"%s\"} %g %d\n",
                            instance, rate * 15 * k, kT0 + 15 * k);
    }
  }
  // Cumulative buckets per second: web-1 5/8/9/10 at le 0.1/0.5/1/+Inf,
  // web-10 all above 1 s.
  out += "# TYPE http_request_duration_seconds_bucket unknown\n";
  const std::vector<std::pair<std::string, std::vector<double>>> hist = {
      {"web-1", {5, 8, 9, 10}}, {"web-10", {0, 0, 0, 10}}};
  const char* les[] = {"0.1", "0.5", "1", "+Inf"};
  for (const auto& [instance, rates] : hist) {
    for (int b = 0; b < 4; ++b) {
      for (int k = 0; k < kPoints; ++k) {
        absl::StrAppendFormat(
            &out,
            "http_request_duration_seconds_bucket{instance=\"%s\",le=\"%s\"} "
            "%g %d\n",
            instance, les[b], rates[b] * 15 * k, kT0 + 15 * k);
      }
    }
  }
  out += "# EOF\n";
  return out;
}

constexpr char kPrometheusConfig[] = R"(global:
  evaluation_interval: 1s
rule_files: [rules.yml]
)";

constexpr char kRules[] = R"(groups:
- name: test
  interval: 1s
  rules:
  - alert: AlwaysFiring
    expr: vector(1)
    labels: {severity: page, instance: web-1}
    annotations: {summary: "it fires"}
  - alert: SlowToFire
    expr: vector(1)
    for: 1h
)";

class PrometheusServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TestServer>> s =
        TestServer::Create("/usr/bin/prometheus", "prometheus");
    if (!s.ok()) {
      *start_error_ = s.status();
      return;
    }
    server_ = s->release();
    absl::Status st = server_->WriteFile("data.om", OpenMetrics());
    if (st.ok()) st = server_->WriteFile("prometheus.yml", kPrometheusConfig);
    if (st.ok()) st = server_->WriteFile("rules.yml", kRules);
    if (st.ok()) {
      server_->Chown();
      st = server_->RunAsUser(
          "promtool tsdb create-blocks-from openmetrics data.om tsdb");
    }
    if (st.ok()) {
      st = server_->Start(
          {"--config.file=prometheus.yml", "--storage.tsdb.path=tsdb",
           "--storage.tsdb.retention.time=100y",
           "--web.listen-address=127.0.0.1:{port}"},
          "/-/ready");
    }
    *start_error_ = st;
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_THAT(*start_error_, IsOk()) << "Prometheus did not start";
  }

  std::unique_ptr<MetricSource> Source() {
    PrometheusOptions o;
    o.url = server_->url();
    o.timeout = absl::Seconds(30);
    o.sleep = [this](absl::Duration d) { sleeps_.push_back(d); };
    auto s = NewPrometheusMetricSource(o);
    EXPECT_THAT(s.status(), IsOk());
    return *std::move(s);
  }

  // A question about `targets` (the fleet when none) over [kT0 + from_s, kT0 +
  // to_s).
  MetricQuery Query(const std::string& promql,
                    const std::vector<std::string>& targets, int from_s,
                    int to_s) {
    targets_ = targets;
    MetricQuery q;
    q.metric = "m";
    q.query = promql;
    q.targets = absl::MakeConstSpan(targets_);
    // No targets: the whole fleet (a wave without targets is no data).
    q.cohort = targets.empty() ? Cohort::kFleet : Cohort::kWave;
    q.start = absl::FromUnixSeconds(kT0 + from_s);
    q.end = absl::FromUnixSeconds(kT0 + to_s);
    return q;
  }

  static TestServer* server_;
  static absl::Status* start_error_;
  std::vector<std::string> targets_;
  std::vector<absl::Duration> sleeps_;
};

TestServer* PrometheusServerTest::server_ = nullptr;
absl::Status* PrometheusServerTest::start_error_ = new absl::Status();

constexpr char kErrorRatio[] =
    "sum(rate(http_errors_total{instance=~\"{{targets_regex}}\"}[{{window}}]))"
    " / sum(rate(http_requests_total{instance=~\"{{targets_regex}}\"}"
    "[{{window}}]))";

TEST_F(PrometheusServerTest, RatioOverTheCohortIsExact) {
  auto source = Source();
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricResult r,
      source->Query(Query(kErrorRatio, {"web-1", "web.2"}, 600, 900)));
  ASSERT_EQ(r.kind, MetricResult::Kind::kAggregate) << r;
  EXPECT_NEAR(r.value, 1.5 / 20, 1e-12);
  // Escaping: "web.2" must not match "webx2" (9 errors/s), "web-1" not
  // "web-10" (5 errors/s).
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricResult dot, source->Query(Query(kErrorRatio, {"web.2"}, 600, 900)));
  EXPECT_NEAR(dot.value, 0.05, 1e-12);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricResult one, source->Query(Query(kErrorRatio, {"web-1"}, 600, 900)));
  EXPECT_NEAR(one.value, 0.1, 1e-12);
  // The fleet (no targets) matches every instance: 15.5 / 40.
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult fleet,
                              source->Query(Query(kErrorRatio, {}, 600, 900)));
  EXPECT_NEAR(fleet.value, 15.5 / 40, 1e-12);
}

TEST_F(PrometheusServerTest, LargeCohortFitsInOneQuery) {
  // 5000 more target ids, about 200 kB of regex in the form body: far more
  // than URLs are allowed by common proxies (8 kB).
  std::vector<std::string> targets = {"web-1", "web.2"};
  for (int i = 0; i < 5000; ++i)
    targets.push_back(absl::StrCat("use1-az1-web-", i, ".example.com:9100"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricResult r, Source()->Query(Query(kErrorRatio, targets, 600, 900)));
  EXPECT_NEAR(r.value, 1.5 / 20, 1e-12);
}

TEST_F(PrometheusServerTest, CountsAndRates) {
  auto source = Source();
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricResult count,
      source->Query(Query("sum(increase(http_requests_total{instance=~\"{{"
                          "targets_regex}}\"}[{{window}}]))",
                          {"web-1", "web-10"}, 600, 900)));
  EXPECT_NEAR(count.value, 6000, 1e-6);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricResult rate,
      source->Query(Query("sum(rate(http_errors_total{instance=~\"{{"
                          "targets_regex}}\"}[{{window}}]))",
                          {"web-10"}, 600, 900)));
  EXPECT_NEAR(rate.value, 5, 1e-9);
}

TEST_F(PrometheusServerTest, RangeQueryGivesOneSamplePerStep) {
  auto source = Source();
  MetricQuery q =
      Query("sum(rate(http_errors_total{instance=~\"{{targets_regex}}\"}[1m]))",
            {"web-1"}, 600, 900);
  q.params = {{"prometheus.range", "true"}, {"prometheus.step", "30s"}};
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult r, source->Query(q));
  ASSERT_EQ(r.kind, MetricResult::Kind::kSamples) << r;
  ASSERT_EQ(r.samples.size(), 10u);  // 600, 630, ..., 870; 900 is the end
  for (const Sample& s : r.samples) EXPECT_NEAR(s.value, 1, 1e-9);
  EXPECT_EQ(r.samples.front().time, absl::FromUnixSeconds(kT0 + 600));
}

TEST_F(PrometheusServerTest, HistogramBucketsForDistributionGates) {
  auto source = Source();
  const std::string h =
      "sum by (le) (rate(http_request_duration_seconds_bucket{instance=~\"{{"
      "targets_regex}}\"}[{{window}}]))";
  const double inf = std::numeric_limits<double>::infinity();
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricDistribution d,
      source->QueryDistribution(Query(h, {"web-1"}, 600, 900)));
  ASSERT_EQ(d.kind, MetricDistribution::Kind::kHistogram) << d;
  ASSERT_EQ(d.buckets.size(), 4u);
  const std::vector<HistogramBucket> want = {
      {0.1, 5}, {0.5, 8}, {1, 9}, {inf, 10}};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(d.buckets[i].upper_bound, want[i].upper_bound);
    EXPECT_NEAR(d.buckets[i].cumulative_count, want[i].cumulative_count, 1e-9);
  }
  EXPECT_NEAR(HistogramQuantile(d.buckets, 0.5), 0.1, 1e-9);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricDistribution both,
      source->QueryDistribution(Query(h, {"web-1", "web-10"}, 600, 900)));
  EXPECT_NEAR(both.count(), 20, 1e-9);
  // Without sum by (le): one histogram per instance, an error.
  EXPECT_THAT(
      source
          ->QueryDistribution(Query("rate(http_request_duration_seconds_bucket{"
                                    "instance=~\"{{targets_regex}}\"}[5m])",
                                    {"web-1", "web-10"}, 600, 900))
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("more than one histogram")));
}

TEST_F(PrometheusServerTest, MissingStaleAndNaNAreNoData) {
  auto source = Source();
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricResult missing,
      source->Query(Query(kErrorRatio, {"nope"}, 600, 900)));
  EXPECT_EQ(missing.kind, MetricResult::Kind::kNoData);
  EXPECT_THAT(missing.message, HasSubstr("no series matched"));
  // After the data ends (at 1800 s) a ratio of nothing is no series.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricResult after,
      source->Query(Query(kErrorRatio, {"web-1"}, 3000, 3300)));
  EXPECT_EQ(after.kind, MetricResult::Kind::kNoData);
  // A raw series over a range that ends 7 minutes after its last point
  // (Prometheus' lookback keeps it 5 minutes): stale.
  MetricQuery stale =
      Query("http_requests_total{instance=~\"{{targets_regex}}\"}", {"web-1"},
            1920, 2520);
  stale.params = {{"prometheus.range", "true"}};
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult s, source->Query(stale));
  EXPECT_EQ(s.kind, MetricResult::Kind::kNoData) << s;
  EXPECT_THAT(s.message, HasSubstr("stale"));
  // 0/0.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricResult nan,
      source->Query(Query("sum(rate(http_errors_total{instance=~\"{{targets_"
                          "regex}}\"}[{{window}}])) * 0 / 0",
                          {"web-1"}, 600, 900)));
  EXPECT_EQ(nan.kind, MetricResult::Kind::kNoData);
  EXPECT_THAT(nan.message, HasSubstr("NaN"));
}

TEST_F(PrometheusServerTest, BadQueryIsInvalidArgumentNotRetried) {
  auto source = Source();
  EXPECT_THAT(
      source->Query(Query("sum(rate(", {}, 600, 900)).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("parse error")));
  EXPECT_THAT(
      source->Query(Query("rate(http_errors_total[5m])", {}, 600, 900))
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("4 series")));
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(PrometheusServerTest, UnreachableServerIsUnavailableAfterRetries) {
  // Port 1 on loopback: nothing listens there (connection refused).
  PrometheusOptions o;
  o.url = "http://127.0.0.1:1";
  o.timeout = absl::Seconds(5);
  o.sleep = [this](absl::Duration d) { sleeps_.push_back(d); };
  SLUICE_ASSERT_OK_AND_ASSIGN(auto source, NewPrometheusMetricSource(o));
  EXPECT_THAT(
      source->Query(Query("up", {}, 600, 900)).status(),
      StatusIs(absl::StatusCode::kUnavailable, HasSubstr("(3 attempts)")));
  EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(PrometheusServerTest, PrometheusAlerts) {
  PrometheusOptions o;
  o.url = server_->url();
  SLUICE_ASSERT_OK_AND_ASSIGN(auto alarms, NewPrometheusAlarmSource(o));
  AlarmQuery q;
  q.alarms = {"AlwaysFiring", "AlwaysFiring{severity=\"ticket\"}", "SlowToFire",
              "Nope", "AlwaysFiring{instance=~\"{{targets_regex}}\"}"};
  std::vector<std::string> targets = {"web-10"};
  q.targets = absl::MakeConstSpan(targets);
  // The rules are evaluated every second; wait (bounded) for the first.
  absl::StatusOr<std::vector<AlarmStatus>> s;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  do {
    s = alarms->QueryAlarms(q);
    ASSERT_THAT(s.status(), IsOk());
    if ((*s)[0].state == AlarmState::kAlarm) break;
    absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < deadline);
  ASSERT_EQ(s->size(), 5u);
  EXPECT_EQ((*s)[0].state, AlarmState::kAlarm);
  EXPECT_THAT((*s)[0].reason, HasSubstr("it fires"));
  EXPECT_EQ((*s)[1].state, AlarmState::kOk);
  EXPECT_EQ((*s)[2].state, AlarmState::kOk);
  EXPECT_THAT((*s)[2].reason, HasSubstr("pending"));
  EXPECT_EQ((*s)[3].state, AlarmState::kOk);
  // The alert's instance is web-1, the wave's is web-10: anchored, no match.
  EXPECT_EQ((*s)[4].state, AlarmState::kOk);
}

TEST(AlertmanagerServerTest, PostedAlertIsReadBack) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<TestServer> am,
      TestServer::Create("/usr/bin/prometheus-alertmanager",
                         "prometheus-alertmanager"));
  ASSERT_THAT(am->WriteFile("am.yml",
                            "route:\n  receiver: blackhole\nreceivers:\n"
                            "- name: blackhole\n"),
              IsOk());
  ASSERT_THAT(am->Start({"--config.file=am.yml", "--storage.path=data",
                         "--web.listen-address=127.0.0.1:{port}",
                         "--cluster.listen-address="},
                        "/-/ready"),
              IsOk());
  // Post two alerts and silence one, through the API (libcurl, JSON by
  // nlohmann).
  auto http = NewCurlTransport();
  nlohmann::json alerts = nlohmann::json::array();
  alerts.push_back({{"labels",
                     {{"alertname", "HighErrorRate"},
                      {"instance", "webx2"},
                      {"severity", "page"}}},
                    {"annotations", {{"summary", "errors up"}}}});
  alerts.push_back({{"labels", {{"alertname", "Quiet"}}}});
  SLUICE_ASSERT_OK_AND_ASSIGN(
      HttpResponse posted,
      http->Fetch(am->url() + "/api/v2/alerts", alerts.dump(),
                  "application/json", absl::Seconds(10)));
  ASSERT_EQ(posted.status_code, 200) << posted.body;
  nlohmann::json silence = {{"matchers",
                             {{{"name", "alertname"},
                               {"value", "Quiet"},
                               {"isRegex", false},
                               {"isEqual", true}}}},
                            {"startsAt", "2020-01-01T00:00:00Z"},
                            {"endsAt", "2099-01-01T00:00:00Z"},
                            {"createdBy", "sluice test"},
                            {"comment", "test"}};
  SLUICE_ASSERT_OK_AND_ASSIGN(
      HttpResponse silenced,
      http->Fetch(am->url() + "/api/v2/silences", silence.dump(),
                  "application/json", absl::Seconds(10)));
  ASSERT_EQ(silenced.status_code, 200) << silenced.body;

  PrometheusOptions o;
  o.url = am->url();
  SLUICE_ASSERT_OK_AND_ASSIGN(auto alarms, NewAlertmanagerAlarmSource(o));
  AlarmQuery q;
  q.alarms = {"HighErrorRate", "HighErrorRate{instance=~\"{{targets_regex}}\"}",
              "HighErrorRate{severity=\"ticket\"}", "Quiet", "Absent"};
  std::vector<std::string> targets = {"web.2"};
  q.targets = absl::MakeConstSpan(targets);
  absl::StatusOr<std::vector<AlarmStatus>> s;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  do {
    s = alarms->QueryAlarms(q);
    ASSERT_THAT(s.status(), IsOk());
    if ((*s)[0].state == AlarmState::kAlarm &&
        absl::StrContains((*s)[3].reason, "suppressed"))
      break;
    absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < deadline);
  ASSERT_EQ(s->size(), 5u);
  EXPECT_EQ((*s)[0].state, AlarmState::kAlarm);
  EXPECT_THAT((*s)[0].reason, HasSubstr("errors up"));
  // The wave's "web.2", escaped, does not match the alert's "webx2".
  EXPECT_EQ((*s)[1].state, AlarmState::kOk);
  EXPECT_EQ((*s)[2].state, AlarmState::kOk);
  EXPECT_EQ((*s)[3].state, AlarmState::kOk);
  EXPECT_THAT((*s)[3].reason, HasSubstr("suppressed"));
  EXPECT_EQ((*s)[4], (AlarmStatus{"Absent", AlarmState::kOk, ""}));
}

}  // namespace
}  // namespace sluice::prometheus
