// Copyright 2026 The Sluice Authors.
//
// Count-based schedulers: all-at-once, one-at-a-time, half-at-a-time, fixed
// batches, CodeDeploy minimum healthy hosts, Kubernetes rolling updates.

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/waves/builtin_schedulers.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using internal::BuiltinScheduler;

// Splits `targets` into consecutive batches of `size` (>= 1), the last
// possibly smaller, each baking `bake`.
std::vector<Wave> Batches(absl::Span<const Fleet::TargetIndex> targets,
                          int64_t size, absl::Duration bake) {
  const int64_t n = static_cast<int64_t>(targets.size());
  size = std::clamp<int64_t>(size, 1, std::max<int64_t>(n, 1));
  const int64_t count = (n + size - 1) / size;
  std::vector<Wave> waves;
  waves.reserve(count);
  for (int64_t b = 0; b < count; ++b) {
    Wave wave;
    wave.name = absl::StrCat("batch ", b + 1, "/", count);
    wave.stage = "batch";
    const int64_t begin = b * size;
    const int64_t end = std::min(n, begin + size);
    wave.targets.assign(targets.begin() + begin, targets.begin() + end);
    wave.bake = bake;
    waves.push_back(std::move(wave));
  }
  return waves;
}

// ---- all-at-once

class AllAtOnceScheduler : public BuiltinScheduler {
 public:
  explicit AllAtOnceScheduler(AllAtOnceOptions options)
      : options_(std::move(options)) {}
  std::string name() const override { return "all-at-once"; }

 protected:
  absl::StatusOr<WavePlan> PlanTargets(
      const Fleet& fleet,
      absl::Span<const Fleet::TargetIndex> targets) const override {
    WavePlan plan;
    Wave wave;
    wave.name = "all targets";
    wave.stage = "all";
    wave.targets.assign(targets.begin(), targets.end());
    wave.bake = options_.bake;
    const int64_t n = static_cast<int64_t>(targets.size());
    wave.max_failed_targets =
        options_.max_failed_targets.has_value()
            ? std::min(*options_.max_failed_targets, n)
            : n - 1;  // CodeDeploy: at least one target must succeed.
    plan.waves.push_back(std::move(wave));
    return plan;
  }

 private:
  AllAtOnceOptions options_;
};

// ---- minimum healthy hosts (also one-at-a-time and half-at-a-time)

class MinHealthyScheduler : public BuiltinScheduler {
 public:
  // `label` is the name() (e.g. "one-at-a-time"); `most_concurrency_one`
  // models CodeDeploy's OneAtATime (MOST_CONCURRENCY 1: min healthy n - 1);
  // `lenient_single` plans a one-target fleet as one wave instead of failing.
  MinHealthyScheduler(std::string label, CountOrPercent min_healthy,
                      absl::Duration bake, bool most_concurrency_one,
                      bool lenient_single)
      : label_(std::move(label)),
        min_healthy_(min_healthy),
        bake_(bake),
        most_concurrency_one_(most_concurrency_one),
        lenient_single_(lenient_single) {}

  std::string name() const override { return label_; }

 protected:
  absl::StatusOr<WavePlan> PlanTargets(
      const Fleet& fleet,
      absl::Span<const Fleet::TargetIndex> targets) const override {
    const int64_t n = static_cast<int64_t>(targets.size());
    int64_t m = most_concurrency_one_
                    ? n - 1
                    : internal::Resolve(min_healthy_, n, /*round_up=*/true);
    if (m >= n) {
      if (lenient_single_ && n == 1) {
        m = 0;
      } else if (min_healthy_.unit == CountOrPercent::Unit::kCount) {
        return internal::InvalidArgumentAt(
            "min_healthy.host_count",
            absl::StrCat(m, " of ", n,
                         " targets must stay healthy, so no batch can "
                         "deploy; use at most ",
                         n - 1));
      } else {
        return internal::InvalidArgumentAt(
            "min_healthy.fleet_percent",
            absl::StrCat(min_healthy_.value, "% of ", n,
                         " targets rounds up to ", m,
                         " that must stay healthy, so no batch can deploy"));
      }
    }
    WavePlan plan;
    plan.waves = Batches(targets, n - m, bake_);
    internal::AssignFailureBudgets(n, m, /*surge=*/0, plan.waves);
    if (lenient_single_ && n == 1) plan.waves[0].max_failed_targets = 0;
    return plan;
  }

 private:
  std::string label_;
  CountOrPercent min_healthy_;
  absl::Duration bake_;
  bool most_concurrency_one_;
  bool lenient_single_;
};

// ---- fixed batches

class BatchScheduler : public BuiltinScheduler {
 public:
  explicit BatchScheduler(BatchOptions options) : options_(options) {}
  std::string name() const override {
    return absl::StrCat("batches(",
                        internal::FormatCountOrPercent(options_.size),
                        internal::RoundingLabel(options_.rounding), ")");
  }

 protected:
  absl::StatusOr<WavePlan> PlanTargets(
      const Fleet& fleet,
      absl::Span<const Fleet::TargetIndex> targets) const override {
    const int64_t n = static_cast<int64_t>(targets.size());
    const int64_t size = std::max<int64_t>(
        1, internal::BatchCount(options_.size, n, options_.rounding));
    WavePlan plan;
    plan.waves = Batches(targets, size, options_.bake);
    for (Wave& wave : plan.waves) {
      wave.max_failed_targets = std::min<int64_t>(
          internal::Resolve(options_.max_failed_per_batch,
                            static_cast<int64_t>(wave.targets.size()),
                            /*round_up=*/false),
          static_cast<int64_t>(wave.targets.size()));
    }
    return plan;
  }

 private:
  BatchOptions options_;
};

// ---- Kubernetes rolling update

class RollingScheduler : public BuiltinScheduler {
 public:
  explicit RollingScheduler(RollingOptions options) : options_(options) {}
  std::string name() const override {
    return absl::StrCat(
        "rolling(maxSurge ", internal::FormatCountOrPercent(options_.max_surge),
        ", maxUnavailable ",
        internal::FormatCountOrPercent(options_.max_unavailable), ")");
  }

 protected:
  absl::StatusOr<WavePlan> PlanTargets(
      const Fleet& fleet,
      absl::Span<const Fleet::TargetIndex> targets) const override {
    const int64_t n = static_cast<int64_t>(targets.size());
    // ResolveFenceposts: surge rounds up, unavailable down; both 0 -> 1.
    const int64_t surge = internal::Resolve(options_.max_surge, n, true);
    int64_t unavailable = internal::Resolve(options_.max_unavailable, n, false);
    if (surge == 0 && unavailable == 0) unavailable = 1;
    unavailable = std::min(unavailable, n);
    WavePlan plan;
    plan.waves = Batches(targets, surge + unavailable, options_.bake);
    internal::AssignFailureBudgets(n, n - unavailable, surge, plan.waves);
    return plan;
  }

 private:
  RollingOptions options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewAllAtOnceScheduler(
    const AllAtOnceOptions& options) {
  SLUICE_RETURN_IF_ERROR(internal::CheckBake(options.bake, "all_at_once.bake"));
  if (options.max_failed_targets.has_value() &&
      *options.max_failed_targets < 0) {
    return internal::InvalidArgumentAt(
        "all_at_once.max_failed_targets",
        absl::StrCat("must be >= 0 (got ", *options.max_failed_targets, ")"));
  }
  return std::make_unique<AllAtOnceScheduler>(options);
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewOneAtATimeScheduler(
    const OneAtATimeOptions& options) {
  SLUICE_RETURN_IF_ERROR(
      internal::CheckBake(options.bake, "one_at_a_time.bake"));
  return std::make_unique<MinHealthyScheduler>(
      "one-at-a-time", CountOrPercent::Count(0), options.bake,
      /*most_concurrency_one=*/true, /*lenient_single=*/true);
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewHalfAtATimeScheduler(
    const HalfAtATimeOptions& options) {
  SLUICE_RETURN_IF_ERROR(
      internal::CheckBake(options.bake, "half_at_a_time.bake"));
  return std::make_unique<MinHealthyScheduler>(
      "half-at-a-time", CountOrPercent::Percent(50), options.bake,
      /*most_concurrency_one=*/false, /*lenient_single=*/true);
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewBatchScheduler(
    const BatchOptions& options) {
  SLUICE_RETURN_IF_ERROR(
      internal::CheckCountOrPercent(options.size, "batches.size", 1));
  SLUICE_RETURN_IF_ERROR(internal::CheckRounding(
      options.rounding, "batches.rounding", /*traffic_routed=*/false,
      /*rounds_a_percent=*/options.size.unit == CountOrPercent::Unit::kPercent,
      "a percent size"));
  SLUICE_RETURN_IF_ERROR(internal::CheckBake(options.bake, "batches.bake"));
  SLUICE_RETURN_IF_ERROR(internal::CheckCountOrPercent(
      options.max_failed_per_batch, "batches.max_failed_per_batch", 0));
  return std::make_unique<BatchScheduler>(options);
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewMinHealthyScheduler(
    const MinHealthyOptions& options) {
  const CountOrPercent& m = options.min_healthy;
  if (m.unit == CountOrPercent::Unit::kCount) {
    if (!(m.value >= 0) ||
        m.value != static_cast<double>(static_cast<int64_t>(m.value))) {
      return internal::InvalidArgumentAt(
          "min_healthy.host_count",
          absl::StrCat("must be a whole number >= 0 (got ", m.value, ")"));
    }
  } else {
    SLUICE_RETURN_IF_ERROR(internal::CheckPercent(
        m.value, "min_healthy.fleet_percent", /*allow_zero=*/true));
  }
  SLUICE_RETURN_IF_ERROR(internal::CheckBake(options.bake, "min_healthy.bake"));
  std::string label =
      m.unit == CountOrPercent::Unit::kCount
          ? absl::StrCat("min-healthy(HOST_COUNT ", m.value, ")")
          : absl::StrCat("min-healthy(FLEET_PERCENT ", m.value, ")");
  return std::make_unique<MinHealthyScheduler>(
      std::move(label), m, options.bake, /*most_concurrency_one=*/false,
      /*lenient_single=*/false);
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewRollingScheduler(
    const RollingOptions& options) {
  SLUICE_RETURN_IF_ERROR(
      internal::CheckCountOrPercent(options.max_surge, "rolling.max_surge", 0));
  SLUICE_RETURN_IF_ERROR(internal::CheckCountOrPercent(
      options.max_unavailable, "rolling.max_unavailable", 0));
  if (options.max_surge.value == 0 && options.max_unavailable.value == 0) {
    return internal::InvalidArgumentAt(
        "rolling.max_unavailable",
        "may not be 0 when max_surge is 0 (as Kubernetes validates)");
  }
  SLUICE_RETURN_IF_ERROR(internal::CheckBake(options.bake, "rolling.bake"));
  return std::make_unique<RollingScheduler>(options);
}

}  // namespace sluice
