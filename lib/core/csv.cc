// Copyright 2026 The Sluice Authors.
//
// The CSV reader (sluice/csv.h).

#include "sluice/csv.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "lib/core/utf8.h"

namespace sluice {

std::optional<size_t> CsvTable::Column(absl::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::nullopt;
}

absl::StatusOr<CsvTable> ParseCsv(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  if (absl::Status s = internal::CheckUtf8Text(text); !s.ok()) return s;
  CsvTable table;
  bool have_header = false;
  int line = 1;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const int row_line = line;
    // Skip blank and comment lines.
    if (text[i] == '\n' || text[i] == '\r' || text[i] == '#') {
      while (i < n && text[i] != '\n') ++i;
      if (i < n) ++i;
      ++line;
      continue;
    }
    std::vector<std::string> row;
    std::string field;
    bool in_quotes = false;
    bool quoted = false;
    while (true) {
      if (i >= n) {
        if (in_quotes) {
          return absl::InvalidArgumentError(
              absl::StrCat("line ", row_line, ": unterminated quoted field"));
        }
        break;
      }
      const char c = text[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
          } else {
            in_quotes = false;
            ++i;
          }
        } else {
          if (c == '\n') ++line;
          field.push_back(c);
          ++i;
        }
        continue;
      }
      if (c == '"') {
        if (!quoted && absl::StripAsciiWhitespace(field).empty()) {
          field.clear();
          in_quotes = true;
          quoted = true;
          ++i;
          continue;
        }
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", line, ": a quote inside an unquoted field (column ",
            row.size() + 1, ")"));
      }
      if (c == ',') {
        row.push_back(quoted ? field
                             : std::string(absl::StripAsciiWhitespace(field)));
        field.clear();
        quoted = false;
        ++i;
        continue;
      }
      if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        break;
      }
      if (quoted) {
        if (c == ' ' || c == '\t') {
          ++i;
          continue;
        }
        return absl::InvalidArgumentError(
            absl::StrCat("line ", line, ": text after a closing quote (column ",
                         row.size() + 1, ")"));
      }
      field.push_back(c);
      ++i;
    }
    row.push_back(quoted ? field
                         : std::string(absl::StripAsciiWhitespace(field)));
    if (!have_header) {
      absl::flat_hash_set<std::string> seen;
      for (size_t c = 0; c < row.size(); ++c) {
        if (row[c].empty()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "line ", row_line, ": header column ", c + 1, " is empty"));
        }
        if (!seen.insert(row[c]).second) {
          return absl::InvalidArgumentError(absl::StrCat(
              "line ", row_line, ": duplicate header column \"", row[c], "\""));
        }
      }
      table.header = std::move(row);
      have_header = true;
      continue;
    }
    if (row.size() != table.header.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", row_line, ": expected ", table.header.size(),
                       " fields as in the header, got ", row.size()));
    }
    table.rows.push_back(std::move(row));
    table.lines.push_back(row_line);
  }
  if (!have_header) {
    return absl::InvalidArgumentError("line 1: missing header row");
  }
  return table;
}

std::optional<double> ParseCsvDouble(absl::string_view cell) {
  cell = absl::StripAsciiWhitespace(cell);
  double value = 0;
  if (cell.empty() || !absl::SimpleAtod(cell, &value)) return std::nullopt;
  return value;
}

}  // namespace sluice
