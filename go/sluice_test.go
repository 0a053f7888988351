// Copyright 2026 The Sluice Authors.

package sluice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

const fleetCSV = "id,region,zone\na,r1,z1\nb,r1,z2\nc,r2,z3\n"

const planText = `strategy: "hand"
waves { name: "one" stage: "canary" targets: "a" }
waves { name: "rest" stage: "rest" targets: "b" targets: "c" bake { seconds: 60 } }`

// root is the repository root (tests read examples/).
func root(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

func smallFleetAndPlan(t *testing.T) (*Fleet, *Plan) {
	t.Helper()
	fleet, err := ParseFleet([]byte(fleetCSV), CSV)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := ParsePlan([]byte(planText), TextProto, fleet)
	if err != nil {
		t.Fatal(err)
	}
	return fleet, plan
}

// fakeClock advances instantly when slept on.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		d = time.Second
	}
	c.now = c.now.Add(d)
	return nil
}

// transport succeeds, except on targets in fail.
type transport struct {
	fail    map[int]bool
	actions []Action
}

func (tr *transport) Execute(ctx context.Context, a Action) ([]TargetResult, error) {
	tr.actions = append(tr.actions, a)
	var out []TargetResult
	for _, target := range a.Targets {
		ok := a.Kind == RollBack || !tr.fail[target]
		out = append(out, TargetResult{Target: target, Succeeded: ok, Reason: "disk full"})
	}
	return out, nil
}

func TestVersionAndErrors(t *testing.T) {
	if Version() != "0.1.0" {
		t.Errorf("Version() = %q", Version())
	}
	_, err := ParseFleet([]byte("id,region,zone,weight\na,r,z,-1\n"), CSV)
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("err = %v, want InvalidArgument", err)
	}
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Message, "weight") ||
		strings.HasPrefix(e.Message, "INVALID_ARGUMENT") {
		t.Errorf("message = %q", e.Message)
	}
	if _, err := LoadFleet("no/such.csv"); !errors.Is(err, ErrNotFound) {
		t.Errorf("LoadFleet: %v", err)
	}
	if _, err := ParseSpec([]byte("name: 1"), TextProto); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("ParseSpec: %v", err)
	}
	if _, err := ParseFleet([]byte("x"), Format(9)); err == nil ||
		!strings.Contains(err.Error(), "format must be in [0, 2] (got 9)") {
		t.Errorf("bad format: %v", err)
	}
}

func TestFleetSpecPlan(t *testing.T) {
	fleet, err := LoadFleet(filepath.Join(root(t), "examples/fleets/three_regions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fleet.Close()
	if fleet.Len() != 36 || fleet.ID(0) != "use1-az1-web-01" {
		t.Errorf("fleet: %d %q", fleet.Len(), fleet.ID(0))
	}
	spec, err := LoadSpec(filepath.Join(root(t), "examples/specs/codedeploy_canary_gated.textproto"))
	if err != nil {
		t.Fatal(err)
	}
	defer spec.Close()
	if spec.Version() != "2.4.1" || spec.Name() == "" {
		t.Errorf("spec: %q %q", spec.Name(), spec.Version())
	}
	plan, err := PlanFromSpec(spec, fleet)
	if err != nil {
		t.Fatal(err)
	}
	defer plan.Close()
	waves := plan.Waves()
	if len(waves) != 2 || len(waves[0].Targets) != 4 || waves[0].Bake != 15*time.Minute {
		t.Errorf("waves: %+v", waves)
	}
}

func TestRunSucceedsWithEvents(t *testing.T) {
	fleet, plan := smallFleetAndPlan(t)
	var events []Event
	r, err := NewRollout(fleet, plan, Options{
		Name: "go", Version: "v2", PreviousVersion: "v1",
		EventSink: func(e Event) { events = append(events, e) },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tr := &transport{}
	clock := &fakeClock{now: t0}
	status, err := r.Run(context.Background(), tr, RunOptions{Clock: clock, Poll: time.Minute})
	if err != nil || status != Succeeded {
		t.Fatalf("Run = %v, %v", status, err)
	}
	if status.String() != "succeeded" || !status.Terminal() {
		t.Errorf("status %q", status)
	}
	if len(tr.actions) != 2 || tr.actions[0].Kind != Deploy || tr.actions[1].Version != "v2" {
		t.Errorf("actions: %+v", tr.actions)
	}
	for i, e := range events {
		if e.Sequence != int64(i+1) {
			t.Fatalf("event %d has sequence %d", i, e.Sequence)
		}
	}
	last := events[len(events)-1]
	var data map[string]interface{}
	if err := json.Unmarshal([]byte(last.JSON), &data); err != nil || last.Status != "succeeded" {
		t.Errorf("last event %+v: %v", last, err)
	}
	if !r.RunsNewVersion(2) || !r.NextWakeup().Equal(Forever) {
		t.Errorf("after success: %v %v", r.RunsNewVersion(2), r.NextWakeup())
	}
	if err := r.Pause("op", clock.Now()); !errors.Is(err, ErrFailedPrecondition) ||
		!strings.Contains(err.Error(), "Pause") {
		t.Errorf("Pause after the end: %v", err)
	}
}

// holdThenPass holds once per wave (remembering it), then passes; fails
// wave failWave.
type holdThenPass struct {
	failWave int
	contexts []GateContext
}

func (g *holdThenPass) Name() string { return "go-gate" }
func (g *holdThenPass) Evaluate(ctx GateContext) Verdict {
	g.contexts = append(g.contexts, ctx)
	if ctx.WaveIndex == g.failWave {
		return Verdict{Outcome: Fail, Reason: "errors too high"}
	}
	if ctx.Memory != "held" {
		held := "held"
		return Verdict{Outcome: Hold, Reason: "first look", HoldUntil: ctx.Now.Add(time.Minute), Memory: &held}
	}
	return Verdict{Outcome: Pass, Reason: "fine"}
}

func TestCustomGate(t *testing.T) {
	for _, tc := range []struct {
		failWave int
		want     Status
	}{{-1, Succeeded}, {1, RolledBack}} {
		fleet, plan := smallFleetAndPlan(t)
		gate := &holdThenPass{failWave: tc.failWave}
		r, err := NewRollout(fleet, plan, Options{Version: "v2", PreviousVersion: "v1", Gate: gate})
		if err != nil {
			t.Fatal(err)
		}
		status, err := r.Run(context.Background(), &transport{}, RunOptions{Clock: &fakeClock{now: t0}, Poll: time.Minute})
		r.Close()
		if err != nil || status != tc.want {
			t.Errorf("failWave %d: Run = %v, %v; want %v", tc.failWave, status, err, tc.want)
		}
		first := gate.contexts[0]
		if first.WaveIndex != 0 || len(first.WaveTargets) != 1 || first.WaveTargets[0] != "a" ||
			len(first.BaselineTargets) != 2 || first.Now.Before(t0) {
			t.Errorf("context: %+v", first)
		}
		settled := false
		for _, c := range gate.contexts {
			if c.WaveIndex == 1 && len(c.SettledTargets) == 1 && c.SettledTargets[0] == "a" {
				settled = true
			}
		}
		if !settled {
			t.Errorf("no wave 1 context saw wave 0's target settled: %+v", gate.contexts)
		}
		remembered := false
		for _, c := range gate.contexts {
			remembered = remembered || c.Memory == "held"
		}
		if tc.failWave < 0 && !remembered {
			t.Error("the gate's memory was not kept")
		}
	}
}

type retryOnce struct{ failures []Failure }

func (p *retryOnce) Name() string { return "go-policy" }
func (p *retryOnce) Decide(f Failure) Decision {
	p.failures = append(p.failures, f)
	if f.Attempt == 1 {
		return Decision{Kind: RetryWave, RetryAfter: time.Minute, Reason: "again"}
	}
	return Decision{Kind: RollBackAll, Order: AllAtOnce, Escalate: true, Reason: "undo"}
}

func TestPolicyRetriesThenRollsBack(t *testing.T) {
	fleet, plan := smallFleetAndPlan(t)
	policy := &retryOnce{}
	r, err := NewRollout(fleet, plan, Options{Version: "v2", PreviousVersion: "v1", RollbackPolicy: policy})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tr := &transport{fail: map[int]bool{0: true}}
	status, err := r.Run(context.Background(), tr, RunOptions{Clock: &fakeClock{now: t0}})
	if err != nil || status != RolledBack {
		t.Fatalf("Run = %v, %v", status, err)
	}
	if len(policy.failures) != 2 || policy.failures[0].Trigger != 3 ||
		policy.failures[1].Attempt != 2 || policy.failures[0].FailedTargets != 1 ||
		!policy.failures[0].AnythingDeployed {
		t.Errorf("failures: %+v", policy.failures)
	}
	var rollbacks int
	for _, a := range tr.actions {
		if a.Kind == RollBack {
			rollbacks++
		}
	}
	if rollbacks == 0 {
		t.Error("no rollback action")
	}
}

// metrics answers error_rate samples, or an error.
type metrics struct {
	queries []MetricQuery
	err     error
}

func (m *metrics) Query(q MetricQuery) (MetricResult, error) {
	m.queries = append(m.queries, q)
	if m.err != nil {
		return MetricResult{}, m.err
	}
	return MetricResult{Samples: []Sample{{q.Start, 0.001}, {q.Start.Add(time.Second), 0.001}}}, nil
}

func TestMetricSourceInTheHostLoop(t *testing.T) {
	fleet, err := LoadFleet(filepath.Join(root(t), "examples/fleets/three_regions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := LoadSpec(filepath.Join(root(t), "examples/specs/codedeploy_canary_gated.textproto"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		err  error
		want Status
	}{
		{nil, Succeeded},
		{&Error{Code: PermissionDenied, Message: "no access"}, RolledBack},
		{fmt.Errorf("plain error"), RolledBack},
	} {
		m := &metrics{err: tc.err}
		r, err := RolloutFromSpec(spec, fleet, Options{MetricSource: m})
		if err != nil {
			t.Fatal(err)
		}
		status, err := r.Run(context.Background(), &transport{}, RunOptions{Clock: &fakeClock{now: t0}, Poll: time.Minute})
		r.Close()
		if err != nil || status != tc.want {
			t.Errorf("source error %v: Run = %v, %v; want %v", tc.err, status, err, tc.want)
		}
		if len(m.queries) == 0 || m.queries[0].Metric != "error_rate" ||
			!m.queries[0].Start.Before(m.queries[0].End) || len(m.queries[0].Targets) == 0 {
			t.Errorf("queries: %+v", m.queries)
		}
	}
}

// cancelling cancels the context during its first action.
type cancelling struct{ cancel context.CancelFunc }

func (c *cancelling) Execute(ctx context.Context, a Action) ([]TargetResult, error) {
	c.cancel()
	return nil, ctx.Err()
}

func TestRunStopsWhenContextIsCanceled(t *testing.T) {
	fleet, plan := smallFleetAndPlan(t)
	r, err := NewRollout(fleet, plan, Options{Version: "v2", PreviousVersion: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	status, err := r.Run(ctx, &cancelling{cancel}, RunOptions{Clock: &fakeClock{now: t0}})
	if !errors.Is(err, context.Canceled) || status != Running {
		t.Errorf("Run = %v, %v", status, err)
	}
	// The deploy is still pending: a restarted host re-issues it.
	if p := r.PendingActions(); len(p) != 1 || p[0].Kind != Deploy {
		t.Errorf("pending: %+v", p)
	}
}

func TestCommandsApprovalSnapshotRestore(t *testing.T) {
	fleet, plan := smallFleetAndPlan(t)
	opts := Options{Version: "v2", PreviousVersion: "v1", ApprovalWaves: []int{1}}
	r, err := NewRollout(fleet, plan, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	clock := &fakeClock{now: t0}
	if err := r.Pause("alice", clock.now); err != nil {
		t.Fatal(err)
	}
	if r.Status() != Paused {
		t.Errorf("status %v", r.Status())
	}
	if err := r.Resume("alice", clock.now); err != nil {
		t.Fatal(err)
	}
	if err := r.Retry("bob", clock.now); !errors.Is(err, ErrFailedPrecondition) {
		t.Errorf("Retry: %v", err)
	}
	// Run until the approval: the loop keeps polling; stop it with a
	// deadline on the approval request.
	ctx, cancel := context.WithCancel(context.Background())
	_, err = r.Run(ctx, &transport{}, RunOptions{Clock: clock, OnAction: func(a Action) {
		if a.Kind == RequestApproval {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	if b := r.Blockers(clock.now); len(b) != 1 || b[0].KindName == "" || b[0].Description == "" {
		t.Errorf("blockers: %+v", b)
	}
	snapshot := r.Snapshot()
	restored, err := Restore(fleet, snapshot, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if restored.CurrentWave() != 1 {
		t.Errorf("restored wave %d", restored.CurrentWave())
	}
	if err := restored.Reject("carol", clock.now); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(fleet, []byte("garbage"), opts); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Restore(garbage): %v", err)
	}
	if err := r.Approve("bob", clock.now); err != nil {
		t.Fatal(err)
	}
	if err := r.Promote("bob", clock.now); err != nil {
		t.Fatal(err)
	}
	if err := r.Supersede("v3", "dave", clock.now); err != nil || r.Version() != "v3" {
		t.Fatalf("Supersede: %v %q", err, r.Version())
	}
	if err := r.Abort("erin", clock.now); err != nil {
		t.Fatal(err)
	}
	status, err := r.Run(context.Background(), &transport{}, RunOptions{Clock: clock})
	if err != nil || status != AbortedStatus {
		t.Errorf("after abort: %v %v", status, err)
	}
	if err := r.ReportOutcome("nope", []TargetResult{{Target: 0, Succeeded: true}}, clock.now); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReportOutcome(nope): %v", err)
	}
	if _, err := r.Advance(t0.Add(-time.Hour)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Advance backwards: %v", err)
	}
}

type alarms struct{ queries []AlarmQuery }

func (a *alarms) QueryAlarms(q AlarmQuery) ([]AlarmStatus, error) {
	a.queries = append(a.queries, q)
	state := AlarmOK
	if len(a.queries) >= 2 {
		state = AlarmAlarm
	}
	return []AlarmStatus{{"api-5xx", AlarmOK, ""}, {"api-latency", state, "p99 high"}}, nil
}

const alarmSpec = `name: "alarmed" version: "2.4.1" previous_version: "2.4.0"
waves { canary { percent: 10 interval { seconds: 900 } } }
gates { default { bake { duration { seconds: 600 } interval { seconds: 60 }
  check { alarm { alarms: "api-5xx" alarms: "api-latency" } } } } }`

func TestAlarmSource(t *testing.T) {
	fleet, _ := LoadFleet(filepath.Join(root(t), "examples/fleets/three_regions.csv"))
	spec, err := ParseSpec([]byte(alarmSpec), TextProto)
	if err != nil {
		t.Fatal(err)
	}
	a := &alarms{}
	r, err := RolloutFromSpec(spec, fleet, Options{AlarmSource: a})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	status, err := r.Run(context.Background(), &transport{}, RunOptions{Clock: &fakeClock{now: t0}, Poll: time.Minute})
	if err != nil || status != RolledBack {
		t.Errorf("Run = %v, %v", status, err)
	}
	if len(a.queries) < 2 || len(a.queries[0].Alarms) != 2 || a.queries[0].Alarms[1] != "api-latency" ||
		a.queries[0].WaveIndex != 0 || len(a.queries[0].Targets) == 0 {
		t.Errorf("queries: %+v", a.queries)
	}
}

const judgeConfig = `groups { name: "errors" weight: 100 }
metrics { name: "error_rate" groups: "errors" direction: DIRECTION_INCREASE }
thresholds { pass: 75 marginal: 50 }`

func TestJudge(t *testing.T) {
	var control, same, worse []float64
	for i := 0; i < 20; i++ {
		control = append(control, 1+0.01*float64(i))
		same = append(same, 1+0.01*float64((i*7)%20))
		worse = append(worse, 5+0.01*float64(i))
	}
	score := func(experiment []float64) float64 {
		out, err := Judge([]byte(judgeConfig), TextProto, map[string]JudgeSamples{"error_rate": {control, experiment}})
		if err != nil {
			t.Fatal(err)
		}
		var result struct {
			Score float64 `json:"score"`
		}
		if err := json.Unmarshal(out, &result); err != nil {
			t.Fatal(err)
		}
		return result.Score
	}
	if s := score(same); s != 100 {
		t.Errorf("same: score %v", s)
	}
	if s := score(worse); s >= 100 {
		t.Errorf("worse: score %v", s)
	}
	_, err := Judge([]byte(judgeConfig), TextProto, map[string]JudgeSamples{"cpu": {control, same}})
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "samples[0].name") {
		t.Errorf("unknown metric: %v", err)
	}
}

func TestSimulate(t *testing.T) {
	fleet, _ := LoadFleet(filepath.Join(root(t), "examples/fleets/three_regions.csv"))
	spec, _ := LoadSpec(filepath.Join(root(t), "examples/specs/codedeploy_canary_gated.textproto"))
	out, err := Simulate(spec, fleet, filepath.Join(root(t), "examples/scenarios/good_release.textproto"), 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	var result struct {
		Summary map[string]interface{}   `json:"summary"`
		Runs    []map[string]interface{} `json:"runs"`
	}
	if err := json.Unmarshal(out, &result); err != nil || len(result.Runs) != 3 || result.Summary == nil {
		t.Errorf("simulate: %v %s", err, out[:100])
	}
	if _, err := Simulate(spec, fleet, "no/such.textproto", 3, 5); err == nil {
		t.Error("Simulate with a missing scenario succeeded")
	}
}

func TestFleetInfrastructureTargets(t *testing.T) {
	fleet, err := LoadFleet(filepath.Join(root(t), "examples/fleets/zonal_infrastructure.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fleet.Close()
	lb, asg := -1, -1
	for i := 0; i < fleet.Len(); i++ {
		switch fleet.ID(i) {
		case "use1-lb":
			lb = i
		case "use1-az1-asg":
			asg = i
		}
	}
	if lb < 0 || asg < 0 {
		t.Fatalf("use1-lb at %d, use1-az1-asg at %d", lb, asg)
	}
	if got := fleet.Kind(lb); got != "load_balancer" {
		t.Errorf("Kind(lb) = %q", got)
	}
	if got := fleet.SpannedZones(lb); strings.Join(got, ",") != "use1-az1,use1-az2,use1-az3" {
		t.Errorf("SpannedZones(lb) = %q", got)
	}
	if got := fleet.SpannedRegions(lb); len(got) != 0 {
		t.Errorf("SpannedRegions(lb) = %q", got)
	}
	if fleet.Kind(asg) != "autoscaling_group" || len(fleet.SpannedZones(asg)) != 0 {
		t.Errorf("asg: kind %q zones %q", fleet.Kind(asg), fleet.SpannedZones(asg))
	}
	if fleet.Region(lb) != "us-east-1" || fleet.Zone(asg) != "use1-az1" {
		t.Errorf("region %q zone %q", fleet.Region(lb), fleet.Zone(asg))
	}

	text := `targets { id: "role" region: "r1" zone: "z1" kind: "instance_role" regions: "r1" regions: "r2" }
targets { id: "host" region: "r2" zone: "z2" }`
	global, err := ParseFleet([]byte(text), TextProto)
	if err != nil {
		t.Fatal(err)
	}
	defer global.Close()
	if got := global.SpannedRegions(0); strings.Join(got, ",") != "r1,r2" {
		t.Errorf("SpannedRegions(0) = %q", got)
	}
	if global.Kind(0) != "instance_role" || global.Kind(1) != "" {
		t.Errorf("kinds %q %q", global.Kind(0), global.Kind(1))
	}
	// Out of range: nothing.
	if global.Kind(2) != "" || len(global.SpannedZones(2)) != 0 || len(global.SpannedRegions(2)) != 0 {
		t.Errorf("out of range: %q %q %q", global.Kind(2), global.SpannedZones(2), global.SpannedRegions(2))
	}
}

func TestRestoreConfigAndRestoreFromSpec(t *testing.T) {
	fleet, err := LoadFleet(filepath.Join(root(t), "examples/fleets/three_regions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fleet.Close()
	spec, err := LoadSpec(filepath.Join(root(t), "examples/specs/regional_waves_gated.textproto"))
	if err != nil {
		t.Fatal(err)
	}
	defer spec.Close()
	r, err := RolloutFromSpec(spec, fleet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Advance(t0); err != nil {
		t.Fatal(err)
	}
	snapshot := r.Snapshot()

	// The same spec continues it.
	same, err := RestoreFromSpec(spec, fleet, snapshot, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if same.Status() != r.Status() || same.CurrentWave() != r.CurrentWave() {
		t.Errorf("restored %v wave %d, want %v wave %d", same.Status(), same.CurrentWave(), r.Status(), r.CurrentWave())
	}
	same.Close()
	// Options without the spec's gates are refused...
	_, err = Restore(fleet, snapshot, Options{})
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "snapshot: config: made under another configuration") {
		t.Errorf("Restore(no gates): %v", err)
	}
	// ...unless unchecked...
	unchecked, err := Restore(fleet, snapshot, Options{RestoreConfig: ConfigUnchecked})
	if err != nil {
		t.Fatalf("Restore(unchecked): %v", err)
	}
	unchecked.Close()
	// ...or an intended change, recorded as a config-change event.
	var commands []string
	sink := func(e Event) {
		if strings.Contains(e.JSON, `"config-change"`) {
			commands = append(commands, e.JSON)
		}
	}
	changed, err := Restore(fleet, snapshot, Options{RestoreConfig: ConfigAcceptChange, ConfigChangeBy: "ops", EventSink: sink})
	if err != nil {
		t.Fatalf("Restore(accept change): %v", err)
	}
	if len(commands) != 1 || !strings.Contains(commands[0], `"ops"`) {
		t.Errorf("config-change events: %q", commands)
	}
	changedSnapshot := changed.Snapshot()
	changed.Close()
	// The recorded configuration is now the gateless one: the spec is the
	// change, refused unless accepted.
	if _, err := RestoreFromSpec(spec, fleet, changedSnapshot, Options{}); !errors.Is(err, ErrInvalidArgument) ||
		!strings.Contains(err.Error(), "made under another configuration") {
		t.Errorf("RestoreFromSpec(changed): %v", err)
	}
	back, err := RestoreFromSpec(spec, fleet, changedSnapshot, Options{RestoreConfig: ConfigAcceptChange, ConfigChangeBy: "ops"})
	if err != nil {
		t.Fatalf("RestoreFromSpec(accept change): %v", err)
	}
	back.Close()
	// A mode out of range is an error naming it.
	if _, err := Restore(fleet, snapshot, Options{RestoreConfig: 7}); !errors.Is(err, ErrInvalidArgument) ||
		!strings.Contains(err.Error(), "mode must be in [0, 2] (got 7)") {
		t.Errorf("Restore(mode 7): %v", err)
	}
	if _, err := RestoreFromSpec(spec, fleet, []byte("garbage"), Options{}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("RestoreFromSpec(garbage): %v", err)
	}
}
