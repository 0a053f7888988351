// Copyright 2026 The Sluice Authors.
//
// The third-party headers every test parses: GoogleTest, gMock, Protobuf's
// runtime (what the generated sluice/v1/*.pb.h include) and the Abseil
// headers most tests use. CMake precompiles them once per build
// (SLUICE_TEST_PCH, tests/CMakeLists.txt) and force-includes the result in
// every test, which saves about a quarter of each test's compile time.
// Nothing of Sluice's own is here, so the tests' layering (which component's
// headers a test folder sees) is unchanged, and each test still includes what
// it uses: the Bazel build has no precompiled header and checks that.
#ifndef SLUICE_TESTS_PCH_TEST_PCH_H_
#define SLUICE_TESTS_PCH_TEST_PCH_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/extension_set.h"
#include "google/protobuf/generated_message_reflection.h"
#include "google/protobuf/generated_message_util.h"
#include "google/protobuf/map.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"

#endif  // SLUICE_TESTS_PCH_TEST_PCH_H_
