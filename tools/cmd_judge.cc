// Copyright 2026 The Sluice Authors.
//
// `sluice judge --config JUDGE --control CONTROL.csv --experiment
// EXPERIMENT.csv [--format table|json]`: Kayenta's canary judge over samples
// in CSV files. JUDGE is a sluice.v1.KayentaJudgeSpec in text format or JSON
// (the same message as the kayenta_judge gate; its window and marginal fields
// are not used). Each CSV has a header row of metric names and one column
// per metric; empty cells are missing values, "nan" and "inf" are NaN and
// infinities (handled per the metric's nan_strategy). Prints per metric the
// classification, p-value, estimate and interval of experiment - control,
// then the group scores and the verdict; or, with --format json, the
// sluice.v1.JudgeResult message. Exit code 0 for Pass and Marginal, 1 for
// Fail or bad input, 2 for a bad command line.

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "sluice/csv.h"
#include "sluice/judge_proto.h"
#include "sluice/proto_io.h"
#include "sluice/stats/kayenta_judge.h"
#include "sluice/v1/gates.pb.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

int Fail(CommandContext& context, absl::string_view where,
         absl::string_view message) {
  context.err << "error: ";
  if (!where.empty()) context.err << where << ": ";
  context.err << message << "\n";
  return kExitFailure;
}

// Reads one sample file: for each metric of `config`, its column's values
// (empty cells skipped). Errors name the file, and the line and column.
absl::Status ReadSamples(const std::string& path,
                         const std::string& config_path,
                         const stats::KayentaJudgeConfig& config,
                         bool experiment,
                         std::vector<stats::MetricSamples>& samples) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<CsvTable> table = ParseCsv(*text);
  if (!table.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", table.status().message()));
  }
  if (table->rows.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path,
        ": no samples (a header row and at least one row of values "
        "are needed)"));
  }
  for (size_t i = 0; i < config.metrics.size(); ++i) {
    const std::string& name = config.metrics[i].name;
    const std::optional<size_t> column = table->Column(name);
    if (!column.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": no column \"", name, "\" for ", config_path, " metrics[", i,
          "].name (the header has: ", absl::StrJoin(table->header, ", "), ")"));
    }
    std::vector<double>& values =
        experiment ? samples[i].experiment : samples[i].control;
    for (size_t r = 0; r < table->rows.size(); ++r) {
      const std::string& cell = table->rows[r][*column];
      if (cell.find_first_not_of(" \t") == std::string::npos) continue;
      const std::optional<double> v = ParseCsvDouble(cell);
      if (!v.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": line ", table->lines[r], ", column ", *column + 1, " (",
            name, "): not a number: \"", cell, "\""));
      }
      values.push_back(*v);
    }
  }
  return absl::OkStatus();
}

// "0.0031", "-", "1.2e-07".
std::string Cell(double v, bool signed_value = false) {
  if (std::isnan(v)) return "-";
  return signed_value ? absl::StrFormat("%+.4g", v)
                      : absl::StrFormat("%.4g", v);
}

std::string Table(const stats::KayentaJudgeConfig& config,
                  const stats::JudgeResult& result) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"metric", "groups", "class", "p-value", "estimate",
                  "interval", "ratio", "n control", "n experiment"});
  for (size_t i = 0; i < result.metrics.size(); ++i) {
    const stats::JudgedMetric& m = result.metrics[i];
    const stats::MetricClassification& c = m.classification;
    std::string label(stats::MetricLabelName(c.label));
    if (c.critical) absl::StrAppend(&label, " (critical)");
    if (m.muted) absl::StrAppend(&label, " (muted)");
    rows.push_back({m.name, absl::StrJoin(config.metrics[i].groups, ","), label,
                    Cell(c.p_value), Cell(c.estimate, true),
                    std::isnan(c.lower) ? "-"
                                        : absl::StrCat("[", Cell(c.lower), ", ",
                                                       Cell(c.upper), "]"),
                    Cell(c.deviation), absl::StrCat(c.control.count),
                    absl::StrCat(c.experiment.count)});
  }
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t j = 0; j < row.size(); ++j) {
      widths[j] = std::max(widths[j], row[j].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t j = 0; j < row.size(); ++j) {
      absl::StrAppend(&line, row[j]);
      if (j + 1 < row.size()) {
        line.append(widths[j] - row[j].size() + 2, ' ');
      }
    }
    absl::StrAppend(&out, line, "\n");
  }
  std::vector<std::string> groups;
  for (const stats::GroupScore& g : result.groups) {
    groups.push_back(g.no_data ? absl::StrCat(g.name, " no data")
                               : absl::StrCat(g.name, " ", g.score));
  }
  absl::StrAppend(&out, "groups: ", absl::StrJoin(groups, ", "), "\n");
  absl::StrAppend(&out, "score ", result.score, " (pass ",
                  config.thresholds.pass, ", marginal ",
                  config.thresholds.marginal,
                  "): ", stats::ScoreLabelName(result.label), "\n");
  for (const stats::JudgedMetric& m : result.metrics) {
    if (!m.classification.reason.empty()) {
      absl::StrAppend(&out, "  ", m.classification.reason, "\n");
    }
  }
  if (!result.reason.empty()) absl::StrAppend(&out, result.reason, "\n");
  return out;
}

int RunJudge(CommandContext& context) {
  absl::StatusOr<ParsedArgs> args = ParseArgs(
      context.args, {"--config", "--control", "--experiment", "--format"}, {});
  if (!args.ok()) return UsageError(context, "judge", args.status().message());
  if (!args->positional.empty()) {
    return UsageError(
        context, "judge",
        absl::StrCat("unexpected argument \"", args->positional[0], "\""));
  }
  for (const char* flag : {"--config", "--control", "--experiment"}) {
    if (!args->Flag(flag).has_value()) {
      return UsageError(context, "judge", absl::StrCat(flag, " is required"));
    }
  }
  const std::string format = args->Flag("--format").value_or("table");
  if (format != "table" && format != "json") {
    return UsageError(
        context, "judge",
        absl::StrCat("--format: must be table or json (got \"", format, "\")"));
  }
  const std::string config_path = *args->Flag("--config");
  v1::KayentaJudgeSpec spec;
  if (absl::Status s = ParseProtoFile(config_path, &spec); !s.ok()) {
    return Fail(context, "", s.message());
  }
  absl::StatusOr<stats::KayentaJudgeConfig> config = JudgeConfigFromProto(spec);
  if (!config.ok()) {
    return Fail(context, config_path, config.status().message());
  }
  std::vector<stats::MetricSamples> samples(config->metrics.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i].name = config->metrics[i].name;
  }
  if (absl::Status s = ReadSamples(*args->Flag("--control"), config_path,
                                   *config, /*experiment=*/false, samples);
      !s.ok()) {
    return Fail(context, "", s.message());
  }
  if (absl::Status s = ReadSamples(*args->Flag("--experiment"), config_path,
                                   *config, /*experiment=*/true, samples);
      !s.ok()) {
    return Fail(context, "", s.message());
  }
  absl::StatusOr<stats::JudgeResult> result =
      stats::JudgeCanary(*config, samples);
  if (!result.ok()) {
    return Fail(context, config_path, result.status().message());
  }
  if (format == "json") {
    context.out << ToJson(JudgeResultToProto(*config, *result));
  } else {
    context.out << Table(*config, *result);
  }
  return result->label == stats::ScoreLabel::kFail ? kExitFailure : kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(judge, "judge",
                   "--config JUDGE --control CONTROL.csv --experiment "
                   "EXPERIMENT.csv [--format table|json]",
                   "Judge a canary's samples against a baseline's (Kayenta).",
                   RunJudge);

}  // namespace sluice::cli
