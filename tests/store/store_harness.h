// Copyright 2026 The Sluice Authors.
//
// Shared helpers of the store tests: fleets and plans, a transport that
// reports outcomes through a Controller (failing some deploys of a bad
// release), a publisher that records (and can refuse) deliveries, and the
// configs of the rollouts.

#ifndef SLUICE_TESTS_STORE_STORE_HARNESS_H_
#define SLUICE_TESTS_STORE_STORE_HARNESS_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/rollout.h"
#include "sluice/store/controller.h"
#include "sluice/wave_plan.h"

namespace sluice::store_test {

inline const absl::Time kT0 = absl::FromUnixSeconds(1'764'000'000);

inline std::shared_ptr<const Fleet> MakeFleet(int n) {
  std::vector<Target> targets(n);
  for (int i = 0; i < n; ++i) {
    targets[i].id = absl::StrCat("web-", i);
    targets[i].topology = {"us-east-1", absl::StrCat("use1-az", i % 3), ""};
  }
  return std::make_shared<const Fleet>(*Fleet::Create(std::move(targets)));
}

// Waves of 1, 10% and the rest (at least one target each), baking `bake`.
inline WavePlan MakePlan(int n, absl::Duration bake = absl::Minutes(1)) {
  std::vector<int> sizes = {1, std::max(1, n / 10)};
  sizes.push_back(n - sizes[0] - sizes[1]);
  WavePlan plan;
  plan.strategy = "test";
  Fleet::TargetIndex next = 0;
  for (size_t w = 0; w < sizes.size(); ++w) {
    Wave wave;
    wave.name = absl::StrCat("wave ", w);
    wave.stage = w == 0 ? "one-box" : "zone";
    for (int i = 0; i < sizes[w]; ++i) wave.targets.push_back(next++);
    wave.bake = bake;
    plan.waves.push_back(std::move(wave));
  }
  return plan;
}

// A release is bad if its version says so: deploys of it fail on targets
// with index % 5 == 2.
inline bool DeployFails(const Action& action, Fleet::TargetIndex t) {
  return action.kind == ActionKind::kDeploy &&
         absl::StrContains(action.version, "bad") && t % 5 == 2;
}

// Configs of the rollouts, by id. Thread-safe after setup.
class Configs {
 public:
  // The bake of every wave of the rollouts NewRollout() makes.
  absl::Duration bake = absl::Minutes(1);
  // Adds rollout `id` of `n` targets rolling out `version`.
  void Add(const std::string& id, int n, const std::string& version) {
    RolloutConfig c;
    c.fleet = MakeFleet(n);
    c.options.name = id;
    c.options.version = version;
    c.options.previous_version = "1.0";
    configs_[id] = std::move(c);
  }
  const RolloutConfig& Get(const std::string& id) const {
    return configs_.at(id);
  }
  RolloutConfigFn Fn() const {
    return [this](absl::string_view id) -> absl::StatusOr<RolloutConfig> {
      auto it = configs_.find(std::string(id));
      if (it == configs_.end()) {
        return absl::NotFoundError(absl::StrCat("no config for ", id));
      }
      return it->second;
    };
  }
  // A new rollout of `id` (kPending), to add to a store.
  std::unique_ptr<Rollout> NewRollout(const std::string& id) const {
    const RolloutConfig& c = configs_.at(id);
    return *Rollout::Create(*c.fleet, MakePlan(c.fleet->size(), bake),
                            c.options);
  }
  const std::map<std::string, RolloutConfig>& all() const { return configs_; }

 private:
  std::map<std::string, RolloutConfig> configs_;
};

// Carries out actions at once and reports their outcomes through the
// controller it is attached to. Records every start. Thread-safe.
class ReportingTransport : public ActionTransport {
 public:
  void Attach(Controller* controller) { controller_ = controller; }
  void Start(absl::string_view rollout, const Action& action) override {
    {
      absl::MutexLock lock(&mu_);
      starts_.push_back({std::string(rollout), action.id});
    }
    if (controller_ == nullptr) return;
    absl::Status s;
    if (action.kind == ActionKind::kSetTraffic ||
        (action.kind == ActionKind::kRollBack && action.targets.empty())) {
      s = controller_->ReportActionOutcome(rollout, action.id, true, "");
    } else {
      std::vector<TargetResult> results;
      for (Fleet::TargetIndex t : action.targets) {
        results.push_back(DeployFails(action, t)
                              ? TargetResult::Failed(t, "bad release")
                              : TargetResult::Ok(t));
      }
      s = controller_->ReportOutcome(rollout, action.id, results);
    }
    if (!s.ok()) {
      absl::MutexLock lock(&mu_);
      errors_.push_back(s);
    }
  }
  std::vector<std::pair<std::string, std::string>> starts() const {
    absl::MutexLock lock(&mu_);
    return starts_;
  }
  std::vector<absl::Status> errors() const {
    absl::MutexLock lock(&mu_);
    return errors_;
  }

 private:
  mutable absl::Mutex mu_;
  Controller* controller_ = nullptr;
  std::vector<std::pair<std::string, std::string>> starts_;
  std::vector<absl::Status> errors_;
};

// Records deliveries; refuses the first `refuse` deliveries of each
// notification (as a pager that is down). Thread-safe.
class RecordingPublisher : public OutboxPublisher {
 public:
  int refuse_notifications = 0;
  absl::Status Publish(const OutboxMessage& message) override {
    absl::MutexLock lock(&mu_);
    const std::pair<std::string, std::string> key{message.rollout, message.key};
    if (message.kind == OutboxKind::kNotification &&
        refused_[key] < refuse_notifications) {
      ++refused_[key];
      return absl::UnavailableError("pager down");
    }
    delivered_.push_back(message);
    return absl::OkStatus();
  }
  std::vector<OutboxMessage> delivered() const {
    absl::MutexLock lock(&mu_);
    return delivered_;
  }

 private:
  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, std::string>, int> refused_;
  std::vector<OutboxMessage> delivered_;
};

}  // namespace sluice::store_test

#endif  // SLUICE_TESTS_STORE_STORE_HARNESS_H_
