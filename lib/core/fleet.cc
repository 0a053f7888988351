// Copyright 2026 The Sluice Authors.

#include "sluice/fleet.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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
};

namespace internal {

absl::Status ValidateTargets(absl::Span<const Target> targets,
                             absl::FunctionRef<std::string(size_t)> name_of) {
  if (targets.empty()) {
    return absl::InvalidArgumentError("targets: must not be empty");
  }
  if (targets.size() >= std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat("targets: too many targets (got ", targets.size(),
                     ", max 4294967294)"));
  }
  absl::flat_hash_map<absl::string_view, size_t> first_index;
  first_index.reserve(targets.size());
  double total = 0;
  for (size_t i = 0; i < targets.size(); ++i) {
    const Target& t = targets[i];
    if (t.id.empty()) {
      return InvalidArgumentAt(absl::StrCat(name_of(i), ".id"),
                               "must not be empty");
    }
    auto [it, inserted] = first_index.emplace(t.id, i);
    if (!inserted) {
      return InvalidArgumentAt(
          absl::StrCat(name_of(i), ".id"),
          absl::StrCat("duplicate id \"", t.id, "\" (first at ",
                       name_of(it->second), ")"));
    }
    if (t.topology.region.empty()) {
      return InvalidArgumentAt(absl::StrCat(name_of(i), ".region"),
                               "must not be empty");
    }
    if (t.topology.zone.empty()) {
      return InvalidArgumentAt(absl::StrCat(name_of(i), ".zone"),
                               "must not be empty");
    }
    if (!std::isfinite(t.weight) || t.weight < 0) {
      return InvalidArgumentAt(
          absl::StrCat(name_of(i), ".weight"),
          absl::StrCat("must be finite and >= 0 (got ", t.weight, ")"));
    }
    for (const auto& [key, value] : t.labels) {
      if (key.empty()) {
        return InvalidArgumentAt(absl::StrCat(name_of(i), ".labels"),
                                 "label keys must not be empty");
      }
    }
    total += t.weight;
  }
  if (!(total > 0) || !std::isfinite(total)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "targets: the total weight must be finite and > 0 (got ", total, ")"));
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
  return os << target.id << " (" << target.topology << ", weight "
            << target.weight << ")";
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

bool operator==(const Fleet& a, const Fleet& b) {
  return a.data_ == b.data_ || a.data_->targets == b.data_->targets;
}

std::ostream& operator<<(std::ostream& os, const Fleet& fleet) {
  return os << "Fleet(" << fleet.size() << " targets, "
            << fleet.regions().size() << " regions, " << fleet.zones().size()
            << " zones, weight " << fleet.total_weight() << ")";
}

}  // namespace sluice
