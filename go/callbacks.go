// Copyright 2026 The Sluice Authors.

package sluice

/*
#include <stdint.h>
#include <stdlib.h>
#include "sluice/c.h"
*/
import "C"

import (
	"errors"
	"math"
	"runtime/cgo"
	"unsafe"
)

// The Go side of the C callbacks (callbacks.c): `state` is a cgo.Handle of
// the Go host object, deleted when the C side releases it.

//export goSluiceRelease
func goSluiceRelease(state C.uintptr_t) { cgo.Handle(state).Delete() }

//export goSluiceOnEvent
func goSluiceOnEvent(state C.uintptr_t, e *C.sluice_event_t) {
	sink := cgo.Handle(state).Value().(func(Event))
	kind := C.sluice_event_kind(e)
	sink(Event{
		Sequence: int64(C.sluice_event_sequence(e)),
		Kind:     int(kind),
		KindName: C.GoString(C.sluice_event_kind_name(kind)),
		Wave:     int(C.sluice_event_wave(e)),
		Status:   goString(C.sluice_event_status(e)),
		Message:  goString(C.sluice_event_message(e)),
		JSON:     goString(C.sluice_event_json(e)),
	})
}

//export goSluiceQueryMetric
func goSluiceQueryMetric(state C.uintptr_t, q *C.sluice_metric_query_t, r *C.sluice_metric_result_t) {
	source := cgo.Handle(state).Value().(MetricSource)
	query := MetricQuery{
		Metric:      goString(C.sluice_metric_query_metric(q)),
		Query:       goString(C.sluice_metric_query_text(q)),
		Params:      map[string]string{},
		Cohort:      int(C.sluice_metric_query_cohort(q)),
		WaveIndex:   int(C.sluice_metric_query_wave_index(q)),
		Stage:       goString(C.sluice_metric_query_stage(q)),
		Start:       fromNanos(C.sluice_metric_query_start(q)),
		End:         fromNanos(C.sluice_metric_query_end(q)),
		Aggregation: int(C.sluice_metric_query_aggregation(q)),
		Quantile:    float64(C.sluice_metric_query_quantile(q)),
	}
	for i := 0; i < int(C.sluice_metric_query_param_count(q)); i++ {
		query.Params[goString(C.sluice_metric_query_param_key(q, C.size_t(i)))] =
			goString(C.sluice_metric_query_param_value(q, C.size_t(i)))
	}
	for i := 0; i < int(C.sluice_metric_query_target_count(q)); i++ {
		query.Targets = append(query.Targets,
			goString(C.sluice_metric_query_target(q, C.size_t(i))))
	}
	result, err := source.Query(query)
	if err != nil {
		code := Unknown
		var e *Error
		if errors.As(err, &e) {
			code = e.Code
		}
		msg := C.CString(err.Error())
		defer C.free(unsafe.Pointer(msg))
		C.sluice_metric_result_set_error(r, C.int(code), msg)
		return
	}
	switch {
	case result.IsAggregate:
		C.sluice_metric_result_set_aggregate(r, C.double(result.Aggregate),
			C.int64_t(result.SampleCount))
	case len(result.Samples) > 0:
		n := len(result.Samples)
		times := (*C.int64_t)(C.malloc(C.size_t(8 * n)))
		values := (*C.double)(C.malloc(C.size_t(8 * n)))
		defer C.free(unsafe.Pointer(times))
		defer C.free(unsafe.Pointer(values))
		ts, vs := unsafe.Slice(times, n), unsafe.Slice(values, n)
		for i, s := range result.Samples {
			ts[i], vs[i] = toNanos(s.Time), C.double(s.Value)
		}
		C.sluice_metric_result_set_samples(r, times, values, C.size_t(n))
	default:
		msg := C.CString(result.NoDataWhy)
		defer C.free(unsafe.Pointer(msg))
		C.sluice_metric_result_set_no_data(r, msg)
	}
}

//export goSluiceDecide
func goSluiceDecide(state C.uintptr_t, f *C.sluice_failure_t, d *C.sluice_decision_t) {
	policy := cgo.Handle(state).Value().(RollbackPolicy)
	decision := policy.Decide(Failure{
		Trigger:          int(C.sluice_failure_trigger(f)),
		WaveIndex:        int(C.sluice_failure_wave_index(f)),
		WaveCount:        int(C.sluice_failure_wave_count(f)),
		Stage:            goString(C.sluice_failure_stage(f)),
		Attempt:          int(C.sluice_failure_attempt(f)),
		Now:              fromNanos(C.sluice_failure_now(f)),
		Reason:           goString(C.sluice_failure_reason(f)),
		FailedTargets:    int64(C.sluice_failure_failed_targets(f)),
		AnythingDeployed: C.sluice_failure_anything_deployed(f) != 0,
	})
	reason := C.CString(decision.Reason)
	defer C.free(unsafe.Pointer(reason))
	escalate := C.int(0)
	if decision.Escalate {
		escalate = 1
	}
	C.sluice_decision_set(d, C.int(decision.Kind), C.int(decision.Order),
		C.int64_t(decision.RetryAfter), escalate, reason)
}

//export goSluiceEvaluate
func goSluiceEvaluate(state C.uintptr_t, c *C.sluice_gate_context_t, v *C.sluice_verdict_t) {
	gate := cgo.Handle(state).Value().(Gate)
	ctx := GateContext{
		Now:       fromNanos(C.sluice_gate_context_now(c)),
		WaveIndex: int(C.sluice_gate_context_wave_index(c)),
		WaveName:  goString(C.sluice_gate_context_wave_name(c)),
		Stage:     goString(C.sluice_gate_context_stage(c)),
		Memory:    goString(C.sluice_gate_context_memory(c)),
	}
	for i := 0; i < int(C.sluice_gate_context_wave_target_count(c)); i++ {
		ctx.WaveTargets = append(ctx.WaveTargets,
			goString(C.sluice_gate_context_wave_target(c, C.size_t(i))))
	}
	for i := 0; i < int(C.sluice_gate_context_baseline_target_count(c)); i++ {
		ctx.BaselineTargets = append(ctx.BaselineTargets,
			goString(C.sluice_gate_context_baseline_target(c, C.size_t(i))))
	}
	for i := 0; i < int(C.sluice_gate_context_settled_target_count(c)); i++ {
		ctx.SettledTargets = append(ctx.SettledTargets,
			goString(C.sluice_gate_context_settled_target(c, C.size_t(i))))
	}
	verdict := gate.Evaluate(ctx)
	reason := C.CString(verdict.Reason)
	defer C.free(unsafe.Pointer(reason))
	hold := C.int64_t(math.MinInt64)
	if !verdict.HoldUntil.IsZero() {
		hold = toNanos(verdict.HoldUntil)
	}
	C.sluice_verdict_set(v, C.int(verdict.Outcome), reason, hold)
	if verdict.Memory != nil {
		m := C.CString(*verdict.Memory)
		defer C.free(unsafe.Pointer(m))
		C.sluice_verdict_set_memory(v, m)
	}
}

//export goSluiceQueryAlarms
func goSluiceQueryAlarms(state C.uintptr_t, q *C.sluice_alarm_query_t, r *C.sluice_alarm_result_t) {
	source := cgo.Handle(state).Value().(AlarmSource)
	query := AlarmQuery{
		WaveIndex: int(C.sluice_alarm_query_wave_index(q)),
		Stage:     goString(C.sluice_alarm_query_stage(q)),
		Now:       fromNanos(C.sluice_alarm_query_now(q)),
	}
	for i := 0; i < int(C.sluice_alarm_query_alarm_count(q)); i++ {
		query.Alarms = append(query.Alarms, goString(C.sluice_alarm_query_alarm(q, C.size_t(i))))
	}
	for i := 0; i < int(C.sluice_alarm_query_target_count(q)); i++ {
		query.Targets = append(query.Targets, goString(C.sluice_alarm_query_target(q, C.size_t(i))))
	}
	statuses, err := source.QueryAlarms(query)
	if err != nil {
		code := Unknown
		var e *Error
		if errors.As(err, &e) {
			code = e.Code
		}
		msg := C.CString(err.Error())
		defer C.free(unsafe.Pointer(msg))
		C.sluice_alarm_result_set_error(r, C.int(code), msg)
		return
	}
	for _, s := range statuses {
		name, reason := C.CString(s.Name), C.CString(s.Reason)
		C.sluice_alarm_result_add(r, name, C.int(s.State), reason)
		C.free(unsafe.Pointer(name))
		C.free(unsafe.Pointer(reason))
	}
}
