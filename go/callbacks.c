// Copyright 2026 The Sluice Authors.
//
// C trampolines between the C API's callbacks and the Go functions
// exported in callbacks.go (cgo's exported functions cannot take const
// pointers, and a Go file with //export may only declare C functions).

#include <stdint.h>

#include "_cgo_export.h"
#include "sluice/c.h"

static void destroy_handle(void* state) { goSluiceRelease((uintptr_t)state); }

static void on_event(void* state, const sluice_event_t* event) {
  goSluiceOnEvent((uintptr_t)state, (sluice_event_t*)event);
}

static void query_metric(void* state, const sluice_metric_query_t* query,
                         sluice_metric_result_t* result) {
  goSluiceQueryMetric((uintptr_t)state, (sluice_metric_query_t*)query, result);
}

static void decide(void* state, const sluice_failure_t* failure,
                   sluice_decision_t* decision) {
  goSluiceDecide((uintptr_t)state, (sluice_failure_t*)failure, decision);
}

static void evaluate(void* state, const sluice_gate_context_t* context,
                     sluice_verdict_t* verdict) {
  goSluiceEvaluate((uintptr_t)state, (sluice_gate_context_t*)context, verdict);
}

sluice_gate_t* go_sluice_gate(uintptr_t handle, const char* name) {
  return sluice_gate_create((void*)handle, destroy_handle, name, evaluate);
}

static void query_alarms(void* state, const sluice_alarm_query_t* query,
                         sluice_alarm_result_t* result) {
  goSluiceQueryAlarms((uintptr_t)state, (sluice_alarm_query_t*)query, result);
}

sluice_alarm_source_t* go_sluice_alarm_source(uintptr_t handle) {
  return sluice_alarm_source_create((void*)handle, destroy_handle,
                                    query_alarms);
}

sluice_event_sink_t* go_sluice_event_sink(uintptr_t handle) {
  return sluice_event_sink_create((void*)handle, destroy_handle, on_event);
}

sluice_metric_source_t* go_sluice_metric_source(uintptr_t handle) {
  return sluice_metric_source_create((void*)handle, destroy_handle,
                                     query_metric);
}

sluice_rollback_policy_t* go_sluice_rollback_policy(uintptr_t handle,
                                                    const char* name) {
  return sluice_rollback_policy_create((void*)handle, destroy_handle, name,
                                       decide);
}
