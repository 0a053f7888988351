#!/usr/bin/python3
# Copyright 2026 The Sluice Authors.
#
# Times Sluice's Mann-Whitney U test against scipy.stats.mannwhitneyu on the
# same data, n = m = 10^3 .. 10^6, and prints the ratio.
#
#   /usr/bin/python3 benchmarks/mann_whitney_vs_scipy.py \
#       [--binary BUILD/benchmarks/stats_mann_whitney_benchmark] [--max-n N]
#
# Debian's /usr/bin/python3 has SciPy (python3-scipy). The script writes the
# samples to a temporary directory, times SciPy (best of a few calls) on them,
# then runs the benchmark binary's BM_MannWhitneyU with SLUICE_MW_DATA_DIR set
# so it reads the same samples, and checks that both give the same U.
# Both sides are timed in CPU time of their own process (SciPy's sort is
# single-threaded), so a busy machine does not skew the ratio.

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
from scipy import stats

SIZES = [1000, 10000, 100000, 1000000]


def find_binary():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    candidates = glob.glob(os.path.join(here, "build*", "benchmarks",
                                        "stats_mann_whitney_benchmark"))
    candidates += glob.glob("/tmp/*/benchmarks/stats_mann_whitney_benchmark")
    candidates = [c for c in candidates if os.access(c, os.X_OK)]
    if not candidates:
        sys.exit("stats_mann_whitney_benchmark not found; pass --binary")
    return max(candidates, key=os.path.getmtime)


def time_scipy(x, y, budget_s=3.0):
    best = float("inf")
    calls = 0
    start = time.perf_counter()
    while calls < 3 or (time.perf_counter() - start < budget_s and calls < 50):
        t0 = time.process_time()
        r = stats.mannwhitneyu(x, y)
        best = min(best, time.process_time() - t0)
        calls += 1
        if time.perf_counter() - start > budget_s and calls >= 1:
            break
    return best, r


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=None)
    parser.add_argument("--max-n", type=int, default=SIZES[-1])
    args = parser.parse_args()
    binary = args.binary or find_binary()
    sizes = [n for n in SIZES if n <= args.max_n]
    rng = np.random.default_rng(20260105)
    with tempfile.TemporaryDirectory() as tmp:
        scipy_times = {}
        scipy_u = {}
        for n in sizes:
            x = rng.normal(0.01, 1.0, n)
            y = rng.normal(0.0, 1.0, n)
            x.astype("<f8").tofile(os.path.join(tmp, f"x_{n}.f64"))
            y.astype("<f8").tofile(os.path.join(tmp, f"y_{n}.f64"))
            scipy_times[n], r = time_scipy(x, y)
            scipy_u[n] = float(r.statistic)
            print(f"n = m = {n}: SciPy {scipy_times[n] * 1e3:.1f} ms",
                  file=sys.stderr)
        env = dict(os.environ, SLUICE_MW_DATA_DIR=tmp)
        out = subprocess.run(
            [binary, "--benchmark_filter=^BM_MannWhitneyU/",
             "--benchmark_format=json", "--benchmark_min_time=0.5"],
            env=env, check=True, capture_output=True, text=True).stdout
        results = json.loads(out)
        sluice_times = {}
        for b in results["benchmarks"]:
            n = int(b["name"].split("/")[1])
            unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
            sluice_times[n] = b["cpu_time"] * unit
            # Same data, same answer.
            if b.get("u") != scipy_u[n]:
                sys.exit(f"n={n}: Sluice U {b.get('u')} != SciPy U {scipy_u[n]}")
    print(f"scipy {scipy.__version__}, numpy {np.__version__}; "
          f"binary {binary}; CPU time, best of several calls")
    print(f"{'n = m':>9} {'SciPy':>12} {'SciPy ns/sample':>16} "
          f"{'Sluice':>12} {'Sluice ns/sample':>17} {'ratio':>8}")
    for n in sizes:
        s, t = scipy_times[n], sluice_times.get(n, float("nan"))
        print(f"{n:>9} {s * 1e3:>10.3f}ms {s / (2 * n) * 1e9:>16.1f} "
              f"{t * 1e3:>10.3f}ms {t / (2 * n) * 1e9:>17.1f} "
              f"{s / t:>7.1f}x")


if __name__ == "__main__":
    main()
