// Copyright 2026 The Sluice Authors.

#include "sluice/sim/history.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"

namespace sluice::sim {
namespace {

absl::StatusOr<Signal> SignalByName(absl::string_view name) {
  if (name == "request_rate") return Signal::kRequestRate;
  if (name == "error_rate") return Signal::kErrorRate;
  if (name == "latency_ms") return Signal::kLatencyMs;
  return absl::InvalidArgumentError(
      absl::StrCat("signal: want request_rate, error_rate or latency_ms (got "
                   "\"",
                   name, "\")"));
}

absl::Status LoadOne(const std::string& path, std::optional<Signal> signal,
                     std::vector<HistorySeries>& out) {
  SLUICE_ASSIGN_OR_RETURN(RecordedSeries series,
                          RecordedSeries::LoadFile(path));
  HistorySeries entry{std::filesystem::path(path).stem().string(), path,
                      std::move(series), signal};
  out.push_back(std::move(entry));
  return absl::OkStatus();
}

// The candidates of each signal: its bound series, or else the pool.
std::vector<const HistorySeries*> Candidates(
    absl::Span<const HistorySeries> history, Signal signal) {
  std::vector<const HistorySeries*> bound, pool;
  for (const HistorySeries& h : history) {
    if (h.signal == signal) bound.push_back(&h);
    if (!h.signal.has_value()) pool.push_back(&h);
  }
  return bound.empty() ? pool : bound;
}

constexpr Signal kSignals[] = {Signal::kRequestRate, Signal::kErrorRate,
                               Signal::kLatencyMs};

}  // namespace

absl::StatusOr<std::vector<HistorySeries>> LoadHistory(
    absl::Span<const std::string> entries) {
  std::vector<HistorySeries> out;
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string at = absl::StrCat("history[", i, "]");
    std::string path = entries[i];
    std::optional<Signal> signal;
    const size_t eq = path.find('=');
    if (eq != std::string::npos) {
      absl::StatusOr<Signal> bound = SignalByName(path.substr(0, eq));
      if (!bound.ok()) return internal::PrefixStatus(bound.status(), at);
      signal = *bound;
      path = path.substr(eq + 1);
    }
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::string> files;
      for (const auto& file :
           std::filesystem::directory_iterator(path, error)) {
        const std::string name = file.path().string();
        if (absl::EndsWith(name, ".csv")) files.push_back(name);
      }
      std::sort(files.begin(), files.end());
      if (files.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(at, ": no *.csv series in directory ", path));
      }
      for (const std::string& file : files) {
        SLUICE_RETURN_IF_ERROR(LoadOne(file, signal, out));
      }
      continue;
    }
    SLUICE_RETURN_IF_ERROR(LoadOne(path, signal, out));
  }
  if (out.empty()) return absl::InvalidArgumentError("history: no series");
  return out;
}

size_t HistoryRotations(absl::Span<const HistorySeries> history) {
  size_t rotations = 1;
  for (Signal signal : kSignals) {
    rotations = std::max(rotations, Candidates(history, signal).size());
  }
  return rotations;
}

void AddHistoryBackgrounds(absl::Span<const HistorySeries> history,
                           size_t rotation, const HistoryReplay& replay,
                           Scenario& scenario) {
  for (size_t k = 0; k < 3; ++k) {
    const Signal signal = kSignals[k];
    const std::vector<const HistorySeries*> candidates =
        Candidates(history, signal);
    if (candidates.empty()) continue;
    const HistorySeries& h = *candidates[(rotation + k) % candidates.size()];
    RecordedBackground background{h.path, h.series, signal};
    if (!h.signal.has_value()) {
      // A pool series: only its shape, at the stated variability; traffic
      // shapes ride on the modelled daily cycle.
      background.cv = signal == Signal::kRequestRate ? replay.traffic_cv
                      : signal == Signal::kErrorRate ? replay.error_cv
                                                     : replay.latency_cv;
      background.keep_daily_cycle = signal == Signal::kRequestRate;
    }
    scenario.backgrounds.push_back(std::move(background));
  }
}

}  // namespace sluice::sim
