# Copyright 2026 The Sluice Authors.
"""The Python API over the C API (see the package docstring)."""

from __future__ import annotations

import abc
import ctypes
import datetime as _dt
import enum
import json
import threading
from dataclasses import dataclass, field
from typing import (Any, Callable, Dict, Iterable, List, Mapping, Optional,
                    Sequence, Tuple, Union)

from . import _ffi
from ._ffi import lib, take_string

# ---- Enums -------------------------------------------------------------------


class Format(enum.IntEnum):
    """The encoding of text passed in (SLUICE_FORMAT_*)."""
    TEXTPROTO = 0
    JSON = 1
    CSV = 2


class RolloutStatus(enum.IntEnum):
    PENDING = 0
    RUNNING = 1
    PAUSED = 2
    ROLLING_BACK = 3
    SUCCEEDED = 4
    ROLLED_BACK = 5
    ABORTED = 6
    FAILED = 7

    @property
    def terminal(self) -> bool:
        return self >= RolloutStatus.SUCCEEDED


class WavePhase(enum.IntEnum):
    NOT_STARTED = 0
    AWAITING_APPROVAL = 1
    DEPLOYING = 2
    VERIFYING = 3
    BAKING = 4
    RETRY_BACKOFF = 5
    PASSED = 6
    FAILED = 7


class ActionKind(enum.IntEnum):
    DEPLOY = 0
    SET_TRAFFIC = 1
    ROLL_BACK = 2
    WAIT = 3
    REQUEST_APPROVAL = 4
    NOTIFY = 5


class BlockerKind(enum.IntEnum):
    ACTIONS_IN_FLIGHT = 0
    GATE = 1
    BAKE = 2
    APPROVAL = 3
    PAUSED = 4
    RETRY_BACKOFF = 5
    ROLLBACK = 6


class Outcome(enum.IntEnum):
    PASS = 0
    FAIL = 1
    INCONCLUSIVE = 2
    ERROR = 3
    HOLD = 4


class FailureTrigger(enum.IntEnum):
    GATE_FAIL = 0
    GATE_INCONCLUSIVE = 1
    GATE_ERROR = 2
    DEPLOY_FAILURES = 3
    PROGRESS_DEADLINE = 4
    REJECTED = 5


class DecisionKind(enum.IntEnum):
    ROLL_BACK_ALL = 0
    ROLL_BACK_CURRENT_WAVE_AND_PAUSE = 1
    PAUSE_AND_ESCALATE = 2
    RETRY_WAVE = 3


class RollbackOrder(enum.IntEnum):
    REVERSE_WAVES = 0
    ALL_AT_ONCE = 1


class Baseline(enum.IntEnum):
    NEXT_WAVE = 0
    ALL_REMAINING = 1


class RestoreConfig(enum.IntEnum):
    """How Rollout.restore() and Rollout.restore_from_spec() compare the
    configuration a snapshot records (gates, rollback policy, limits, the
    spec's config id) with the one given (SLUICE_CONFIG_*)."""
    CHECK = 0          # refuse another configuration
    ACCEPT_CHANGE = 1  # accept it, recorded as a config-change event
    UNCHECKED = 2      # do not compare (a tool applying a command)


class Cohort(enum.IntEnum):
    WAVE = 0
    BASELINE = 1
    FLEET = 2


class Aggregation(enum.IntEnum):
    NONE = -1
    MEAN = 0
    SUM = 1
    RATE = 2
    COUNT = 3
    MIN = 4
    MAX = 5
    QUANTILE = 6


class AlarmState(enum.IntEnum):
    OK = 0
    ALARM = 1
    INSUFFICIENT_DATA = 2


class StatusCode(enum.IntEnum):
    """absl::StatusCode, as the C API's SLUICE_* codes."""
    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


# ---- Errors ------------------------------------------------------------------


class SluiceError(Exception):
    """An error of the C API: `code` (StatusCode) and `message`, the C++
    API's message (str(error) is "<CODE>: <message>", as the C API gives
    it). Subclasses by code: InvalidArgumentError, NotFoundError,
    FailedPreconditionError; others are SluiceError. Host callbacks may
    raise it to report a code (e.g. StatusCode.UNAVAILABLE, retried)."""

    def __init__(self, code: int, message: str):
        super().__init__(f"{StatusCode(code).name}: {message}")
        self.code = StatusCode(code)
        self.message = message


class InvalidArgumentError(SluiceError, ValueError):
    """Bad input, naming the field or the call."""


class NotFoundError(SluiceError, LookupError):
    """An unknown action id, a missing file."""


class FailedPreconditionError(SluiceError):
    """A command not valid in the rollout's current state."""


_ERROR_CLASSES = {
    StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    StatusCode.NOT_FOUND: NotFoundError,
    StatusCode.FAILED_PRECONDITION: FailedPreconditionError,
}


def _error(text: str) -> SluiceError:
    code = StatusCode(lib.sluice_error_code(text.encode()))
    prefix = code.name + ": "
    message = text[len(prefix):] if text.startswith(prefix) else text
    cls = _ERROR_CLASSES.get(code, SluiceError)
    return cls(code, message)


class _Err:
    """A char* errptr; raise_if_set() turns it into an exception."""

    def __init__(self) -> None:
        self.ptr = ctypes.c_void_p()

    @property
    def ref(self):
        return ctypes.byref(self.ptr)

    def raise_if_set(self) -> None:
        if self.ptr.value:
            text = take_string(self.ptr.value).decode("utf-8", "replace")
            self.ptr = ctypes.c_void_p()
            raise _error(text)


def _call(fn, *args):
    """Calls a fallible function (errptr last) and raises on error."""
    err = _Err()
    result = fn(*args, err.ref)
    err.raise_if_set()
    return result


# ---- Times -------------------------------------------------------------------

_INF_FUTURE = 2**63 - 1
_INF_PAST = -(2**63)
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)

TimeLike = Union[_dt.datetime, int]
DurationLike = Union[_dt.timedelta, int, float]


def _ns(t: TimeLike) -> int:
    """A datetime (naive means UTC) or int nanoseconds -> nanoseconds."""
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=_dt.timezone.utc)
        delta = t - _EPOCH
        return (delta.days * 86400 + delta.seconds) * 10**9 + \
            delta.microseconds * 1000
    return int(t)


def _dur(d: DurationLike) -> int:
    """A timedelta, or seconds (int or float) -> nanoseconds."""
    if isinstance(d, _dt.timedelta):
        return (d.days * 86400 + d.seconds) * 10**9 + d.microseconds * 1000
    return int(round(d * 10**9))


def _time(ns: int) -> Optional[_dt.datetime]:
    """Nanoseconds -> an aware UTC datetime; None for the infinite past;
    datetime.max (UTC) for the infinite future."""
    if ns == _INF_PAST:
        return None
    if ns == _INF_FUTURE:
        return _dt.datetime.max.replace(tzinfo=_dt.timezone.utc)
    return _EPOCH + _dt.timedelta(microseconds=ns // 1000)


def _s(b: Optional[bytes]) -> str:
    return "" if b is None else b.decode("utf-8", "replace")


def _b(s: Optional[str]) -> Optional[bytes]:
    return None if s is None else s.encode("utf-8")


def version() -> str:
    """The library's version, e.g. "0.1.0"."""
    return _s(lib.sluice_version())


# ---- Handles -----------------------------------------------------------------


class _Handle:
    """Owns one C handle; close() (or the with-block, or garbage
    collection) destroys it."""
    _destroy: Callable[[int], None]

    def __init__(self, ptr: int):
        self._ptr = ptr

    @property
    def _p(self) -> int:
        if not self._ptr:
            raise ValueError(f"{type(self).__name__} is closed")
        return self._ptr

    def close(self) -> None:
        ptr, self._ptr = getattr(self, "_ptr", None), None
        if ptr:
            type(self)._destroy(ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass


class Fleet(_Handle):
    """The targets a rollout deploys to. Immutable; thread-safe."""
    _destroy = staticmethod(lib.sluice_fleet_destroy)

    @classmethod
    def load(cls, path: str) -> "Fleet":
        """A fleet file: .csv, .json or .textproto."""
        return cls(_call(lib.sluice_fleet_load_file, _b(str(path))))

    @classmethod
    def parse(cls, text: Union[str, bytes], format: Format = Format.CSV
              ) -> "Fleet":
        data = text.encode() if isinstance(text, str) else text
        return cls(_call(lib.sluice_fleet_parse, data, len(data), int(format)))

    def __len__(self) -> int:
        return lib.sluice_fleet_size(self._p)

    @property
    def ids(self) -> List[str]:
        return [_s(lib.sluice_fleet_target_id(self._p, i))
                for i in range(len(self))]

    def region(self, i: int) -> str:
        return _s(lib.sluice_fleet_target_region(self._p, i))

    def zone(self, i: int) -> str:
        return _s(lib.sluice_fleet_target_zone(self._p, i))

    def kind(self, i: int) -> str:
        """Target i's resource kind ("autoscaling_group", ...; "" for a
        server)."""
        return _s(lib.sluice_fleet_target_kind(self._p, i))

    def spanned_zones(self, i: int) -> List[str]:
        """The zones of its region target i spans, as written (Target::zones;
        empty for a target only in its own zone)."""
        return [_s(lib.sluice_fleet_target_spanned_zone(self._p, i, j))
                for j in range(
                    lib.sluice_fleet_target_spanned_zone_count(self._p, i))]

    def spanned_regions(self, i: int) -> List[str]:
        """The regions target i spans, as written (Target::regions; empty
        for a target only in its own region)."""
        return [_s(lib.sluice_fleet_target_spanned_region(self._p, i, j))
                for j in range(
                    lib.sluice_fleet_target_spanned_region_count(self._p, i))]

    def index_of(self, target_id: str) -> Optional[int]:
        i = lib.sluice_fleet_index_of(self._p, _b(target_id))
        return None if i < 0 else i

    def to_csv(self) -> str:
        n = ctypes.c_size_t()
        return take_string(lib.sluice_fleet_to_csv(self._p, ctypes.byref(n)),
                           n.value).decode()


class Spec(_Handle):
    """A validated rollout spec (sluice.v1.RolloutSpec). Immutable;
    thread-safe."""
    _destroy = staticmethod(lib.sluice_spec_destroy)

    @classmethod
    def load(cls, path: str) -> "Spec":
        return cls(_call(lib.sluice_spec_load_file, _b(str(path))))

    @classmethod
    def parse(cls, text: Union[str, bytes],
              format: Format = Format.TEXTPROTO) -> "Spec":
        data = text.encode() if isinstance(text, str) else text
        return cls(_call(lib.sluice_spec_parse, data, len(data), int(format)))

    @property
    def name(self) -> str:
        return _s(lib.sluice_spec_name(self._p))

    @property
    def service(self) -> str:
        return _s(lib.sluice_spec_service(self._p))

    @property
    def version(self) -> str:
        return _s(lib.sluice_spec_version(self._p))

    @property
    def previous_version(self) -> str:
        return _s(lib.sluice_spec_previous_version(self._p))

    def summary(self) -> str:
        return take_string(lib.sluice_spec_summary(self._p)).decode()

    def to_dict(self) -> Dict[str, Any]:
        n = ctypes.c_size_t()
        return json.loads(take_string(
            lib.sluice_spec_to_json(self._p, ctypes.byref(n)), n.value))

    def validate_against(self, fleet: Fleet) -> None:
        _call(lib.sluice_spec_validate_against, self._p, fleet._p)


@dataclass(frozen=True)
class Wave:
    """One wave of a plan."""
    name: str
    stage: str
    targets: Tuple[int, ...]
    bake: _dt.timedelta


class Plan(_Handle):
    """A wave plan made for one fleet. Immutable; thread-safe."""
    _destroy = staticmethod(lib.sluice_plan_destroy)

    @classmethod
    def from_spec(cls, spec: Spec, fleet: Fleet) -> "Plan":
        return cls(_call(lib.sluice_plan_from_spec, spec._p, fleet._p))

    @classmethod
    def parse(cls, text: Union[str, bytes], fleet: Fleet,
              format: Format = Format.TEXTPROTO) -> "Plan":
        data = text.encode() if isinstance(text, str) else text
        return cls(_call(lib.sluice_plan_parse, data, len(data), int(format),
                         fleet._p))

    @property
    def strategy(self) -> str:
        return _s(lib.sluice_plan_strategy(self._p))

    @property
    def waves(self) -> List[Wave]:
        p = self._p
        return [Wave(
            name=_s(lib.sluice_plan_wave_name(p, i)),
            stage=_s(lib.sluice_plan_wave_stage(p, i)),
            targets=tuple(lib.sluice_plan_wave_target(p, i, j) for j in
                          range(lib.sluice_plan_wave_target_count(p, i))),
            bake=_dt.timedelta(
                microseconds=lib.sluice_plan_wave_bake(p, i) // 1000),
        ) for i in range(lib.sluice_plan_wave_count(p))]

    def __len__(self) -> int:
        return lib.sluice_plan_wave_count(self._p)

    def to_dict(self) -> Dict[str, Any]:
        n = ctypes.c_size_t()
        return json.loads(take_string(
            lib.sluice_plan_to_json(self._p, ctypes.byref(n)), n.value))


# ---- Values ------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """What the host must do (sluice/action.h)."""
    id: str
    kind: ActionKind
    wave: int
    version: str
    targets: Tuple[int, ...]
    traffic_percent: Optional[float]
    wait_until: Optional[_dt.datetime]
    message: str
    escalate: bool

    @property
    def needs_outcome(self) -> bool:
        """True for deploy, set-traffic and roll-back actions."""
        return self.kind in (ActionKind.DEPLOY, ActionKind.SET_TRAFFIC,
                             ActionKind.ROLL_BACK)


def _take_actions(ptr: int) -> List[Action]:
    try:
        out = []
        for i in range(lib.sluice_actions_count(ptr)):
            traffic = lib.sluice_actions_traffic_percent(ptr, i)
            out.append(Action(
                id=_s(lib.sluice_actions_id(ptr, i)),
                kind=ActionKind(lib.sluice_actions_kind(ptr, i)),
                wave=lib.sluice_actions_wave(ptr, i),
                version=_s(lib.sluice_actions_version(ptr, i)),
                targets=tuple(lib.sluice_actions_target(ptr, i, j) for j in
                              range(lib.sluice_actions_target_count(ptr, i))),
                traffic_percent=None if traffic < 0 else traffic,
                wait_until=_time(lib.sluice_actions_wait_until(ptr, i)),
                message=_s(lib.sluice_actions_message(ptr, i)),
                escalate=bool(lib.sluice_actions_escalate(ptr, i)),
            ))
        return out
    finally:
        lib.sluice_actions_destroy(ptr)


@dataclass(frozen=True)
class Blocker:
    """What holds the current wave (sluice/blocker.h)."""
    kind: BlockerKind
    name: str
    reason: str
    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]
    description: str


@dataclass(frozen=True)
class Event:
    """A rollout event; `data` is the whole sluice.v1.Event as a dict."""
    sequence: int
    kind: str
    wave: int
    status: str
    message: str
    data: Dict[str, Any]


@dataclass(frozen=True)
class GateContext:
    """What a custom gate sees (sluice/health_gate.h)."""
    now: _dt.datetime
    wave_index: int
    wave_name: str
    stage: str
    wave_deployed_at: Optional[_dt.datetime]
    started_at: Optional[_dt.datetime]
    wave_targets: Tuple[str, ...]
    baseline_targets: Tuple[str, ...]
    # Targets earlier waves moved to the new version that still run it.
    settled_targets: Tuple[str, ...]
    memory: str


@dataclass(frozen=True)
class Verdict:
    """A custom gate's decision. `memory` (when not None) replaces the
    gate's per-wave memory, kept in the rollout's snapshot."""
    outcome: Outcome
    reason: str = ""
    hold_until: Optional[TimeLike] = None
    memory: Optional[str] = None

    @classmethod
    def passed(cls, reason: str = "", memory: Optional[str] = None):
        return cls(Outcome.PASS, reason, None, memory)

    @classmethod
    def failed(cls, reason: str = "", memory: Optional[str] = None):
        return cls(Outcome.FAIL, reason, None, memory)

    @classmethod
    def hold(cls, until: TimeLike, reason: str = "",
             memory: Optional[str] = None):
        return cls(Outcome.HOLD, reason, until, memory)


@dataclass(frozen=True)
class Failure:
    """A failed wave, as a rollback policy sees it."""
    trigger: FailureTrigger
    wave_index: int
    wave_count: int
    stage: str
    attempt: int
    now: _dt.datetime
    reason: str
    failed_targets: int
    anything_deployed: bool
    verdict_outcome: Optional[Outcome]


@dataclass(frozen=True)
class Decision:
    """What a rollback policy decides."""
    kind: DecisionKind
    order: RollbackOrder = RollbackOrder.REVERSE_WAVES
    retry_after: DurationLike = 0
    escalate: bool = True
    reason: str = ""

    @classmethod
    def roll_back_all(cls, order=RollbackOrder.REVERSE_WAVES, reason=""):
        return cls(DecisionKind.ROLL_BACK_ALL, order, 0, True, reason)

    @classmethod
    def roll_back_current_wave_and_pause(cls, reason=""):
        return cls(DecisionKind.ROLL_BACK_CURRENT_WAVE_AND_PAUSE, reason=reason)

    @classmethod
    def pause_and_escalate(cls, reason=""):
        return cls(DecisionKind.PAUSE_AND_ESCALATE, reason=reason)

    @classmethod
    def retry_wave(cls, after: DurationLike, reason="", escalate=False):
        return cls(DecisionKind.RETRY_WAVE, RollbackOrder.REVERSE_WAVES, after,
                   escalate, reason)


@dataclass(frozen=True)
class MetricQuery:
    """A metric query (sluice/metric_source.h)."""
    metric: str
    query: str
    cohort: Cohort
    targets: Tuple[str, ...]
    wave_index: int
    stage: str
    start: _dt.datetime
    end: _dt.datetime
    aggregation: Aggregation
    quantile: float
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Samples:
    """A metric answer: raw samples as (time, value) pairs."""
    points: Sequence[Tuple[TimeLike, float]]


@dataclass(frozen=True)
class Aggregate:
    """A metric answer: one value of the query's aggregation."""
    value: float
    sample_count: Optional[int] = None


@dataclass(frozen=True)
class NoData:
    """A metric answer: nothing recorded."""
    message: str = ""


MetricResult = Union[Samples, Aggregate, NoData]


@dataclass(frozen=True)
class AlarmQuery:
    alarms: Tuple[str, ...]
    targets: Tuple[str, ...]
    wave_index: int
    stage: str
    now: _dt.datetime


# ---- Host interfaces ---------------------------------------------------------


class Gate(abc.ABC):
    """A custom health gate. Subclass and implement evaluate(); the engine
    calls it from advance() on the calling thread. An exception becomes an
    ERROR verdict with its text."""

    name: str = "python-gate"

    @abc.abstractmethod
    def evaluate(self, context: GateContext) -> Verdict:
        ...


class RollbackPolicy(abc.ABC):
    """A custom rollback policy. An exception pauses the rollout and
    escalates, with the exception's text."""

    name: str = "python-policy"

    @abc.abstractmethod
    def decide(self, failure: Failure) -> Decision:
        ...


class MetricSource(abc.ABC):
    """The host's metrics. query() returns Samples, Aggregate or NoData, or
    raises (SluiceError with a code: UNAVAILABLE is retried; any other
    exception is UNKNOWN)."""

    @abc.abstractmethod
    def query(self, query: MetricQuery) -> MetricResult:
        ...


class AlarmSource(abc.ABC):
    """The host's alarms: a state (and optional reason) per alarm asked."""

    @abc.abstractmethod
    def query(self, query: AlarmQuery
              ) -> Mapping[str, Union[AlarmState, Tuple[AlarmState, str]]]:
        ...


# Python objects behind C handles, by key; the C destructor removes them.
_registry: Dict[int, Any] = {}
_registry_lock = threading.Lock()
_next_key = [1]


def _register(obj: Any) -> int:
    with _registry_lock:
        key = _next_key[0]
        _next_key[0] += 1
        _registry[key] = obj
        return key


def _unregister(key: Optional[int]) -> None:
    with _registry_lock:
        _registry.pop(key or 0, None)


def _strings(count: Callable[[], int], at: Callable[[int], bytes]):
    return tuple(_s(at(i)) for i in range(count()))


def _callback_error(e: BaseException) -> Tuple[int, str]:
    if isinstance(e, SluiceError):
        return int(e.code), e.message
    return int(StatusCode.UNKNOWN), f"{type(e).__name__}: {e}"


@_ffi.DESTRUCTOR
def _destructor(key):
    _unregister(key)


@_ffi.ON_EVENT
def _on_event(key, event):
    sink = _registry.get(key)
    if sink is None:
        return
    data = json.loads(_s(lib.sluice_event_json(event)))
    sink(Event(sequence=int(data.get("sequence", 0)),
               kind=str(data.get("kind", "")), wave=int(data.get("wave", -1)),
               status=str(data.get("status", "")),
               message=str(data.get("message", "")), data=data))


@_ffi.EVALUATE
def _evaluate(key, ctx, verdict):
    gate = _registry.get(key)
    try:
        context = GateContext(
            now=_time(lib.sluice_gate_context_now(ctx)),
            wave_index=lib.sluice_gate_context_wave_index(ctx),
            wave_name=_s(lib.sluice_gate_context_wave_name(ctx)),
            stage=_s(lib.sluice_gate_context_stage(ctx)),
            wave_deployed_at=_time(
                lib.sluice_gate_context_wave_deployed_at(ctx)),
            started_at=_time(lib.sluice_gate_context_started_at(ctx)),
            wave_targets=_strings(
                lambda: lib.sluice_gate_context_wave_target_count(ctx),
                lambda i: lib.sluice_gate_context_wave_target(ctx, i)),
            baseline_targets=_strings(
                lambda: lib.sluice_gate_context_baseline_target_count(ctx),
                lambda i: lib.sluice_gate_context_baseline_target(ctx, i)),
            settled_targets=_strings(
                lambda: lib.sluice_gate_context_settled_target_count(ctx),
                lambda i: lib.sluice_gate_context_settled_target(ctx, i)),
            memory=_s(lib.sluice_gate_context_memory(ctx)))
        v = gate.evaluate(context)
        hold = _INF_PAST if v.hold_until is None else _ns(v.hold_until)
        lib.sluice_verdict_set(verdict, int(v.outcome), _b(v.reason), hold)
        if v.memory is not None:
            lib.sluice_verdict_set_memory(verdict, _b(v.memory))
    except BaseException as e:  # noqa: BLE001 - reported as the verdict
        lib.sluice_verdict_set(verdict, int(Outcome.ERROR),
                               _b(f"{type(e).__name__}: {e}"), _INF_PAST)


@_ffi.DECIDE
def _decide(key, fail, decision):
    policy = _registry.get(key)
    try:
        outcome = lib.sluice_failure_verdict_outcome(fail)
        failure = Failure(
            trigger=FailureTrigger(lib.sluice_failure_trigger(fail)),
            wave_index=lib.sluice_failure_wave_index(fail),
            wave_count=lib.sluice_failure_wave_count(fail),
            stage=_s(lib.sluice_failure_stage(fail)),
            attempt=lib.sluice_failure_attempt(fail),
            now=_time(lib.sluice_failure_now(fail)),
            reason=_s(lib.sluice_failure_reason(fail)),
            failed_targets=lib.sluice_failure_failed_targets(fail),
            anything_deployed=bool(lib.sluice_failure_anything_deployed(fail)),
            verdict_outcome=None if outcome < 0 else Outcome(outcome))
        d = policy.decide(failure)
        lib.sluice_decision_set(decision, int(d.kind), int(d.order),
                                _dur(d.retry_after), int(bool(d.escalate)),
                                _b(d.reason))
    except BaseException as e:  # noqa: BLE001 - a person looks
        lib.sluice_decision_set(decision, int(DecisionKind.PAUSE_AND_ESCALATE),
                                0, 0, 1, _b(f"{type(e).__name__}: {e}"))


@_ffi.QUERY
def _query_metric(key, q, result):
    source = _registry.get(key)
    try:
        query = MetricQuery(
            metric=_s(lib.sluice_metric_query_metric(q)),
            query=_s(lib.sluice_metric_query_text(q)),
            cohort=Cohort(lib.sluice_metric_query_cohort(q)),
            targets=_strings(lambda: lib.sluice_metric_query_target_count(q),
                             lambda i: lib.sluice_metric_query_target(q, i)),
            wave_index=lib.sluice_metric_query_wave_index(q),
            stage=_s(lib.sluice_metric_query_stage(q)),
            start=_time(lib.sluice_metric_query_start(q)),
            end=_time(lib.sluice_metric_query_end(q)),
            aggregation=Aggregation(lib.sluice_metric_query_aggregation(q)),
            quantile=lib.sluice_metric_query_quantile(q),
            params={_s(lib.sluice_metric_query_param_key(q, i)):
                    _s(lib.sluice_metric_query_param_value(q, i))
                    for i in range(lib.sluice_metric_query_param_count(q))})
        answer = source.query(query)
        if isinstance(answer, Samples):
            n = len(answer.points)
            times = (ctypes.c_int64 * n)(*[_ns(t) for t, _ in answer.points])
            values = (ctypes.c_double * n)(*[float(v) for _, v in
                                             answer.points])
            lib.sluice_metric_result_set_samples(result, times, values, n)
        elif isinstance(answer, Aggregate):
            lib.sluice_metric_result_set_aggregate(
                result, float(answer.value),
                -1 if answer.sample_count is None else answer.sample_count)
        elif isinstance(answer, NoData) or answer is None:
            lib.sluice_metric_result_set_no_data(
                result, _b(answer.message if answer else ""))
        else:
            raise TypeError(f"query() returned {type(answer).__name__}, not "
                            "Samples, Aggregate or NoData")
    except BaseException as e:  # noqa: BLE001 - reported to the gate
        code, message = _callback_error(e)
        lib.sluice_metric_result_set_error(result, code, _b(message))


@_ffi.QUERY
def _query_alarms(key, q, result):
    source = _registry.get(key)
    try:
        query = AlarmQuery(
            alarms=_strings(lambda: lib.sluice_alarm_query_alarm_count(q),
                            lambda i: lib.sluice_alarm_query_alarm(q, i)),
            targets=_strings(lambda: lib.sluice_alarm_query_target_count(q),
                             lambda i: lib.sluice_alarm_query_target(q, i)),
            wave_index=lib.sluice_alarm_query_wave_index(q),
            stage=_s(lib.sluice_alarm_query_stage(q)),
            now=_time(lib.sluice_alarm_query_now(q)))
        for name, state in source.query(query).items():
            reason = ""
            if isinstance(state, tuple):
                state, reason = state
            lib.sluice_alarm_result_add(result, _b(name), int(state),
                                        _b(reason))
    except BaseException as e:  # noqa: BLE001 - reported to the gate
        code, message = _callback_error(e)
        lib.sluice_alarm_result_set_error(result, code, _b(message))


class _Adapter(_Handle):
    """A C host-interface handle around a Python object."""


class _GateHandle(_Adapter):
    _destroy = staticmethod(lib.sluice_gate_destroy)


class _PolicyHandle(_Adapter):
    _destroy = staticmethod(lib.sluice_rollback_policy_destroy)


class _MetricHandle(_Adapter):
    _destroy = staticmethod(lib.sluice_metric_source_destroy)


class _AlarmHandle(_Adapter):
    _destroy = staticmethod(lib.sluice_alarm_source_destroy)


class _SinkHandle(_Adapter):
    _destroy = staticmethod(lib.sluice_event_sink_destroy)


class _OptionsHandle(_Handle):
    _destroy = staticmethod(lib.sluice_options_destroy)


def builtin_policy(name: str) -> "_PolicyHandle":
    """A built-in rollback policy by name ("default", "roll-back-all",
    "roll-back-all-at-once", "roll-back-current-wave",
    "pause-and-escalate"), to pass as Options.rollback_policy."""
    return _PolicyHandle(_call(lib.sluice_rollback_policy_builtin, _b(name)))


@dataclass
class Options:
    """How a rollout is made (sluice::RolloutOptions); defaults as the
    C++ API's. Host objects: a MetricSource, an AlarmSource, an event sink
    (any callable taking an Event), Gates (the default `gate` and per-stage
    `stage_gates`) and a RollbackPolicy (or builtin_policy(name))."""
    name: str = ""
    version: str = ""
    previous_version: str = ""
    progress_deadline: DurationLike = _dt.timedelta(minutes=10)
    approval_timeout: DurationLike = _dt.timedelta(hours=24)
    rollback_attempts: int = 3
    rollback_retry_backoff: DurationLike = _dt.timedelta(seconds=30)
    approval_waves: Sequence[int] = ()
    abort_order: RollbackOrder = RollbackOrder.ALL_AT_ONCE
    baseline: Baseline = Baseline.NEXT_WAVE
    metric_source: Optional[MetricSource] = None
    alarm_source: Optional[AlarmSource] = None
    event_sink: Optional[Callable[[Event], None]] = None
    gate: Optional[Gate] = None
    stage_gates: Mapping[str, Gate] = field(default_factory=dict)
    rollback_policy: Optional[Union[RollbackPolicy, _PolicyHandle]] = None
    # How restores compare the snapshot's configuration with this one, and
    # who declared an accepted change (the config-change event's "who").
    restore_config: RestoreConfig = RestoreConfig.CHECK
    config_change_by: str = ""

    def _build(self) -> _OptionsHandle:
        """A C options handle (the host objects registered for it)."""
        h = _OptionsHandle(lib.sluice_options_create())
        p = h._p
        lib.sluice_options_set_name(p, _b(self.name))
        lib.sluice_options_set_version(p, _b(self.version))
        lib.sluice_options_set_previous_version(p, _b(self.previous_version))
        lib.sluice_options_set_progress_deadline(p,
                                                 _dur(self.progress_deadline))
        lib.sluice_options_set_approval_timeout(p, _dur(self.approval_timeout))
        lib.sluice_options_set_rollback_attempts(p, int(self.rollback_attempts))
        lib.sluice_options_set_rollback_retry_backoff(
            p, _dur(self.rollback_retry_backoff))
        for wave in self.approval_waves:
            lib.sluice_options_add_approval_wave(p, int(wave))
        _call(lib.sluice_options_set_abort_order, p, int(self.abort_order))
        _call(lib.sluice_options_set_baseline, p, int(self.baseline))
        _call(lib.sluice_options_set_restore_config, p,
              int(self.restore_config), _b(self.config_change_by))
        if self.metric_source is not None:
            with _MetricHandle(lib.sluice_metric_source_create(
                    _register(self.metric_source), _destructor,
                    _query_metric)) as m:
                lib.sluice_options_set_metric_source(p, m._p)
        if self.alarm_source is not None:
            with _AlarmHandle(lib.sluice_alarm_source_create(
                    _register(self.alarm_source), _destructor,
                    _query_alarms)) as a:
                lib.sluice_options_set_alarm_source(p, a._p)
        if self.event_sink is not None:
            with _SinkHandle(lib.sluice_event_sink_create(
                    _register(self.event_sink), _destructor, _on_event)) as s:
                lib.sluice_options_set_event_sink(p, s._p)
        if self.gate is not None:
            with _gate_handle(self.gate) as g:
                lib.sluice_options_set_gate(p, g._p)
        for stage, gate in self.stage_gates.items():
            with _gate_handle(gate) as g:
                lib.sluice_options_set_stage_gate(p, _b(stage), g._p)
        if isinstance(self.rollback_policy, _PolicyHandle):
            lib.sluice_options_set_rollback_policy(p,
                                                   self.rollback_policy._p)
        elif self.rollback_policy is not None:
            with _PolicyHandle(lib.sluice_rollback_policy_create(
                    _register(self.rollback_policy), _destructor,
                    _b(self.rollback_policy.name), _decide)) as r:
                lib.sluice_options_set_rollback_policy(p, r._p)
        return h


def _gate_handle(gate: Gate) -> _GateHandle:
    return _GateHandle(lib.sluice_gate_create(_register(gate), _destructor,
                                              _b(gate.name), _evaluate))


@dataclass(frozen=True)
class TargetResult:
    """One target's outcome of a deploy or rollback action."""
    target: int
    succeeded: bool = True
    reason: str = ""


class Rollout(_Handle):
    """The rollout engine (sluice/rollout.h). Not thread-safe: one thread at
    a time. Host callbacks run inside advance() and the commands. Use as a
    context manager, or close()."""
    _destroy = staticmethod(lib.sluice_rollout_destroy)

    def __init__(self, ptr: int, fleet: Fleet):
        super().__init__(ptr)
        self._fleet = fleet

    @classmethod
    def create(cls, fleet: Fleet, plan: Plan,
               options: Options) -> "Rollout":
        with options._build() as o:
            return cls(_call(lib.sluice_rollout_create, fleet._p, plan._p,
                             o._p), fleet)

    @classmethod
    def from_spec(cls, spec: Spec, fleet: Fleet,
                  options: Optional[Options] = None,
                  plan: Optional[Plan] = None) -> "Rollout":
        """Everything from the spec (plan, gates, policy, versions); with
        `plan`, the waves are the plan's and the gates the options'."""
        with (options or Options())._build() as o:
            if plan is not None:
                return cls(_call(lib.sluice_rollout_from_spec_and_plan,
                                 spec._p, fleet._p, plan._p, o._p), fleet)
            return cls(_call(lib.sluice_rollout_from_spec, spec._p, fleet._p,
                             o._p), fleet)

    @classmethod
    def restore(cls, fleet: Fleet, snapshot: bytes,
                options: Optional[Options] = None) -> "Rollout":
        """Continues from snapshot() bytes with the options' gates, policy
        and limits; a snapshot made under another configuration is refused
        unless options.restore_config says otherwise."""
        with (options or Options())._build() as o:
            return cls(_call(lib.sluice_rollout_restore, fleet._p, o._p,
                             snapshot, len(snapshot)), fleet)

    @classmethod
    def restore_from_spec(cls, spec: Spec, fleet: Fleet, snapshot: bytes,
                          options: Optional[Options] = None) -> "Rollout":
        """Continues a rollout made by from_spec() from the same spec (gates,
        policy and limits rebuilt from it); `options` supplies the sources,
        the sink and restore_config. A spec whose waves, metrics, gates or
        rollback changed since the snapshot is refused unless
        restore_config is ACCEPT_CHANGE."""
        with (options or Options())._build() as o:
            return cls(_call(lib.sluice_rollout_restore_from_spec, spec._p,
                             fleet._p, o._p, snapshot, len(snapshot)), fleet)

    def advance(self, now: TimeLike) -> List[Action]:
        return _take_actions(_call(lib.sluice_rollout_advance, self._p,
                                   _ns(now)))

    def report_outcome(self, action_id: str, results: Iterable[TargetResult],
                       now: TimeLike) -> None:
        rs = list(results)
        n = len(rs)
        targets = (ctypes.c_int64 * n)(*[r.target for r in rs])
        ok = (ctypes.c_int * n)(*[int(bool(r.succeeded)) for r in rs])
        reasons = (ctypes.c_char_p * n)(*[_b(r.reason) for r in rs])
        _call(lib.sluice_rollout_report_outcome, self._p, _b(action_id),
              targets, ok, reasons, n, _ns(now))

    def report_action_outcome(self, action_id: str, succeeded: bool,
                              now: TimeLike, reason: str = "") -> None:
        _call(lib.sluice_rollout_report_action_outcome, self._p,
              _b(action_id), int(bool(succeeded)), _b(reason), _ns(now))

    def pause(self, who: str, now: TimeLike) -> None:
        _call(lib.sluice_rollout_pause, self._p, _b(who), _ns(now))

    def resume(self, who: str, now: TimeLike) -> None:
        _call(lib.sluice_rollout_resume, self._p, _b(who), _ns(now))

    def abort(self, who: str, now: TimeLike) -> None:
        _call(lib.sluice_rollout_abort, self._p, _b(who), _ns(now))

    def promote(self, who: str, now: TimeLike) -> None:
        _call(lib.sluice_rollout_promote, self._p, _b(who), _ns(now))

    def retry(self, who: str, now: TimeLike) -> None:
        _call(lib.sluice_rollout_retry, self._p, _b(who), _ns(now))

    def approve(self, who: str, now: TimeLike) -> None:
        _call(lib.sluice_rollout_approve, self._p, _b(who), _ns(now))

    def reject(self, who: str, now: TimeLike) -> None:
        _call(lib.sluice_rollout_reject, self._p, _b(who), _ns(now))

    def supersede(self, version: str, who: str, now: TimeLike) -> None:
        _call(lib.sluice_rollout_supersede, self._p, _b(version), _b(who),
              _ns(now))

    def blockers(self, now: TimeLike) -> List[Blocker]:
        ptr = lib.sluice_rollout_blockers(self._p, _ns(now))
        try:
            return [Blocker(
                kind=BlockerKind(lib.sluice_blockers_kind(ptr, i)),
                name=_s(lib.sluice_blockers_name(ptr, i)),
                reason=_s(lib.sluice_blockers_reason(ptr, i)),
                since=_time(lib.sluice_blockers_since(ptr, i)),
                until=_time(lib.sluice_blockers_until(ptr, i)),
                description=_s(lib.sluice_blockers_describe(ptr, i)),
            ) for i in range(lib.sluice_blockers_count(ptr))]
        finally:
            lib.sluice_blockers_destroy(ptr)

    def pending_actions(self) -> List[Action]:
        return _take_actions(lib.sluice_rollout_pending_actions(self._p))

    @property
    def status(self) -> RolloutStatus:
        return RolloutStatus(lib.sluice_rollout_status(self._p))

    @property
    def terminal(self) -> bool:
        return bool(lib.sluice_rollout_is_terminal(self._p))

    @property
    def current_wave(self) -> int:
        return lib.sluice_rollout_current_wave(self._p)

    @property
    def wave_phase(self) -> WavePhase:
        return WavePhase(lib.sluice_rollout_wave_phase(self._p))

    @property
    def version(self) -> str:
        return _s(lib.sluice_rollout_version(self._p))

    @property
    def previous_version(self) -> str:
        return _s(lib.sluice_rollout_previous_version(self._p))

    @property
    def plan(self) -> Plan:
        return Plan(lib.sluice_rollout_plan(self._p))

    @property
    def next_wakeup(self) -> Optional[_dt.datetime]:
        return _time(lib.sluice_rollout_next_wakeup(self._p))

    def runs_new_version(self, target: int) -> bool:
        return bool(lib.sluice_rollout_runs_new_version(self._p, target))

    @property
    def event_sequence(self) -> int:
        return lib.sluice_rollout_event_sequence(self._p)

    @property
    def state_version(self) -> int:
        return lib.sluice_rollout_state_version(self._p)

    def snapshot(self) -> bytes:
        n = ctypes.c_size_t()
        return take_string(lib.sluice_rollout_snapshot(self._p,
                                                       ctypes.byref(n)),
                           n.value)


# ---- The judge and the simulator ---------------------------------------------


def judge(config: Union[str, bytes],
          samples: Mapping[str, Tuple[Sequence[float], Sequence[float]]],
          format: Format = Format.TEXTPROTO) -> Dict[str, Any]:
    """Kayenta's canary judge: `config` a sluice.v1.KayentaJudgeSpec,
    `samples` metric name -> (control, experiment). Returns the
    sluice.v1.JudgeResult as a dict."""
    data = config.encode() if isinstance(config, str) else config
    n = len(samples)
    arr = (_ffi.JudgeSamples * n)()
    keep = []
    for i, (name, (control, experiment)) in enumerate(samples.items()):
        c = (ctypes.c_double * len(control))(*control)
        e = (ctypes.c_double * len(experiment))(*experiment)
        keep += [c, e]
        arr[i] = _ffi.JudgeSamples(_b(name), c, len(control), e,
                                   len(experiment))
    out_len = ctypes.c_size_t()
    ptr = _call(lib.sluice_judge, data, len(data), int(format), arr, n,
                ctypes.byref(out_len))
    return json.loads(take_string(ptr, out_len.value))


class Scenario(_Handle):
    """A simulation scenario (sluice.v1.Scenario). Immutable; thread-safe."""
    _destroy = staticmethod(lib.sluice_scenario_destroy)

    @classmethod
    def load(cls, path: str) -> "Scenario":
        return cls(_call(lib.sluice_scenario_load_file, _b(str(path))))

    @classmethod
    def parse(cls, text: Union[str, bytes],
              format: Format = Format.TEXTPROTO) -> "Scenario":
        data = text.encode() if isinstance(text, str) else text
        return cls(_call(lib.sluice_scenario_parse, data, len(data),
                         int(format)))


def simulate(spec: Spec, fleet: Fleet, scenario: Scenario, runs: int = 100,
             seed: int = 1, threads: int = 0) -> Dict[str, Any]:
    """Monte Carlo runs of `spec` on `fleet` in `scenario`: plain dicts,
    {"summary": {...}, "runs": [{...}, ...]} (sluice.v1.SimulationSummary
    and RunOutcome in their JSON form), ready for a notebook."""
    n = ctypes.c_size_t()
    ptr = _call(lib.sluice_simulate, spec._p, fleet._p, scenario._p,
                int(runs), int(seed), int(threads), ctypes.byref(n))
    return json.loads(take_string(ptr, n.value))
