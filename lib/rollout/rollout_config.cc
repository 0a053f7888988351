// Copyright 2026 The Sluice Authors.
//
// The decision-governing configuration of a rollout, described and
// fingerprinted for snapshots (lib/rollout/rollout_config.h).

#include "lib/rollout/rollout_config.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "lib/core/sha256.h"

namespace sluice::internal {

std::vector<std::string> DescribeConfig(const WavePlan& plan,
                                        const RolloutOptions& options,
                                        const RollbackPolicy& policy) {
  std::vector<std::string> out;
  for (size_t w = 0; w < plan.waves.size(); ++w) {
    const Wave& wave = plan.waves[w];
    const HealthGate* gate = options.gate.get();
    auto it = options.stage_gates.find(wave.stage);
    if (it != options.stage_gates.end()) gate = it->second.get();
    out.push_back(absl::StrCat("wave ", w, " (", wave.stage, "): gate ",
                               gate == nullptr ? "none" : gate->name()));
  }
  out.push_back(absl::StrCat("rollback policy: ", policy.name()));
  out.push_back(absl::StrCat("progress_deadline: ",
                             absl::FormatDuration(options.progress_deadline)));
  std::vector<int> approvals = options.approval_waves;
  std::sort(approvals.begin(), approvals.end());
  out.push_back(
      absl::StrCat("approval_waves: [", absl::StrJoin(approvals, ", "), "]"));
  out.push_back(absl::StrCat("approval_timeout: ",
                             absl::FormatDuration(options.approval_timeout)));
  out.push_back(absl::StrCat("rollback_attempts: ", options.rollback_attempts));
  out.push_back(
      absl::StrCat("rollback_retry_backoff: ",
                   absl::FormatDuration(options.rollback_retry_backoff)));
  out.push_back(
      absl::StrCat("abort_order: ", RollbackOrderName(options.abort_order)));
  out.push_back(
      absl::StrCat("baseline: ", options.baseline == BaselineCohort::kNextWave
                                     ? "next-wave"
                                     : "all-remaining"));
  out.push_back(
      absl::StrCat("bake_recheck_interval: ",
                   absl::FormatDuration(options.bake_recheck_interval)));
  if (options.background_gate != nullptr) {
    out.push_back(absl::StrCat(
        "background: gate ", options.background_gate->name(), " every ",
        absl::FormatDuration(options.background_interval), " from wave ",
        options.background_start_wave));
  }
  out.push_back(absl::StrCat("config_id: ", options.config_id));
  return out;
}

std::string ConfigFingerprint(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) absl::StrAppend(&text, line, "\n");
  return DigestHex(Sha256(text));
}

std::string DescribeConfigChange(const std::vector<std::string>& before,
                                 const std::vector<std::string>& after) {
  const size_t n = std::max(before.size(), after.size());
  for (size_t i = 0; i < n; ++i) {
    const std::string b = i < before.size() ? before[i] : "(nothing)";
    const std::string a = i < after.size() ? after[i] : "(nothing)";
    if (a != b) return absl::StrCat("\"", b, "\" is now \"", a, "\"");
  }
  return "";
}

}  // namespace sluice::internal
