# Copyright 2026 The Sluice Authors.
"""Sluice, progressive delivery, from Python: bindings over the C API
(libsluice.so.0, include/sluice/c.h) through ctypes.

    import sluice
    fleet = sluice.Fleet.load("examples/fleets/three_regions.csv")
    spec = sluice.Spec.load("examples/specs/regional_waves.textproto")
    with sluice.Rollout.from_spec(spec, fleet) as rollout:
        actions = rollout.advance(now)

Ownership: every object owns its C handle and releases it on close(), at
the end of a with-block, or when garbage-collected. Host objects (gates,
rollback policies, metric and alarm sources, event sinks) are kept alive by
the rollouts that use them. Threading: fleets, specs, plans and scenarios
may be shared between threads; a Rollout is used by one thread at a time,
and its callbacks run on that thread, inside advance() and the commands.
Errors raise SluiceError (InvalidArgumentError, NotFoundError,
FailedPreconditionError) with the C++ API's messages. Times are aware
datetimes (naive ones mean UTC) or int nanoseconds since the epoch;
durations are timedeltas or seconds. docs/bindings.md has the rest,
including how libsluice.so.0 is found (sluice._ffi).
"""

from ._api import (Action, ActionKind, Aggregate, Aggregation, AlarmQuery,
                   AlarmSource, AlarmState, Baseline, Blocker, BlockerKind,
                   Cohort, Decision, DecisionKind, Event, FailedPreconditionError,
                   Failure, FailureTrigger, Fleet, Format, Gate, GateContext,
                   InvalidArgumentError, MetricQuery, MetricResult,
                   MetricSource, NoData, NotFoundError, Options, Outcome, Plan,
                   RestoreConfig, RollbackOrder, RollbackPolicy, Rollout,
                   RolloutStatus, Samples, Scenario, SluiceError, Spec,
                   StatusCode, TargetResult, Verdict, Wave, WavePhase,
                   builtin_policy, judge, simulate, version)

__version__ = "0.1.0"

__all__ = [
    "Action", "ActionKind", "Aggregate", "Aggregation", "AlarmQuery",
    "AlarmSource", "AlarmState", "Baseline", "Blocker", "BlockerKind",
    "Cohort", "Decision", "DecisionKind", "Event", "FailedPreconditionError",
    "Failure", "FailureTrigger", "Fleet", "Format", "Gate", "GateContext",
    "InvalidArgumentError", "MetricQuery", "MetricResult", "MetricSource",
    "NoData", "NotFoundError", "Options", "Outcome", "Plan", "RestoreConfig",
    "RollbackOrder", "RollbackPolicy", "Rollout", "RolloutStatus", "Samples",
    "Scenario", "SluiceError", "Spec", "StatusCode", "TargetResult",
    "Verdict", "Wave", "WavePhase", "builtin_policy", "judge", "simulate",
    "version",
]
