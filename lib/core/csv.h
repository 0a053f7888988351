// Copyright 2026 The Sluice Authors.
//
// A small RFC 4180 CSV reader shared by the fleet loader, the judge's sample
// files and the simulator's recorded series.

#ifndef SLUICE_LIB_CORE_CSV_H_
#define SLUICE_LIB_CORE_CSV_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sluice::internal {

// A parsed CSV file: a header row and data rows of the same width.
struct CsvTable {
  // Column names from the first row, trimmed of surrounding spaces.
  std::vector<std::string> header;
  // Data rows; every row has header.size() cells.
  std::vector<std::vector<std::string>> rows;
  // The 1-based line on which each row starts.
  std::vector<int> lines;

  // The index of the column named `name`, or nullopt.
  std::optional<size_t> Column(absl::string_view name) const;
};

// Parses CSV text: comma-separated, fields optionally in double quotes (""
// is a quote inside one), LF or CRLF line ends, a UTF-8 BOM ignored. Blank
// lines and lines starting with '#' are skipped. The first row is the header;
// header names must be non-empty and unique. Errors are kInvalidArgument
// "line N: ...".
absl::StatusOr<CsvTable> ParseCsv(absl::string_view text);

// Parses a finite or non-finite double ("nan", "inf" accepted); nullopt when
// `cell` is not a number. Surrounding spaces are ignored.
std::optional<double> ParseCsvDouble(absl::string_view cell);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_CORE_CSV_H_
