// Copyright 2026 The Sluice Authors.

#include "sluice/wave_plan.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace sluice {
namespace {

std::string Percent(double fraction) {
  return absl::StrFormat("%.2f%%", 100.0 * fraction);
}

}  // namespace

bool operator==(const Wave& a, const Wave& b) {
  return a.name == b.name && a.stage == b.stage && a.targets == b.targets &&
         a.traffic_percent == b.traffic_percent &&
         a.cumulative_count_fraction == b.cumulative_count_fraction &&
         a.cumulative_weight_fraction == b.cumulative_weight_fraction &&
         a.bake == b.bake && a.max_failed_targets == b.max_failed_targets &&
         a.note == b.note;
}

std::ostream& operator<<(std::ostream& os, const Wave& wave) {
  os << "Wave(\"" << wave.name << "\", stage " << wave.stage << ", ";
  if (wave.traffic_percent.has_value()) {
    os << "traffic " << *wave.traffic_percent << "%";
  } else {
    os << wave.targets.size() << " targets";
  }
  return os << ", cumulative " << Percent(wave.cumulative_count_fraction)
            << " count / " << Percent(wave.cumulative_weight_fraction)
            << " weight, bake " << absl::FormatDuration(wave.bake)
            << ", max failed " << wave.max_failed_targets
            << (wave.note.empty() ? "" : ", note: ") << wave.note << ")";
}

bool WavePlan::traffic_routed() const {
  if (waves.empty()) return false;
  return std::all_of(waves.begin(), waves.end(), [](const Wave& w) {
    return w.traffic_percent.has_value();
  });
}

size_t WavePlan::target_count() const {
  size_t n = 0;
  for (const Wave& w : waves) n += w.targets.size();
  return n;
}

std::optional<size_t> WavePlan::WaveOf(Fleet::TargetIndex target) const {
  for (size_t i = 0; i < waves.size(); ++i) {
    const std::vector<Fleet::TargetIndex>& t = waves[i].targets;
    if (std::find(t.begin(), t.end(), target) != t.end()) return i;
  }
  return std::nullopt;
}

std::vector<int32_t> WavePlan::WaveIndexByTarget(size_t fleet_size) const {
  std::vector<int32_t> out(fleet_size, -1);
  for (size_t i = 0; i < waves.size(); ++i) {
    for (Fleet::TargetIndex t : waves[i].targets) {
      if (t < fleet_size && out[t] < 0) out[t] = static_cast<int32_t>(i);
    }
  }
  return out;
}

std::ostream& operator<<(std::ostream& os, const WavePlan& plan) {
  os << "WavePlan(" << plan.strategy << ", " << plan.waves.size() << " waves)";
  for (size_t i = 0; i < plan.waves.size(); ++i) {
    os << "\n  " << i << ": " << plan.waves[i];
  }
  return os;
}

std::vector<absl::Duration> WaveStartTimes(const WavePlan& plan) {
  std::vector<absl::Duration> out;
  out.reserve(plan.waves.size());
  absl::Duration t = absl::ZeroDuration();
  for (const Wave& wave : plan.waves) {
    out.push_back(t);
    t += wave.bake;
  }
  return out;
}

void FillCumulativeFractions(const Fleet& fleet, WavePlan& plan) {
  const double n = static_cast<double>(fleet.size());
  const double total = fleet.total_weight();
  size_t count = 0;
  double weight = 0;
  for (Wave& wave : plan.waves) {
    if (wave.traffic_percent.has_value()) {
      wave.cumulative_count_fraction = *wave.traffic_percent / 100.0;
      wave.cumulative_weight_fraction = *wave.traffic_percent / 100.0;
      continue;
    }
    for (Fleet::TargetIndex t : wave.targets) {
      if (t < fleet.size()) {
        ++count;
        weight += fleet.target(t).weight;
      }
    }
    wave.cumulative_count_fraction = std::min(1.0, count / n);
    wave.cumulative_weight_fraction = std::min(1.0, weight / total);
  }
  // Summing in floating point may leave the last wave a hair below 1.
  if (!plan.waves.empty() && !plan.waves.back().traffic_percent &&
      count == fleet.size()) {
    plan.waves.back().cumulative_weight_fraction = 1.0;
  }
}

std::string WavePlanToTable(const WavePlan& plan, const Fleet& fleet,
                            size_t max_ids) {
  const bool traffic = plan.traffic_routed();
  std::vector<std::vector<std::string>> rows;
  // notes[r]: the note printed under table row r (row 0 is the header).
  std::vector<std::string> notes(1);
  const std::vector<absl::Duration> starts = WaveStartTimes(plan);
  if (traffic) {
    rows.push_back({"wave", "name", "stage", "at", "traffic", "bake"});
  } else {
    rows.push_back({"wave", "name", "stage", "targets", "count%", "weight%",
                    "bake", "max failed"});
  }
  for (size_t i = 0; i < plan.waves.size(); ++i) {
    const Wave& w = plan.waves[i];
    std::string bake = absl::FormatDuration(w.bake);
    if (traffic) {
      rows.push_back({absl::StrCat(i), w.name, w.stage,
                      absl::FormatDuration(starts[i]),
                      absl::StrFormat("%g%%", *w.traffic_percent), bake});
      continue;
    }
    std::string targets = absl::StrCat(w.targets.size());
    if (!w.targets.empty() && w.targets.size() <= max_ids) {
      std::vector<std::string> ids;
      for (Fleet::TargetIndex t : w.targets) {
        ids.push_back(t < fleet.size() ? fleet.target(t).id : "?");
      }
      absl::StrAppend(&targets, " (", absl::StrJoin(ids, ", "), ")");
    }
    rows.push_back({absl::StrCat(i), w.name, w.stage, targets,
                    Percent(w.cumulative_count_fraction),
                    Percent(w.cumulative_weight_fraction), bake,
                    absl::StrCat(w.max_failed_targets)});
    notes.push_back(w.note);
  }
  // Numeric columns are right-aligned, text columns left-aligned.
  const std::vector<bool> right =
      traffic ? std::vector<bool>{true, false, false, true, true, true}
              : std::vector<bool>{true, false, false, false,
                                  true, true,  true,  true};
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      width[c] = std::max(width[c], row[c].size());
    }
  }
  std::string out = absl::StrCat("strategy: ", plan.strategy, "\n");
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::vector<std::string>& row = rows[r];
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line += "  ";
      const std::string pad(width[c] - row[c].size(), ' ');
      line += right[c] ? pad + row[c] : row[c] + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    absl::StrAppend(&out, line, "\n");
    if (r < notes.size() && !notes[r].empty()) {
      absl::StrAppend(&out, std::string(width[0] + 2, ' '), "note: ", notes[r],
                      "\n");
    }
  }
  return out;
}

}  // namespace sluice
