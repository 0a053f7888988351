// Copyright 2026 The Sluice Authors.
//
// Private: the alerts APIs' bodies, parsed (lib/prometheus/parse.cc).

#ifndef SLUICE_LIB_PROMETHEUS_ALERTS_H_
#define SLUICE_LIB_PROMETHEUS_ALERTS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sluice::internal {

// One alert, from Prometheus' /api/v1/alerts or Alertmanager's
// /api/v2/alerts. Value type.
struct Alert {
  // Its labels (alertname among them).
  std::map<std::string, std::string> labels;
  // Its annotations (summary, description, ...).
  std::map<std::string, std::string> annotations;
  // Prometheus: "firing" or "pending". Alertmanager: "active",
  // "suppressed" or "unprocessed".
  std::string state;
  // Prometheus' activeAt, Alertmanager's startsAt (RFC 3339), if given.
  std::string since;
};

// Parses Prometheus' /api/v1/alerts body. Errors: kUnavailable for status
// "error", kInternal for a body that is not the API's JSON.
absl::StatusOr<std::vector<Alert>> ParsePrometheusAlerts(
    absl::string_view body);

// Parses Alertmanager's /api/v2/alerts body (a JSON array). Errors:
// kInternal for a body that is not the API's JSON.
absl::StatusOr<std::vector<Alert>> ParseAlertmanagerAlerts(
    absl::string_view body);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_PROMETHEUS_ALERTS_H_
