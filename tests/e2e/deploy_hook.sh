#!/bin/sh
# Copyright 2026 The Sluice Authors.
#
# The deploy and rollback hook of the end-to-end test and of docs/run.md:
#   deploy_hook.sh DIR VERSION TARGETS
# "deploys" VERSION to each target of the comma-separated TARGETS by writing
# DIR/version-TARGET (tests/e2e/service.py reads it) and reports each target.
# Idempotent: running it twice with the same action leaves the same state.
set -eu
dir=$1; version=$2; targets=$3
echo "start ${SLUICE_ACTION_ID:-manual} ${SLUICE_ACTION_KIND:-deploy} $version $targets" >> "$dir/hooks.log"
for t in $(echo "$targets" | tr ',' ' '); do
  printf '%s\n' "$version" > "$dir/version-$t.tmp"
  mv "$dir/version-$t.tmp" "$dir/version-$t"
  echo "target $t ok"
done
