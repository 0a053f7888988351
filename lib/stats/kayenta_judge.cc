// Copyright 2026 The Sluice Authors.

#include "sluice/stats/kayenta_judge.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <ostream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"

namespace sluice::stats {

using internal::FieldPath;
using internal::kMustNotBeEmpty;

absl::string_view ScoreLabelName(ScoreLabel label) {
  switch (label) {
    case ScoreLabel::kPass:
      return "Pass";
    case ScoreLabel::kMarginal:
      return "Marginal";
    case ScoreLabel::kFail:
      return "Fail";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, ScoreLabel label) {
  return os << ScoreLabelName(label);
}

std::ostream& operator<<(std::ostream& os, const KayentaJudgeConfig& config) {
  os << "{groups: [";
  for (size_t i = 0; i < config.groups.size(); ++i) {
    const MetricGroup& g = config.groups[i];
    os << (i ? ", " : "") << "{name: \"" << g.name << "\"";
    if (g.weight) os << ", weight: " << *g.weight;
    os << "}";
  }
  os << "], metrics: [";
  for (size_t i = 0; i < config.metrics.size(); ++i) {
    const JudgedMetricConfig& m = config.metrics[i];
    os << (i ? ", " : "") << "{name: \"" << m.name << "\", groups: [";
    for (size_t j = 0; j < m.groups.size(); ++j) {
      os << (j ? ", " : "") << "\"" << m.groups[j] << "\"";
    }
    os << "], classifier: " << m.classifier
       << ", muted: " << (m.muted ? "true" : "false") << "}";
  }
  return os << "], thresholds: {pass: " << config.thresholds.pass
            << ", marginal: " << config.thresholds.marginal << "}}";
}

std::ostream& operator<<(std::ostream& os, const JudgeResult& result) {
  os << absl::StrFormat("{score: %.2f, label: %s, reason: \"%s\", groups: [",
                        result.score, ScoreLabelName(result.label),
                        result.reason);
  for (size_t i = 0; i < result.groups.size(); ++i) {
    const GroupScore& g = result.groups[i];
    os << (i ? ", " : "") << "{name: \"" << g.name << "\", score: " << g.score
       << (g.no_data ? ", no_data: true" : "") << "}";
  }
  os << "], metrics: [";
  for (size_t i = 0; i < result.metrics.size(); ++i) {
    os << (i ? ", " : "") << "{name: \"" << result.metrics[i].name
       << "\", classification: " << result.metrics[i].classification
       << (result.metrics[i].muted ? ", muted: true" : "") << "}";
  }
  return os << "]}";
}

absl::Status KayentaJudgeConfig::Validate() const {
  if (groups.empty()) {
    return internal::InvalidArgumentAt("groups", "must not be empty");
  }
  absl::flat_hash_set<std::string> group_names;
  double weight_sum = 0;
  int unweighted = 0;
  for (size_t i = 0; i < groups.size(); ++i) {
    const FieldPath path = FieldPath("groups").Index(static_cast<int>(i));
    const MetricGroup& g = groups[i];
    if (g.name.empty()) return path.Field("name").Invalid(kMustNotBeEmpty);
    if (!group_names.insert(g.name).second) {
      return path.Field("name").Invalid(
          absl::StrCat("duplicate group \"", g.name, "\""));
    }
    if (g.weight) {
      if (!(*g.weight >= 0 && *g.weight <= 100)) {
        return path.Field("weight").Invalid(
            absl::StrCat("must be in [0, 100] (got ", *g.weight, ")"));
      }
      weight_sum += *g.weight;
    } else {
      ++unweighted;
    }
  }
  constexpr double kWeightSlack = 1e-9;
  if (unweighted == 0 && std::fabs(weight_sum - 100) > kWeightSlack) {
    return internal::InvalidArgumentAt(
        "groups",
        absl::StrCat("weights must sum to 100 (got ", weight_sum, ")"));
  }
  if (unweighted > 0 && weight_sum > 100 + kWeightSlack) {
    return internal::InvalidArgumentAt(
        "groups",
        absl::StrCat("weights must sum to 100; the weighted groups already "
                     "sum to ",
                     weight_sum));
  }

  if (metrics.empty()) {
    return internal::InvalidArgumentAt("metrics", "must not be empty");
  }
  absl::flat_hash_set<std::string> metric_names;
  absl::flat_hash_set<std::string> used_groups;
  for (size_t i = 0; i < metrics.size(); ++i) {
    const FieldPath path = FieldPath("metrics").Index(static_cast<int>(i));
    const JudgedMetricConfig& m = metrics[i];
    if (m.name.empty()) return path.Field("name").Invalid(kMustNotBeEmpty);
    if (!metric_names.insert(m.name).second) {
      return path.Field("name").Invalid(
          absl::StrCat("duplicate metric \"", m.name, "\""));
    }
    if (m.groups.empty()) {
      return path.Field("groups").Invalid("must name at least one group");
    }
    for (size_t j = 0; j < m.groups.size(); ++j) {
      if (!group_names.contains(m.groups[j])) {
        return path.Field("groups")
            .Index(static_cast<int>(j))
            .Invalid(absl::StrCat("unknown group \"", m.groups[j], "\""));
      }
      used_groups.insert(m.groups[j]);
    }
    SLUICE_RETURN_IF_ERROR(path.Nest(m.classifier.Validate()));
  }
  for (size_t i = 0; i < groups.size(); ++i) {
    if (!used_groups.contains(groups[i].name)) {
      return FieldPath("groups")
          .Index(static_cast<int>(i))
          .Invalid(absl::StrCat("no metric belongs to group \"", groups[i].name,
                                "\""));
    }
  }

  if (!(thresholds.pass >= 0 && thresholds.pass <= 100)) {
    return internal::InvalidArgumentAt(
        "thresholds.pass",
        absl::StrCat("must be in [0, 100] (got ", thresholds.pass, ")"));
  }
  if (!(thresholds.marginal >= 0 && thresholds.marginal <= 100)) {
    return internal::InvalidArgumentAt(
        "thresholds.marginal",
        absl::StrCat("must be in [0, 100] (got ", thresholds.marginal, ")"));
  }
  if (thresholds.marginal > thresholds.pass) {
    return internal::InvalidArgumentAt(
        "thresholds.marginal",
        absl::StrCat("must be <= thresholds.pass (got ", thresholds.marginal,
                     " > ", thresholds.pass, ")"));
  }
  return absl::OkStatus();
}

namespace {

// Commons Math's Precision.round(x, 2): BigDecimal(Double.toString(x))
// rounded half-up. The shortest round-trip decimal form stands in for Java's
// Double.toString.
double RoundHalfUp2(double x) {
  if (!std::isfinite(x)) return x;
  char buf[64];
  const auto res =
      std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
  if (res.ec != std::errc()) return std::round(x * 100) / 100;
  std::string s(buf, res.ptr);
  const size_t dot = s.find('.');
  if (dot == std::string::npos || s.size() - dot - 1 <= 2) return x;
  const bool round_up = s[dot + 3] >= '5';  // half-up on the magnitude
  std::string kept = s.substr(0, dot + 3);
  double v = std::strtod(kept.c_str(), nullptr);
  if (round_up) v += (x < 0 ? -0.01 : 0.01);
  // Re-parse through the decimal form so the result is the nearest double to
  // the two-decimal number.
  char out[64];
  const auto r2 =
      std::to_chars(out, out + sizeof out, v, std::chars_format::fixed, 2);
  return std::strtod(std::string(out, r2.ptr).c_str(), nullptr);
}

bool Counts(MetricLabel l) {
  return l == MetricLabel::kPass || l == MetricLabel::kHigh ||
         l == MetricLabel::kLow || l == MetricLabel::kNodataFailMetric;
}

}  // namespace

absl::StatusOr<JudgeResult> ScoreMetrics(const KayentaJudgeConfig& config,
                                         std::vector<JudgedMetric> metrics) {
  SLUICE_RETURN_IF_ERROR(config.Validate());
  if (metrics.size() != config.metrics.size()) {
    return internal::InvalidArgumentAt(
        "metrics",
        absl::StrCat("must have one result per configured metric (",
                     config.metrics.size(), "), got ", metrics.size()));
  }
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (metrics[i].name != config.metrics[i].name) {
      return FieldPath("metrics")
          .Index(static_cast<int>(i))
          .Field("name")
          .Invalid(absl::StrCat("must be \"", config.metrics[i].name,
                                "\" (got \"", metrics[i].name, "\")"));
    }
  }

  JudgeResult result;
  // Group scores over the non-muted metrics.
  struct Tally {
    int pass = 0;
    int counted = 0;
    bool present = false;
  };
  std::map<std::string, Tally> tallies;
  int scored = 0;
  int nodata = 0;
  const MetricClassification* first_critical = nullptr;
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (metrics[i].muted) continue;
    const MetricClassification& c = metrics[i].classification;
    ++scored;
    if (c.label == MetricLabel::kNodata) ++nodata;
    if (c.critical && c.label != MetricLabel::kPass && !first_critical) {
      first_critical = &c;
    }
    for (const std::string& g : config.metrics[i].groups) {
      Tally& t = tallies[g];
      t.present = true;
      if (Counts(c.label)) ++t.counted;
      if (c.label == MetricLabel::kPass) ++t.pass;
    }
  }
  double weight_sum = 0;
  int unweighted_present = 0;
  for (const MetricGroup& g : config.groups) {
    if (g.weight) weight_sum += *g.weight;
    auto it = tallies.find(g.name);
    if (it == tallies.end()) continue;
    GroupScore gs;
    gs.name = g.name;
    gs.no_data = it->second.counted == 0;
    gs.score = gs.no_data ? 0.0 : 100.0 * it->second.pass / it->second.counted;
    result.groups.push_back(gs);
    if (!g.weight) ++unweighted_present;
  }

  if (first_critical != nullptr) {
    result.score = 0;
    result.reason = absl::StrCat("Canary Failed: ", first_critical->reason);
    result.label = ScoreLabel::kFail;
  } else if (scored > 0 && 100.0 * nodata / scored >= 50) {
    result.score = 0;
    result.reason = "Canary Failed: 50% or more metrics returned NODATA";
    result.label = ScoreLabel::kFail;
  } else {
    const double calculated =
        unweighted_present > 0 ? (100 - weight_sum) / unweighted_present : 0.0;
    double summary = 0;
    for (const GroupScore& gs : result.groups) {
      double weight = calculated;
      for (const MetricGroup& g : config.groups) {
        if (g.name == gs.name && g.weight) weight = *g.weight;
      }
      const double effective = gs.no_data ? 100.0 : gs.score;
      summary += effective * (weight / 100);
    }
    result.score = RoundHalfUp2(summary);
    if (result.score >= config.thresholds.pass) {
      result.label = ScoreLabel::kPass;
    } else if (result.score >= config.thresholds.marginal) {
      result.label = ScoreLabel::kMarginal;
    } else {
      result.label = ScoreLabel::kFail;
    }
  }
  result.metrics = std::move(metrics);
  return result;
}

absl::StatusOr<JudgeResult> JudgeCanary(
    const KayentaJudgeConfig& config, absl::Span<const MetricSamples> samples) {
  SLUICE_RETURN_IF_ERROR(config.Validate());
  absl::flat_hash_map<std::string, size_t> index;
  for (size_t i = 0; i < config.metrics.size(); ++i) {
    index[config.metrics[i].name] = i;
  }
  std::vector<const MetricSamples*> by_metric(config.metrics.size(), nullptr);
  for (size_t i = 0; i < samples.size(); ++i) {
    auto it = index.find(samples[i].name);
    if (it == index.end()) {
      return FieldPath("samples")
          .Index(static_cast<int>(i))
          .Field("name")
          .Invalid(absl::StrCat("no metric \"", samples[i].name,
                                "\" in the config"));
    }
    if (by_metric[it->second] != nullptr) {
      return FieldPath("samples")
          .Index(static_cast<int>(i))
          .Field("name")
          .Invalid(absl::StrCat("duplicate metric \"", samples[i].name, "\""));
    }
    by_metric[it->second] = &samples[i];
  }
  std::vector<JudgedMetric> metrics;
  metrics.reserve(config.metrics.size());
  for (size_t i = 0; i < config.metrics.size(); ++i) {
    const JudgedMetricConfig& m = config.metrics[i];
    absl::Span<const double> control, experiment;
    if (by_metric[i] != nullptr) {
      control = by_metric[i]->control;
      experiment = by_metric[i]->experiment;
    }
    SLUICE_ASSIGN_OR_RETURN(
        MetricClassification c,
        ClassifyMetric(m.classifier, m.name, control, experiment));
    metrics.push_back({m.name, std::move(c), m.muted});
  }
  return ScoreMetrics(config, std::move(metrics));
}

}  // namespace sluice::stats
