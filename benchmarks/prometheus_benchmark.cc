// Copyright 2026 The Sluice Authors.
//
// The Prometheus adapters' own cost, without a server: expanding a template
// for a cohort of N targets (escaping each), parsing a query answer of N
// series (nlohmann-json), and turning N `le` series into a histogram. A
// query's wall time is Prometheus' and the network's; these bound what the
// adapter adds. docs/performance.md has the figures.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "sluice/prometheus/prometheus.h"

namespace {

using sluice::prometheus::ExpandTemplate;
using sluice::prometheus::HistogramFromSeries;
using sluice::prometheus::ParseQueryResponse;
using sluice::prometheus::Series;
using sluice::prometheus::TemplateValues;

void BM_PrometheusExpandTemplate(benchmark::State& state) {
  TemplateValues v;
  for (int i = 0; i < state.range(0); ++i)
    v.targets.push_back(absl::StrCat("use1-az1-web-", i, ".example.com:9100"));
  v.window = absl::Minutes(5);
  const std::string tmpl =
      "sum(rate(http_errors_total{instance=~\"{{targets_regex}}\"}[{{window}}"
      "])) / sum(rate(http_requests_total{instance=~\"{{targets_regex}}\"}[{{"
      "window}}]))";
  for (auto _ : state) {
    auto out = ExpandTemplate(tmpl, v, "q");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PrometheusExpandTemplate)->Arg(1)->Arg(100)->Arg(10000);

void BM_PrometheusParseQueryResponse(benchmark::State& state) {
  std::string body =
      R"({"status":"success","data":{"resultType":"vector","result":[)";
  for (int i = 0; i < state.range(0); ++i) {
    absl::StrAppend(&body, i == 0 ? "" : ",", R"({"metric":{"instance":"web-)",
                    i, R"(","job":"api"},"value":[1700000900,"0.)", i,
                    R"("]})");
  }
  body += "]}}";
  for (auto _ : state) {
    auto series = ParseQueryResponse(body);
    benchmark::DoNotOptimize(series);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * body.size());
}
BENCHMARK(BM_PrometheusParseQueryResponse)->Arg(1)->Arg(100)->Arg(10000);

void BM_PrometheusHistogramFromSeries(benchmark::State& state) {
  std::vector<Series> series;
  for (int i = 0; i < state.range(0); ++i) {
    const bool last = i == state.range(0) - 1;
    series.push_back(
        Series{{{"le", last ? "+Inf" : absl::StrCat(0.001 * (i + 1))}},
               {{absl::UnixEpoch(), 10.0 * (i + 1)}}});
  }
  for (auto _ : state) {
    auto d = HistogramFromSeries(series);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PrometheusHistogramFromSeries)->Arg(12)->Arg(100);

}  // namespace
