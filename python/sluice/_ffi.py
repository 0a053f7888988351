# Copyright 2026 The Sluice Authors.
"""The ctypes declarations of the C API (include/sluice/c.h) and how the
shared library is found.

The library is looked up, first match wins:
  1. the file named by the environment variable SLUICE_LIBRARY;
  2. a copy bundled in the package (sluice/libsluice.so.0);
  3. libsluice.so.0 in the libdir that `pkg-config --variable=libdir sluice-c`
     prints;
  4. the dynamic loader's search path (ctypes.util.find_library("sluice"),
     then "libsluice.so.0": LD_LIBRARY_PATH, ldconfig's cache).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import subprocess
from ctypes import (CFUNCTYPE, POINTER, c_char_p, c_double, c_int, c_int64,
                    c_size_t, c_uint64, c_void_p)
from typing import List, Optional

ABI_VERSION = 0
_SONAME = "libsluice.so.0"


def _candidates() -> List[str]:
    out: List[str] = []
    env = os.environ.get("SLUICE_LIBRARY")
    if env:
        out.append(env)
    here = os.path.dirname(os.path.abspath(__file__))
    bundled = os.path.join(here, _SONAME)
    if os.path.exists(bundled):
        out.append(bundled)
    try:
        libdir = subprocess.run(
            ["pkg-config", "--variable=libdir", "sluice-c"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()
        if libdir:
            out.append(os.path.join(libdir, _SONAME))
    except (OSError, subprocess.SubprocessError):
        pass
    found = ctypes.util.find_library("sluice")
    if found:
        out.append(found)
    out.append(_SONAME)
    return out


def _load() -> ctypes.CDLL:
    errors = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise ImportError(
        "sluice: cannot load libsluice.so.0; set SLUICE_LIBRARY to its path "
        "or install it where pkg-config (sluice-c) or the loader finds it. "
        "Tried: " + "; ".join(errors))


lib = _load()

if lib.sluice_abi_version() != ABI_VERSION:
    raise ImportError(
        f"sluice: libsluice ABI {lib.sluice_abi_version()} does not match the "
        f"bindings' {ABI_VERSION}")

ERR = POINTER(c_void_p)

# Callback types (void* state first).
DESTRUCTOR = CFUNCTYPE(None, c_void_p)
ON_EVENT = CFUNCTYPE(None, c_void_p, c_void_p)
QUERY = CFUNCTYPE(None, c_void_p, c_void_p, c_void_p)
EVALUATE = CFUNCTYPE(None, c_void_p, c_void_p, c_void_p)
DECIDE = CFUNCTYPE(None, c_void_p, c_void_p, c_void_p)


class JudgeSamples(ctypes.Structure):
    """sluice_judge_samples_t."""
    _fields_ = [
        ("name", c_char_p),
        ("control", POINTER(c_double)),
        ("control_count", c_size_t),
        ("experiment", POINTER(c_double)),
        ("experiment_count", c_size_t),
    ]


def _declare(name: str, restype, *argtypes) -> None:
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)


P = c_void_p
S = c_char_p
SZ = c_size_t
I = c_int
I64 = c_int64
LEN = POINTER(c_size_t)

_DECLS = [
    ("sluice_version", S),
    ("sluice_abi_version", I),
    ("sluice_free", None, P),
    ("sluice_error_code", I, S),
    # Fleets.
    ("sluice_fleet_load_file", P, S, ERR),
    ("sluice_fleet_parse", P, S, SZ, I, ERR),
    ("sluice_fleet_destroy", None, P),
    ("sluice_fleet_size", SZ, P),
    ("sluice_fleet_target_id", S, P, SZ),
    ("sluice_fleet_target_region", S, P, SZ),
    ("sluice_fleet_target_zone", S, P, SZ),
    ("sluice_fleet_target_kind", S, P, SZ),
    ("sluice_fleet_target_spanned_zone_count", SZ, P, SZ),
    ("sluice_fleet_target_spanned_zone", S, P, SZ, SZ),
    ("sluice_fleet_target_spanned_region_count", SZ, P, SZ),
    ("sluice_fleet_target_spanned_region", S, P, SZ, SZ),
    ("sluice_fleet_index_of", I64, P, S),
    ("sluice_fleet_to_csv", P, P, LEN),
    # Specs.
    ("sluice_spec_load_file", P, S, ERR),
    ("sluice_spec_parse", P, S, SZ, I, ERR),
    ("sluice_spec_destroy", None, P),
    ("sluice_spec_validate_against", I, P, P, ERR),
    ("sluice_spec_name", S, P),
    ("sluice_spec_service", S, P),
    ("sluice_spec_version", S, P),
    ("sluice_spec_previous_version", S, P),
    ("sluice_spec_summary", P, P),
    ("sluice_spec_to_json", P, P, LEN),
    # Plans.
    ("sluice_plan_from_spec", P, P, P, ERR),
    ("sluice_plan_parse", P, S, SZ, I, P, ERR),
    ("sluice_plan_destroy", None, P),
    ("sluice_plan_wave_count", SZ, P),
    ("sluice_plan_strategy", S, P),
    ("sluice_plan_wave_name", S, P, SZ),
    ("sluice_plan_wave_stage", S, P, SZ),
    ("sluice_plan_wave_target_count", SZ, P, SZ),
    ("sluice_plan_wave_target", I64, P, SZ, SZ),
    ("sluice_plan_wave_bake", I64, P, SZ),
    ("sluice_plan_to_json", P, P, LEN),
    # Events.
    ("sluice_event_sink_create", P, P, DESTRUCTOR, ON_EVENT),
    ("sluice_event_sink_destroy", None, P),
    ("sluice_event_json", S, P),
    # Metric and alarm sources.
    ("sluice_metric_source_create", P, P, DESTRUCTOR, QUERY),
    ("sluice_metric_source_destroy", None, P),
    ("sluice_metric_query_metric", S, P),
    ("sluice_metric_query_text", S, P),
    ("sluice_metric_query_param", S, P, S),
    ("sluice_metric_query_param_count", SZ, P),
    ("sluice_metric_query_param_key", S, P, SZ),
    ("sluice_metric_query_param_value", S, P, SZ),
    ("sluice_metric_query_cohort", I, P),
    ("sluice_metric_query_target_count", SZ, P),
    ("sluice_metric_query_target", S, P, SZ),
    ("sluice_metric_query_wave_index", I, P),
    ("sluice_metric_query_stage", S, P),
    ("sluice_metric_query_start", I64, P),
    ("sluice_metric_query_end", I64, P),
    ("sluice_metric_query_aggregation", I, P),
    ("sluice_metric_query_quantile", c_double, P),
    ("sluice_metric_result_set_samples", None, P, POINTER(c_int64),
     POINTER(c_double), SZ),
    ("sluice_metric_result_set_aggregate", None, P, c_double, I64),
    ("sluice_metric_result_set_no_data", None, P, S),
    ("sluice_metric_result_set_error", None, P, I, S),
    ("sluice_alarm_source_create", P, P, DESTRUCTOR, QUERY),
    ("sluice_alarm_source_destroy", None, P),
    ("sluice_alarm_query_alarm_count", SZ, P),
    ("sluice_alarm_query_alarm", S, P, SZ),
    ("sluice_alarm_query_target_count", SZ, P),
    ("sluice_alarm_query_target", S, P, SZ),
    ("sluice_alarm_query_wave_index", I, P),
    ("sluice_alarm_query_stage", S, P),
    ("sluice_alarm_query_now", I64, P),
    ("sluice_alarm_result_add", None, P, S, I, S),
    ("sluice_alarm_result_set_error", None, P, I, S),
    # Gates.
    ("sluice_gate_create", P, P, DESTRUCTOR, S, EVALUATE),
    ("sluice_gate_destroy", None, P),
    ("sluice_gate_context_now", I64, P),
    ("sluice_gate_context_wave_index", I, P),
    ("sluice_gate_context_wave_name", S, P),
    ("sluice_gate_context_stage", S, P),
    ("sluice_gate_context_wave_deployed_at", I64, P),
    ("sluice_gate_context_started_at", I64, P),
    ("sluice_gate_context_wave_target_count", SZ, P),
    ("sluice_gate_context_wave_target", S, P, SZ),
    ("sluice_gate_context_baseline_target_count", SZ, P),
    ("sluice_gate_context_baseline_target", S, P, SZ),
    ("sluice_gate_context_settled_target_count", SZ, P),
    ("sluice_gate_context_settled_target", S, P, SZ),
    ("sluice_gate_context_memory", S, P),
    ("sluice_verdict_set", None, P, I, S, I64),
    ("sluice_verdict_set_memory", None, P, S),
    # Rollback policies.
    ("sluice_rollback_policy_create", P, P, DESTRUCTOR, S, DECIDE),
    ("sluice_rollback_policy_builtin", P, S, ERR),
    ("sluice_rollback_policy_destroy", None, P),
    ("sluice_failure_trigger", I, P),
    ("sluice_failure_wave_index", I, P),
    ("sluice_failure_wave_count", I, P),
    ("sluice_failure_stage", S, P),
    ("sluice_failure_attempt", I, P),
    ("sluice_failure_now", I64, P),
    ("sluice_failure_reason", S, P),
    ("sluice_failure_failed_targets", I64, P),
    ("sluice_failure_anything_deployed", I, P),
    ("sluice_failure_verdict_outcome", I, P),
    ("sluice_decision_set", None, P, I, I, I64, I, S),
    # Options.
    ("sluice_options_create", P),
    ("sluice_options_destroy", None, P),
    ("sluice_options_set_name", None, P, S),
    ("sluice_options_set_version", None, P, S),
    ("sluice_options_set_previous_version", None, P, S),
    ("sluice_options_set_progress_deadline", None, P, I64),
    ("sluice_options_set_approval_timeout", None, P, I64),
    ("sluice_options_set_rollback_retry_backoff", None, P, I64),
    ("sluice_options_set_rollback_attempts", None, P, I),
    ("sluice_options_add_approval_wave", None, P, I),
    ("sluice_options_set_abort_order", I, P, I, ERR),
    ("sluice_options_set_baseline", I, P, I, ERR),
    ("sluice_options_set_metric_source", None, P, P),
    ("sluice_options_set_alarm_source", None, P, P),
    ("sluice_options_set_event_sink", None, P, P),
    ("sluice_options_set_gate", None, P, P),
    ("sluice_options_set_stage_gate", None, P, S, P),
    ("sluice_options_set_rollback_policy", None, P, P),
    ("sluice_options_set_restore_config", I, P, I, S, ERR),
    # Actions and blockers.
    ("sluice_actions_destroy", None, P),
    ("sluice_actions_count", SZ, P),
    ("sluice_actions_id", S, P, SZ),
    ("sluice_actions_kind", I, P, SZ),
    ("sluice_actions_wave", I, P, SZ),
    ("sluice_actions_version", S, P, SZ),
    ("sluice_actions_target_count", SZ, P, SZ),
    ("sluice_actions_target", I64, P, SZ, SZ),
    ("sluice_actions_traffic_percent", c_double, P, SZ),
    ("sluice_actions_wait_until", I64, P, SZ),
    ("sluice_actions_message", S, P, SZ),
    ("sluice_actions_escalate", I, P, SZ),
    ("sluice_actions_needs_outcome", I, P, SZ),
    ("sluice_blockers_destroy", None, P),
    ("sluice_blockers_count", SZ, P),
    ("sluice_blockers_kind", I, P, SZ),
    ("sluice_blockers_name", S, P, SZ),
    ("sluice_blockers_reason", S, P, SZ),
    ("sluice_blockers_since", I64, P, SZ),
    ("sluice_blockers_until", I64, P, SZ),
    ("sluice_blockers_describe", S, P, SZ),
    # Rollouts.
    ("sluice_rollout_create", P, P, P, P, ERR),
    ("sluice_rollout_from_spec", P, P, P, P, ERR),
    ("sluice_rollout_from_spec_and_plan", P, P, P, P, P, ERR),
    ("sluice_rollout_restore", P, P, P, S, SZ, ERR),
    ("sluice_rollout_restore_from_spec", P, P, P, P, S, SZ, ERR),
    ("sluice_rollout_destroy", None, P),
    ("sluice_rollout_advance", P, P, I64, ERR),
    ("sluice_rollout_report_outcome", I, P, S, POINTER(c_int64),
     POINTER(c_int), POINTER(c_char_p), SZ, I64, ERR),
    ("sluice_rollout_report_action_outcome", I, P, S, I, S, I64, ERR),
    ("sluice_rollout_pause", I, P, S, I64, ERR),
    ("sluice_rollout_resume", I, P, S, I64, ERR),
    ("sluice_rollout_abort", I, P, S, I64, ERR),
    ("sluice_rollout_promote", I, P, S, I64, ERR),
    ("sluice_rollout_retry", I, P, S, I64, ERR),
    ("sluice_rollout_approve", I, P, S, I64, ERR),
    ("sluice_rollout_reject", I, P, S, I64, ERR),
    ("sluice_rollout_supersede", I, P, S, S, I64, ERR),
    ("sluice_rollout_blockers", P, P, I64),
    ("sluice_rollout_pending_actions", P, P),
    ("sluice_rollout_status", I, P),
    ("sluice_rollout_is_terminal", I, P),
    ("sluice_rollout_current_wave", I, P),
    ("sluice_rollout_wave_phase", I, P),
    ("sluice_rollout_version", S, P),
    ("sluice_rollout_previous_version", S, P),
    ("sluice_rollout_plan", P, P),
    ("sluice_rollout_next_wakeup", I64, P),
    ("sluice_rollout_runs_new_version", I, P, SZ),
    ("sluice_rollout_event_sequence", I64, P),
    ("sluice_rollout_state_version", I64, P),
    ("sluice_rollout_snapshot", P, P, LEN),
    # Judge and simulator.
    ("sluice_judge", P, S, SZ, I, POINTER(JudgeSamples), SZ, LEN, ERR),
    ("sluice_scenario_load_file", P, S, ERR),
    ("sluice_scenario_parse", P, S, SZ, I, ERR),
    ("sluice_scenario_destroy", None, P),
    ("sluice_simulate", P, P, P, P, I64, c_uint64, I, LEN, ERR),
]

for _decl in _DECLS:
    _declare(*_decl)


def take_string(ptr: Optional[int], length: Optional[int] = None) -> bytes:
    """Copies an owned char* (and frees it)."""
    if not ptr:
        return b""
    try:
        if length is None:
            return ctypes.string_at(ptr)
        return ctypes.string_at(ptr, length)
    finally:
        lib.sluice_free(ptr)
