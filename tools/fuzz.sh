#!/usr/bin/env bash
# Copyright 2026 The Sluice Authors.
#
# Runs the libFuzzer targets of fuzz/ (built with SLUICE_BUILD_FUZZERS=ON in
# BUILD_DIR): first each over its committed seed corpus, then each for
# SECONDS seconds from a scratch copy of it (the committed corpus is never
# modified; new inputs stay in the scratch directory). A crash leaves its
# input in the scratch directory and fails the run.
#
#   tools/fuzz.sh [BUILD_DIR] [SECONDS]     (default: build/fuzz 20)
#
# Runs SLUICE_JOBS (default 2) targets at a time. Ends with one line
# "fuzz: N passed, M failed" (one per target).

set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/fuzz}
[[ "$build" == /* ]] || build="$PWD/$build"  # the fuzzers run in scratch dirs
seconds=${2:-20}
targets=(restore fleet_csv spec_textproto spec_json scenario)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/sluice-fuzz.XXXXXX")
jobs=${SLUICE_JOBS:-2}
passed=0
failed=0

# run_one TARGET: replays the seeds, then fuzzes; writes one result line to
# $scratch/TARGET.result and exits non-zero on failure.
run_one() {
  local t=$1 bin="$build/fuzz/fuzz_$1" log="$scratch/$1.log"
  if [[ ! -x "$bin" ]]; then
    echo "fuzz_$t: not built ($bin)" >"$scratch/$t.result"; return 1
  fi
  mkdir -p "$scratch/$t"
  cp -r "fuzz/corpus/$t/." "$scratch/$t/"
  if "$bin" -runs=0 "fuzz/corpus/$t" >"$log" 2>&1 &&
     (cd "$scratch/$t" && "$bin" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 . \
        >>"$log" 2>&1); then
    echo "fuzz_$t: $(grep -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$log" |
                     grep -oE '[0-9]+$') runs in ${seconds}s PASSED" \
      >"$scratch/$t.result"
  else
    echo "fuzz_$t: FAILED (log and crashing input in $scratch)" \
      >"$scratch/$t.result"
    return 1
  fi
}

# SLUICE_JOBS targets at a time (each fuzzer is one process); the results are
# printed in the targets' order whatever order they finish in.
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if (( running >= jobs )); then wait -n; running=$((running - 1)); fi
done
wait
for t in "${targets[@]}"; do
  cat "$scratch/$t.result"
  if grep -q "PASSED$" "$scratch/$t.result"; then
    passed=$((passed + 1))
  else
    [[ -f "$scratch/$t.log" ]] && tail -n 30 "$scratch/$t.log"
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[[ $failed -eq 0 ]] && rm -rf "$scratch"
[[ $failed -eq 0 ]]
