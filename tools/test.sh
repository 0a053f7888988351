#!/usr/bin/env bash
# Copyright 2026 The Sluice Authors.
#
# Runs every test, as CI does (installing what it needs from Debian's archive
# when missing):
#   1. the CMake build with gcc (warnings are errors; the library at -O2, the
#      test executables at -O0, which compile in about half the time) and its
#      CTest suite, which includes the examples, the install/consumer test,
#      the C API's C tests (capi_*_test) and the Python and Go bindings'
#      suites (python_bindings_test: pytest-3 python/tests; go_bindings_test:
#      go test in go/), each counted as one test;
#   2. the same tests built with clang (the library at -O1, the tests at
#      -O0), AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer's
#      coverage instrumentation (the C API's tests under LSan too; not the
#      Python and Go suites, whose interpreters are not instrumented, nor the
#      install/consumer and Prometheus end-to-end tests; the store chaos
#      tests at 20 rollouts), with the fuzz targets' seed replays;
#   3. the Bazel build and tests (offline, against Debian's libraries), then
#      the layering check's targets (tests/layering/), which must not build;
#   4. the libFuzzer targets of fuzz/, built in stage 2's build directory
#      (build/asan), each over its seed corpus and then for
#      SLUICE_FUZZ_SECONDS (default 20) seconds (tools/fuzz.sh); each target
#      counts as one test.
# Stages can be chosen: tools/test.sh [gcc] [asan] [bazel] [fuzz] (default:
# all).
# Ends with one line "tests: N passed, M failed" over all stages.
set -uo pipefail
cd "$(dirname "$0")/.."

stages=("$@")
if (( ${#stages[@]} == 0 )); then stages=(gcc asan bazel fuzz); fi
want() { local s; for s in "${stages[@]}"; do [[ "$s" == "$1" ]] && return 0; done; return 1; }

if want bazel; then tools/install_deps.sh --bazel; else tools/install_deps.sh; fi || exit 1

jobs="${SLUICE_JOBS:-2}"
passed=0
failed=0
status=0
log_dir=build/test-logs
mkdir -p "$log_dir"

elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# count_ctest LOG: adds the counts from CTest's summary line to the totals.
count_ctest() {
  local line total nfail
  line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$1" | tail -n 1)
  if [[ -z "$line" ]]; then failed=$((failed + 1)); return; fi
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
  nfail=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
  passed=$((passed + total - nfail))
  failed=$((failed + nfail))
}

run_cmake_stage() {  # NAME BUILD_DIR CMAKE_ARGS...
  local name=$1 dir=$2; shift 2
  local start; start=$(date +%s)
  echo "== $name: configure and build ($dir)"
  if ! cmake -S . -B "$dir" -G Ninja "$@" >"$log_dir/$name-configure.log" 2>&1; then
    tail -n 40 "$log_dir/$name-configure.log"; status=1; failed=$((failed + 1)); return
  fi
  if ! cmake --build "$dir" -- -j"$jobs" >"$log_dir/$name-build.log" 2>&1; then
    grep -E "error|FAILED" -A5 "$log_dir/$name-build.log" | head -n 80
    status=1; failed=$((failed + 1)); return
  fi
  echo "== $name: built in $(elapsed "$start"); running ctest"
  (cd "$dir" && ctest -j"$jobs" --output-on-failure) 2>&1 | tee "$log_dir/$name-ctest.log" | tail -n 25
  if [[ ${PIPESTATUS[0]} -ne 0 ]]; then status=1; fi
  count_ctest "$log_dir/$name-ctest.log"
  echo "== $name: done in $(elapsed "$start")"
}

if want gcc; then
  run_cmake_stage gcc build/gcc -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ -DCMAKE_CXX_FLAGS_RELEASE=-O2 \
    -DSLUICE_TEST_COMPILE_OPTIONS=-O0
fi

# The sanitizer build (build/asan) serves the asan and fuzz stages: clang,
# ASan+UBSan, the library at -O1 (the simulations the tests run are 4 times
# slower at -O0) and the test executables at -O0 (clang compiles them 2.5-3.5
# times faster than at -O1), and libFuzzer's coverage instrumentation
# throughout (SLUICE_BUILD_FUZZERS), so that the fuzz stage only adds its
# five targets to the library the tests already built.
asan_args=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang
           -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_FLAGS_DEBUG=-O1
           -DCMAKE_CXX_FLAGS_DEBUG=-O1 -DSLUICE_TEST_COMPILE_OPTIONS=-O0
           -DSLUICE_SANITIZE=address,undefined -DSLUICE_BUILD_FUZZERS=ON
           -DSLUICE_BUILD_BENCHMARKS=OFF)

if want asan; then
  # The store chaos tests run 20 rollouts here, not 50 (their time is spent
  # in bakes and leases; the gcc stage runs the full size).
  SLUICE_CHAOS_ROLLOUTS=20 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1 \
  run_cmake_stage asan build/asan "${asan_args[@]}"
fi

if want bazel; then
  start=$(date +%s)
  echo "== bazel: bazel test //..."
  bazel test --config=debian --jobs="$jobs" --test_output=errors //... 2>&1 | tee "$log_dir/bazel.log" | tail -n 40
  if [[ ${PIPESTATUS[0]} -ne 0 ]]; then status=1; fi
  bp=$(grep -cE "^//.* PASSED in" "$log_dir/bazel.log" || true)
  bf=$(grep -cE "^//.* (FAILED|TIMEOUT|NO STATUS|FAILED TO BUILD)" "$log_dir/bazel.log" || true)
  if [[ $status -ne 0 && $bf -eq 0 && $bp -eq 0 ]]; then bf=1; fi
  passed=$((passed + bp)); failed=$((failed + bf))
  # The layering check (tests/layering/BUILD.bazel): wrong-way includes must
  # fail to build, on the header they name; the controls must build. In the
  # sandbox the header is not there ("No such file or directory"); run
  # unsandboxed, Bazel finds it in the source tree and then either reports an
  # "undeclared inclusion" of it or the compile stops inside it, at a header
  # it includes that the component cannot see either.
  echo "== bazel: layering check"
  for check in stats_includes_rollout:sluice/rollout.h \
               stats_includes_rollout_private:lib/rollout/rollout_engine.h \
               stats_control: tools_control:; do
    target=//tests/layering:${check%%:*}
    header=${check#*:}
    log="$log_dir/bazel-layering-${check%%:*}.log"
    bazel build --config=debian --jobs="$jobs" "$target" >"$log" 2>&1
    rc=$?
    if [[ -z "$header" && $rc -eq 0 ]]; then
      echo "$target: builds (control) PASSED"; passed=$((passed + 1))
    elif [[ -n "$header" && $rc -ne 0 ]] &&
         { grep -qF "$header: No such file or directory" "$log" ||
           grep -qE "(^|/)${header//./\\.}:[0-9]+:[0-9]+: fatal error: .*No such file" "$log" ||
           { grep -q "undeclared inclusion" "$log" && grep -qF "'$header'" "$log"; }; }; then
      echo "$target: does not compile, as it should: $(grep -m1 -F "$header" "$log") PASSED"
      passed=$((passed + 1))
    else
      echo "$target: FAILED (exit $rc; see $log)"; tail -n 20 "$log"
      failed=$((failed + 1)); status=1
    fi
  done
  echo "== bazel: done in $(elapsed "$start")"
  bazel shutdown >/dev/null 2>&1 || true
fi

if want fuzz; then
  start=$(date +%s)
  # After the asan stage only the fuzz targets are left to build.
  echo "== fuzz: configure and build the fuzz targets (build/asan)"
  if ! cmake -S . -B build/asan -G Ninja "${asan_args[@]}" \
         >"$log_dir/fuzz-configure.log" 2>&1 ||
     ! cmake --build build/asan --target fuzzers -- -j"$jobs" \
         >"$log_dir/fuzz-build.log" 2>&1; then
    grep -E "error|FAILED" -A5 "$log_dir/fuzz-configure.log" \
      "$log_dir/fuzz-build.log" | head -n 80
    status=1; failed=$((failed + 1))
  else
    echo "== fuzz: built in $(elapsed "$start"); running tools/fuzz.sh"
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ASAN_OPTIONS=detect_leaks=1 \
    tools/fuzz.sh build/asan "${SLUICE_FUZZ_SECONDS:-20}" 2>&1 |
      tee "$log_dir/fuzz.log" | tail -n 40
    if [[ ${PIPESTATUS[0]} -ne 0 ]]; then status=1; fi
    fp=$(grep -cE "^fuzz_.* PASSED$" "$log_dir/fuzz.log" || true)
    ff=$(grep -cE "^fuzz_.*: (FAILED|not built)" "$log_dir/fuzz.log" || true)
    passed=$((passed + fp)); failed=$((failed + ff))
  fi
  echo "== fuzz: done in $(elapsed "$start")"
fi

if (( failed > 0 )); then status=1; fi
echo "tests: $passed passed, $failed failed"
exit $status
