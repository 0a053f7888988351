// Copyright 2026 The Sluice Authors.

#include "sluice/sim/monte_carlo.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/core/status_macros.h"
#include "lib/sim/sim_random.h"

namespace sluice::sim {

uint64_t RunSeed(uint64_t seed, int64_t run) {
  return internal::HashWords({seed, static_cast<uint64_t>(run)});
}

absl::StatusOr<std::vector<RunOutcome>> RunMonteCarlo(
    const MonteCarloOptions& options, const RunFunction& run) {
  if (options.runs < 1) {
    return internal::InvalidArgumentAt(
        "runs", absl::StrCat("must be >= 1 (got ", options.runs, ")"));
  }
  if (options.threads < 0) {
    return internal::InvalidArgumentAt(
        "threads", absl::StrCat("must be >= 0 (got ", options.threads, ")"));
  }
  int64_t threads = options.threads;
  if (threads == 0) {
    threads = std::max<int64_t>(1, std::thread::hardware_concurrency());
  }
  threads = std::min(threads, options.runs);

  const int64_t total = options.runs;
  std::vector<std::optional<RunOutcome>> results(total);
  std::vector<absl::Status> errors(total);
  std::atomic<int64_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex progress_mutex;
  int64_t done = 0;

  auto worker = [&] {
    while (!failed.load()) {
      const int64_t i = next.fetch_add(1);
      if (i >= total) return;
      const uint64_t seed = RunSeed(options.seed, i);
      absl::StatusOr<RunOutcome> outcome = run(i, seed);
      if (!outcome.ok()) {
        errors[i] = outcome.status();
        failed.store(true);
        return;
      }
      outcome->run = i;
      outcome->seed = seed;
      results[i] = *std::move(outcome);
      if (options.progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        options.progress(++done, total);
      }
    }
  };
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (int64_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (std::thread& thread : pool) thread.join();
  }
  for (int64_t i = 0; i < total; ++i) {
    if (!errors[i].ok()) {
      return internal::PrefixStatus(errors[i], absl::StrCat("run ", i));
    }
  }
  std::vector<RunOutcome> outcomes;
  outcomes.reserve(total);
  for (int64_t i = 0; i < total; ++i) {
    if (!results[i].has_value()) {
      return absl::InternalError(absl::StrCat("run ", i, " did not run"));
    }
    outcomes.push_back(*std::move(results[i]));
  }
  return outcomes;
}

double Percentile(absl::Span<const double> sorted, double q) {
  const double h = (static_cast<double>(sorted.size()) - 1) * q;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(sorted.size() - 1, lo + 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Distribution Summarize(std::vector<double> values) {
  Distribution d;
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  d.count = static_cast<int64_t>(values.size());
  double sum = 0;
  for (double v : values) sum += v;
  d.mean = sum / static_cast<double>(values.size());
  d.min = values.front();
  d.max = values.back();
  d.p50 = Percentile(values, 0.5);
  d.p90 = Percentile(values, 0.9);
  d.p99 = Percentile(values, 0.99);
  return d;
}

Proportion WilsonInterval(int64_t successes, int64_t trials, double z) {
  Proportion p;
  p.successes = successes;
  p.trials = trials;
  if (trials <= 0) return p;
  const double n = static_cast<double>(trials);
  const double rate = static_cast<double>(successes) / n;
  p.rate = rate;
  const double z2 = z * z;
  const double center = (rate + z2 / (2 * n)) / (1 + z2 / n);
  const double half =
      z * std::sqrt(rate * (1 - rate) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  p.low = std::max(0.0, center - half);
  p.high = std::min(1.0, center + half);
  return p;
}

bool operator==(const MonteCarloSummary& a, const MonteCarloSummary& b) {
  return a.runs == b.runs && a.seed == b.seed && a.detection == b.detection &&
         a.false_rollback == b.false_rollback && a.completion == b.completion &&
         a.escaped == b.escaped &&
         a.caught_in_first_zone == b.caught_in_first_zone &&
         a.caught_before_region_complete == b.caught_before_region_complete &&
         a.false_rollback_triggers == b.false_rollback_triggers &&
         a.bad_release_stop_triggers == b.bad_release_stop_triggers &&
         a.false_rollback_gates == b.false_rollback_gates &&
         a.bad_release_stop_gates == b.bad_release_stop_gates &&
         a.false_rollback_stages == b.false_rollback_stages &&
         a.time_to_detect_s == b.time_to_detect_s &&
         a.time_to_detect_from_harm_s == b.time_to_detect_from_harm_s &&
         a.excess_errors == b.excess_errors &&
         a.max_bad_targets == b.max_bad_targets &&
         a.max_bad_weight_share == b.max_bad_weight_share &&
         a.bad_requests == b.bad_requests &&
         a.time_to_full_rollout_s == b.time_to_full_rollout_s;
}

namespace {

std::string TriggerOf(const RunOutcome& o) {
  return o.stop_trigger.has_value()
             ? std::string(FailureTriggerName(*o.stop_trigger))
             : "unknown";
}

std::vector<TriggerCount> Counted(const std::map<std::string, int64_t>& map) {
  std::vector<TriggerCount> out;
  for (const auto& [trigger, count] : map) out.push_back({trigger, count});
  std::stable_sort(out.begin(), out.end(),
                   [](const TriggerCount& a, const TriggerCount& b) {
                     return a.count > b.count;
                   });
  return out;
}

}  // namespace

MonteCarloSummary Summarize(absl::Span<const RunOutcome> outcomes,
                            uint64_t seed) {
  MonteCarloSummary s;
  s.runs = static_cast<int64_t>(outcomes.size());
  s.seed = seed;
  int64_t bad = 0, detected = 0, good = 0, false_rollbacks = 0, completed = 0;
  int64_t escaped = 0, first_zone = 0, before_region = 0;
  std::map<std::string, int64_t> good_stops, bad_stops, good_gates, bad_gates;
  std::map<std::string, int64_t> good_stages;
  std::vector<double> ttd, ttd_harm, targets, share, requests, excess, full;
  for (const RunOutcome& o : outcomes) {
    if (o.bad_release) {
      ++bad;
      targets.push_back(static_cast<double>(o.max_bad_targets));
      share.push_back(o.max_bad_weight_share);
      requests.push_back(o.bad_requests);
      excess.push_back(o.excess_errors);
      if (o.stopped) ++bad_stops[TriggerOf(o)];
      if (o.stopped && !o.decisive_gate.empty()) ++bad_gates[o.decisive_gate];
      if (o.escaped) ++escaped;
      if (o.detected) {
        ++detected;
        if (o.stopped_in_first_zone) ++first_zone;
        if (o.stopped_before_region_complete) ++before_region;
        if (o.time_to_detect.has_value()) {
          ttd.push_back(absl::ToDoubleSeconds(*o.time_to_detect));
        }
        if (o.time_to_detect_from_harm.has_value()) {
          ttd_harm.push_back(
              absl::ToDoubleSeconds(*o.time_to_detect_from_harm));
        }
      }
    } else {
      ++good;
      if (o.false_rollback) {
        ++false_rollbacks;
        ++good_stops[TriggerOf(o)];
        if (!o.decisive_gate.empty()) ++good_gates[o.decisive_gate];
        ++good_stages[o.stop_stage.empty() ? "unknown" : o.stop_stage];
      }
    }
    if (o.time_to_full_rollout.has_value()) {
      ++completed;
      full.push_back(absl::ToDoubleSeconds(*o.time_to_full_rollout));
    }
  }
  s.detection = WilsonInterval(detected, bad);
  s.false_rollback = WilsonInterval(false_rollbacks, good);
  s.completion = WilsonInterval(completed, s.runs);
  s.escaped = WilsonInterval(escaped, bad);
  s.caught_in_first_zone = WilsonInterval(first_zone, bad);
  s.caught_before_region_complete = WilsonInterval(before_region, bad);
  s.false_rollback_triggers = Counted(good_stops);
  s.bad_release_stop_triggers = Counted(bad_stops);
  s.false_rollback_gates = Counted(good_gates);
  s.bad_release_stop_gates = Counted(bad_gates);
  s.false_rollback_stages = Counted(good_stages);
  s.time_to_detect_s = Summarize(std::move(ttd));
  s.time_to_detect_from_harm_s = Summarize(std::move(ttd_harm));
  s.max_bad_targets = Summarize(std::move(targets));
  s.max_bad_weight_share = Summarize(std::move(share));
  s.bad_requests = Summarize(std::move(requests));
  s.excess_errors = Summarize(std::move(excess));
  s.time_to_full_rollout_s = Summarize(std::move(full));
  return s;
}

}  // namespace sluice::sim
