// Copyright 2026 The Sluice Authors.
//
// Private: URLs, options and retried requests of the Prometheus adapters
// (lib/prometheus/http.cc).

#ifndef SLUICE_LIB_PROMETHEUS_HTTP_H_
#define SLUICE_LIB_PROMETHEUS_HTTP_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sluice/prometheus/prometheus.h"

namespace sluice::internal {

// `params` as an application/x-www-form-urlencoded body, encoded by
// libcurl ("query=sum%28x%29&time=1.5").
absl::StatusOr<std::string> FormBody(
    const std::vector<std::pair<std::string, std::string>>& params);

// Checks `options` (errors name the option) and fills in the defaults of
// target_label, sleep and transport.
absl::Status PrepareOptions(prometheus::PrometheusOptions& options);

// base + path (base's own path kept, one '/' between) with the query
// parameters URL-encoded by libcurl. kInvalidArgument for a bad base URL.
absl::StatusOr<std::string> ApiUrl(
    const std::string& base, const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& params);

// Fetches with options.transport, retrying transport errors of codes
// kUnavailable/kDeadlineExceeded and HTTP 5xx/429 as options.retry says,
// sleeping through options.sleep. Returns the last response (any status
// code) or the last transport error, its message saying how many attempts
// were made.
absl::StatusOr<prometheus::HttpResponse> FetchWithRetry(
    const prometheus::PrometheusOptions& options, const std::string& url,
    const std::string& post_body = "", const std::string& content_type = "");

}  // namespace sluice::internal

#endif  // SLUICE_LIB_PROMETHEUS_HTTP_H_
