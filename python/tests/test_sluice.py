# Copyright 2026 The Sluice Authors.
"""The Python bindings: values, errors, rollouts with Python gates,
policies, sources and sinks, snapshots, the judge and the simulator."""

import datetime as dt
import gc
import json

import pytest

import sluice
from conftest import T0, drive, path


def test_version_and_enums():
    assert sluice.version() == sluice.__version__
    assert sluice.RolloutStatus.SUCCEEDED.terminal
    assert not sluice.RolloutStatus.PAUSED.terminal


def test_fleet_values_and_errors(fleet):
    assert len(fleet) == 3
    assert fleet.ids == ["a", "b", "c"]
    assert fleet.region(2) == "r2" and fleet.zone(0) == "z1"
    assert fleet.index_of("b") == 1 and fleet.index_of("zz") is None
    assert sluice.Fleet.parse(fleet.to_csv()).ids == fleet.ids
    with pytest.raises(sluice.InvalidArgumentError) as e:
        sluice.Fleet.parse("id,region,zone,weight\na,r,z,-1\n")
    assert e.value.code == sluice.StatusCode.INVALID_ARGUMENT
    assert "weight" in e.value.message
    assert str(e.value).startswith("INVALID_ARGUMENT: ")
    with pytest.raises(sluice.NotFoundError, match="no/such.csv"):
        sluice.Fleet.load("no/such.csv")
    with pytest.raises(sluice.InvalidArgumentError,
                       match=r"format must be in \[0, 2\] \(got 9\)"):
        sluice.Fleet.parse("x", 9)


def test_closed_handles_raise(fleet):
    f = sluice.Fleet.parse("id,region,zone\nx,r,z\n")
    f.close()
    f.close()  # twice is fine
    with pytest.raises(ValueError, match="closed"):
        len(f)


def test_spec_and_plan(big_fleet):
    spec = sluice.Spec.load(path("examples/specs/codedeploy_linear.textproto"))
    assert spec.version == "2.4.1" and spec.previous_version == "2.4.0"
    assert spec.service == "checkout-api"
    assert "2.4.1" in spec.summary()
    assert spec.to_dict()["waves"]["linear"]["stepPercent"] == 10
    again = sluice.Spec.parse(json.dumps(spec.to_dict()), sluice.Format.JSON)
    assert again.name == spec.name
    spec.validate_against(big_fleet)
    plan = sluice.Plan.from_spec(spec, big_fleet)
    assert len(plan) == 10 and plan.waves[0].targets == ()
    with pytest.raises(sluice.InvalidArgumentError,
                       match="waves.linear.step_percent"):
        sluice.Spec.parse('name: "x" version: "2" waves { linear { '
                          'step_percent: 0 interval { seconds: 60 } } }')


def test_plan_parse(fleet, plan):
    assert plan.strategy == "hand"
    assert [w.name for w in plan.waves] == ["one", "rest"]
    assert plan.waves[1].targets == (1, 2)
    assert plan.waves[1].bake == dt.timedelta(seconds=60)
    assert plan.to_dict()["waves"][1]["targets"] == ["b", "c"]
    with pytest.raises(sluice.InvalidArgumentError,
                       match=r"waves\[0\].targets\[0\]"):
        sluice.Plan.parse('waves { targets: "zz" }', fleet)


class HoldThenPass(sluice.Gate):
    """Holds a minute on each wave (remembered in the gate memory), then
    passes; fails wave `fail_wave`."""

    name = "py-gate"

    def __init__(self, fail_wave=-1):
        self.fail_wave = fail_wave
        self.contexts = []

    def evaluate(self, context):
        self.contexts.append(context)
        if context.wave_index == self.fail_wave:
            return sluice.Verdict.failed("errors too high")
        if context.memory != "held":
            return sluice.Verdict.hold(context.now + dt.timedelta(minutes=1),
                                       "first look", memory="held")
        return sluice.Verdict.passed("fine")


def test_rollout_with_python_gate_and_sink(fleet, plan):
    events = []
    gate = HoldThenPass()
    options = sluice.Options(name="py", version="v2", previous_version="v1",
                             gate=gate, event_sink=events.append)
    with sluice.Rollout.create(fleet, plan, options) as rollout:
        assert rollout.status == sluice.RolloutStatus.PENDING
        assert rollout.version == "v2" and rollout.previous_version == "v1"
        assert len(rollout.plan) == 2
        actions = rollout.advance(T0)
        deploy = [a for a in actions if a.kind == sluice.ActionKind.DEPLOY][0]
        assert deploy.targets == (0,) and deploy.needs_outcome
        assert [a.id for a in rollout.pending_actions()] == [deploy.id]
        blockers = rollout.blockers(T0)
        assert blockers[0].kind == sluice.BlockerKind.ACTIONS_IN_FLIGHT
        assert blockers[0].description
        with pytest.raises(sluice.NotFoundError, match="nope"):
            rollout.report_outcome("nope", [sluice.TargetResult(0)], T0)
        with pytest.raises(sluice.InvalidArgumentError, match="Advance"):
            rollout.advance(T0 - dt.timedelta(minutes=1))
        rollout.report_outcome(deploy.id, [sluice.TargetResult(0)], T0)
        assert rollout.runs_new_version(0) and not rollout.runs_new_version(1)
        drive(rollout, T0 + dt.timedelta(minutes=1))
        assert rollout.status == sluice.RolloutStatus.SUCCEEDED
        assert rollout.runs_new_version(2)
        assert rollout.next_wakeup.year == dt.MAXYEAR
        with pytest.raises(sluice.FailedPreconditionError, match="Pause"):
            rollout.pause("op", T0 + dt.timedelta(hours=1))
        assert rollout.event_sequence == len(events)
        assert rollout.state_version > 0
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert events[-1].status == "succeeded"
    assert events[-1].data["kind"]
    ctx = gate.contexts[0]
    assert ctx.wave_index == 0 and ctx.wave_targets == ("a",)
    assert ctx.baseline_targets == ("b", "c") and ctx.now >= T0
    assert ctx.settled_targets == ()
    assert [c.settled_targets for c in gate.contexts
            if c.wave_index == 1][0] == ("a",)
    assert any(c.memory == "held" for c in gate.contexts)


def test_gate_exception_becomes_error_verdict(fleet, plan):
    class Broken(sluice.Gate):
        def evaluate(self, context):
            raise RuntimeError("gate exploded")

    class Record(sluice.RollbackPolicy):
        failures = []

        def decide(self, failure):
            self.failures.append(failure)
            return sluice.Decision.roll_back_all()

    policy = Record()
    options = sluice.Options(version="v2", previous_version="v1",
                             gate=Broken(), rollback_policy=policy)
    with sluice.Rollout.create(fleet, plan, options) as rollout:
        drive(rollout, T0)
        assert rollout.status == sluice.RolloutStatus.ROLLED_BACK
    assert policy.failures[0].trigger == sluice.FailureTrigger.GATE_ERROR
    assert policy.failures[0].verdict_outcome == sluice.Outcome.ERROR
    assert "gate exploded" in policy.failures[0].reason


def test_policy_exception_pauses(fleet, plan):
    class Broken(sluice.RollbackPolicy):
        def decide(self, failure):
            raise KeyError("policy exploded")

    options = sluice.Options(version="v2", previous_version="v1",
                             gate=HoldThenPass(fail_wave=0),
                             rollback_policy=Broken())
    with sluice.Rollout.create(fleet, plan, options) as rollout:
        now = drive(rollout, T0, steps=10)
        assert rollout.status == sluice.RolloutStatus.PAUSED
        assert rollout.blockers(now)[0].kind == sluice.BlockerKind.PAUSED


def test_spec_with_host_plan_and_gate(fleet, plan):
    spec = sluice.Spec.load(
        path("examples/specs/codedeploy_canary_gated.textproto"))
    gate = HoldThenPass()
    with sluice.Rollout.from_spec(spec, fleet, sluice.Options(gate=gate),
                                  plan=plan) as rollout:
        assert rollout.version == "2.4.1"
        drive(rollout, T0)
        assert rollout.status == sluice.RolloutStatus.SUCCEEDED
    assert gate.contexts


def test_builtin_policy(fleet, plan):
    options = sluice.Options(
        version="v2", previous_version="v1", gate=HoldThenPass(fail_wave=1),
        rollback_policy=sluice.builtin_policy("pause-and-escalate"))
    with sluice.Rollout.create(fleet, plan, options) as rollout:
        drive(rollout, T0, steps=20)
        assert rollout.status == sluice.RolloutStatus.PAUSED
    with pytest.raises(sluice.InvalidArgumentError, match="yolo"):
        sluice.builtin_policy("yolo")


def test_options_errors(fleet, plan):
    with pytest.raises(sluice.InvalidArgumentError, match="options.version"):
        sluice.Rollout.create(fleet, plan, sluice.Options())
    with pytest.raises(sluice.InvalidArgumentError,
                       match="rollback_attempts"):
        sluice.Rollout.create(fleet, plan, sluice.Options(
            version="v2", previous_version="v1", rollback_attempts=0))
    with pytest.raises(sluice.InvalidArgumentError,
                       match=r"abort_order: order must be in \[0, 1\]"):
        sluice.Rollout.create(fleet, plan, sluice.Options(
            version="v2", previous_version="v1", abort_order=5))


def test_commands_approvals_snapshot(fleet, plan):
    events = []
    options = sluice.Options(version="v2", previous_version="v1",
                             approval_waves=[1], event_sink=events.append)
    with sluice.Rollout.create(fleet, plan, options) as rollout:
        rollout.pause("alice", T0)
        assert rollout.status == sluice.RolloutStatus.PAUSED
        rollout.resume("alice", T0)
        with pytest.raises(sluice.FailedPreconditionError, match="Approve"):
            rollout.approve("bob", T0)
        with pytest.raises(sluice.FailedPreconditionError, match="Retry"):
            rollout.retry("bob", T0)
        now = drive(rollout, T0)
        assert rollout.wave_phase == sluice.WavePhase.AWAITING_APPROVAL
        assert rollout.blockers(now)[0].kind == sluice.BlockerKind.APPROVAL
        snapshot = rollout.snapshot()
        with sluice.Rollout.restore(fleet, snapshot, options) as restored:
            assert restored.current_wave == 1
            assert restored.state_version == rollout.state_version
            restored.reject("carol", now)
            drive(restored, now)
            assert restored.status == sluice.RolloutStatus.ROLLED_BACK
        with pytest.raises(sluice.InvalidArgumentError, match="snapshot"):
            sluice.Rollout.restore(fleet, b"garbage", options)
        rollout.approve("bob", now)
        rollout.promote("bob", now)
        rollout.supersede("v3", "dave", now)
        assert rollout.version == "v3"
        rollout.abort("erin", now)
        drive(rollout, now)
        assert rollout.status == sluice.RolloutStatus.ABORTED
    commands = [(e.data.get("command"), e.data.get("who")) for e in events
                if e.data.get("command")]
    for c in [("pause", "alice"), ("approve", "bob"), ("promote", "bob"),
              ("supersede", "dave"), ("abort", "erin")]:
        assert c in commands


class Metrics(sluice.MetricSource):
    def __init__(self, answer):
        self.answer = answer
        self.queries = []

    def query(self, query):
        self.queries.append(query)
        if isinstance(self.answer, Exception):
            raise self.answer
        if self.answer == "samples":
            return sluice.Samples([(query.start, 0.001),
                                   (query.start + dt.timedelta(seconds=1),
                                    0.001)])
        return self.answer


@pytest.mark.parametrize("answer", ["samples", sluice.Aggregate(0.001, 100)])
def test_metric_source(big_fleet, answer):
    spec = sluice.Spec.load(
        path("examples/specs/codedeploy_canary_gated.textproto"))
    metrics = Metrics(answer)
    with sluice.Rollout.from_spec(
            spec, big_fleet, sluice.Options(metric_source=metrics)) as r:
        drive(r, T0, steps=200)
        assert r.status == sluice.RolloutStatus.SUCCEEDED
    q = metrics.queries[0]
    assert q.metric == "error_rate" and q.start < q.end
    assert q.cohort in (sluice.Cohort.WAVE, sluice.Cohort.BASELINE)
    assert q.params == {}
    assert isinstance(q.aggregation, sluice.Aggregation)


@pytest.mark.parametrize("answer", [
    sluice.NoData("nothing"),
    sluice.SluiceError(sluice.StatusCode.PERMISSION_DENIED, "no access"),
    ValueError("bug in the host"),
    "not an answer",
])
def test_metric_source_without_data_does_not_pass(big_fleet, answer):
    spec = sluice.Spec.load(
        path("examples/specs/codedeploy_canary_gated.textproto"))
    metrics = Metrics(answer)
    with sluice.Rollout.from_spec(
            spec, big_fleet, sluice.Options(metric_source=metrics)) as r:
        drive(r, T0, steps=200)
        assert r.status != sluice.RolloutStatus.SUCCEEDED
    assert metrics.queries


ALARM_SPEC = """
name: "alarmed" version: "2.4.1" previous_version: "2.4.0"
waves { canary { percent: 10 interval { seconds: 900 } } }
gates { default { bake { duration { seconds: 600 } interval { seconds: 60 }
  check { alarm { alarms: "api-5xx" alarms: "api-latency" } } } } }
"""


def test_alarm_source(big_fleet):
    class Alarms(sluice.AlarmSource):
        def __init__(self):
            self.queries = []

        def query(self, query):
            self.queries.append(query)
            late = len(self.queries) >= 2
            return {"api-5xx": sluice.AlarmState.OK,
                    "api-latency": (sluice.AlarmState.ALARM if late
                                    else sluice.AlarmState.OK, "p99 high")}

    alarms = Alarms()
    spec = sluice.Spec.parse(ALARM_SPEC)
    with sluice.Rollout.from_spec(
            spec, big_fleet, sluice.Options(alarm_source=alarms)) as r:
        drive(r, T0, steps=200)
        assert r.status == sluice.RolloutStatus.ROLLED_BACK
    assert alarms.queries[0].alarms == ("api-5xx", "api-latency")
    assert alarms.queries[0].wave_index == 0


def test_host_objects_released(fleet, plan):
    from sluice import _api
    before = len(_api._registry)
    options = sluice.Options(version="v2", previous_version="v1",
                             gate=HoldThenPass(), event_sink=lambda e: None)
    rollout = sluice.Rollout.create(fleet, plan, options)
    assert len(_api._registry) == before + 2
    rollout.close()
    gc.collect()
    assert len(_api._registry) == before


JUDGE = """
groups { name: "errors" weight: 100 }
metrics { name: "error_rate" groups: "errors" direction: DIRECTION_INCREASE }
thresholds { pass: 75 marginal: 50 }
"""


def test_judge():
    control = [1.0 + 0.01 * i for i in range(20)]
    same = [1.0 + 0.01 * ((i * 7) % 20) for i in range(20)]
    worse = [5.0 + 0.01 * i for i in range(20)]
    assert sluice.judge(JUDGE, {"error_rate": (control, same)})["score"] == 100
    assert sluice.judge(JUDGE, {"error_rate": (control, worse)}).get(
        "score", 0) < 100
    with pytest.raises(sluice.InvalidArgumentError, match=r"samples\[0\]"):
        sluice.judge(JUDGE, {"cpu": (control, same)})


def test_simulation_returns_plain_dicts(big_fleet):
    spec = sluice.Spec.load(
        path("examples/specs/codedeploy_canary_gated.textproto"))
    scenario = sluice.Scenario.load(
        path("examples/scenarios/good_release.textproto"))
    result = sluice.simulate(spec, big_fleet, scenario, runs=4, seed=3,
                             threads=2)
    assert isinstance(result, dict) and isinstance(result["summary"], dict)
    assert len(result["runs"]) == 4
    assert all(isinstance(r, dict) for r in result["runs"])
    again = sluice.simulate(spec, big_fleet, scenario, runs=4, seed=3,
                            threads=1)
    assert again == result
    with pytest.raises(sluice.InvalidArgumentError, match="runs"):
        sluice.simulate(spec, big_fleet, scenario, runs=0)
    with pytest.raises(sluice.InvalidArgumentError, match="hours"):
        sluice.Scenario.parse("hours: -1")


def test_fleet_infrastructure_targets():
    with sluice.Fleet.load(
            path("examples/fleets/zonal_infrastructure.csv")) as f:
        lb = f.index_of("use1-lb")
        asg = f.index_of("use1-az1-asg")
        assert f.kind(lb) == "load_balancer"
        assert f.spanned_zones(lb) == ["use1-az1", "use1-az2", "use1-az3"]
        assert f.spanned_regions(lb) == []
        assert f.kind(asg) == "autoscaling_group"
        assert f.spanned_zones(asg) == []
    text = ('targets { id: "role" region: "r1" zone: "z1" '
            'kind: "instance_role" regions: "r1" regions: "r2" }\n'
            'targets { id: "host" region: "r2" zone: "z2" }\n')
    with sluice.Fleet.parse(text, sluice.Format.TEXTPROTO) as f:
        assert f.kind(0) == "instance_role"
        assert f.spanned_regions(0) == ["r1", "r2"]
        assert f.kind(1) == "" and f.spanned_zones(1) == []
        # Out of range: nothing.
        assert f.kind(2) == "" and f.spanned_regions(2) == []


def test_restore_config_and_restore_from_spec(big_fleet):
    spec = sluice.Spec.load(
        path("examples/specs/regional_waves_gated.textproto"))
    with sluice.Rollout.from_spec(spec, big_fleet) as rollout:
        rollout.advance(T0)
        snapshot = rollout.snapshot()
        version = rollout.state_version
    # The same spec continues it.
    with sluice.Rollout.restore_from_spec(spec, big_fleet,
                                          snapshot) as same:
        assert same.state_version == version
    # Options without the spec's gates are refused...
    with pytest.raises(sluice.InvalidArgumentError,
                       match="snapshot: config: made under another "
                             "configuration"):
        sluice.Rollout.restore(big_fleet, snapshot)
    # ...unless unchecked (a tool applying a command)...
    with sluice.Rollout.restore(big_fleet, snapshot, sluice.Options(
            restore_config=sluice.RestoreConfig.UNCHECKED)) as unchecked:
        assert unchecked.state_version == version
    # ...or an intended change, recorded as a config-change event.
    events = []
    with sluice.Rollout.restore(big_fleet, snapshot, sluice.Options(
            restore_config=sluice.RestoreConfig.ACCEPT_CHANGE,
            config_change_by="ops", event_sink=events.append)) as changed:
        assert changed.state_version > version
        changed_snapshot = changed.snapshot()
    assert ("config-change", "ops") in [
        (e.data.get("command"), e.data.get("who")) for e in events]
    # The recorded configuration is now the gateless one: the spec is the
    # change, refused unless accepted.
    with pytest.raises(sluice.InvalidArgumentError,
                       match="made under another configuration"):
        sluice.Rollout.restore_from_spec(spec, big_fleet, changed_snapshot)
    with sluice.Rollout.restore_from_spec(
            spec, big_fleet, changed_snapshot,
            sluice.Options(restore_config=sluice.RestoreConfig.ACCEPT_CHANGE,
                           config_change_by="ops")) as back:
        assert back.state_version > version
    with pytest.raises(sluice.InvalidArgumentError,
                       match=r"mode must be in \[0, 2\] \(got 7\)"):
        sluice.Rollout.restore(big_fleet, snapshot,
                               sluice.Options(restore_config=7))
    with pytest.raises(sluice.InvalidArgumentError, match="snapshot"):
        sluice.Rollout.restore_from_spec(spec, big_fleet, b"garbage")
