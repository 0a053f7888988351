// Copyright 2026 The Sluice Authors.
//
// A small RFC 4180 CSV reader: the one behind fleet files
// (sluice/fleet_io.h), the Kayenta judge's sample files (`sluice judge`) and
// the simulator's recorded series, for a host that reads the same kind of
// files.
//
// The first row is the header (column names); every later row has one cell
// per column. Cells stay strings; ParseCsvDouble() reads a number from one
// the way Sluice's own readers do ("nan" and "inf" included). Errors name the
// line, so a caller can prefix the file name: "judge.csv: line 4: ...".
//
// Example (the values of column "latency"):
//
//   absl::StatusOr<sluice::CsvTable> table = sluice::ParseCsv(text);
//   if (!table.ok()) return table.status();
//   std::optional<size_t> column = table->Column("latency");
//   if (!column.has_value()) return absl::InvalidArgumentError("no latency");
//   std::vector<double> values;
//   for (size_t r = 0; r < table->rows.size(); ++r) {
//     std::optional<double> v =
//     sluice::ParseCsvDouble(table->rows[r][*column]); if (!v.has_value()) {
//       return absl::InvalidArgumentError(
//           absl::StrCat("line ", table->lines[r], ": not a number"));
//     }
//     values.push_back(*v);
//   }

#ifndef SLUICE_CSV_H_
#define SLUICE_CSV_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sluice {

// A parsed CSV file: a header row and data rows of the same width. Value
// type; thread-compatible.
struct CsvTable {
  // Column names from the first row, trimmed of surrounding spaces.
  // Default: empty.
  std::vector<std::string> header;
  // Data rows; every row has header.size() cells. Default: empty.
  std::vector<std::vector<std::string>> rows;
  // The 1-based line on which each row starts (rows[i] starts on lines[i]).
  // Default: empty.
  std::vector<int> lines;

  // The index of the column named `name`, or nullopt.
  std::optional<size_t> Column(absl::string_view name) const;
};

// Parses CSV text: comma-separated, fields optionally in double quotes (""
// is a quote inside one), LF or CRLF line ends, a UTF-8 BOM ignored. Blank
// lines and lines starting with '#' are comments, skipped (a field that
// starts with '#' at the start of a line must be quoted). The text must be
// UTF-8: UTF-16 or UTF-32 (with or without a byte-order mark) is an error
// naming the encoding, and invalid bytes an error naming the line. The first
// row is the header; header names must be non-empty and unique. Errors are
// kInvalidArgument "line N: ...".
absl::StatusOr<CsvTable> ParseCsv(absl::string_view text);

// Parses a finite or non-finite double ("nan", "inf" accepted); nullopt when
// `cell` is not a number. Surrounding spaces are ignored.
std::optional<double> ParseCsvDouble(absl::string_view cell);

}  // namespace sluice

#endif  // SLUICE_CSV_H_
