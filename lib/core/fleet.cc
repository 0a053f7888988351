// Copyright 2026 The Sluice Authors.

#include "sluice/fleet.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "lib/core/field_path.h"
#include "lib/core/fleet_validation.h"
#include "lib/core/status_macros.h"

namespace sluice {

struct Fleet::Data {
  std::vector<Target> targets;
  double total_weight = 0;
  absl::flat_hash_map<absl::string_view, TargetIndex> index_of;
  std::vector<std::string> regions;
  std::vector<Zone> zones;
  std::vector<uint32_t> region_of;
  std::vector<uint32_t> zone_of;
  // For targets that list zones / regions: their indices, ascending; empty
  // otherwise (the accessors then answer with zone_of / region_of).
  std::vector<std::vector<uint32_t>> zones_spanned;
  std::vector<std::vector<uint32_t>> regions_spanned;
  std::vector<TargetIndex> spanning;
};

namespace internal {

absl::Status ValidateTargets(absl::Span<const Target> targets,
                             absl::FunctionRef<std::string(size_t)> name_of) {
  if (targets.empty()) return FieldPath("targets").Invalid(kMustNotBeEmpty);
  if (targets.size() >= std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat("targets: too many targets (got ", targets.size(),
                     ", max 4294967294)"));
  }
  absl::flat_hash_map<absl::string_view, size_t> first_index;
  first_index.reserve(targets.size());
  double total = 0;
  // Target i's path, built only for an error.
  auto at = [&](size_t i) { return FieldPath(name_of(i)); };
  for (size_t i = 0; i < targets.size(); ++i) {
    const Target& t = targets[i];
    if (t.id.empty()) {
      return at(i).Field("id").Invalid(kMustNotBeEmpty);
    }
    auto [it, inserted] = first_index.emplace(t.id, i);
    if (!inserted) {
      return at(i).Field("id").Invalid(absl::StrCat(
          "duplicate id \"", t.id, "\" (first at ", name_of(it->second), ")"));
    }
    if (t.topology.region.empty()) {
      return at(i).Field("region").Invalid(kMustNotBeEmpty);
    }
    if (t.topology.zone.empty()) {
      return at(i).Field("zone").Invalid(kMustNotBeEmpty);
    }
    if (!std::isfinite(t.weight) || t.weight < 0) {
      return at(i).Field("weight").Invalid(
          absl::StrCat("must be finite and >= 0 (got ", t.weight, ")"));
    }
    for (const auto& [key, value] : t.labels) {
      if (key.empty()) {
        return at(i).Field("labels").Invalid("label keys must not be empty");
      }
    }
    total += t.weight;
  }
  if (!(total > 0) || !std::isfinite(total)) {
    return FieldPath("targets").Invalid(absl::StrCat(
        "the total weight ", MustBe(kMustBePositiveFinite, total)));
  }
  return ValidateSpans(targets, name_of);
}

absl::Status ValidateSpans(absl::Span<const Target> targets,
                           absl::FunctionRef<std::string(size_t)> name_of) {
  // The fleet's regions and (region, zone) pairs, from the targets' own
  // topology: a target can only span zones and regions that other targets
  // (or itself) are in, so that a plan can deploy and bake them first.
  absl::flat_hash_set<absl::string_view> regions;
  absl::flat_hash_set<std::pair<absl::string_view, absl::string_view>> zones;
  for (const Target& t : targets) {
    regions.insert(t.topology.region);
    zones.emplace(t.topology.region, t.topology.zone);
  }
  auto at = [&](size_t i) { return FieldPath(name_of(i)); };
  for (size_t i = 0; i < targets.size(); ++i) {
    const Target& t = targets[i];
    if (!t.zones.empty()) {
      absl::flat_hash_set<absl::string_view> seen;
      for (size_t j = 0; j < t.zones.size(); ++j) {
        const FieldPath path = at(i).Field("zones").Index(static_cast<int>(j));
        const std::string& zone = t.zones[j];
        if (zone.empty()) return path.Invalid(kMustNotBeEmpty);
        if (!seen.insert(zone).second) {
          return path.Invalid(
              absl::StrCat("zone \"", zone, "\" is listed twice"));
        }
        if (!zones.contains(std::make_pair(absl::string_view(t.topology.region),
                                           absl::string_view(zone)))) {
          return path.Invalid(
              absl::StrCat("unknown zone \"", zone,
                           "\": no target of the "
                           "fleet is in ",
                           t.topology.region, " / ", zone,
                           " (zones are scoped by the target's region, \"",
                           t.topology.region, "\")"));
        }
      }
      if (!seen.contains(t.topology.zone)) {
        return at(i).Field("zones").Invalid(absl::StrCat(
            "must include the target's own zone \"", t.topology.zone,
            "\" (got ", absl::StrJoin(t.zones, ", "), ")"));
      }
    }
    if (!t.regions.empty()) {
      absl::flat_hash_set<absl::string_view> seen;
      for (size_t j = 0; j < t.regions.size(); ++j) {
        const FieldPath path =
            at(i).Field("regions").Index(static_cast<int>(j));
        const std::string& region = t.regions[j];
        if (region.empty()) return path.Invalid(kMustNotBeEmpty);
        if (!seen.insert(region).second) {
          return path.Invalid(
              absl::StrCat("region \"", region, "\" is listed twice"));
        }
        if (!regions.contains(region)) {
          return path.Invalid(
              absl::StrCat("unknown region \"", region,
                           "\": no target of the fleet is in it"));
        }
      }
      if (!seen.contains(t.topology.region)) {
        return at(i).Field("regions").Invalid(absl::StrCat(
            "must include the target's own region \"", t.topology.region,
            "\" (got ", absl::StrJoin(t.regions, ", "), ")"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace internal

std::ostream& operator<<(std::ostream& os, const Topology& topology) {
  os << topology.region << "/" << topology.zone;
  if (!topology.cell.empty()) os << "/" << topology.cell;
  return os;
}

std::ostream& operator<<(std::ostream& os, const Target& target) {
  os << target.id << " (";
  if (!target.kind.empty()) os << target.kind << ", ";
  os << target.topology;
  if (target.zones.size() > 1) {
    os << ", spans zones " << absl::StrJoin(target.zones, ", ");
  }
  if (target.regions.size() > 1) {
    os << ", spans regions " << absl::StrJoin(target.regions, ", ");
  }
  return os << ", weight " << target.weight << ")";
}

absl::StatusOr<Fleet> Fleet::Create(std::vector<Target> targets) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateTargets(
      targets, [](size_t i) { return absl::StrCat("targets[", i, "]"); }));

  auto data = std::make_shared<Data>();
  data->targets = std::move(targets);
  const std::vector<Target>& ts = data->targets;
  const size_t n = ts.size();

  data->index_of.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    data->total_weight += ts[i].weight;
    data->index_of.emplace(ts[i].id, static_cast<TargetIndex>(i));
  }

  // Dense, name-sorted region and zone indices.
  absl::flat_hash_map<absl::string_view, uint32_t> region_ids;
  for (const Target& t : ts) region_ids.emplace(t.topology.region, 0);
  data->regions.reserve(region_ids.size());
  for (const auto& [name, id] : region_ids) data->regions.emplace_back(name);
  std::sort(data->regions.begin(), data->regions.end());
  for (uint32_t r = 0; r < data->regions.size(); ++r) {
    region_ids[data->regions[r]] = r;
  }

  absl::flat_hash_map<std::pair<uint32_t, absl::string_view>, uint32_t>
      zone_ids;
  data->region_of.resize(n);
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = region_ids.at(ts[i].topology.region);
    data->region_of[i] = r;
    zone_ids.emplace(std::make_pair(r, absl::string_view(ts[i].topology.zone)),
                     0);
  }
  std::vector<std::pair<uint32_t, absl::string_view>> zone_keys;
  zone_keys.reserve(zone_ids.size());
  for (const auto& [key, id] : zone_ids) zone_keys.push_back(key);
  std::sort(zone_keys.begin(), zone_keys.end());
  data->zones.reserve(zone_keys.size());
  for (uint32_t z = 0; z < zone_keys.size(); ++z) {
    zone_ids[zone_keys[z]] = z;
    data->zones.push_back(
        Zone{zone_keys[z].first, std::string(zone_keys[z].second)});
  }
  data->zone_of.resize(n);
  for (size_t i = 0; i < n; ++i) {
    data->zone_of[i] = zone_ids.at(std::make_pair(
        data->region_of[i], absl::string_view(ts[i].topology.zone)));
  }

  // Spanned zones and regions (validated above: all known).
  data->zones_spanned.resize(n);
  data->regions_spanned.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Target& t = ts[i];
    for (const std::string& zone : t.zones) {
      data->zones_spanned[i].push_back(zone_ids.at(
          std::make_pair(data->region_of[i], absl::string_view(zone))));
    }
    std::sort(data->zones_spanned[i].begin(), data->zones_spanned[i].end());
    for (const std::string& region : t.regions) {
      data->regions_spanned[i].push_back(region_ids.at(region));
    }
    std::sort(data->regions_spanned[i].begin(), data->regions_spanned[i].end());
    if (data->zones_spanned[i].size() > 1 ||
        data->regions_spanned[i].size() > 1) {
      data->spanning.push_back(static_cast<TargetIndex>(i));
    }
  }
  return Fleet(std::move(data));
}

Fleet::Fleet(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

absl::Span<const Target> Fleet::targets() const { return data_->targets; }
size_t Fleet::size() const { return data_->targets.size(); }
const Target& Fleet::target(size_t i) const { return data_->targets[i]; }

std::optional<Fleet::TargetIndex> Fleet::IndexOf(absl::string_view id) const {
  auto it = data_->index_of.find(id);
  if (it == data_->index_of.end()) return std::nullopt;
  return it->second;
}

double Fleet::total_weight() const { return data_->total_weight; }
double Fleet::weight_share(size_t i) const {
  return data_->targets[i].weight / data_->total_weight;
}
absl::Span<const std::string> Fleet::regions() const { return data_->regions; }
absl::Span<const Fleet::Zone> Fleet::zones() const { return data_->zones; }
uint32_t Fleet::region_of(size_t i) const { return data_->region_of[i]; }
uint32_t Fleet::zone_of(size_t i) const { return data_->zone_of[i]; }

std::optional<uint32_t> Fleet::RegionIndex(absl::string_view region) const {
  auto it =
      std::lower_bound(data_->regions.begin(), data_->regions.end(), region);
  if (it == data_->regions.end() || *it != region) return std::nullopt;
  return static_cast<uint32_t>(it - data_->regions.begin());
}

absl::Span<const uint32_t> Fleet::zones_spanned(size_t i) const {
  if (data_->zones_spanned[i].empty()) {
    return absl::MakeConstSpan(&data_->zone_of[i], 1);
  }
  return data_->zones_spanned[i];
}

absl::Span<const uint32_t> Fleet::regions_spanned(size_t i) const {
  if (data_->regions_spanned[i].empty()) {
    return absl::MakeConstSpan(&data_->region_of[i], 1);
  }
  return data_->regions_spanned[i];
}

bool Fleet::spans_several(size_t i) const {
  return data_->zones_spanned[i].size() > 1 ||
         data_->regions_spanned[i].size() > 1;
}

absl::Span<const Fleet::TargetIndex> Fleet::spanning_targets() const {
  return data_->spanning;
}

bool operator==(const Fleet& a, const Fleet& b) {
  return a.data_ == b.data_ || a.data_->targets == b.data_->targets;
}

std::ostream& operator<<(std::ostream& os, const Fleet& fleet) {
  return os << "Fleet(" << fleet.size() << " targets, "
            << fleet.regions().size() << " regions, " << fleet.zones().size()
            << " zones, weight " << fleet.total_weight() << ")";
}

}  // namespace sluice

namespace sluice {

std::vector<FleetWarning> LintFleet(const Fleet& fleet) {
  std::vector<FleetWarning> out;
  for (Fleet::TargetIndex i : fleet.spanning_targets()) {
    const Target& t = fleet.target(i);
    std::string what = absl::StrCat("target \"", t.id, "\"");
    if (!t.kind.empty()) absl::StrAppend(&what, " (", t.kind, ")");
    std::string spans;
    absl::Span<const uint32_t> regions = fleet.regions_spanned(i);
    absl::Span<const uint32_t> zones = fleet.zones_spanned(i);
    if (regions.size() > 1) {
      std::vector<std::string> names;
      for (uint32_t r : regions) names.push_back(fleet.regions()[r]);
      spans = absl::StrCat("spans ", regions.size(), " regions (",
                           absl::StrJoin(names, ", "), ")");
    }
    if (zones.size() > 1) {
      std::vector<std::string> names;
      for (uint32_t z : zones) names.push_back(fleet.zones()[z].name);
      absl::StrAppend(&spans, spans.empty() ? "spans " : " and ", zones.size(),
                      " zones of ", t.topology.region, " (",
                      absl::StrJoin(names, ", "), ")");
    }
    const char* unit = regions.size() > 1 ? "region" : "zone";
    FleetWarning warning;
    warning.target = i;
    warning.target_id = t.id;
    warning.message = absl::StrCat(
        what, " ", spans,
        ": a change to it reaches all of them at once, so "
        "the plan can no longer put it in a one-",
        unit,
        " wave; zone-aware plans (staged) deploy it in a wave of its own "
        "after every ",
        unit,
        " it spans has been deployed and baked. Define "
        "one per ",
        unit, " to roll it out ", unit, " by ", unit, ".");
    out.push_back(std::move(warning));
  }
  return out;
}

}  // namespace sluice
