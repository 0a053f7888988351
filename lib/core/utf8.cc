// Copyright 2026 The Sluice Authors.
//
// UTF-8 validation and encoding detection (lib/core/utf8.h).

#include "lib/core/utf8.h"

#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace sluice::internal {

std::optional<size_t> FirstInvalidUtf8(absl::string_view text) {
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const uint8_t c = static_cast<uint8_t>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = 0;
    uint8_t lo = 0x80, hi = 0xbf;  // the range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c == 0xe0) lo = 0xa0;  // no overlong forms
      if (c == 0xed) hi = 0x9f;  // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c == 0xf0) lo = 0x90;  // no overlong forms
      if (c == 0xf4) hi = 0x8f;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    const uint8_t c1 = static_cast<uint8_t>(text[i + 1]);
    if (c1 < lo || c1 > hi) return i;
    for (int k = 2; k < len; ++k) {
      const uint8_t ck = static_cast<uint8_t>(text[i + k]);
      if (ck < 0x80 || ck > 0xbf) return i;
    }
    i += len;
  }
  return std::nullopt;
}

absl::Status CheckUtf8Text(absl::string_view text) {
  auto named = [](absl::string_view encoding, absl::string_view how) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the text is ", encoding, " (", how, "), not UTF-8; save it as UTF-8"));
  };
  // UTF-32 first: its little-endian mark starts with UTF-16LE's.
  if (absl::StartsWith(text, absl::string_view("\xFF\xFE\0\0", 4))) {
    return named("UTF-32LE", "byte-order mark FF FE 00 00");
  }
  if (absl::StartsWith(text, absl::string_view("\0\0\xFE\xFF", 4))) {
    return named("UTF-32BE", "byte-order mark 00 00 FE FF");
  }
  if (absl::StartsWith(text, "\xFF\xFE")) {
    return named("UTF-16LE", "byte-order mark FF FE");
  }
  if (absl::StartsWith(text, "\xFE\xFF")) {
    return named("UTF-16BE", "byte-order mark FE FF");
  }
  // No mark: ASCII text in UTF-16 has a NUL in every other byte.
  if (text.size() >= 2 && text.find('\0') != absl::string_view::npos) {
    if (text[0] != '\0' && text[1] == '\0') {
      return named("UTF-16LE", "no byte-order mark, NUL bytes");
    }
    if (text[0] == '\0' && text[1] != '\0') {
      return named("UTF-16BE", "no byte-order mark, NUL bytes");
    }
  }
  std::optional<size_t> bad = FirstInvalidUtf8(text);
  if (!bad.has_value()) return absl::OkStatus();
  int line = 1, column = 1;
  for (size_t i = 0; i < *bad; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<uint8_t>(text[i]) & 0xc0) != 0x80) {
      ++column;
    }
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("line %d:%d: not valid UTF-8 (byte 0x%02x)", line, column,
                      static_cast<uint8_t>(text[*bad])));
}

}  // namespace sluice::internal
