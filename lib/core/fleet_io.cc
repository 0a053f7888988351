// Copyright 2026 The Sluice Authors.

#include "sluice/fleet_io.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "lib/core/fleet_validation.h"
#include "lib/core/status_macros.h"
#include "sluice/csv.h"
#include "sluice/fleet_proto.h"
#include "sluice/proto_io.h"

namespace sluice {
namespace {

constexpr absl::string_view kReservedColumns[] = {
    "id", "region", "zone", "cell", "weight", "kind", "zones", "regions"};

// A `zones` or `regions` cell: names separated by ';', blanks around each
// trimmed; an empty cell is an empty list.
std::vector<std::string> SplitList(absl::string_view cell) {
  std::vector<std::string> out;
  if (absl::StripAsciiWhitespace(cell).empty()) return out;
  for (absl::string_view part : absl::StrSplit(cell, ';')) {
    out.emplace_back(absl::StripAsciiWhitespace(part));
  }
  return out;
}

bool IsReserved(absl::string_view column) {
  return std::find(std::begin(kReservedColumns), std::end(kReservedColumns),
                   column) != std::end(kReservedColumns);
}

std::string CsvQuote(absl::string_view field) {
  if (field.find_first_of(",\"\r\n") == absl::string_view::npos &&
      absl::StripAsciiWhitespace(field) == field && !field.empty() &&
      field[0] != '#') {
    return std::string(field);
  }
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

absl::StatusOr<Fleet> ParseFleetCsv(absl::string_view csv) {
  SLUICE_ASSIGN_OR_RETURN(CsvTable table, ParseCsv(csv));
  std::optional<size_t> id_col = table.Column("id");
  std::optional<size_t> region_col = table.Column("region");
  std::optional<size_t> zone_col = table.Column("zone");
  for (auto [col, name] :
       {std::pair{id_col, "id"}, std::pair{region_col, "region"},
        std::pair{zone_col, "zone"}}) {
    if (!col.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line 1: missing required column \"", name,
                       "\" (the header must have id, region and zone)"));
    }
  }
  std::optional<size_t> cell_col = table.Column("cell");
  std::optional<size_t> weight_col = table.Column("weight");
  std::optional<size_t> kind_col = table.Column("kind");
  std::optional<size_t> zones_col = table.Column("zones");
  std::optional<size_t> regions_col = table.Column("regions");

  std::vector<Target> targets;
  targets.reserve(table.rows.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const std::vector<std::string>& row = table.rows[r];
    Target t;
    t.id = row[*id_col];
    t.topology.region = row[*region_col];
    t.topology.zone = row[*zone_col];
    if (cell_col) t.topology.cell = row[*cell_col];
    if (kind_col) t.kind = row[*kind_col];
    if (zones_col) t.zones = SplitList(row[*zones_col]);
    if (regions_col) t.regions = SplitList(row[*regions_col]);
    if (weight_col && !row[*weight_col].empty()) {
      std::optional<double> w = ParseCsvDouble(row[*weight_col]);
      if (!w.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", table.lines[r], " (targets[", r,
            "]).weight: not a number (got \"", row[*weight_col], "\")"));
      }
      t.weight = *w;
    }
    for (size_t c = 0; c < table.header.size(); ++c) {
      if (IsReserved(table.header[c]) || row[c].empty()) continue;
      t.labels.emplace(table.header[c], row[c]);
    }
    targets.push_back(std::move(t));
  }
  SLUICE_RETURN_IF_ERROR(internal::ValidateTargets(targets, [&](size_t i) {
    return absl::StrCat("line ", table.lines[i], " (targets[", i, "])");
  }));
  return Fleet::Create(std::move(targets));
}

absl::StatusOr<Fleet> ParseFleetTextProto(absl::string_view text) {
  v1::Fleet proto;
  SLUICE_RETURN_IF_ERROR(ParseTextProto(text, &proto));
  return FleetFromProto(proto);
}

absl::StatusOr<Fleet> ParseFleetJson(absl::string_view json) {
  v1::Fleet proto;
  SLUICE_RETURN_IF_ERROR(ParseJsonProto(json, &proto));
  return FleetFromProto(proto);
}

absl::StatusOr<Fleet> LoadFleetFile(const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(ConfigFormat format, ConfigFormatFromPath(path));
  SLUICE_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  absl::StatusOr<Fleet> fleet;
  switch (format) {
    case ConfigFormat::kCsv:
      fleet = ParseFleetCsv(text);
      break;
    case ConfigFormat::kJson:
      fleet = ParseFleetJson(text);
      break;
    case ConfigFormat::kTextProto:
      fleet = ParseFleetTextProto(text);
      break;
  }
  if (!fleet.ok()) return internal::PrefixStatus(fleet.status(), path);
  return fleet;
}

std::string FleetToCsv(const Fleet& fleet) {
  std::set<std::string> label_keys;
  bool any_kind = false, any_zones = false, any_regions = false;
  for (const Target& t : fleet.targets()) {
    for (const auto& [key, value] : t.labels) label_keys.insert(key);
    any_kind = any_kind || !t.kind.empty();
    any_zones = any_zones || !t.zones.empty();
    any_regions = any_regions || !t.regions.empty();
  }
  std::string out = "id,region,zone,cell,weight";
  // The infrastructure columns only when some target uses them, so fleets of
  // servers keep the five-column form.
  if (any_kind) out += ",kind";
  if (any_zones) out += ",zones";
  if (any_regions) out += ",regions";
  for (const std::string& key : label_keys) {
    absl::StrAppend(&out, ",", CsvQuote(key));
  }
  out.push_back('\n');
  for (const Target& t : fleet.targets()) {
    absl::StrAppend(&out, CsvQuote(t.id), ",", CsvQuote(t.topology.region), ",",
                    CsvQuote(t.topology.zone), ",",
                    t.topology.cell.empty() ? "" : CsvQuote(t.topology.cell),
                    ",", absl::StrFormat("%.17g", t.weight));
    if (any_kind) {
      absl::StrAppend(&out, ",", t.kind.empty() ? "" : CsvQuote(t.kind));
    }
    if (any_zones) {
      absl::StrAppend(
          &out, ",",
          t.zones.empty() ? "" : CsvQuote(absl::StrJoin(t.zones, ";")));
    }
    if (any_regions) {
      absl::StrAppend(
          &out, ",",
          t.regions.empty() ? "" : CsvQuote(absl::StrJoin(t.regions, ";")));
    }
    for (const std::string& key : label_keys) {
      auto it = t.labels.find(key);
      out.push_back(',');
      if (it != t.labels.end()) out += CsvQuote(it->second);
    }
    out.push_back('\n');
  }
  return out;
}

}  // namespace sluice
