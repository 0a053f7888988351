// Copyright 2026 The Sluice Authors.
//
// Writes the seed corpora that need a program: JSON specs (the example specs
// printed as JSON) and Restore() snapshots (a rollout on the fuzz target's
// fleet, snapshotted after every step). Run from the source root:
//   build/fuzz/fuzz/make_seeds
// The text-format, CSV and scenario seeds are copies of examples/.

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/proto_io.h"
#include "sluice/rollout.h"
#include "sluice/spec.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace {

int Fail(const std::string& what) {
  std::cerr << "make_seeds: " << what << "\n";
  return 1;
}

}  // namespace

int main() {
  namespace fs = std::filesystem;
  const fs::path corpus = "fuzz/corpus";
  fs::create_directories(corpus / "spec_json");
  fs::create_directories(corpus / "restore");
  for (const auto& entry : fs::directory_iterator("examples/specs")) {
    absl::StatusOr<sluice::RolloutSpec> spec =
        sluice::RolloutSpec::LoadFile(entry.path().string());
    if (!spec.ok()) return Fail(std::string(spec.status().message()));
    const fs::path out = corpus / "spec_json" /
                         entry.path().filename().replace_extension(".json");
    absl::Status s = sluice::WriteStringToFile(out.string(),
                                               sluice::ToJson(spec->ToProto()));
    if (!s.ok()) return Fail(std::string(s.message()));
  }

  std::vector<sluice::Target> targets(9);
  for (int i = 0; i < 9; ++i) {
    targets[i].id = absl::StrCat("web-", i);
    targets[i].topology = {"us-east-1", absl::StrCat("use1-az", i % 3), ""};
  }
  const sluice::Fleet fleet = *sluice::Fleet::Create(std::move(targets));
  sluice::WavePlan plan;
  plan.strategy = "seed";
  for (int w = 0, next = 0; w < 3; ++w) {
    sluice::Wave wave;
    wave.name = absl::StrCat("wave ", w);
    wave.stage = w == 0 ? "one-box" : "zone";
    for (int i = 0; i < 2 * w + 1; ++i) wave.targets.push_back(next++);
    wave.bake = absl::Minutes(10);
    plan.waves.push_back(std::move(wave));
  }
  sluice::RolloutOptions options;
  options.name = "seed";
  options.version = "2.0";
  options.previous_version = "1.0";
  auto rollout = sluice::Rollout::Create(fleet, plan, options);
  if (!rollout.ok()) return Fail(std::string(rollout.status().message()));
  absl::Time now = absl::FromUnixSeconds(1764000000);
  for (int step = 0; step < 12; ++step) {
    const fs::path out = corpus / "restore" / absl::StrCat("step-", step);
    absl::Status s =
        sluice::WriteStringToFile(out.string(), (*rollout)->Snapshot());
    if (!s.ok()) return Fail(std::string(s.message()));
    absl::StatusOr<std::vector<sluice::Action>> actions =
        (*rollout)->Advance(now);
    if (!actions.ok()) return Fail(std::string(actions.status().message()));
    for (const sluice::Action& a : *actions) {
      // The last wave's deploy fails: the seeds include a rollback.
      const bool ok = !(a.wave == 2 && a.kind == sluice::ActionKind::kDeploy);
      (void)(*rollout)->ReportActionOutcome(a.id, ok, ok ? "" : "seed", now);
    }
    now += absl::Minutes(11);
  }
  return 0;
}
