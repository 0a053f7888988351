// Copyright 2026 The Sluice Authors.
//
// The topology-aware staged scheduler: one-box, a batch inside the first
// zone, the rest of that zone, the other zones of the first region, then the
// other regions in growing waves, each split into zone waves.
//
// Planning is linear in the number of targets: targets are bucketed by zone
// with a counting sort (zones are indexed by (region, name) in the Fleet, so a
// region's zones are contiguous), and every wave is a concatenation of bucket
// ranges.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/waves/builtin_schedulers.h"
#include "sluice/wave_scheduler.h"

namespace sluice {

bool operator==(const StagedBakes& a, const StagedBakes& b) {
  return a.one_box == b.one_box && a.first_zone_batch == b.first_zone_batch &&
         a.first_zone == b.first_zone && a.zone == b.zone &&
         a.first_region == b.first_region &&
         a.region_one_box == b.region_one_box &&
         a.region_wave == b.region_wave && a.zone_batch == b.zone_batch &&
         a.final_bake == b.final_bake;
}

namespace {

using internal::BuiltinScheduler;
using TargetIndex = Fleet::TargetIndex;

// The subset's targets bucketed by zone, in subset order within a zone.
struct ZoneBuckets {
  // by_zone[begin[z] .. begin[z + 1]) are zone z's targets.
  std::vector<TargetIndex> by_zone;
  std::vector<uint32_t> begin;

  absl::Span<const TargetIndex> Zone(uint32_t z) const {
    return absl::MakeConstSpan(by_zone.data() + begin[z],
                               begin[z + 1] - begin[z]);
  }
};

class StagedScheduler : public BuiltinScheduler {
 public:
  explicit StagedScheduler(StagedOptions options)
      : options_(std::move(options)) {}

  std::string name() const override {
    std::string out = "staged";
    std::vector<std::string> parts;
    if (!options_.region_order.empty()) {
      parts.push_back(absl::StrCat(
          "regions ", absl::StrJoin(options_.region_order, ", "), " first"));
    }
    if (options_.max_regions_per_wave.has_value()) {
      parts.push_back(absl::StrCat("max ", *options_.max_regions_per_wave,
                                   " regions per wave"));
    }
    if (options_.max_zones_per_wave != 1) {
      parts.push_back(absl::StrCat("max ", options_.max_zones_per_wave,
                                   " zones per region per wave"));
    }
    if (options_.zone_batch.has_value()) {
      parts.push_back(
          absl::StrCat("zone batches of ",
                       internal::FormatCountOrPercent(*options_.zone_batch)));
    }
    if (options_.rounding != PercentRounding::kDefault) {
      parts.push_back(
          absl::StrCat("rounding ", PercentRoundingName(options_.rounding)));
    }
    if (!parts.empty())
      absl::StrAppend(&out, "(", absl::StrJoin(parts, "; "), ")");
    return out;
  }

 protected:
  // Targets spanning several zones or regions are kept out of the zone
  // waves and deploy alone after every zone they span has been deployed and
  // baked (lib/waves/builtin_schedulers.h).
  absl::StatusOr<WavePlan> PlanTargets(
      const Fleet& fleet,
      absl::Span<const TargetIndex> targets) const override {
    const int64_t max_failed =
        internal::Resolve(options_.max_failed_per_wave, 1, /*round_up=*/false);
    SLUICE_ASSIGN_OR_RETURN(
        WavePlan plan,
        internal::PlanSpanningTargetsAfterTheirZones(
            fleet, targets, options_.bakes.first_region, max_failed,
            [&](absl::Span<const TargetIndex> one_zone) {
              return PlanOneZoneTargets(fleet, one_zone);
            }));
    if (options_.bakes.final_bake.has_value())
      plan.waves.back().bake = *options_.bakes.final_bake;
    return plan;
  }

 private:
  absl::StatusOr<WavePlan> PlanOneZoneTargets(
      const Fleet& fleet, absl::Span<const TargetIndex> targets) const {
    const size_t num_regions = fleet.regions().size();
    const size_t num_zones = fleet.zones().size();

    // Bucket by zone; sum weights per region.
    ZoneBuckets buckets;
    buckets.begin.assign(num_zones + 1, 0);
    std::vector<double> region_weight(num_regions, 0.0);
    std::vector<uint32_t> region_count(num_regions, 0);
    double total_weight = 0;
    for (TargetIndex t : targets) {
      const uint32_t z = fleet.zone_of(t);
      ++buckets.begin[z + 1];
      const double w = fleet.target(t).weight;
      const uint32_t r = fleet.zones()[z].region;
      region_weight[r] += w;
      ++region_count[r];
      total_weight += w;
    }
    for (size_t z = 0; z < num_zones; ++z) {
      buckets.begin[z + 1] += buckets.begin[z];
    }
    buckets.by_zone.resize(targets.size());
    {
      std::vector<uint32_t> fill(buckets.begin.begin(),
                                 buckets.begin.end() - 1);
      for (TargetIndex t : targets) {
        buckets.by_zone[fill[fleet.zone_of(t)]++] = t;
      }
    }

    // Non-empty zones of each region, in name order.
    std::vector<std::vector<uint32_t>> region_zones(num_regions);
    for (uint32_t z = 0; z < num_zones; ++z) {
      if (buckets.begin[z + 1] > buckets.begin[z]) {
        region_zones[fleet.zones()[z].region].push_back(z);
      }
    }

    // Region order: the listed ones, then the rest.
    std::vector<uint32_t> order;
    std::vector<bool> listed(num_regions, false);
    for (size_t i = 0; i < options_.region_order.size(); ++i) {
      std::optional<uint32_t> r = fleet.RegionIndex(options_.region_order[i]);
      if (!r.has_value()) {
        return internal::FieldPath("staged")
            .Field("region_order")
            .Index(static_cast<int>(i))
            .Invalid(absl::StrCat("region \"", options_.region_order[i],
                                  "\" is not in the fleet"));
      }
      listed[*r] = true;
      if (region_count[*r] > 0) order.push_back(*r);
    }
    std::vector<uint32_t> rest;
    for (uint32_t r = 0; r < num_regions; ++r) {
      if (!listed[r] && region_count[r] > 0) rest.push_back(r);
    }
    if (options_.region_order_default == RegionOrder::kLeastWeightFirst) {
      std::stable_sort(rest.begin(), rest.end(), [&](uint32_t a, uint32_t b) {
        return region_weight[a] < region_weight[b];
      });
    }
    order.insert(order.end(), rest.begin(), rest.end());

    Emitter emit(fleet, options_);
    const StagedBakes& bakes = options_.bakes;
    const std::string& r0_name = fleet.regions()[order[0]];

    // ---- The first region.
    const uint32_t r0 = order[0];
    const std::vector<uint32_t>& zones0 = region_zones[r0];
    const uint32_t z0 = zones0[0];
    const std::string z0_label =
        absl::StrCat(r0_name, " / ", fleet.zones()[z0].name);
    std::vector<TargetIndex> first_zone_rest;
    if (options_.one_box) {
      std::vector<TargetIndex> box;
      SLUICE_RETURN_IF_ERROR(PickOneBox(fleet, buckets.Zone(z0), total_weight,
                                        r0_name, fleet.zones()[z0].name, box,
                                        first_zone_rest));
      emit.Add(absl::StrCat(z0_label, " one-box"), "one-box", std::move(box),
               bakes.one_box);
    } else {
      absl::Span<const TargetIndex> zone = buckets.Zone(z0);
      first_zone_rest.assign(zone.begin(), zone.end());
    }
    if (options_.first_zone_batch.has_value() && !first_zone_rest.empty()) {
      const int64_t zone_size = buckets.Zone(z0).size();
      const int64_t batch = std::min<int64_t>(
          std::max<int64_t>(
              1, internal::BatchCount(*options_.first_zone_batch, zone_size,
                                      options_.rounding)),
          first_zone_rest.size());
      std::vector<TargetIndex> wave(first_zone_rest.begin(),
                                    first_zone_rest.begin() + batch);
      first_zone_rest.erase(first_zone_rest.begin(),
                            first_zone_rest.begin() + batch);
      emit.Add(absl::StrCat(z0_label, " batch"), "first-zone-batch",
               std::move(wave), bakes.first_zone_batch);
    }
    if (!first_zone_rest.empty()) {
      const bool whole = emit.empty();
      emit.Add(whole ? z0_label : absl::StrCat(z0_label, " rest"), "first-zone",
               std::move(first_zone_rest), bakes.first_zone);
    }
    emit.LengthenLast(bakes.first_zone);
    const int64_t k = options_.max_zones_per_wave;
    for (size_t i = 1; i < zones0.size(); i += k) {
      std::vector<TargetIndex> batch, wave;
      std::vector<std::string> names;
      for (size_t j = i; j < std::min(zones0.size(), i + k); ++j) {
        SplitZone(buckets.Zone(zones0[j]), batch, wave);
        names.push_back(fleet.zones()[zones0[j]].name);
      }
      const std::string name =
          absl::StrCat(r0_name, " / ", absl::StrJoin(names, " + "));
      const bool split = !batch.empty();
      emit.Add(absl::StrCat(name, " batch"), "zone-batch", std::move(batch),
               bakes.zone_batch);
      emit.Add(split ? absl::StrCat(name, " rest") : name, "zone",
               std::move(wave), bakes.zone);
    }
    emit.LengthenLast(bakes.first_region);

    // ---- The other regions, in growing waves.
    double size = static_cast<double>(options_.first_region_wave_size);
    size_t next = 1;
    int wave_number = 0;
    while (next < order.size()) {
      int64_t regions = static_cast<int64_t>(std::ceil(size - 1e-9));
      if (options_.max_regions_per_wave.has_value()) {
        regions = std::min(regions, *options_.max_regions_per_wave);
      }
      regions = std::clamp<int64_t>(regions, 1, order.size() - next);
      std::vector<uint32_t> group(order.begin() + next,
                                  order.begin() + next + regions);
      next += regions;
      ++wave_number;
      size = std::min(size * options_.region_growth, 1e18);
      SLUICE_RETURN_IF_ERROR(PlanRegionWave(fleet, buckets, region_zones, group,
                                            wave_number, total_weight, emit));
    }

    WavePlan plan;
    plan.waves = std::move(emit).Take();
    return plan;
  }

  // Collects waves, dropping empty ones and setting failure budgets.
  class Emitter {
   public:
    Emitter(const Fleet& fleet, const StagedOptions& options)
        : options_(options) {}
    void Add(std::string name, const char* stage,
             std::vector<TargetIndex> targets, absl::Duration bake) {
      if (targets.empty()) return;
      Wave wave;
      wave.name = std::move(name);
      wave.stage = stage;
      const int64_t size = static_cast<int64_t>(targets.size());
      wave.targets = std::move(targets);
      wave.bake = bake;
      wave.max_failed_targets = std::min<int64_t>(
          size, internal::Resolve(options_.max_failed_per_wave, size,
                                  /*round_up=*/false));
      waves_.push_back(std::move(wave));
    }
    // The last wave bakes at least `bake` (it completes a zone or region).
    void LengthenLast(absl::Duration bake) {
      if (!waves_.empty())
        waves_.back().bake = std::max(waves_.back().bake, bake);
    }
    bool empty() const { return waves_.empty(); }
    std::vector<Wave> Take() && { return std::move(waves_); }

   private:
    const StagedOptions& options_;
    std::vector<Wave> waves_;
  };

  // Appends a zone's first zone_batch targets to `batch` and the others to
  // `rest` (all of them to `rest` without zone_batch or for a zone of one).
  void SplitZone(absl::Span<const TargetIndex> zone,
                 std::vector<TargetIndex>& batch,
                 std::vector<TargetIndex>& rest) const {
    size_t n = 0;
    if (options_.zone_batch.has_value() && zone.size() >= 2) {
      n = static_cast<size_t>(std::clamp<int64_t>(
          internal::BatchCount(*options_.zone_batch,
                               static_cast<int64_t>(zone.size()),
                               options_.rounding),
          1, static_cast<int64_t>(zone.size()) - 1));
    }
    batch.insert(batch.end(), zone.begin(), zone.begin() + n);
    rest.insert(rest.end(), zone.begin() + n, zone.end());
  }

  // Picks the one-box targets of `zone` into `box` and the others, in order,
  // into `rest`.
  absl::Status PickOneBox(const Fleet& fleet,
                          absl::Span<const TargetIndex> zone,
                          double total_weight, const std::string& region,
                          const std::string& zone_name,
                          std::vector<TargetIndex>& box,
                          std::vector<TargetIndex>& rest) const {
    rest.reserve(rest.size() + zone.size());
    if (!options_.one_box_max_weight_percent.has_value()) {
      box.push_back(zone[0]);
      rest.insert(rest.end(), zone.begin() + 1, zone.end());
      return absl::OkStatus();
    }
    const double budget =
        *options_.one_box_max_weight_percent / 100.0 * total_weight;
    const double slack = 1e-12 * total_weight;
    double used = 0;
    double lightest = zone.empty() ? 0 : fleet.target(zone[0]).weight;
    for (TargetIndex t : zone) {
      const double w = fleet.target(t).weight;
      lightest = std::min(lightest, w);
      if (used + w <= budget + slack) {
        box.push_back(t);
        used += w;
      } else {
        rest.push_back(t);
      }
    }
    if (box.empty()) {
      return internal::InvalidArgumentAt(
          "staged.one_box_max_weight_percent",
          absl::StrCat("no target of ", region, " / ", zone_name,
                       " weighs at most ", *options_.one_box_max_weight_percent,
                       "% of the fleet's weight (the lightest is ",
                       100.0 * lightest / total_weight, "%)"));
    }
    return absl::OkStatus();
  }

  absl::Status PlanRegionWave(
      const Fleet& fleet, const ZoneBuckets& buckets,
      const std::vector<std::vector<uint32_t>>& region_zones,
      const std::vector<uint32_t>& group, int wave_number, double total_weight,
      Emitter& emit) const {
    std::vector<std::string> names;
    for (uint32_t r : group) names.push_back(fleet.regions()[r]);
    std::string label;
    if (group.size() == 1) {
      label = names[0];
    } else {
      const size_t shown = std::min<size_t>(3, names.size());
      label = absl::StrCat(
          "region wave ", wave_number, " (",
          absl::StrJoin(names.begin(), names.begin() + shown, ", "),
          names.size() > shown
              ? absl::StrCat(", +", names.size() - shown, " more")
              : "",
          ")");
    }
    // Each region's first zone, minus its one-box when there is one.
    std::vector<std::vector<TargetIndex>> first_rest(group.size());
    if (options_.one_box_every_region) {
      std::vector<TargetIndex> boxes;
      for (size_t g = 0; g < group.size(); ++g) {
        const uint32_t z = region_zones[group[g]][0];
        SLUICE_RETURN_IF_ERROR(PickOneBox(fleet, buckets.Zone(z), total_weight,
                                          names[g], fleet.zones()[z].name,
                                          boxes, first_rest[g]));
      }
      emit.Add(absl::StrCat(label, " one-box"), "region-one-box",
               std::move(boxes), options_.bakes.region_one_box);
    }
    size_t max_zones = 0;
    for (uint32_t r : group) {
      max_zones = std::max(max_zones, region_zones[r].size());
    }
    const size_t k = static_cast<size_t>(options_.max_zones_per_wave);
    for (size_t i = 0; i < max_zones; i += k) {
      std::vector<TargetIndex> batch, wave;
      std::vector<std::string> zone_names;
      for (size_t g = 0; g < group.size(); ++g) {
        const std::vector<uint32_t>& zones = region_zones[group[g]];
        for (size_t j = i; j < std::min(zones.size(), i + k); ++j) {
          if (j == 0 && options_.one_box_every_region) {
            // Its one-box is already there: no batch.
            wave.insert(wave.end(), first_rest[g].begin(), first_rest[g].end());
          } else {
            SplitZone(buckets.Zone(zones[j]), batch, wave);
          }
          if (group.size() == 1)
            zone_names.push_back(fleet.zones()[zones[j]].name);
        }
      }
      std::string name =
          group.size() == 1
              ? absl::StrCat(label, " / ", absl::StrJoin(zone_names, " + "))
              : absl::StrCat(label, k == 1 ? " zone " : " zones ", i + 1,
                             k == 1 ? "" : absl::StrCat("-", i + k));
      const bool split = !batch.empty();
      emit.Add(absl::StrCat(name, " batch"), "region-zone-batch",
               std::move(batch), options_.bakes.zone_batch);
      emit.Add(split ? absl::StrCat(name, " rest") : std::move(name),
               "region-wave", std::move(wave), options_.bakes.region_wave);
    }
    return absl::OkStatus();
  }

  StagedOptions options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewStagedScheduler(
    const StagedOptions& options) {
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < options.region_order.size(); ++i) {
    const internal::FieldPath path = internal::FieldPath("staged")
                                         .Field("region_order")
                                         .Index(static_cast<int>(i));
    if (options.region_order[i].empty()) {
      return path.Invalid(internal::kMustNotBeEmpty);
    }
    if (!seen.insert(options.region_order[i]).second) {
      return path.Invalid(absl::StrCat("region \"", options.region_order[i],
                                       "\" is listed twice"));
    }
  }
  if (options.one_box_max_weight_percent.has_value()) {
    SLUICE_RETURN_IF_ERROR(
        internal::CheckPercent(*options.one_box_max_weight_percent,
                               "staged.one_box_max_weight_percent"));
  }
  SLUICE_RETURN_IF_ERROR(internal::CheckRounding(
      options.rounding, "staged.rounding",
      /*traffic_routed=*/false,
      /*rounds_a_percent=*/
      (options.first_zone_batch.has_value() &&
       options.first_zone_batch->unit == CountOrPercent::Unit::kPercent) ||
          (options.zone_batch.has_value() &&
           options.zone_batch->unit == CountOrPercent::Unit::kPercent),
      "a percent first_zone_batch or zone_batch"));
  if (options.first_zone_batch.has_value()) {
    SLUICE_RETURN_IF_ERROR(internal::CheckCountOrPercent(
        *options.first_zone_batch, "staged.first_zone_batch", 1));
  }
  if (options.zone_batch.has_value()) {
    SLUICE_RETURN_IF_ERROR(internal::CheckCountOrPercent(
        *options.zone_batch, "staged.zone_batch", 1));
  }
  if (options.max_zones_per_wave < 1) {
    return internal::InvalidArgumentAt(
        "staged.max_zones_per_wave",
        absl::StrCat("must be >= 1 (got ", options.max_zones_per_wave, ")"));
  }
  if (options.max_regions_per_wave.has_value() &&
      *options.max_regions_per_wave < 1) {
    return internal::InvalidArgumentAt(
        "staged.max_regions_per_wave",
        absl::StrCat("must be >= 1 (got ", *options.max_regions_per_wave, ")"));
  }
  if (options.first_region_wave_size < 1) {
    return internal::InvalidArgumentAt(
        "staged.first_region_wave_size",
        absl::StrCat("must be >= 1 (got ", options.first_region_wave_size,
                     ")"));
  }
  if (!(options.region_growth > 1) || !std::isfinite(options.region_growth)) {
    return internal::InvalidArgumentAt(
        "staged.region_growth", absl::StrCat("must be finite and > 1 (got ",
                                             options.region_growth, ")"));
  }
  const StagedBakes& b = options.bakes;
  const std::pair<absl::Duration, const char*> bakes[] = {
      {b.one_box, "staged.bakes.one_box"},
      {b.first_zone_batch, "staged.bakes.first_zone_batch"},
      {b.first_zone, "staged.bakes.first_zone"},
      {b.zone, "staged.bakes.zone"},
      {b.first_region, "staged.bakes.first_region"},
      {b.region_one_box, "staged.bakes.region_one_box"},
      {b.region_wave, "staged.bakes.region_wave"},
      {b.zone_batch, "staged.bakes.zone_batch"},
  };
  for (const auto& [d, path] : bakes) {
    SLUICE_RETURN_IF_ERROR(internal::CheckBake(d, path));
  }
  if (b.final_bake.has_value()) {
    SLUICE_RETURN_IF_ERROR(
        internal::CheckBake(*b.final_bake, "staged.bakes.final_bake"));
  }
  SLUICE_RETURN_IF_ERROR(internal::CheckCountOrPercent(
      options.max_failed_per_wave, "staged.max_failed_per_wave", 0));
  return std::make_unique<StagedScheduler>(options);
}

}  // namespace sluice
