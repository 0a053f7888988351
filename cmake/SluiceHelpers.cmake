# Copyright 2026 The Sluice Authors.
#
# Helpers shared by the CMakeLists.txt files. Target names follow the Bazel
# build: a file tests/stats/mann_whitney_test.cc is the test target
# stats_mann_whitney_test in both builds.

# The absl libraries Sluice's public headers and library use.
set(SLUICE_ABSL_LIBS
    absl::status absl::statusor absl::strings absl::str_format absl::time
    absl::civil_time absl::time_zone absl::flat_hash_map absl::flat_hash_set
    absl::btree absl::inlined_vector absl::optional absl::span absl::variant
    absl::hash absl::synchronization absl::random_random
    absl::random_distributions absl::function_ref absl::cleanup absl::memory
    absl::algorithm_container absl::int128 absl::bits)

# sluice_target_name(<out-var> <path relative to its root dir>): turns
# "stats/mann_whitney_test.cc" into "stats_mann_whitney_test".
function(sluice_target_name out path)
  string(REGEX REPLACE "\\.cc$" "" name "${path}")
  string(REPLACE "/" "_" name "${name}")
  set(${out} "${name}" PARENT_SCOPE)
endfunction()

# sluice_apply_warnings(<target>): Sluice's warning flags (errors by default).
function(sluice_apply_warnings target)
  target_compile_options(${target} PRIVATE ${SLUICE_WARNINGS})
endfunction()
