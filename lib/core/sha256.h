// Copyright 2026 The Sluice Authors.
//
// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for the keyed integrity
// check of snapshots. Neither Abseil nor protobuf offers a SHA-256, and the
// library takes no crypto dependency for this one use; the implementation is
// the textbook one, tested against the FIPS 180-4 examples and the RFC 4231
// HMAC vectors (tests/core/sha256_test.cc). Not constant-time in the message
// (it needs not be: the key is mixed once per block, and the tag comparison
// is constant-time).

#ifndef SLUICE_LIB_CORE_SHA256_H_
#define SLUICE_LIB_CORE_SHA256_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace sluice::internal {

// A 32-byte digest.
using Sha256Digest = std::array<uint8_t, 32>;

// SHA-256 of `data`.
Sha256Digest Sha256(absl::string_view data);

// HMAC-SHA256 of `data` under `key` (any length; longer than 64 bytes is
// hashed first, as RFC 2104 says).
Sha256Digest HmacSha256(absl::string_view key, absl::string_view data);

// The digest as 32 raw bytes, or as 64 lowercase hex digits.
std::string DigestBytes(const Sha256Digest& digest);
std::string DigestHex(const Sha256Digest& digest);

// Compares two byte strings in time that depends only on their lengths.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_CORE_SHA256_H_
