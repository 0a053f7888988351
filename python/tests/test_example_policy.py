# Copyright 2026 The Sluice Authors.
"""The example custom rollback policy (python/examples/
retry_then_rollback.py), on a real rollout."""

import datetime as dt
import os
import sys

import sluice
from conftest import ROOT, T0, drive

sys.path.insert(0, os.path.join(ROOT, "python", "examples"))
from retry_then_rollback import RetryThenRollBack  # noqa: E402


def test_retries_flaky_deploys_then_rolls_back(fleet, plan):
    policy = RetryThenRollBack(retries=2, backoff=dt.timedelta(minutes=1))
    options = sluice.Options(version="v2", previous_version="v1",
                             rollback_policy=policy)
    with sluice.Rollout.create(fleet, plan, options) as rollout:
        drive(rollout, T0, steps=100, fail_targets={0})
        assert rollout.status == sluice.RolloutStatus.ROLLED_BACK
    kinds = [d.kind for d in policy.decisions]
    assert kinds == [sluice.DecisionKind.RETRY_WAVE,
                     sluice.DecisionKind.RETRY_WAVE,
                     sluice.DecisionKind.ROLL_BACK_ALL]
    assert policy.decisions[1].retry_after == dt.timedelta(minutes=2)


def test_retry_that_succeeds_finishes_the_rollout(fleet, plan):
    policy = RetryThenRollBack(retries=2)

    failing = {0}
    options = sluice.Options(version="v2", previous_version="v1",
                             rollback_policy=policy)
    with sluice.Rollout.create(fleet, plan, options) as rollout:
        now = T0
        while not policy.decisions:
            now = drive(rollout, now, steps=1, fail_targets=failing)
        drive(rollout, now, steps=100)  # the host fixed target a
        assert rollout.status == sluice.RolloutStatus.SUCCEEDED
    assert [d.kind for d in policy.decisions] == [
        sluice.DecisionKind.RETRY_WAVE]
