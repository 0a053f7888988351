// Copyright 2026 The Sluice Authors.
//
// A consumer of the installed Prometheus adapters (sluice::prometheus): it
// links, an empty URL is refused with a status naming the option, and a
// good one gives a source (no server is needed: nothing is asked). Prints
// "prometheus consumer ok".

#include <cstdio>
#include <string>

#include "sluice/prometheus/prometheus.h"

int main() {
  sluice::prometheus::PrometheusOptions options;
  auto bad = sluice::prometheus::NewPrometheusMetricSource(options);
  if (bad.ok() || std::string(bad.status().message()).find("url") != 0) {
    std::fprintf(stderr, "an empty url was not refused\n");
    return 1;
  }
  options.url = "http://127.0.0.1:9090";
  auto good = sluice::prometheus::NewPrometheusMetricSource(options);
  if (!good.ok()) {
    std::fprintf(stderr, "%s\n", std::string(good.status().message()).c_str());
    return 1;
  }
  std::printf("prometheus consumer ok\n");
  return 0;
}
