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
# Ends with one line "fuzz: N passed, M failed" (one per target).

set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/fuzz}
seconds=${2:-20}
targets=(restore fleet_csv spec_textproto spec_json scenario)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/sluice-fuzz.XXXXXX")
passed=0
failed=0
for t in "${targets[@]}"; do
  bin="$build/fuzz/fuzz_$t"
  if [[ ! -x "$bin" ]]; then
    echo "fuzz_$t: not built ($bin)"; failed=$((failed + 1)); continue
  fi
  mkdir -p "$scratch/$t"
  cp -r "fuzz/corpus/$t/." "$scratch/$t/"
  log="$scratch/$t.log"
  if "$bin" -runs=0 "fuzz/corpus/$t" >"$log" 2>&1 &&
     (cd "$scratch/$t" && "$OLDPWD/$bin" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 . \
        >>"$log" 2>&1); then
    echo "fuzz_$t: $(grep -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$log" |
                     grep -oE '[0-9]+$') runs in ${seconds}s PASSED"
    passed=$((passed + 1))
  else
    echo "fuzz_$t: FAILED (log and crashing input in $scratch)"
    tail -n 30 "$log"
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[[ $failed -eq 0 ]] && rm -rf "$scratch"
[[ $failed -eq 0 ]]
