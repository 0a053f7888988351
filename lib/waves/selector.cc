// Copyright 2026 The Sluice Authors.

#include "sluice/selector.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/status_macros.h"

namespace sluice {
namespace {

bool OneOf(const std::vector<std::string>& accepted, const std::string& v) {
  return accepted.empty() ||
         std::find(accepted.begin(), accepted.end(), v) != accepted.end();
}

absl::Status CheckNonEmpty(const std::vector<std::string>& values,
                           absl::string_view field) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].empty()) {
      return internal::InvalidArgumentAt(absl::StrCat(field, "[", i, "]"),
                                         "must not be empty");
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool Selector::Matches(const Target& target) const {
  if (!OneOf(regions, target.topology.region)) return false;
  if (!OneOf(zones, target.topology.zone)) return false;
  // A target spanning several zones or regions matches only when every one
  // it spans is accepted: a zone's stage must not take a resource that also
  // changes zones outside it.
  for (const std::string& region : target.regions) {
    if (!OneOf(regions, region)) return false;
  }
  for (const std::string& zone : target.zones) {
    if (!OneOf(zones, zone)) return false;
  }
  if (!OneOf(cells, target.topology.cell)) return false;
  for (const auto& [key, value] : labels) {
    auto it = target.labels.find(key);
    if (it == target.labels.end() || it->second != value) return false;
  }
  return true;
}

std::vector<Fleet::TargetIndex> Selector::Select(const Fleet& fleet) const {
  std::vector<Fleet::TargetIndex> out;
  for (size_t i = 0; i < fleet.size(); ++i) {
    if (Matches(fleet.target(i))) {
      out.push_back(static_cast<Fleet::TargetIndex>(i));
    }
  }
  return out;
}

absl::Status ValidateSelector(const Selector& selector) {
  SLUICE_RETURN_IF_ERROR(CheckNonEmpty(selector.regions, "regions"));
  SLUICE_RETURN_IF_ERROR(CheckNonEmpty(selector.zones, "zones"));
  SLUICE_RETURN_IF_ERROR(CheckNonEmpty(selector.cells, "cells"));
  for (const auto& [key, value] : selector.labels) {
    if (key.empty()) {
      return internal::InvalidArgumentAt("labels", "keys must not be empty");
    }
  }
  return absl::OkStatus();
}

std::ostream& operator<<(std::ostream& os, const Selector& selector) {
  return os << selector.ToString();
}

std::string Selector::ToString() const {
  const Selector& selector = *this;
  if (selector.empty()) return "all targets";
  std::vector<std::string> parts;
  if (!selector.regions.empty()) {
    parts.push_back(absl::StrCat("region in (",
                                 absl::StrJoin(selector.regions, ", "), ")"));
  }
  if (!selector.zones.empty()) {
    parts.push_back(
        absl::StrCat("zone in (", absl::StrJoin(selector.zones, ", "), ")"));
  }
  if (!selector.cells.empty()) {
    parts.push_back(
        absl::StrCat("cell in (", absl::StrJoin(selector.cells, ", "), ")"));
  }
  for (const auto& [key, value] : selector.labels) {
    parts.push_back(absl::StrCat("label ", key, "=", value));
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace sluice
