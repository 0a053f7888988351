# Copyright 2026 The Sluice Authors.
"""Shared fixtures. Tests run from anywhere: data paths are resolved from
the repository root; the library is found as sluice._ffi says (CTest sets
SLUICE_LIBRARY)."""

import datetime as dt
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))

import sluice  # noqa: E402

T0 = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)

FLEET_CSV = "id,region,zone\na,r1,z1\nb,r1,z2\nc,r2,z3\n"
PLAN = """
strategy: "hand"
waves { name: "one" stage: "canary" targets: "a" }
waves { name: "rest" stage: "rest" targets: "b" targets: "c"
        bake { seconds: 60 } }
"""


def path(rel):
    return os.path.join(ROOT, rel)


@pytest.fixture
def fleet():
    with sluice.Fleet.parse(FLEET_CSV) as f:
        yield f


@pytest.fixture
def plan(fleet):
    with sluice.Plan.parse(PLAN, fleet) as p:
        yield p


@pytest.fixture
def big_fleet():
    with sluice.Fleet.load(path("examples/fleets/three_regions.csv")) as f:
        yield f


def drive(rollout, now, steps=100, fail_targets=(), stop_on_approval=True):
    """Advances, reporting outcomes (failures for `fail_targets`), until
    terminal, an approval request, or `steps`. Returns the time reached."""
    for _ in range(steps):
        if rollout.terminal:
            break
        actions = rollout.advance(now)
        approval = False
        for a in actions:
            if a.kind == sluice.ActionKind.REQUEST_APPROVAL:
                approval = True
            if not a.needs_outcome:
                continue
            if not a.targets:
                rollout.report_action_outcome(a.id, True, now)
                continue
            rollout.report_outcome(a.id, [
                sluice.TargetResult(
                    t, a.kind == sluice.ActionKind.ROLL_BACK
                    or t not in fail_targets, "disk full")
                for t in a.targets], now)
        if approval and stop_on_approval:
            break
        now += dt.timedelta(minutes=1)
    return now
