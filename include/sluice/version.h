// Copyright 2026 The Sluice Authors.
//
// The library's version, for logs and for `sluice version`.
//
// Example:
//
//   std::cout << "sluice " << sluice::Version() << "\n";  // "sluice 0.1.0"

#ifndef SLUICE_VERSION_H_
#define SLUICE_VERSION_H_

// The version as numbers, for preprocessor checks.
#define SLUICE_VERSION_MAJOR 0
#define SLUICE_VERSION_MINOR 1
#define SLUICE_VERSION_PATCH 0

namespace sluice {

// The library's version as "MAJOR.MINOR.PATCH". Thread-safe.
const char* Version();

}  // namespace sluice

#endif  // SLUICE_VERSION_H_
