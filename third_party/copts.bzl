"""Compiler flags for Sluice's own targets.

    load("//third_party:copts.bzl", "SLUICE_COPTS")

    cc_library(name = "...", srcs = [...], copts = SLUICE_COPTS, ...)

Only Sluice's sources get them: copts apply to the target's own .cc files,
never to its dependencies, and the headers of Abseil, protobuf, GoogleTest
and Benchmark come from /usr/include, a system include directory, whose
warnings the compiler does not report. C++17 itself is set for every target
in .bazelrc (--cxxopt=-std=c++17), not here.
"""

# Same set as CMake's SLUICE_WARNINGS (CMakeLists.txt): -Wall -Wextra as
# errors, minus the two checks that fire on ordinary interface code.
SLUICE_COPTS = [
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wno-unused-parameter",
    "-Wno-sign-compare",
]

# For tests and benchmarks: identical today, kept separate so that test-only
# relaxations do not leak into the library.
SLUICE_TEST_COPTS = SLUICE_COPTS
