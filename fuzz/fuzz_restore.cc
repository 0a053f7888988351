// Copyright 2026 The Sluice Authors.
//
// libFuzzer target: Rollout::Restore() on arbitrary bytes, for a fixed fleet
// and options. Whatever restores must step, snapshot and restore again
// without crashing; nothing else is asserted (errors are fine).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/rollout.h"

namespace {

const sluice::Fleet& TheFleet() {
  static const sluice::Fleet* fleet = [] {
    std::vector<sluice::Target> targets(9);
    for (int i = 0; i < 9; ++i) {
      targets[i].id = absl::StrCat("web-", i);
      targets[i].topology = {"us-east-1", absl::StrCat("use1-az", i % 3), ""};
    }
    return new sluice::Fleet(*sluice::Fleet::Create(std::move(targets)));
  }();
  return *fleet;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  sluice::RolloutOptions options;
  absl::StatusOr<std::unique_ptr<sluice::Rollout>> r =
      sluice::Rollout::Restore(TheFleet(), options, bytes);
  if (!r.ok()) return 0;
  sluice::Rollout& rollout = **r;
  absl::Time now = absl::FromUnixSeconds(1764000000);
  for (int step = 0; step < 4; ++step) {
    absl::StatusOr<std::vector<sluice::Action>> actions = rollout.Advance(now);
    if (actions.ok()) {
      for (const sluice::Action& a : *actions) {
        (void)rollout.ReportActionOutcome(a.id, step % 2 == 0, "fuzz", now);
      }
    }
    (void)rollout.Blockers(now);
    now += absl::Minutes(7);
  }
  // What a restored engine writes must restore.
  if (!sluice::Rollout::Restore(TheFleet(), options, rollout.Snapshot()).ok()) {
    std::abort();
  }
  return 0;
}
