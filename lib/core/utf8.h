// Copyright 2026 The Sluice Authors.
//
// Text encoding checks for the loaders: config files (text format, JSON,
// CSV) must be UTF-8. A UTF-16 or UTF-32 file, which editors on some systems
// save by default, gets an error that names the encoding.

#ifndef SLUICE_LIB_CORE_UTF8_H_
#define SLUICE_LIB_CORE_UTF8_H_

#include <cstddef>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace sluice::internal {

// The offset of the first byte that is not part of well-formed UTF-8 (RFC
// 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or
// nullopt when `text` is valid.
std::optional<size_t> FirstInvalidUtf8(absl::string_view text);

// OK when `text` is UTF-8 (a UTF-8 byte-order mark is allowed). Otherwise
// kInvalidArgument naming the encoding: "the text is UTF-16LE (byte-order
// mark FF FE), not UTF-8; save it as UTF-8", "... looks like UTF-16BE (no
// byte-order mark, NUL bytes) ...", or "line 3:7: not valid UTF-8 (byte
// 0xff)".
absl::Status CheckUtf8Text(absl::string_view text);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_CORE_UTF8_H_
