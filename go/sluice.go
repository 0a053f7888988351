// Copyright 2026 The Sluice Authors.

// Package sluice is Sluice, progressive delivery, from Go: bindings over
// the C API (libsluice.so.0, include/sluice/c.h) through cgo.
//
// Building: cgo needs the header and the library. With Sluice installed
// where the compiler and linker look, nothing is needed; otherwise
//
//	CGO_CFLAGS="$(pkg-config --cflags sluice-c)" \
//	CGO_LDFLAGS="$(pkg-config --libs sluice-c)" go build
//
// (and the library on LD_LIBRARY_PATH, or an rpath, at run time).
//
// Ownership: every value made here owns a C handle, released by Close()
// (and, as a safety net, by a finalizer). Host objects (metric sources,
// rollback policies, event sinks) stay alive while a rollout uses them.
// Threading: fleets, specs and plans may be shared between goroutines; a
// Rollout is used by one goroutine at a time, and host callbacks run on
// it, inside Advance() and the commands. Errors are *Error values with the
// C++ API's status code and message; errors.Is(err, ErrInvalidArgument)
// and friends match by code.
package sluice

/*
#cgo LDFLAGS: -lsluice
#include <stdint.h>
#include <stdlib.h>
#include "sluice/c.h"

sluice_event_sink_t* go_sluice_event_sink(uintptr_t handle);
sluice_metric_source_t* go_sluice_metric_source(uintptr_t handle);
sluice_gate_t* go_sluice_gate(uintptr_t handle, const char* name);
sluice_alarm_source_t* go_sluice_alarm_source(uintptr_t handle);
sluice_rollback_policy_t* go_sluice_rollback_policy(uintptr_t handle,
                                                    const char* name);
*/
import "C"

import (
	"fmt"
	"math"
	"runtime"
	"runtime/cgo"
	"strings"
	"time"
	"unsafe"
)

// Version is the library's version, e.g. "0.1.0".
func Version() string { return C.GoString(C.sluice_version()) }

// ---- Errors ------------------------------------------------------------------

// Code is a status code (absl::StatusCode, the C API's SLUICE_*).
type Code int

// The status codes.
const (
	OK                 Code = 0
	Cancelled          Code = 1
	Unknown            Code = 2
	InvalidArgument    Code = 3
	DeadlineExceeded   Code = 4
	NotFound           Code = 5
	AlreadyExists      Code = 6
	PermissionDenied   Code = 7
	ResourceExhausted  Code = 8
	FailedPrecondition Code = 9
	Aborted            Code = 10
	OutOfRange         Code = 11
	Unimplemented      Code = 12
	Internal           Code = 13
	Unavailable        Code = 14
	DataLoss           Code = 15
	Unauthenticated    Code = 16
)

// Error is an error of the C API: a code and the C++ API's message.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("sluice: %s", e.Message)
}

// Is matches errors with the same code, so errors.Is(err,
// ErrInvalidArgument) tests the code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Message == "" || t.Message == e.Message)
}

// Sentinels for errors.Is.
var (
	ErrInvalidArgument    = &Error{Code: InvalidArgument}
	ErrNotFound           = &Error{Code: NotFound}
	ErrFailedPrecondition = &Error{Code: FailedPrecondition}
)

// takeError turns a set errptr into an *Error (and frees it).
func takeError(err *C.char) error {
	if err == nil {
		return nil
	}
	defer C.sluice_free(unsafe.Pointer(err))
	text := C.GoString(err)
	code := Code(C.sluice_error_code(err))
	if i := strings.Index(text, ": "); i >= 0 && code != Unknown {
		text = text[i+2:]
	}
	return &Error{Code: code, Message: text}
}

// ---- Helpers -----------------------------------------------------------------

func cstr(s string) *C.char { return C.CString(s) }

func free(p *C.char) { C.free(unsafe.Pointer(p)) }

func goString(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// takeBytes copies an owned buffer and frees it.
func takeBytes(p *C.char, n C.size_t) []byte {
	if p == nil {
		return nil
	}
	defer C.sluice_free(unsafe.Pointer(p))
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

func toNanos(t time.Time) C.int64_t { return C.int64_t(t.UnixNano()) }

// fromNanos converts; the infinite past is the zero Time and the infinite
// future is Forever.
func fromNanos(ns C.int64_t) time.Time {
	switch int64(ns) {
	case math.MinInt64:
		return time.Time{}
	case math.MaxInt64:
		return Forever
	}
	return time.Unix(0, int64(ns)).UTC()
}

// Forever is the time returned for "never" (the C API's infinite future).
var Forever = time.Unix(1<<62, 0).UTC()

// Format is the encoding of text passed in.
type Format int

// The formats.
const (
	TextProto Format = 0
	JSON      Format = 1
	CSV       Format = 2
)

func bytesArg(data []byte) (*C.char, C.size_t) {
	if len(data) == 0 {
		return nil, 0
	}
	return (*C.char)(C.CBytes(data)), C.size_t(len(data))
}

// ---- Fleets, specs, plans ------------------------------------------------------

// Fleet is the targets a rollout deploys to. Immutable; safe for
// concurrent use.
type Fleet struct{ p *C.sluice_fleet_t }

func newFleet(p *C.sluice_fleet_t) *Fleet {
	f := &Fleet{p}
	runtime.SetFinalizer(f, (*Fleet).Close)
	return f
}

// LoadFleet reads a fleet file (.csv, .json or .textproto).
func LoadFleet(path string) (*Fleet, error) {
	cp := cstr(path)
	defer free(cp)
	var err *C.char
	p := C.sluice_fleet_load_file(cp, &err)
	if p == nil {
		return nil, takeError(err)
	}
	return newFleet(p), nil
}

// ParseFleet parses a fleet in CSV, TextProto or JSON.
func ParseFleet(data []byte, format Format) (*Fleet, error) {
	d, n := bytesArg(data)
	defer C.free(unsafe.Pointer(d))
	var err *C.char
	p := C.sluice_fleet_parse(d, n, C.int(format), &err)
	if p == nil {
		return nil, takeError(err)
	}
	return newFleet(p), nil
}

// Close releases the fleet (rollouts made from it keep what they need).
func (f *Fleet) Close() {
	if f.p != nil {
		C.sluice_fleet_destroy(f.p)
		f.p = nil
	}
}

// Len is the number of targets.
func (f *Fleet) Len() int { return int(C.sluice_fleet_size(f.p)) }

// ID is target i's id.
func (f *Fleet) ID(i int) string {
	return goString(C.sluice_fleet_target_id(f.p, C.size_t(i)))
}

// Region is target i's region.
func (f *Fleet) Region(i int) string {
	return goString(C.sluice_fleet_target_region(f.p, C.size_t(i)))
}

// Zone is target i's zone.
func (f *Fleet) Zone(i int) string {
	return goString(C.sluice_fleet_target_zone(f.p, C.size_t(i)))
}

// Kind is target i's resource kind ("autoscaling_group", ...; "" for a
// server).
func (f *Fleet) Kind(i int) string {
	return goString(C.sluice_fleet_target_kind(f.p, C.size_t(i)))
}

// SpannedZones are the zones of its region target i spans, as written
// (empty for a target only in its own zone).
func (f *Fleet) SpannedZones(i int) []string {
	n := int(C.sluice_fleet_target_spanned_zone_count(f.p, C.size_t(i)))
	zones := make([]string, n)
	for j := range zones {
		zones[j] = goString(C.sluice_fleet_target_spanned_zone(f.p, C.size_t(i), C.size_t(j)))
	}
	return zones
}

// SpannedRegions are the regions target i spans, as written (empty for a
// target only in its own region).
func (f *Fleet) SpannedRegions(i int) []string {
	n := int(C.sluice_fleet_target_spanned_region_count(f.p, C.size_t(i)))
	regions := make([]string, n)
	for j := range regions {
		regions[j] = goString(C.sluice_fleet_target_spanned_region(f.p, C.size_t(i), C.size_t(j)))
	}
	return regions
}

// Spec is a validated rollout spec. Immutable; safe for concurrent use.
type Spec struct{ p *C.sluice_spec_t }

func newSpec(p *C.sluice_spec_t) *Spec {
	s := &Spec{p}
	runtime.SetFinalizer(s, (*Spec).Close)
	return s
}

// LoadSpec reads a spec file (.textproto or .json).
func LoadSpec(path string) (*Spec, error) {
	cp := cstr(path)
	defer free(cp)
	var err *C.char
	p := C.sluice_spec_load_file(cp, &err)
	if p == nil {
		return nil, takeError(err)
	}
	return newSpec(p), nil
}

// ParseSpec parses and validates a spec in TextProto or JSON.
func ParseSpec(data []byte, format Format) (*Spec, error) {
	d, n := bytesArg(data)
	defer C.free(unsafe.Pointer(d))
	var err *C.char
	p := C.sluice_spec_parse(d, n, C.int(format), &err)
	if p == nil {
		return nil, takeError(err)
	}
	return newSpec(p), nil
}

// Close releases the spec.
func (s *Spec) Close() {
	if s.p != nil {
		C.sluice_spec_destroy(s.p)
		s.p = nil
	}
}

// Name is the spec's name.
func (s *Spec) Name() string { return goString(C.sluice_spec_name(s.p)) }

// Version is the version the spec rolls out.
func (s *Spec) Version() string { return goString(C.sluice_spec_version(s.p)) }

// Plan is a wave plan made for one fleet. Immutable; safe for concurrent
// use.
type Plan struct{ p *C.sluice_plan_t }

func newPlan(p *C.sluice_plan_t) *Plan {
	pl := &Plan{p}
	runtime.SetFinalizer(pl, (*Plan).Close)
	return pl
}

// PlanFromSpec applies the spec's wave strategy to the fleet.
func PlanFromSpec(spec *Spec, fleet *Fleet) (*Plan, error) {
	var err *C.char
	p := C.sluice_plan_from_spec(spec.p, fleet.p, &err)
	if p == nil {
		return nil, takeError(err)
	}
	return newPlan(p), nil
}

// ParsePlan parses a sluice.v1.WavePlan (TextProto or JSON) for fleet.
func ParsePlan(data []byte, format Format, fleet *Fleet) (*Plan, error) {
	d, n := bytesArg(data)
	defer C.free(unsafe.Pointer(d))
	var err *C.char
	p := C.sluice_plan_parse(d, n, C.int(format), fleet.p, &err)
	if p == nil {
		return nil, takeError(err)
	}
	return newPlan(p), nil
}

// Close releases the plan.
func (p *Plan) Close() {
	if p.p != nil {
		C.sluice_plan_destroy(p.p)
		p.p = nil
	}
}

// Wave is one wave of a plan.
type Wave struct {
	Name, Stage string
	Targets     []int
	Bake        time.Duration
}

// Waves are the plan's waves.
func (p *Plan) Waves() []Wave {
	n := int(C.sluice_plan_wave_count(p.p))
	out := make([]Wave, n)
	for i := 0; i < n; i++ {
		ci := C.size_t(i)
		w := Wave{
			Name:  goString(C.sluice_plan_wave_name(p.p, ci)),
			Stage: goString(C.sluice_plan_wave_stage(p.p, ci)),
			Bake:  time.Duration(C.sluice_plan_wave_bake(p.p, ci)),
		}
		for j := 0; j < int(C.sluice_plan_wave_target_count(p.p, ci)); j++ {
			w.Targets = append(w.Targets,
				int(C.sluice_plan_wave_target(p.p, ci, C.size_t(j))))
		}
		out[i] = w
	}
	return out
}

// ---- Values ------------------------------------------------------------------

// Status is where a rollout is in its lifecycle.
type Status int

// The statuses.
const (
	Pending Status = iota
	Running
	Paused
	RollingBack
	Succeeded
	RolledBack
	AbortedStatus
	Failed
)

// String is the C++ API's name, e.g. "rolling-back".
func (s Status) String() string { return C.GoString(C.sluice_status_name(C.int(s))) }

// Terminal is true for Succeeded, RolledBack, AbortedStatus and Failed.
func (s Status) Terminal() bool { return s >= Succeeded }

// ActionKind is what an action asks of the host.
type ActionKind int

// The action kinds.
const (
	Deploy ActionKind = iota
	SetTraffic
	RollBack
	Wait
	RequestApproval
	Notify
)

// String is the C++ API's name, e.g. "deploy".
func (k ActionKind) String() string {
	return C.GoString(C.sluice_action_kind_name(C.int(k)))
}

// Action is what the host must do.
type Action struct {
	ID             string
	Kind           ActionKind
	Wave           int
	Version        string
	Targets        []int
	TrafficPercent *float64
	WaitUntil      time.Time
	Message        string
	Escalate       bool
}

// NeedsOutcome is true for deploy, set-traffic and roll-back actions.
func (a Action) NeedsOutcome() bool {
	return a.Kind == Deploy || a.Kind == SetTraffic || a.Kind == RollBack
}

func takeActions(p *C.sluice_actions_t) []Action {
	defer C.sluice_actions_destroy(p)
	n := int(C.sluice_actions_count(p))
	out := make([]Action, n)
	for i := 0; i < n; i++ {
		ci := C.size_t(i)
		a := Action{
			ID:        goString(C.sluice_actions_id(p, ci)),
			Kind:      ActionKind(C.sluice_actions_kind(p, ci)),
			Wave:      int(C.sluice_actions_wave(p, ci)),
			Version:   goString(C.sluice_actions_version(p, ci)),
			WaitUntil: fromNanos(C.sluice_actions_wait_until(p, ci)),
			Message:   goString(C.sluice_actions_message(p, ci)),
			Escalate:  C.sluice_actions_escalate(p, ci) != 0,
		}
		if t := float64(C.sluice_actions_traffic_percent(p, ci)); t >= 0 {
			a.TrafficPercent = &t
		}
		for j := 0; j < int(C.sluice_actions_target_count(p, ci)); j++ {
			a.Targets = append(a.Targets,
				int(C.sluice_actions_target(p, ci, C.size_t(j))))
		}
		out[i] = a
	}
	return out
}

// TargetResult is one target's outcome of a deploy or rollback action.
type TargetResult struct {
	Target    int
	Succeeded bool
	Reason    string
}

// Blocker is what holds the current wave.
type Blocker struct {
	Kind        int // SLUICE_BLOCKER_*
	KindName    string
	Name        string
	Reason      string
	Description string
}

// Event is a rollout event: its sequence, kind and status, and the whole
// sluice.v1.Event as one line of JSON.
type Event struct {
	Sequence int64
	Kind     int // SLUICE_EVENT_*
	KindName string
	Wave     int
	Status   string
	Message  string
	JSON     string
}

// ---- Host interfaces -----------------------------------------------------------

// MetricQuery is a metric query from a gate.
type MetricQuery struct {
	Metric     string
	Query      string
	Params     map[string]string
	Cohort     int // SLUICE_COHORT_*
	Targets    []string
	WaveIndex  int
	Stage      string
	Start, End time.Time
	// Aggregation is SLUICE_AGGREGATION_* (-1: samples wanted).
	Aggregation int
	Quantile    float64
}

// Sample is one observed value.
type Sample struct {
	Time  time.Time
	Value float64
}

// MetricResult is a metric source's answer: Samples, an Aggregate (when
// IsAggregate), or no data (neither).
type MetricResult struct {
	Samples     []Sample
	IsAggregate bool
	Aggregate   float64
	// SampleCount is the number of points an aggregate summarizes (-1:
	// unknown).
	SampleCount int64
	NoDataWhy   string
}

// MetricSource is the host's metrics. An error that is an *Error keeps its
// code (Unavailable and DeadlineExceeded are retried); any other error is
// Unknown. Called on the goroutine that calls Advance().
type MetricSource interface {
	Query(q MetricQuery) (MetricResult, error)
}

// Failure is a failed wave, as a rollback policy sees it.
type Failure struct {
	Trigger          int // SLUICE_TRIGGER_*
	WaveIndex        int
	WaveCount        int
	Stage            string
	Attempt          int
	Now              time.Time
	Reason           string
	FailedTargets    int64
	AnythingDeployed bool
}

// Decision is what a rollback policy decides.
type Decision struct {
	Kind       int // SLUICE_DECISION_*
	Order      int // SLUICE_ORDER_*
	RetryAfter time.Duration
	Escalate   bool
	Reason     string
}

// The decision kinds and rollback orders.
const (
	RollBackAll                 = 0
	RollBackCurrentWaveAndPause = 1
	PauseAndEscalate            = 2
	RetryWave                   = 3
	ReverseWaves                = 0
	AllAtOnce                   = 1
)

// RollbackPolicy decides what a failed wave leads to.
type RollbackPolicy interface {
	Name() string
	Decide(f Failure) Decision
}

// The alarm states (SLUICE_ALARM_*).
const (
	AlarmOK               = 0
	AlarmAlarm            = 1
	AlarmInsufficientData = 2
)

// AlarmQuery asks for the state of alarms.
type AlarmQuery struct {
	Alarms    []string
	Targets   []string
	WaveIndex int
	Stage     string
	Now       time.Time
}

// AlarmStatus is one alarm's state.
type AlarmStatus struct {
	Name   string
	State  int // AlarmOK, AlarmAlarm or AlarmInsufficientData
	Reason string
}

// AlarmSource is the host's alarms; errors as MetricSource's.
type AlarmSource interface {
	QueryAlarms(q AlarmQuery) ([]AlarmStatus, error)
}

// The gate outcomes (SLUICE_OUTCOME_*).
const (
	Pass         = 0
	Fail         = 1
	Inconclusive = 2
	ErrorOutcome = 3
	Hold         = 4
)

// GateContext is what a custom gate sees.
type GateContext struct {
	Now             time.Time
	WaveIndex       int
	WaveName, Stage string
	WaveTargets     []string
	BaselineTargets []string
	// SettledTargets are the targets earlier waves moved to the new
	// version and that still run it, in plan order.
	SettledTargets []string
	// Memory is the gate's per-wave memory ("" at the wave's first look),
	// kept in the rollout's snapshot.
	Memory string
}

// Verdict is a custom gate's decision. Memory, when not nil, replaces the
// gate's per-wave memory.
type Verdict struct {
	Outcome   int // Pass, Fail, Inconclusive, ErrorOutcome or Hold
	Reason    string
	HoldUntil time.Time
	Memory    *string
}

// Gate is a custom health gate, evaluated on the goroutine that calls
// Advance().
type Gate interface {
	Name() string
	Evaluate(ctx GateContext) Verdict
}

// Options is how a rollout is made; zero values mean the C++ API's
// defaults.
type Options struct {
	Name, Version, PreviousVersion string
	ApprovalWaves                  []int
	// ProgressDeadline: 0 means the default (10 minutes).
	ProgressDeadline time.Duration
	MetricSource     MetricSource
	RollbackPolicy   RollbackPolicy
	AlarmSource      AlarmSource
	// Gate judges every wave (nil: waves pass their gates at once).
	Gate Gate
	// EventSink receives every event (on the goroutine calling into the
	// rollout).
	EventSink func(Event)
	// RestoreConfig says how Restore and RestoreFromSpec compare the
	// configuration a snapshot records with this one. Default: ConfigCheck.
	RestoreConfig RestoreConfig
	// ConfigChangeBy is who declared an accepted change (ConfigAcceptChange),
	// for the config-change event.
	ConfigChangeBy string
}

// RestoreConfig says how a restore compares the configuration a snapshot
// records (the gate of every wave, the rollback policy, the engine's limits,
// the spec's config id) with the one given.
type RestoreConfig int

// The restore config modes.
const (
	// ConfigCheck refuses a snapshot made under another configuration.
	ConfigCheck RestoreConfig = 0
	// ConfigAcceptChange accepts it: the change is intended, and recorded
	// as an operator-command event "config-change" by ConfigChangeBy.
	ConfigAcceptChange RestoreConfig = 1
	// ConfigUnchecked does not compare (a tool that only applies a command
	// without the gates).
	ConfigUnchecked RestoreConfig = 2
)

func (o *Options) build() (*C.sluice_options_t, error) {
	p := C.sluice_options_create()
	who := cstr(o.ConfigChangeBy)
	var cerr *C.char
	rc := C.sluice_options_set_restore_config(p, C.int(o.RestoreConfig), who, &cerr)
	free(who)
	if rc != C.SLUICE_OK {
		C.sluice_options_destroy(p)
		return nil, takeError(cerr)
	}
	for _, kv := range []struct {
		set func(*C.sluice_options_t, *C.char)
		v   string
	}{
		{func(p *C.sluice_options_t, s *C.char) { C.sluice_options_set_name(p, s) }, o.Name},
		{func(p *C.sluice_options_t, s *C.char) { C.sluice_options_set_version(p, s) }, o.Version},
		{func(p *C.sluice_options_t, s *C.char) { C.sluice_options_set_previous_version(p, s) }, o.PreviousVersion},
	} {
		cs := cstr(kv.v)
		kv.set(p, cs)
		free(cs)
	}
	for _, w := range o.ApprovalWaves {
		C.sluice_options_add_approval_wave(p, C.int(w))
	}
	if o.ProgressDeadline != 0 {
		C.sluice_options_set_progress_deadline(p, C.int64_t(o.ProgressDeadline))
	}
	if o.MetricSource != nil {
		m := C.go_sluice_metric_source(C.uintptr_t(cgo.NewHandle(o.MetricSource)))
		C.sluice_options_set_metric_source(p, m)
		C.sluice_metric_source_destroy(m)
	}
	if o.RollbackPolicy != nil {
		name := cstr(o.RollbackPolicy.Name())
		r := C.go_sluice_rollback_policy(
			C.uintptr_t(cgo.NewHandle(o.RollbackPolicy)), name)
		free(name)
		C.sluice_options_set_rollback_policy(p, r)
		C.sluice_rollback_policy_destroy(r)
	}
	if o.AlarmSource != nil {
		a := C.go_sluice_alarm_source(C.uintptr_t(cgo.NewHandle(o.AlarmSource)))
		C.sluice_options_set_alarm_source(p, a)
		C.sluice_alarm_source_destroy(a)
	}
	if o.Gate != nil {
		name := cstr(o.Gate.Name())
		g := C.go_sluice_gate(C.uintptr_t(cgo.NewHandle(o.Gate)), name)
		free(name)
		C.sluice_options_set_gate(p, g)
		C.sluice_gate_destroy(g)
	}
	if o.EventSink != nil {
		s := C.go_sluice_event_sink(C.uintptr_t(cgo.NewHandle(o.EventSink)))
		C.sluice_options_set_event_sink(p, s)
		C.sluice_event_sink_destroy(s)
	}
	return p, nil
}

// ---- Rollouts ----------------------------------------------------------------

// Rollout is the rollout engine. Not safe for concurrent use: one
// goroutine at a time.
type Rollout struct{ p *C.sluice_rollout_t }

func newRollout(p *C.sluice_rollout_t, err *C.char) (*Rollout, error) {
	if p == nil {
		return nil, takeError(err)
	}
	r := &Rollout{p}
	runtime.SetFinalizer(r, (*Rollout).Close)
	return r, nil
}

// NewRollout makes a rollout of plan (made for fleet).
func NewRollout(fleet *Fleet, plan *Plan, opts Options) (*Rollout, error) {
	o, oerr := opts.build()
	if oerr != nil {
		return nil, oerr
	}
	defer C.sluice_options_destroy(o)
	var err *C.char
	return newRollout(C.sluice_rollout_create(fleet.p, plan.p, o, &err), err)
}

// RolloutFromSpec makes a rollout entirely from a spec and a fleet.
func RolloutFromSpec(spec *Spec, fleet *Fleet, opts Options) (*Rollout, error) {
	o, oerr := opts.build()
	if oerr != nil {
		return nil, oerr
	}
	defer C.sluice_options_destroy(o)
	var err *C.char
	return newRollout(C.sluice_rollout_from_spec(spec.p, fleet.p, o, &err), err)
}

// Restore continues a rollout from Snapshot() bytes with the options'
// gates, rollback policy and limits; a snapshot made under another
// configuration is refused unless opts.RestoreConfig says otherwise.
func Restore(fleet *Fleet, snapshot []byte, opts Options) (*Rollout, error) {
	o, oerr := opts.build()
	if oerr != nil {
		return nil, oerr
	}
	defer C.sluice_options_destroy(o)
	d, n := bytesArg(snapshot)
	defer C.free(unsafe.Pointer(d))
	var err *C.char
	return newRollout(C.sluice_rollout_restore(fleet.p, o, d, n, &err), err)
}

// RestoreFromSpec continues a rollout made by RolloutFromSpec from the same
// spec (gates, rollback policy and limits rebuilt from it); opts supplies
// the sources, the sink and RestoreConfig. A spec whose waves, metrics,
// gates or rollback changed since the snapshot is refused unless
// RestoreConfig is ConfigAcceptChange.
func RestoreFromSpec(spec *Spec, fleet *Fleet, snapshot []byte, opts Options) (*Rollout, error) {
	o, oerr := opts.build()
	if oerr != nil {
		return nil, oerr
	}
	defer C.sluice_options_destroy(o)
	d, n := bytesArg(snapshot)
	defer C.free(unsafe.Pointer(d))
	var err *C.char
	return newRollout(C.sluice_rollout_restore_from_spec(spec.p, fleet.p, o, d, n, &err), err)
}

// Close releases the rollout (and the host objects only it used).
func (r *Rollout) Close() {
	if r.p != nil {
		C.sluice_rollout_destroy(r.p)
		r.p = nil
	}
}

// Advance steps the state machine at now and returns the new actions.
func (r *Rollout) Advance(now time.Time) ([]Action, error) {
	var err *C.char
	p := C.sluice_rollout_advance(r.p, toNanos(now), &err)
	if p == nil {
		return nil, takeError(err)
	}
	return takeActions(p), nil
}

// ReportOutcome reports per-target outcomes of a deploy or rollback action.
func (r *Rollout) ReportOutcome(actionID string, results []TargetResult, now time.Time) error {
	n := len(results)
	targets := C.malloc(C.size_t(8 * (n + 1)))
	ok := C.malloc(C.size_t(C.sizeof_int * (n + 1)))
	reasons := C.malloc(C.size_t(unsafe.Sizeof(uintptr(0)) * uintptr(n+1)))
	defer C.free(targets)
	defer C.free(ok)
	defer C.free(reasons)
	ts := unsafe.Slice((*C.int64_t)(targets), n+1)
	os := unsafe.Slice((*C.int)(ok), n+1)
	rs := unsafe.Slice((**C.char)(reasons), n+1)
	for i, res := range results {
		ts[i] = C.int64_t(res.Target)
		os[i] = 0
		if res.Succeeded {
			os[i] = 1
		}
		rs[i] = cstr(res.Reason)
		defer free(rs[i])
	}
	id := cstr(actionID)
	defer free(id)
	var err *C.char
	C.sluice_rollout_report_outcome(r.p, id, (*C.int64_t)(targets), (*C.int)(ok),
		(**C.char)(reasons), C.size_t(n), toNanos(now), &err)
	return takeError(err)
}

// ReportActionOutcome reports one outcome for all remaining targets (and
// for set-traffic actions).
func (r *Rollout) ReportActionOutcome(actionID string, succeeded bool, reason string, now time.Time) error {
	id, re := cstr(actionID), cstr(reason)
	defer free(id)
	defer free(re)
	ok := C.int(0)
	if succeeded {
		ok = 1
	}
	var err *C.char
	C.sluice_rollout_report_action_outcome(r.p, id, ok, re, toNanos(now), &err)
	return takeError(err)
}

type command func(*C.sluice_rollout_t, *C.char, C.int64_t, **C.char) C.int

func (r *Rollout) command(c command, who string, now time.Time) error {
	w := cstr(who)
	defer free(w)
	var err *C.char
	c(r.p, w, toNanos(now), &err)
	return takeError(err)
}

// Pause pauses the rollout (operator `who`).
func (r *Rollout) Pause(who string, now time.Time) error {
	return r.command(func(p *C.sluice_rollout_t, w *C.char, n C.int64_t, e **C.char) C.int {
		return C.sluice_rollout_pause(p, w, n, e)
	}, who, now)
}

// Resume resumes a paused rollout.
func (r *Rollout) Resume(who string, now time.Time) error {
	return r.command(func(p *C.sluice_rollout_t, w *C.char, n C.int64_t, e **C.char) C.int {
		return C.sluice_rollout_resume(p, w, n, e)
	}, who, now)
}

// Abort rolls back everything and ends the rollout aborted.
func (r *Rollout) Abort(who string, now time.Time) error {
	return r.command(func(p *C.sluice_rollout_t, w *C.char, n C.int64_t, e **C.char) C.int {
		return C.sluice_rollout_abort(p, w, n, e)
	}, who, now)
}

// Promote skips the remaining gates, bakes and approvals.
func (r *Rollout) Promote(who string, now time.Time) error {
	return r.command(func(p *C.sluice_rollout_t, w *C.char, n C.int64_t, e **C.char) C.int {
		return C.sluice_rollout_promote(p, w, n, e)
	}, who, now)
}

// Retry deploys the current, failed wave again.
func (r *Rollout) Retry(who string, now time.Time) error {
	return r.command(func(p *C.sluice_rollout_t, w *C.char, n C.int64_t, e **C.char) C.int {
		return C.sluice_rollout_retry(p, w, n, e)
	}, who, now)
}

// Approve gives the pending approval.
func (r *Rollout) Approve(who string, now time.Time) error {
	return r.command(func(p *C.sluice_rollout_t, w *C.char, n C.int64_t, e **C.char) C.int {
		return C.sluice_rollout_approve(p, w, n, e)
	}, who, now)
}

// Reject rejects the pending approval (the wave fails).
func (r *Rollout) Reject(who string, now time.Time) error {
	return r.command(func(p *C.sluice_rollout_t, w *C.char, n C.int64_t, e **C.char) C.int {
		return C.sluice_rollout_reject(p, w, n, e)
	}, who, now)
}

// Supersede starts over with a new version.
func (r *Rollout) Supersede(version, who string, now time.Time) error {
	v := cstr(version)
	defer free(v)
	return r.command(func(p *C.sluice_rollout_t, w *C.char, n C.int64_t, e **C.char) C.int {
		return C.sluice_rollout_supersede(p, v, w, n, e)
	}, who, now)
}

// Blockers says what holds the current wave at now.
func (r *Rollout) Blockers(now time.Time) []Blocker {
	p := C.sluice_rollout_blockers(r.p, toNanos(now))
	defer C.sluice_blockers_destroy(p)
	n := int(C.sluice_blockers_count(p))
	out := make([]Blocker, n)
	for i := 0; i < n; i++ {
		ci := C.size_t(i)
		kind := C.sluice_blockers_kind(p, ci)
		out[i] = Blocker{
			Kind:        int(kind),
			KindName:    C.GoString(C.sluice_blocker_kind_name(kind)),
			Name:        goString(C.sluice_blockers_name(p, ci)),
			Reason:      goString(C.sluice_blockers_reason(p, ci)),
			Description: goString(C.sluice_blockers_describe(p, ci)),
		}
	}
	return out
}

// PendingActions are the issued actions still awaiting outcomes.
func (r *Rollout) PendingActions() []Action {
	return takeActions(C.sluice_rollout_pending_actions(r.p))
}

// Status is the rollout's status.
func (r *Rollout) Status() Status { return Status(C.sluice_rollout_status(r.p)) }

// CurrentWave is the current wave (-1 before the first).
func (r *Rollout) CurrentWave() int { return int(C.sluice_rollout_current_wave(r.p)) }

// Version is the version being rolled out.
func (r *Rollout) Version() string { return goString(C.sluice_rollout_version(r.p)) }

// NextWakeup is when Advance() next has something to do without new input
// (Forever: only outcomes or a person can move it).
func (r *Rollout) NextWakeup() time.Time {
	return fromNanos(C.sluice_rollout_next_wakeup(r.p))
}

// RunsNewVersion says whether target i runs the new version.
func (r *Rollout) RunsNewVersion(i int) bool {
	return C.sluice_rollout_runs_new_version(r.p, C.size_t(i)) != 0
}

// Snapshot is the whole state as sluice.v1.RolloutState bytes.
func (r *Rollout) Snapshot() []byte {
	var n C.size_t
	return takeBytes(C.sluice_rollout_snapshot(r.p, &n), n)
}

// ---- The simulator -----------------------------------------------------------

// Simulate runs Monte Carlo simulations of spec on fleet in the scenario
// file and returns the JSON result ({"summary": ..., "runs": [...]}).
func Simulate(spec *Spec, fleet *Fleet, scenarioPath string, runs int64, seed uint64) ([]byte, error) {
	cp := cstr(scenarioPath)
	defer free(cp)
	var err *C.char
	sc := C.sluice_scenario_load_file(cp, &err)
	if sc == nil {
		return nil, takeError(err)
	}
	defer C.sluice_scenario_destroy(sc)
	var n C.size_t
	p := C.sluice_simulate(spec.p, fleet.p, sc, C.int64_t(runs), C.uint64_t(seed), 0, &n, &err)
	if p == nil {
		return nil, takeError(err)
	}
	return takeBytes(p, n), nil
}

// ---- The judge ---------------------------------------------------------------

// JudgeSamples are one metric's samples: baseline (control) and canary
// (experiment).
type JudgeSamples struct {
	Control, Experiment []float64
}

// Judge runs Kayenta's canary judge with a sluice.v1.KayentaJudgeSpec
// config and returns the sluice.v1.JudgeResult as JSON. Safe for
// concurrent use.
func Judge(config []byte, format Format, samples map[string]JudgeSamples) ([]byte, error) {
	d, n := bytesArg(config)
	defer C.free(unsafe.Pointer(d))
	count := len(samples)
	arr := (*C.sluice_judge_samples_t)(C.calloc(C.size_t(count+1), C.size_t(unsafe.Sizeof(C.sluice_judge_samples_t{}))))
	defer C.free(unsafe.Pointer(arr))
	items := unsafe.Slice(arr, count+1)
	i := 0
	for name, s := range samples {
		items[i].name = cstr(name)
		defer free(items[i].name)
		items[i].control = cDoubles(s.Control)
		defer C.free(unsafe.Pointer(items[i].control))
		items[i].control_count = C.size_t(len(s.Control))
		items[i].experiment = cDoubles(s.Experiment)
		defer C.free(unsafe.Pointer(items[i].experiment))
		items[i].experiment_count = C.size_t(len(s.Experiment))
		i++
	}
	var outLen C.size_t
	var err *C.char
	p := C.sluice_judge(d, n, C.int(format), arr, C.size_t(count), &outLen, &err)
	if p == nil {
		return nil, takeError(err)
	}
	return takeBytes(p, outLen), nil
}

func cDoubles(v []float64) *C.double {
	p := (*C.double)(C.malloc(C.size_t(8 * (len(v) + 1))))
	copy(unsafe.Slice((*float64)(unsafe.Pointer(p)), len(v)), v)
	return p
}
