# Copyright 2026 The Sluice Authors.
"""An example custom rollback policy in Python: retry a wave whose deploy
had failures (flaky hosts) up to `retries` times with a growing backoff;
roll back everything on a failed health gate; pause for a person on
anything else. python/tests/test_example_policy.py tests it."""

import datetime as dt

import sluice


class RetryThenRollBack(sluice.RollbackPolicy):
    """Deploy failures: retry (backoff doubles); gate failures: roll back
    all, the failed wave first; otherwise pause and escalate."""

    name = "retry-then-roll-back"

    def __init__(self, retries: int = 2,
                 backoff: dt.timedelta = dt.timedelta(minutes=1)):
        self.retries = retries
        self.backoff = backoff
        self.decisions = []  # what it decided, for logs and tests

    def decide(self, failure: sluice.Failure) -> sluice.Decision:
        if (failure.trigger == sluice.FailureTrigger.DEPLOY_FAILURES
                and failure.attempt <= self.retries):
            wait = self.backoff * 2 ** (failure.attempt - 1)
            decision = sluice.Decision.retry_wave(
                wait, reason=f"retry {failure.attempt} of {self.retries}")
        elif failure.trigger in (sluice.FailureTrigger.GATE_FAIL,
                                 sluice.FailureTrigger.DEPLOY_FAILURES):
            decision = sluice.Decision.roll_back_all(
                sluice.RollbackOrder.REVERSE_WAVES,
                reason=f"wave {failure.wave_index} failed: {failure.reason}")
        else:
            decision = sluice.Decision.pause_and_escalate(
                reason=f"{failure.trigger.name}: a person decides")
        self.decisions.append(decision)
        return decision
