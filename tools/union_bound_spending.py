#!/usr/bin/python3
# Copyright 2026 The Sluice Authors.
#
# How much of alpha the self-baseline gate's union-bound spending really
# uses, and what exact group-sequential (Lan-DeMets) boundaries would gain
# at the same real false-failure rate (docs/efficacy.md, "What is left").
# Not part of any build or test: a Monte Carlo of K equally informative
# looks (a Brownian motion observed at k/K), with the gate's spending
# alpha (k/K)^rho.
#
#   /usr/bin/python3 tools/union_bound_spending.py    # Debian's python3-scipy
#
# Printed on 2026-12-03 (seed 1, 10^6 paths): the union bound at alpha 0.01
# uses 0.0028; at a final drift of 3.8 standard errors it has power 0.81,
# exact boundaries at alpha 0.0028 0.82 (rho 3), 0.83 (rho 4).
import numpy as np
from scipy.stats import norm

K, RHO, PATHS = 24, 3, 1_000_000
rng = np.random.default_rng(1)
steps = rng.standard_normal((PATHS, K)).astype(np.float32)
info = np.arange(1, K + 1)
z = np.cumsum(steps, axis=1) / np.sqrt(info)


def spent(alpha, rho, k):
    return alpha * (k / K) ** rho


def exact_boundaries(alpha, rho):
    """Lan-DeMets boundaries by simulation: look k crosses with probability
    spent(k) - spent(k - 1) among the paths that have not crossed."""
    alive = np.ones(PATHS, bool)
    bounds = []
    for k in range(K):
        share = spent(alpha, rho, k + 1) - spent(alpha, rho, k)
        values = np.sort(z[alive, k])[::-1]
        m = int(round(share * PATHS))
        c = values[m - 1] if m > 0 else values[0] + 1
        bounds.append(c)
        alive &= ~(z[:, k] >= c)
    return np.array(bounds)


def power(bounds, drift):
    shifted = z + drift * np.sqrt(info / K)
    return np.mean((shifted >= bounds).any(axis=1))


union = np.array([norm.isf(spent(0.01, RHO, k + 1) - spent(0.01, RHO, k))
                  for k in range(K)])
used = np.mean((z >= union).any(axis=1))
print(f"union bound at alpha 0.01, {K} looks, rho {RHO}: uses {used:.4f}")
for drift in (3.0, 3.5, 3.8, 4.0):
    row = [f"drift {drift}: union {power(union, drift):.3f}"]
    for rho in (2, 3, 4):
        row.append(f"exact rho {rho} {power(exact_boundaries(used, rho), drift):.3f}")
    print(", ".join(row))
