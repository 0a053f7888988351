#!/usr/bin/env bash
# Copyright 2026 The Sluice Authors.
#
# The quick start's main job: builds the `sluice` program (installing what it
# needs from Debian's archive when missing) and runs it on the example spec
# and fleet. Quick when everything is already built.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh
build=build/release
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DSLUICE_BUILD_TESTS=OFF -DSLUICE_BUILD_BENCHMARKS=OFF \
    -DSLUICE_BUILD_EXAMPLES=OFF >/dev/null
fi
cmake --build "$build" --target sluice_cli -- -j2 >/dev/null

spec=examples/specs/regional_waves.textproto
fleet=examples/fleets/three_regions.csv
echo "\$ sluice validate $spec --fleet $fleet"
"$build/tools/sluice" validate "$spec" --fleet "$fleet"
echo
echo "\$ sluice plan $spec --fleet $fleet"
"$build/tools/sluice" plan "$spec" --fleet "$fleet"
# The same regional waves with health gates, tried on a virtual fleet where
# the release is bad in one zone: the plan, the timeline and the verdict.
gated=examples/specs/regional_waves_gated.textproto
scenario=examples/scenarios/bad_release_one_zone.textproto
echo
echo "\$ sluice simulate $gated --fleet $fleet --scenario $scenario"
"$build/tools/sluice" simulate "$gated" --fleet "$fleet" --scenario "$scenario"
