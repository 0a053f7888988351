// Copyright 2026 The Sluice Authors.
//
// The composite scheduler: stages, each a scheduler applied to the targets its
// selector picks among those no earlier stage took.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/waves/builtin_schedulers.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using internal::BuiltinScheduler;
using internal::FieldPath;
using TargetIndex = Fleet::TargetIndex;

class CompositeScheduler : public BuiltinScheduler {
 public:
  explicit CompositeScheduler(CompositeOptions options)
      : options_(std::move(options)) {}

  std::string name() const override {
    std::string out = "composite(";
    for (size_t i = 0; i < options_.stages.size(); ++i) {
      const CompositeStage& stage = options_.stages[i];
      absl::StrAppend(&out, i == 0 ? "" : "; ", stage.name, ": ",
                      stage.scheduler->name());
    }
    return absl::StrCat(out, ")");
  }

 protected:
  absl::StatusOr<WavePlan> PlanTargets(
      const Fleet& fleet,
      absl::Span<const TargetIndex> targets) const override {
    std::vector<bool> taken(fleet.size(), false);
    WavePlan plan;
    for (size_t s = 0; s < options_.stages.size(); ++s) {
      const CompositeStage& stage = options_.stages[s];
      const FieldPath path =
          FieldPath("composite").Field("stages").Index(static_cast<int>(s));
      std::vector<TargetIndex> picked;
      bool matched_any = false;
      for (TargetIndex t : targets) {
        if (!stage.selector.Matches(fleet.target(t))) continue;
        matched_any = true;
        if (!taken[t]) picked.push_back(t);
      }
      if (picked.empty()) {
        return path.Field("selector")
            .Invalid(matched_any
                         ? absl::StrCat("every target it matches (",
                                        stage.selector.ToString(),
                                        ") was taken by an earlier stage")
                         : absl::StrCat("matches no target (",
                                        stage.selector.ToString(), ")"));
      }
      absl::StatusOr<WavePlan> inner =
          stage.scheduler->PlanSubset(fleet, picked);
      if (!inner.ok()) {
        return path.Field("scheduler").Nest(inner.status());
      }
      if (inner->traffic_routed()) {
        return path.Field("scheduler")
            .Invalid(
                absl::StrCat(stage.scheduler->name(),
                             " plans traffic waves, which cannot be composed"));
      }
      // Check the stage's scheduler kept the contract: exactly its targets.
      size_t planned = 0;
      for (Wave& wave : inner->waves) {
        for (TargetIndex t : wave.targets) {
          if (t >= fleet.size() || taken[t]) {
            return absl::InternalError(
                absl::StrCat(path.str(), ": ", stage.scheduler->name(),
                             " planned a target twice or outside its stage"));
          }
          taken[t] = true;
          ++planned;
        }
        wave.name = absl::StrCat(stage.name, ": ", wave.name);
        wave.stage = stage.name;
        plan.waves.push_back(std::move(wave));
      }
      if (planned != picked.size()) {
        return absl::InternalError(
            absl::StrCat(path.str(), ": ", stage.scheduler->name(), " planned ",
                         planned, " of its ", picked.size(), " targets"));
      }
    }
    size_t left = 0;
    std::string first;
    for (TargetIndex t : targets) {
      if (!taken[t]) {
        if (left++ == 0) first = fleet.target(t).id;
      }
    }
    if (left > 0) {
      return FieldPath("composite")
          .Field("stages")
          .Invalid(
              absl::StrCat(left, " targets match no stage (first: \"", first,
                           "\"); end with a stage whose selector is empty"));
    }
    return plan;
  }

 private:
  CompositeOptions options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewCompositeScheduler(
    CompositeOptions options) {
  if (options.stages.empty()) {
    return FieldPath("composite")
        .Field("stages")
        .Invalid(internal::kMustNotBeEmpty);
  }
  absl::flat_hash_set<std::string> names;
  for (size_t s = 0; s < options.stages.size(); ++s) {
    const CompositeStage& stage = options.stages[s];
    const FieldPath path =
        FieldPath("composite").Field("stages").Index(static_cast<int>(s));
    if (stage.name.empty()) {
      return path.Field("name").Invalid(internal::kMustNotBeEmpty);
    }
    if (!names.insert(stage.name).second) {
      return path.Field("name").Invalid(
          absl::StrCat("\"", stage.name, "\" is used by an earlier stage"));
    }
    if (stage.scheduler == nullptr) {
      return path.Field("scheduler").Invalid(internal::kIsRequired);
    }
    SLUICE_RETURN_IF_ERROR(
        path.Field("selector").Nest(ValidateSelector(stage.selector)));
  }
  return std::make_unique<CompositeScheduler>(std::move(options));
}

}  // namespace sluice
