#!/bin/bash
# Copyright 2026 The Sluice Authors.
#
# End-to-end test of `sluice run` with real components, all on loopback:
# Prometheus (Debian's package, started here as an unprivileged user in a
# temporary directory, 1 s scrapes), twelve services (tests/e2e/service.py:
# 3 regions x 2 zones x 2) and a SQLite store.
#
#   1. Version 2.0 (good) rolls out to all twelve; `sluice run` is killed
#      with SIGKILL mid-rollout, restarted, resumes and finishes; no deploy
#      that had completed runs again.
#   2. Version 3.0 (three times the errors) fails its first wave's PromQL
#      gate and is rolled back there (exit 3); the other eleven never see
#      it; `sluice timeline` shows the gate's numbers.
#
# Usage: tests/e2e/run_prometheus_e2e.sh SLUICE_BINARY  (from the source
# root; CTest runs it as e2e_run_prometheus). Bounded by DEADLINE seconds;
# every process it started is stopped on any exit.

set -euo pipefail
SLUICE=$(realpath "$1")
SRC=$(pwd)
DEADLINE=${DEADLINE:-180}
START=$SECONDS
PROMETHEUS=$(command -v prometheus || true)
if [[ -z "$PROMETHEUS" ]]; then
  echo "FAIL: prometheus not found (tools/install_deps.sh installs it)" >&2
  exit 1
fi

TMP=$(mktemp -d /tmp/sluice_e2e_XXXXXX)
chmod 755 "$TMP"
PIDS=()
cleanup() {
  local code=$?
  for pid in "${PIDS[@]}"; do
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [[ $code -ne 0 ]]; then
    echo "--- e2e failed (exit $code); logs:" >&2
    for f in "$TMP"/*.out "$TMP"/prometheus.log; do
      [[ -f "$f" ]] && { echo "--- $f" >&2; tail -n 40 "$f" >&2; }
    done
  fi
  rm -rf "$TMP"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

left() { echo $((DEADLINE - (SECONDS - START))); }
check_deadline() {
  if (( $(left) <= 0 )); then
    echo "FAIL: deadline of ${DEADLINE}s passed ($1)" >&2
    exit 1
  fi
}
# Starts "$@" in a process group of its own, recording its pid.
spawn() {
  setsid "$@" &
  PIDS+=($!)
}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# --- The fleet and its services.
echo "id,region,zone,weight" > "$TMP/fleet.csv"
TARGETS=()
for r in 1 2 3; do
  for z in a b; do
    for i in 1 2; do
      id="r$r-$z-$i"
      TARGETS+=("$id")
      echo "$id,r$r,r$r$z,1" >> "$TMP/fleet.csv"
      echo "1.0" > "$TMP/version-$id"
    done
  done
done
echo "3.0" > "$TMP/bad-versions"
for id in "${TARGETS[@]}"; do
  spawn python3 "$SRC/tests/e2e/service.py" --id "$id" --dir "$TMP" \
    > "$TMP/service-$id.log" 2>&1
done
for id in "${TARGETS[@]}"; do
  until [[ -f "$TMP/port-$id" ]]; do
    check_deadline "service $id"
    sleep 0.1
  done
done

# --- Prometheus, as nobody when we are root.
PROM_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
{
  echo "global: {scrape_interval: 1s, evaluation_interval: 1s}"
  echo "scrape_configs:"
  echo "  - job_name: shop"
  echo "    static_configs:"
  for id in "${TARGETS[@]}"; do
    echo "      - targets: ['127.0.0.1:$(cat "$TMP/port-$id")']"
    echo "        labels: {target: '$id'}"
  done
} > "$TMP/prometheus.yml"
mkdir -p "$TMP/prometheus-data"
RUN_AS=()
if [[ $(id -u) -eq 0 ]]; then
  chown nobody "$TMP/prometheus-data"
  RUN_AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
spawn "${RUN_AS[@]}" "$PROMETHEUS" --config.file="$TMP/prometheus.yml" \
  --storage.tsdb.path="$TMP/prometheus-data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" \
  > "$TMP/prometheus.log" 2>&1
PROM="http://127.0.0.1:$PROM_PORT"
# Until all twelve targets are scraped.
query() {
  python3 - "$PROM" "$1" <<'PY'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "/api/v1/query?" + urllib.parse.urlencode({"query": sys.argv[2]})
try:
    with urllib.request.urlopen(url, timeout=2) as r:
        result = json.load(r)["data"]["result"]
    print(result[0]["value"][1] if result else "")
except Exception:
    print("")
PY
}
until [[ "$(query 'count(up{job="shop"} == 1)')" == "12" ]]; do
  check_deadline "prometheus scraping the services"
  sleep 0.5
done
# Two scrapes of each, so that rate() has data.
sleep 2
echo "prometheus up on :$PROM_PORT after $((SECONDS - START))s"

# --- The spec: zone by zone in the first region, then region by region;
# an error-ratio gate over PromQL per wave.
write_spec() {  # version previous
  cat > "$TMP/spec-$1.textproto" <<EOF
name: "shop"
version: "$1"
previous_version: "$2"
waves {
  staged {
    max_zones_per_wave: 1
    max_regions_per_wave: 1
    bakes {
      one_box { seconds: 1 }
      first_zone_batch { seconds: 1 }
      first_zone { seconds: 1 }
      zone { seconds: 1 }
      first_region { seconds: 1 }
      region_one_box { seconds: 1 }
      region_wave { seconds: 1 }
      final_bake { seconds: 1 }
    }
  }
}
metrics {
  name: "error_ratio"
  unit: "ratio"
  prometheus {
    query: "sum(rate(app_errors_total{target=~\"{{targets_regex}}\"}[{{window}}])) / sum(rate(app_requests_total{target=~\"{{targets_regex}}\"}[{{window}}]))"
  }
}
gates {
  default {
    name: "errors"
    threshold { metric: "error_ratio" max: 0.04 window { seconds: 4 } }
  }
}
rollback { deploy_attempts: 1 }
EOF
}
write_spec 2.0 1.0
write_spec 3.0 2.0
"$SLUICE" plan "$TMP/spec-2.0.textproto" --fleet "$TMP/fleet.csv"

# Runs `sluice run` for VERSION in the background (pid in RUN_PID).
start_run() {  # version outfile
  setsid "$SLUICE" run "$TMP/spec-$1.textproto" --fleet "$TMP/fleet.csv" \
    --store "sqlite:$TMP/store.db" --prometheus "$PROM" \
    --deploy "$SRC/tests/e2e/deploy_hook.sh $TMP {version} {targets}" \
    --rollback "$SRC/tests/e2e/deploy_hook.sh $TMP {version} {targets}" \
    --events "$TMP/events-$1.jsonl" --id "shop-$1" \
    --lease-ttl 3s --poll 250ms --output json > "$2" 2>&1 &
  RUN_PID=$!
  PIDS+=($RUN_PID)
}
# Waits for RUN_PID; sets RUN_CODE.
wait_run() {
  while kill -0 "$RUN_PID" 2>/dev/null; do
    check_deadline "sluice run"
    # A zombie counts as done.
    if [[ "$(cut -d' ' -f3 "/proc/$RUN_PID/stat" 2>/dev/null)" == Z ]]; then break; fi
    sleep 0.2
  done
  set +e
  wait "$RUN_PID"
  RUN_CODE=$?
  set -e
}

# --- 1. The good version, killed mid-rollout and resumed.
: > "$TMP/hooks.log"
start_run 2.0 "$TMP/run-2.0-first.out"
# Kill it once wave 2 has deployed (its gate then waits out a 4 s window:
# no hook is running).
until grep -q '"kind":"wave-deployed"' "$TMP/events-2.0.jsonl" 2>/dev/null &&
      [[ $(grep -c '"kind":"wave-deployed"' "$TMP/events-2.0.jsonl") -ge 3 ]]; do
  check_deadline "waiting for wave 2 to deploy"
  kill -0 "$RUN_PID" 2>/dev/null || fail "sluice run ended early"
  sleep 0.1
done
sleep 0.5
kill -KILL "$RUN_PID"
# (bash reports the kill of its background job; that is expected)
wait "$RUN_PID" 2>/dev/null || true
before=$(grep -c '^start' "$TMP/hooks.log")
echo "killed sluice run with SIGKILL after $before deploys ($((SECONDS - START))s)"
(( before >= 3 && before < 7 )) || fail "expected 3..6 deploys before the kill, got $before"
start_run 2.0 "$TMP/run-2.0-resumed.out"
wait_run
[[ $RUN_CODE -eq 0 ]] || fail "the resumed run of 2.0 exited $RUN_CODE (want 0)"
grep -q '"type":"resume"' "$TMP/run-2.0-resumed.out" || fail "the restart did not resume"
for id in "${TARGETS[@]}"; do
  [[ "$(cat "$TMP/version-$id")" == "2.0" ]] || fail "$id runs $(cat "$TMP/version-$id"), want 2.0"
done
deploys=$(grep -c '^start' "$TMP/hooks.log")
distinct=$(awk '/^start/ {print $2}' "$TMP/hooks.log" | sort -u | wc -l)
[[ $deploys -eq 7 && $distinct -eq 7 ]] ||
  fail "want 7 deploys, each run once; got $deploys runs of $distinct actions"
grep -q '"outcome":"PASS"' "$TMP/events-2.0.jsonl" || fail "no passing PromQL verdict"
echo "2.0 rolled out to all twelve, resumed after SIGKILL ($((SECONDS - START))s)"

# --- 2. The bad version: stopped and rolled back in its first zone.
: > "$TMP/hooks.log"
start_run 3.0 "$TMP/run-3.0.out"
wait_run
[[ $RUN_CODE -eq 3 ]] || fail "the run of 3.0 exited $RUN_CODE (want 3, rolled back)"
for id in "${TARGETS[@]}"; do
  [[ "$(cat "$TMP/version-$id")" == "2.0" ]] || fail "$id runs $(cat "$TMP/version-$id") after the rollback, want 2.0"
done
# Only the first zone's one-box saw 3.0.
awk '/^start/ && $4 == "3.0" {print $5}' "$TMP/hooks.log" | tr ',' '\n' | sort -u > "$TMP/saw-3.0"
[[ "$(cat "$TMP/saw-3.0")" == "r1-a-1" ]] || fail "3.0 reached $(tr '\n' ' ' < "$TMP/saw-3.0"), want only r1-a-1"
"$SLUICE" timeline "$TMP/events-3.0.jsonl" | tee "$TMP/timeline-3.0.txt"
grep -q 'FAIL' "$TMP/timeline-3.0.txt" || fail "the timeline shows no failed verdict"
grep -Eq 'error_ratio.*0\.0[0-9]+' "$TMP/timeline-3.0.txt" || fail "the timeline shows no PromQL numbers"
grep -q 'rolled-back' "$TMP/timeline-3.0.txt" || fail "the timeline does not end rolled back"
echo "3.0 rolled back in its first zone ($((SECONDS - START))s)"
echo "e2e: 2 passed, 0 failed"
