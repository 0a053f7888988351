/* Copyright 2026 The Sluice Authors.
 *
 * The C API: Sluice from C and from any language with a C foreign-function
 * interface (the Python and Go bindings in python/ and go/ are built on it).
 * C99; in the manner of leveldb's include/leveldb/c.h. docs/bindings.md has
 * the rules below with a quick start per language.
 *
 * Linking: libsluice.so.0 (pkg-config sluice-c, CMake sluice::sluice_c),
 * which exports only the sluice_* functions of this header; or the static
 * library sluice_capi (sluice::capi) with the C++ libraries.
 *
 * Conventions, the same for every function:
 *
 * - Handles are opaque. Every sluice_X_t made by a function named *_create,
 *   *_load*, *_parse*, *_from_* or returned as a new list is owned by the
 *   caller and released with its sluice_X_destroy() (NULL is accepted and
 *   ignored). Objects handed to another object (a source into options,
 *   options into a rollout) are shared, never transferred: the caller still
 *   destroys its handle, and the receiver keeps what it needs alive.
 *
 * - Errors: a fallible function takes `char** errptr` as its last argument.
 *   On success it leaves *errptr untouched. On failure it stores a message
 *   in *errptr (freeing the message already there, so one errptr can be
 *   reused; initialise it to NULL) and returns NULL (functions returning a
 *   handle or bytes) or the nonzero status code (functions returning int).
 *   The message is the C++ API's absl::Status as text: "<CODE>: <message>",
 *   e.g. "INVALID_ARGUMENT: options.version: must not be empty";
 *   sluice_error_code() gives its numeric code (SLUICE_INVALID_ARGUMENT,
 *   ...). Free messages with sluice_free(). errptr must not be NULL. Failed
 *   calls change nothing.
 *
 * - Strings passed in are NUL-terminated UTF-8 (or pointer + length where a
 *   length is taken, for bytes that may hold NULs) and are copied: the caller
 *   may free them when the call returns. Strings returned as `char*` are
 *   malloc'd, owned by the caller, freed with sluice_free(). Strings returned
 *   as `const char*` are borrowed from the handle they were read from and
 *   valid until it is destroyed (or, for callback arguments, until the
 *   callback returns).
 *
 * - Enums cross the ABI as int. An int out of range is rejected with
 *   INVALID_ARGUMENT naming the call and the range, never undefined.
 *
 * - Times are int64 nanoseconds since the Unix epoch (UTC); SLUICE_TIME_
 *   INFINITE_FUTURE and SLUICE_TIME_INFINITE_PAST stand for "never" and
 *   "unknown". Durations are int64 nanoseconds.
 *
 * - Threading: fleets, specs, plans, scenarios, options (once handed to a
 *   rollout), lists and the host-interface handles are immutable and may be
 *   used from any thread. A rollout is not thread-safe: one thread at a time
 *   (separate rollouts are independent). Callbacks run on the thread that
 *   called into Sluice (sluice_rollout_advance() and the command calls),
 *   synchronously, never concurrently for one rollout; a callback must not
 *   call back into the same rollout. sluice_simulate() runs its runs on
 *   worker threads but uses no callbacks.
 *
 * - Host interfaces (metric source, alarm source, event sink, gate, rollback
 *   policy) are structs of callbacks with a `void* state`: made by
 *   *_create(state, destructor, callbacks...). `destructor(state)` (may be
 *   NULL) runs once, when the last object using the interface is destroyed.
 */

#ifndef SLUICE_C_H_
#define SLUICE_C_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SLUICE_C_EXPORT __attribute__((visibility("default")))
#else
#define SLUICE_C_EXPORT
#endif

/* ---- Version and ABI ---------------------------------------------------- */

/* The version of this header, as numbers and as "MAJOR.MINOR.PATCH"; the
 * library's is sluice_version(). */
#define SLUICE_C_VERSION_MAJOR 0
#define SLUICE_C_VERSION_MINOR 1
#define SLUICE_C_VERSION_PATCH 0
#define SLUICE_C_VERSION "0.1.0"
/* The ABI: incremented on any incompatible change of this header; it is the
 * shared library's SONAME number (libsluice.so.0). Additions keep it. */
#define SLUICE_C_ABI_VERSION 0

/* The library's version, e.g. "0.1.0". Static storage; never freed.
 * Thread-safe. */
SLUICE_C_EXPORT const char* sluice_version(void);
/* The library's SLUICE_C_ABI_VERSION, to check against the header's at run
 * time. Thread-safe. */
SLUICE_C_EXPORT int sluice_abi_version(void);

/* ---- Memory and errors ------------------------------------------------- */

/* Frees a string or byte buffer returned by this API (error messages
 * included). NULL is ignored. Thread-safe. */
SLUICE_C_EXPORT void sluice_free(void* ptr);

/* Status codes: absl::StatusCode's values. */
#define SLUICE_OK 0
#define SLUICE_CANCELLED 1
#define SLUICE_UNKNOWN 2
#define SLUICE_INVALID_ARGUMENT 3
#define SLUICE_DEADLINE_EXCEEDED 4
#define SLUICE_NOT_FOUND 5
#define SLUICE_ALREADY_EXISTS 6
#define SLUICE_PERMISSION_DENIED 7
#define SLUICE_RESOURCE_EXHAUSTED 8
#define SLUICE_FAILED_PRECONDITION 9
#define SLUICE_ABORTED 10
#define SLUICE_OUT_OF_RANGE 11
#define SLUICE_UNIMPLEMENTED 12
#define SLUICE_INTERNAL 13
#define SLUICE_UNAVAILABLE 14
#define SLUICE_DATA_LOSS 15
#define SLUICE_UNAUTHENTICATED 16

/* The status code of an error message from this API (its "<CODE>: "
 * prefix): SLUICE_OK for NULL, SLUICE_UNKNOWN for a message without a known
 * prefix. Thread-safe. */
SLUICE_C_EXPORT int sluice_error_code(const char* error);

/* Special times (int64 nanoseconds since the epoch). */
#define SLUICE_TIME_INFINITE_FUTURE INT64_MAX
#define SLUICE_TIME_INFINITE_PAST INT64_MIN

/* Formats of text passed in. */
#define SLUICE_FORMAT_TEXTPROTO 0 /* protocol buffer text format */
#define SLUICE_FORMAT_JSON 1      /* protocol buffer JSON mapping */
#define SLUICE_FORMAT_CSV 2       /* fleets only (sluice/fleet_io.h) */

/* ---- Fleets (sluice/fleet_io.h) -----------------------------------------
 * Immutable; thread-safe. */
typedef struct sluice_fleet_t sluice_fleet_t;

/* Loads a fleet file (.csv, .json, .textproto/.txtpb/.pbtxt). Errors are
 * prefixed with the path. Returns a new fleet or NULL. */
SLUICE_C_EXPORT sluice_fleet_t* sluice_fleet_load_file(const char* path,
                                                       char** errptr);
/* Parses `len` bytes of `data` in `format` (SLUICE_FORMAT_CSV, _TEXTPROTO
 * or _JSON). Returns a new fleet or NULL. */
SLUICE_C_EXPORT sluice_fleet_t* sluice_fleet_parse(const char* data, size_t len,
                                                   int format, char** errptr);
SLUICE_C_EXPORT void sluice_fleet_destroy(sluice_fleet_t* fleet);
/* The number of targets. */
SLUICE_C_EXPORT size_t sluice_fleet_size(const sluice_fleet_t* fleet);
/* Target `i`'s id, region and zone (borrowed), or NULL when i >= size. */
SLUICE_C_EXPORT const char* sluice_fleet_target_id(const sluice_fleet_t* fleet,
                                                   size_t i);
SLUICE_C_EXPORT const char* sluice_fleet_target_region(
    const sluice_fleet_t* fleet, size_t i);
SLUICE_C_EXPORT const char* sluice_fleet_target_zone(
    const sluice_fleet_t* fleet, size_t i);
/* Target `i`'s resource kind (Target::kind, e.g. "autoscaling_group";
 * "" for a server), borrowed, or NULL when i >= size. */
SLUICE_C_EXPORT const char* sluice_fleet_target_kind(
    const sluice_fleet_t* fleet, size_t i);
/* The zones of its region target `i` spans, as written (Target::zones; 0
 * for a target only in its own zone), and the j-th (borrowed; NULL when i
 * or j is out of range). */
SLUICE_C_EXPORT size_t
sluice_fleet_target_spanned_zone_count(const sluice_fleet_t* fleet, size_t i);
SLUICE_C_EXPORT const char* sluice_fleet_target_spanned_zone(
    const sluice_fleet_t* fleet, size_t i, size_t j);
/* The regions target `i` spans, as written (Target::regions; 0 for a target
 * only in its own region), and the j-th (borrowed; NULL when out of
 * range). */
SLUICE_C_EXPORT size_t
sluice_fleet_target_spanned_region_count(const sluice_fleet_t* fleet, size_t i);
SLUICE_C_EXPORT const char* sluice_fleet_target_spanned_region(
    const sluice_fleet_t* fleet, size_t i, size_t j);
/* The index of the target with `id`, or -1. */
SLUICE_C_EXPORT int64_t sluice_fleet_index_of(const sluice_fleet_t* fleet,
                                              const char* id);
/* The fleet as CSV (FleetToCsv); *len gets its length. Owned: sluice_free. */
SLUICE_C_EXPORT char* sluice_fleet_to_csv(const sluice_fleet_t* fleet,
                                          size_t* len);

/* ---- Specs (sluice/spec.h) ----------------------------------------------
 * A validated sluice.v1.RolloutSpec. Immutable; thread-safe. */
typedef struct sluice_spec_t sluice_spec_t;

/* Reads a spec file (.json is JSON, .textproto/.txtpb/.pbtxt text format).
 * Errors are prefixed with the path. Returns a new spec or NULL. */
SLUICE_C_EXPORT sluice_spec_t* sluice_spec_load_file(const char* path,
                                                     char** errptr);
/* Parses and validates `len` bytes in `format` (SLUICE_FORMAT_TEXTPROTO or
 * _JSON). Errors name the line or the field path. */
SLUICE_C_EXPORT sluice_spec_t* sluice_spec_parse(const char* data, size_t len,
                                                 int format, char** errptr);
SLUICE_C_EXPORT void sluice_spec_destroy(sluice_spec_t* spec);
/* The checks that need a fleet. Returns SLUICE_OK or the error's code. */
SLUICE_C_EXPORT int sluice_spec_validate_against(const sluice_spec_t* spec,
                                                 const sluice_fleet_t* fleet,
                                                 char** errptr);
/* The spec's name, service, version and previous_version (borrowed; the
 * service and previous_version may be ""). */
SLUICE_C_EXPORT const char* sluice_spec_name(const sluice_spec_t* spec);
SLUICE_C_EXPORT const char* sluice_spec_service(const sluice_spec_t* spec);
SLUICE_C_EXPORT const char* sluice_spec_version(const sluice_spec_t* spec);
SLUICE_C_EXPORT const char* sluice_spec_previous_version(
    const sluice_spec_t* spec);
/* One line for people. Owned: sluice_free. */
SLUICE_C_EXPORT char* sluice_spec_summary(const sluice_spec_t* spec);
/* The spec as JSON (sluice.v1.RolloutSpec). Owned: sluice_free. */
SLUICE_C_EXPORT char* sluice_spec_to_json(const sluice_spec_t* spec,
                                          size_t* len);

/* ---- Plans (sluice/wave_plan.h) -----------------------------------------
 * A wave plan made for one fleet. Immutable; thread-safe. */
typedef struct sluice_plan_t sluice_plan_t;

/* The spec's wave strategy applied to the fleet (NewScheduler(spec)->
 * Plan(fleet)). Errors e.g. "waves: is required". */
SLUICE_C_EXPORT sluice_plan_t* sluice_plan_from_spec(
    const sluice_spec_t* spec, const sluice_fleet_t* fleet, char** errptr);
/* A sluice.v1.WavePlan message (text format or JSON) resolved in `fleet`. */
SLUICE_C_EXPORT sluice_plan_t* sluice_plan_parse(const char* data, size_t len,
                                                 int format,
                                                 const sluice_fleet_t* fleet,
                                                 char** errptr);
SLUICE_C_EXPORT void sluice_plan_destroy(sluice_plan_t* plan);
/* The number of waves. */
SLUICE_C_EXPORT size_t sluice_plan_wave_count(const sluice_plan_t* plan);
/* The strategy's name (borrowed). */
SLUICE_C_EXPORT const char* sluice_plan_strategy(const sluice_plan_t* plan);
/* Wave `i`'s name and stage (borrowed), or NULL when i >= wave_count. */
SLUICE_C_EXPORT const char* sluice_plan_wave_name(const sluice_plan_t* plan,
                                                  size_t i);
SLUICE_C_EXPORT const char* sluice_plan_wave_stage(const sluice_plan_t* plan,
                                                   size_t i);
/* Wave `i`'s targets: their number, and the fleet index of the j-th (-1
 * when out of range). */
SLUICE_C_EXPORT size_t sluice_plan_wave_target_count(const sluice_plan_t* plan,
                                                     size_t i);
SLUICE_C_EXPORT int64_t sluice_plan_wave_target(const sluice_plan_t* plan,
                                                size_t i, size_t j);
/* Wave `i`'s bake, in nanoseconds (0 when out of range). */
SLUICE_C_EXPORT int64_t sluice_plan_wave_bake(const sluice_plan_t* plan,
                                              size_t i);
/* The plan as JSON (sluice.v1.WavePlan, targets by id). Owned. */
SLUICE_C_EXPORT char* sluice_plan_to_json(const sluice_plan_t* plan,
                                          size_t* len);

/* ---- Enums (ints across the ABI) ---------------------------------------- */

/* Rollout status (sluice::RolloutStatus). */
#define SLUICE_STATUS_PENDING 0
#define SLUICE_STATUS_RUNNING 1
#define SLUICE_STATUS_PAUSED 2
#define SLUICE_STATUS_ROLLING_BACK 3
#define SLUICE_STATUS_SUCCEEDED 4
#define SLUICE_STATUS_ROLLED_BACK 5
#define SLUICE_STATUS_ABORTED 6
#define SLUICE_STATUS_FAILED 7
/* Wave phase (sluice::WavePhase). */
#define SLUICE_PHASE_NOT_STARTED 0
#define SLUICE_PHASE_AWAITING_APPROVAL 1
#define SLUICE_PHASE_DEPLOYING 2
#define SLUICE_PHASE_VERIFYING 3
#define SLUICE_PHASE_BAKING 4
#define SLUICE_PHASE_RETRY_BACKOFF 5
#define SLUICE_PHASE_PASSED 6
#define SLUICE_PHASE_FAILED 7
/* Action kind (sluice::ActionKind). */
#define SLUICE_ACTION_DEPLOY 0
#define SLUICE_ACTION_SET_TRAFFIC 1
#define SLUICE_ACTION_ROLL_BACK 2
#define SLUICE_ACTION_WAIT 3
#define SLUICE_ACTION_REQUEST_APPROVAL 4
#define SLUICE_ACTION_NOTIFY 5
/* Blocker kind (sluice::Blocker::Kind). */
#define SLUICE_BLOCKER_ACTIONS_IN_FLIGHT 0
#define SLUICE_BLOCKER_GATE 1
#define SLUICE_BLOCKER_BAKE 2
#define SLUICE_BLOCKER_APPROVAL 3
#define SLUICE_BLOCKER_PAUSED 4
#define SLUICE_BLOCKER_RETRY_BACKOFF 5
#define SLUICE_BLOCKER_ROLLBACK 6
/* Event kind (sluice::EventKind). */
#define SLUICE_EVENT_ROLLOUT_STARTED 0
#define SLUICE_EVENT_WAVE_STARTED 1
#define SLUICE_EVENT_APPROVAL_REQUESTED 2
#define SLUICE_EVENT_WAVE_DEPLOYED 3
#define SLUICE_EVENT_GATE_VERDICT 4
#define SLUICE_EVENT_WAVE_PASSED 5
#define SLUICE_EVENT_WAVE_FAILED 6
#define SLUICE_EVENT_POLICY_DECISION 7
#define SLUICE_EVENT_ROLLBACK_STARTED 8
#define SLUICE_EVENT_ROLLBACK_FAILED 9
#define SLUICE_EVENT_ROLLBACK_COMPLETED 10
#define SLUICE_EVENT_ESCALATED 11
#define SLUICE_EVENT_OPERATOR_COMMAND 12
#define SLUICE_EVENT_ROLLOUT_FINISHED 13
#define SLUICE_EVENT_DEPLOY_RETRIED 14
#define SLUICE_EVENT_TARGETS_FAILED 15
#define SLUICE_EVENT_TARGETS_LEFT_BEHIND 16
#define SLUICE_EVENT_BACKGROUND_VERDICT 17
/* Gate outcome (sluice::Outcome). */
#define SLUICE_OUTCOME_PASS 0
#define SLUICE_OUTCOME_FAIL 1
#define SLUICE_OUTCOME_INCONCLUSIVE 2
#define SLUICE_OUTCOME_ERROR 3
#define SLUICE_OUTCOME_HOLD 4
/* Failure trigger (sluice::FailureTrigger). */
#define SLUICE_TRIGGER_GATE_FAIL 0
#define SLUICE_TRIGGER_GATE_INCONCLUSIVE 1
#define SLUICE_TRIGGER_GATE_ERROR 2
#define SLUICE_TRIGGER_DEPLOY_FAILURES 3
#define SLUICE_TRIGGER_PROGRESS_DEADLINE 4
#define SLUICE_TRIGGER_REJECTED 5
/* Rollback decision (sluice::Decision::Kind). */
#define SLUICE_DECISION_ROLL_BACK_ALL 0
#define SLUICE_DECISION_ROLL_BACK_CURRENT_WAVE_AND_PAUSE 1
#define SLUICE_DECISION_PAUSE_AND_ESCALATE 2
#define SLUICE_DECISION_RETRY_WAVE 3
/* Rollback order (sluice::RollbackOrder). */
#define SLUICE_ORDER_REVERSE_WAVES 0
#define SLUICE_ORDER_ALL_AT_ONCE 1
/* Baseline cohort (sluice::BaselineCohort). */
#define SLUICE_BASELINE_NEXT_WAVE 0
#define SLUICE_BASELINE_ALL_REMAINING 1
/* How a restore compares the configuration a snapshot records (the gate of
 * every wave, the rollback policy, the engine's limits, the spec's config
 * id) with the one given (sluice::RestoreOptions). */
#define SLUICE_CONFIG_CHECK 0         /* refuse another configuration */
#define SLUICE_CONFIG_ACCEPT_CHANGE 1 /* accept it; a config-change event */
#define SLUICE_CONFIG_UNCHECKED 2     /* do not compare; keep the record */
/* Metric cohort (sluice::Cohort). */
#define SLUICE_COHORT_WAVE 0
#define SLUICE_COHORT_BASELINE 1
#define SLUICE_COHORT_FLEET 2
/* Aggregation (sluice::AggregationKind); SLUICE_AGGREGATION_NONE: samples
 * wanted. */
#define SLUICE_AGGREGATION_NONE (-1)
#define SLUICE_AGGREGATION_MEAN 0
#define SLUICE_AGGREGATION_SUM 1
#define SLUICE_AGGREGATION_RATE 2
#define SLUICE_AGGREGATION_COUNT 3
#define SLUICE_AGGREGATION_MIN 4
#define SLUICE_AGGREGATION_MAX 5
#define SLUICE_AGGREGATION_QUANTILE 6
/* Alarm state (sluice::AlarmState). */
#define SLUICE_ALARM_OK 0
#define SLUICE_ALARM_ALARM 1
#define SLUICE_ALARM_INSUFFICIENT_DATA 2

/* The name of an enum value, e.g. sluice_status_name(SLUICE_STATUS_RUNNING)
 * is "running" (the C++ API's names); "" when out of range. Static storage.
 * Thread-safe. */
SLUICE_C_EXPORT const char* sluice_status_name(int status);
SLUICE_C_EXPORT const char* sluice_phase_name(int phase);
SLUICE_C_EXPORT const char* sluice_action_kind_name(int kind);
SLUICE_C_EXPORT const char* sluice_blocker_kind_name(int kind);
SLUICE_C_EXPORT const char* sluice_event_kind_name(int kind);
SLUICE_C_EXPORT const char* sluice_outcome_name(int outcome);
SLUICE_C_EXPORT const char* sluice_trigger_name(int trigger);
SLUICE_C_EXPORT const char* sluice_decision_kind_name(int kind);

/* ---- Events (sluice/rollout_event.h) ------------------------------------ */
typedef struct sluice_event_t sluice_event_t;
typedef struct sluice_event_sink_t sluice_event_sink_t;

/* An event sink: `on_event(state, event)` receives each event; `event` and
 * the strings read from it are valid only during the call. */
SLUICE_C_EXPORT sluice_event_sink_t* sluice_event_sink_create(
    void* state, void (*destructor)(void* state),
    void (*on_event)(void* state, const sluice_event_t* event));
/* Drops the caller's reference (the destructor runs when no rollout uses the
 * sink any more). */
SLUICE_C_EXPORT void sluice_event_sink_destroy(sluice_event_sink_t* sink);
/* The event's fields (strings borrowed; "" when unset). */
SLUICE_C_EXPORT int64_t sluice_event_sequence(const sluice_event_t* event);
SLUICE_C_EXPORT int64_t sluice_event_time(const sluice_event_t* event);
/* SLUICE_EVENT_*. */
SLUICE_C_EXPORT int sluice_event_kind(const sluice_event_t* event);
SLUICE_C_EXPORT const char* sluice_event_rollout(const sluice_event_t* event);
SLUICE_C_EXPORT int sluice_event_wave(const sluice_event_t* event);
SLUICE_C_EXPORT const char* sluice_event_action_id(const sluice_event_t* event);
SLUICE_C_EXPORT const char* sluice_event_command(const sluice_event_t* event);
SLUICE_C_EXPORT const char* sluice_event_who(const sluice_event_t* event);
SLUICE_C_EXPORT const char* sluice_event_message(const sluice_event_t* event);
/* The rollout's status after the event, by name ("running", ...). */
SLUICE_C_EXPORT const char* sluice_event_status(const sluice_event_t* event);
/* The whole event as one line of JSON (sluice.v1.Event, as `sluice run`
 * logs it), with every field above and the verdict, trigger and decision. */
SLUICE_C_EXPORT const char* sluice_event_json(const sluice_event_t* event);

/* ---- Metric and alarm sources (sluice/metric_source.h) ------------------ */
typedef struct sluice_metric_source_t sluice_metric_source_t;
typedef struct sluice_metric_query_t sluice_metric_query_t;
typedef struct sluice_metric_result_t sluice_metric_result_t;

/* A metric source: `query(state, query, result)` answers a query by calling
 * one of the sluice_metric_result_set_* functions on `result` (no call
 * means no data). Both pointers are valid only during the call. */
SLUICE_C_EXPORT sluice_metric_source_t* sluice_metric_source_create(
    void* state, void (*destructor)(void* state),
    void (*query)(void* state, const sluice_metric_query_t* query,
                  sluice_metric_result_t* result));
SLUICE_C_EXPORT void sluice_metric_source_destroy(
    sluice_metric_source_t* source);

/* The query's fields (strings borrowed). */
SLUICE_C_EXPORT const char* sluice_metric_query_metric(
    const sluice_metric_query_t* query);
/* The spec's provider-specific query text ("" when none). */
SLUICE_C_EXPORT const char* sluice_metric_query_text(
    const sluice_metric_query_t* query);
/* The value of the spec's parameter `key`, or NULL. */
SLUICE_C_EXPORT const char* sluice_metric_query_param(
    const sluice_metric_query_t* query, const char* key);
/* The spec's parameters: their number, and the i-th key and value (sorted
 * by key; NULL when i >= count). */
SLUICE_C_EXPORT size_t
sluice_metric_query_param_count(const sluice_metric_query_t* query);
SLUICE_C_EXPORT const char* sluice_metric_query_param_key(
    const sluice_metric_query_t* query, size_t i);
SLUICE_C_EXPORT const char* sluice_metric_query_param_value(
    const sluice_metric_query_t* query, size_t i);
/* SLUICE_COHORT_*. */
SLUICE_C_EXPORT int sluice_metric_query_cohort(
    const sluice_metric_query_t* query);
/* The cohort's target ids (none for SLUICE_COHORT_FLEET). */
SLUICE_C_EXPORT size_t
sluice_metric_query_target_count(const sluice_metric_query_t* query);
SLUICE_C_EXPORT const char* sluice_metric_query_target(
    const sluice_metric_query_t* query, size_t i);
SLUICE_C_EXPORT int sluice_metric_query_wave_index(
    const sluice_metric_query_t* query);
SLUICE_C_EXPORT const char* sluice_metric_query_stage(
    const sluice_metric_query_t* query);
/* The window [start, end). */
SLUICE_C_EXPORT int64_t
sluice_metric_query_start(const sluice_metric_query_t* query);
SLUICE_C_EXPORT int64_t
sluice_metric_query_end(const sluice_metric_query_t* query);
/* The aggregation the gate applies (SLUICE_AGGREGATION_NONE: samples
 * wanted) and, for SLUICE_AGGREGATION_QUANTILE, the quantile. */
SLUICE_C_EXPORT int sluice_metric_query_aggregation(
    const sluice_metric_query_t* query);
SLUICE_C_EXPORT double sluice_metric_query_quantile(
    const sluice_metric_query_t* query);

/* The answer: samples (times[i], values[i]; copied; n may be 0 = no data). */
SLUICE_C_EXPORT void sluice_metric_result_set_samples(
    sluice_metric_result_t* result, const int64_t* times, const double* values,
    size_t n);
/* One aggregated value (the query's aggregation) over `sample_count` points
 * (-1: unknown). */
SLUICE_C_EXPORT void sluice_metric_result_set_aggregate(
    sluice_metric_result_t* result, double value, int64_t sample_count);
/* Nothing recorded; `message` (may be NULL) says why. */
SLUICE_C_EXPORT void sluice_metric_result_set_no_data(
    sluice_metric_result_t* result, const char* message);
/* A failure: `code` is a SLUICE_* status code (SLUICE_UNAVAILABLE and
 * SLUICE_DEADLINE_EXCEEDED are retried); the gate reports `message`. A code
 * out of range or SLUICE_OK becomes SLUICE_UNKNOWN. */
SLUICE_C_EXPORT void sluice_metric_result_set_error(
    sluice_metric_result_t* result, int code, const char* message);

typedef struct sluice_alarm_source_t sluice_alarm_source_t;
typedef struct sluice_alarm_query_t sluice_alarm_query_t;
typedef struct sluice_alarm_result_t sluice_alarm_result_t;

/* An alarm source: `query(state, query, result)` adds one state per alarm
 * with sluice_alarm_result_add() (or sets an error). */
SLUICE_C_EXPORT sluice_alarm_source_t* sluice_alarm_source_create(
    void* state, void (*destructor)(void* state),
    void (*query)(void* state, const sluice_alarm_query_t* query,
                  sluice_alarm_result_t* result));
SLUICE_C_EXPORT void sluice_alarm_source_destroy(sluice_alarm_source_t* source);
/* The alarms asked for, the wave's target ids, the wave and the time. */
SLUICE_C_EXPORT size_t
sluice_alarm_query_alarm_count(const sluice_alarm_query_t* query);
SLUICE_C_EXPORT const char* sluice_alarm_query_alarm(
    const sluice_alarm_query_t* query, size_t i);
SLUICE_C_EXPORT size_t
sluice_alarm_query_target_count(const sluice_alarm_query_t* query);
SLUICE_C_EXPORT const char* sluice_alarm_query_target(
    const sluice_alarm_query_t* query, size_t i);
SLUICE_C_EXPORT int sluice_alarm_query_wave_index(
    const sluice_alarm_query_t* query);
SLUICE_C_EXPORT const char* sluice_alarm_query_stage(
    const sluice_alarm_query_t* query);
SLUICE_C_EXPORT int64_t
sluice_alarm_query_now(const sluice_alarm_query_t* query);
/* Adds alarm `name`'s state (SLUICE_ALARM_*; out of range: the answer
 * becomes an INVALID_ARGUMENT error naming the call) and reason (may be
 * NULL). */
SLUICE_C_EXPORT void sluice_alarm_result_add(sluice_alarm_result_t* result,
                                             const char* name, int state,
                                             const char* reason);
/* A failure, as sluice_metric_result_set_error(). */
SLUICE_C_EXPORT void sluice_alarm_result_set_error(
    sluice_alarm_result_t* result, int code, const char* message);

/* ---- Custom health gates (sluice/health_gate.h) -------------------------
 * A gate judges a wave: `evaluate(state, context, verdict)` reads the
 * context and sets the verdict with sluice_verdict_set() (no call: PASS).
 * Per-wave memory lives in the gate state text, which the engine keeps in
 * its snapshot (sluice_gate_context_memory / sluice_verdict_set_memory);
 * `state` itself is shared by every rollout using the gate. */
typedef struct sluice_gate_t sluice_gate_t;
typedef struct sluice_gate_context_t sluice_gate_context_t;
typedef struct sluice_verdict_t sluice_verdict_t;

/* `name` is copied. */
SLUICE_C_EXPORT sluice_gate_t* sluice_gate_create(
    void* state, void (*destructor)(void* state), const char* name,
    void (*evaluate)(void* state, const sluice_gate_context_t* context,
                     sluice_verdict_t* verdict));
SLUICE_C_EXPORT void sluice_gate_destroy(sluice_gate_t* gate);
/* The context: the time, the wave, its targets and the baseline's. */
SLUICE_C_EXPORT int64_t
sluice_gate_context_now(const sluice_gate_context_t* context);
SLUICE_C_EXPORT int sluice_gate_context_wave_index(
    const sluice_gate_context_t* context);
SLUICE_C_EXPORT const char* sluice_gate_context_wave_name(
    const sluice_gate_context_t* context);
SLUICE_C_EXPORT const char* sluice_gate_context_stage(
    const sluice_gate_context_t* context);
/* When the wave finished deploying (SLUICE_TIME_INFINITE_PAST: unknown). */
SLUICE_C_EXPORT int64_t
sluice_gate_context_wave_deployed_at(const sluice_gate_context_t* context);
/* When this gate was first evaluated for the wave. */
SLUICE_C_EXPORT int64_t
sluice_gate_context_started_at(const sluice_gate_context_t* context);
SLUICE_C_EXPORT size_t
sluice_gate_context_wave_target_count(const sluice_gate_context_t* context);
SLUICE_C_EXPORT const char* sluice_gate_context_wave_target(
    const sluice_gate_context_t* context, size_t i);
SLUICE_C_EXPORT size_t
sluice_gate_context_baseline_target_count(const sluice_gate_context_t* context);
SLUICE_C_EXPORT const char* sluice_gate_context_baseline_target(
    const sluice_gate_context_t* context, size_t i);
/* Targets earlier waves moved to the new version and that still run it
 * (GateContext::settled_targets), in plan order; i out of range: NULL. */
SLUICE_C_EXPORT size_t
sluice_gate_context_settled_target_count(const sluice_gate_context_t* context);
SLUICE_C_EXPORT const char* sluice_gate_context_settled_target(
    const sluice_gate_context_t* context, size_t i);
/* The gate's per-wave memory text ("" at the wave's first evaluation). */
SLUICE_C_EXPORT const char* sluice_gate_context_memory(
    const sluice_gate_context_t* context);
/* The decision: SLUICE_OUTCOME_* (out of range: the verdict becomes ERROR
 * naming the call), a reason (may be NULL) and, for HOLD, when to ask
 * again. */
SLUICE_C_EXPORT void sluice_verdict_set(sluice_verdict_t* verdict, int outcome,
                                        const char* reason, int64_t hold_until);
/* Replaces the gate's per-wave memory text (copied). */
SLUICE_C_EXPORT void sluice_verdict_set_memory(sluice_verdict_t* verdict,
                                               const char* memory);

/* ---- Custom rollback policies (sluice/rollback_policy.h) ----------------
 * `decide(state, failure, decision)` reads the failure and sets the
 * decision with sluice_decision_set() (no call: roll back all, reverse
 * waves). */
typedef struct sluice_rollback_policy_t sluice_rollback_policy_t;
typedef struct sluice_failure_t sluice_failure_t;
typedef struct sluice_decision_t sluice_decision_t;

/* `name` is copied. */
SLUICE_C_EXPORT sluice_rollback_policy_t* sluice_rollback_policy_create(
    void* state, void (*destructor)(void* state), const char* name,
    void (*decide)(void* state, const sluice_failure_t* failure,
                   sluice_decision_t* decision));
/* A built-in policy by its spec name: "default", "roll-back-all",
 * "roll-back-all-at-once", "roll-back-current-wave", "pause-and-escalate".
 * Returns a new policy or NULL (INVALID_ARGUMENT naming the name). */
SLUICE_C_EXPORT sluice_rollback_policy_t* sluice_rollback_policy_builtin(
    const char* name, char** errptr);
SLUICE_C_EXPORT void sluice_rollback_policy_destroy(
    sluice_rollback_policy_t* policy);
/* The failure: SLUICE_TRIGGER_*, the wave, the wave count, the stage, the
 * attempt (1 on the first failure), the time, a reason, the failed target
 * count, whether anything is deployed, and the gate's outcome (-1 when the
 * trigger is not a gate's). */
SLUICE_C_EXPORT int sluice_failure_trigger(const sluice_failure_t* failure);
SLUICE_C_EXPORT int sluice_failure_wave_index(const sluice_failure_t* failure);
SLUICE_C_EXPORT int sluice_failure_wave_count(const sluice_failure_t* failure);
SLUICE_C_EXPORT const char* sluice_failure_stage(
    const sluice_failure_t* failure);
SLUICE_C_EXPORT int sluice_failure_attempt(const sluice_failure_t* failure);
SLUICE_C_EXPORT int64_t sluice_failure_now(const sluice_failure_t* failure);
SLUICE_C_EXPORT const char* sluice_failure_reason(
    const sluice_failure_t* failure);
SLUICE_C_EXPORT int64_t
sluice_failure_failed_targets(const sluice_failure_t* failure);
SLUICE_C_EXPORT int sluice_failure_anything_deployed(
    const sluice_failure_t* failure);
SLUICE_C_EXPORT int sluice_failure_verdict_outcome(
    const sluice_failure_t* failure);
/* The decision: SLUICE_DECISION_*, SLUICE_ORDER_* (for ROLL_BACK_ALL), the
 * retry wait in ns (for RETRY_WAVE, >= 0), whether to escalate, and a
 * reason (may be NULL). Out of range: the decision becomes PAUSE_AND_
 * ESCALATE with a reason naming the call and the value (a person looks). */
SLUICE_C_EXPORT void sluice_decision_set(sluice_decision_t* decision, int kind,
                                         int order, int64_t retry_after,
                                         int escalate, const char* reason);

/* ---- Rollout options (sluice::RolloutOptions) ---------------------------
 * Built by one thread, then read by the rollouts made from it (each takes
 * a copy: changing the options later does not affect them). */
typedef struct sluice_options_t sluice_options_t;

/* Defaults as RolloutOptions: progress deadline 10 min, approval timeout
 * 24 h, 3 rollback attempts, 30 s rollback retry backoff, abort all at
 * once, baseline the next wave, no gates, sources or sink. */
SLUICE_C_EXPORT sluice_options_t* sluice_options_create(void);
SLUICE_C_EXPORT void sluice_options_destroy(sluice_options_t* options);
/* Strings are copied. */
SLUICE_C_EXPORT void sluice_options_set_name(sluice_options_t* options,
                                             const char* name);
SLUICE_C_EXPORT void sluice_options_set_version(sluice_options_t* options,
                                                const char* version);
SLUICE_C_EXPORT void sluice_options_set_previous_version(
    sluice_options_t* options, const char* previous_version);
/* Durations in ns; checked when the rollout is made. */
SLUICE_C_EXPORT void sluice_options_set_progress_deadline(
    sluice_options_t* options, int64_t deadline);
SLUICE_C_EXPORT void sluice_options_set_approval_timeout(
    sluice_options_t* options, int64_t timeout);
SLUICE_C_EXPORT void sluice_options_set_rollback_retry_backoff(
    sluice_options_t* options, int64_t backoff);
SLUICE_C_EXPORT void sluice_options_set_rollback_attempts(
    sluice_options_t* options, int attempts);
/* Wave `wave` waits for sluice_rollout_approve() before it deploys. */
SLUICE_C_EXPORT void sluice_options_add_approval_wave(sluice_options_t* options,
                                                      int wave);
/* SLUICE_ORDER_*; SLUICE_BASELINE_*. Return SLUICE_OK or
 * SLUICE_INVALID_ARGUMENT (out of range; nothing changes). */
SLUICE_C_EXPORT int sluice_options_set_abort_order(sluice_options_t* options,
                                                   int order, char** errptr);
SLUICE_C_EXPORT int sluice_options_set_baseline(sluice_options_t* options,
                                                int baseline, char** errptr);
/* Shared references (NULL clears). The sources, sink, gates and policy
 * stay alive as long as any options or rollout uses them. */
SLUICE_C_EXPORT void sluice_options_set_metric_source(
    sluice_options_t* options, sluice_metric_source_t* source);
SLUICE_C_EXPORT void sluice_options_set_alarm_source(
    sluice_options_t* options, sluice_alarm_source_t* source);
SLUICE_C_EXPORT void sluice_options_set_event_sink(sluice_options_t* options,
                                                   sluice_event_sink_t* sink);
/* The gate for waves whose stage has no gate of its own. */
SLUICE_C_EXPORT void sluice_options_set_gate(sluice_options_t* options,
                                             sluice_gate_t* gate);
/* The gate of the waves of `stage` (copied). */
SLUICE_C_EXPORT void sluice_options_set_stage_gate(sluice_options_t* options,
                                                   const char* stage,
                                                   sluice_gate_t* gate);
/* What a failed wave leads to (NULL: the default policy). */
SLUICE_C_EXPORT void sluice_options_set_rollback_policy(
    sluice_options_t* options, sluice_rollback_policy_t* policy);
/* How sluice_rollout_restore() and sluice_rollout_restore_from_spec()
 * compare the snapshot's configuration with the one given: SLUICE_CONFIG_*.
 * Default: SLUICE_CONFIG_CHECK (a snapshot made under other gates, another
 * rollback policy or other limits is refused with INVALID_ARGUMENT
 * "snapshot: config: made under another configuration: ..."). With
 * SLUICE_CONFIG_ACCEPT_CHANGE the change is intended and recorded as an
 * operator-command event "config-change" by `who` (copied; may be NULL).
 * SLUICE_CONFIG_UNCHECKED is for tools that only apply a command without
 * the gates. Returns SLUICE_OK or SLUICE_INVALID_ARGUMENT (out of range;
 * nothing changes). */
SLUICE_C_EXPORT int sluice_options_set_restore_config(sluice_options_t* options,
                                                      int mode, const char* who,
                                                      char** errptr);

/* ---- Actions and blockers (sluice/action.h, sluice/blocker.h) -----------
 * Immutable lists; thread-safe. Out-of-range `i`: 0, -1 or NULL. */
typedef struct sluice_actions_t sluice_actions_t;

SLUICE_C_EXPORT void sluice_actions_destroy(sluice_actions_t* actions);
SLUICE_C_EXPORT size_t sluice_actions_count(const sluice_actions_t* actions);
SLUICE_C_EXPORT const char* sluice_actions_id(const sluice_actions_t* actions,
                                              size_t i);
/* SLUICE_ACTION_*. */
SLUICE_C_EXPORT int sluice_actions_kind(const sluice_actions_t* actions,
                                        size_t i);
SLUICE_C_EXPORT int sluice_actions_wave(const sluice_actions_t* actions,
                                        size_t i);
SLUICE_C_EXPORT const char* sluice_actions_version(
    const sluice_actions_t* actions, size_t i);
/* The action's targets: their number and the fleet index of the j-th. */
SLUICE_C_EXPORT size_t
sluice_actions_target_count(const sluice_actions_t* actions, size_t i);
SLUICE_C_EXPORT int64_t sluice_actions_target(const sluice_actions_t* actions,
                                              size_t i, size_t j);
/* The traffic percent (SET_TRAFFIC, traffic ROLL_BACK), or -1 when unset. */
SLUICE_C_EXPORT double sluice_actions_traffic_percent(
    const sluice_actions_t* actions, size_t i);
/* WAIT: when to advance again. */
SLUICE_C_EXPORT int64_t
sluice_actions_wait_until(const sluice_actions_t* actions, size_t i);
SLUICE_C_EXPORT const char* sluice_actions_message(
    const sluice_actions_t* actions, size_t i);
SLUICE_C_EXPORT int sluice_actions_escalate(const sluice_actions_t* actions,
                                            size_t i);
/* 1 for DEPLOY, SET_TRAFFIC and ROLL_BACK: the host reports an outcome. */
SLUICE_C_EXPORT int sluice_actions_needs_outcome(
    const sluice_actions_t* actions, size_t i);

typedef struct sluice_blockers_t sluice_blockers_t;

SLUICE_C_EXPORT void sluice_blockers_destroy(sluice_blockers_t* blockers);
SLUICE_C_EXPORT size_t sluice_blockers_count(const sluice_blockers_t* blockers);
/* SLUICE_BLOCKER_*. */
SLUICE_C_EXPORT int sluice_blockers_kind(const sluice_blockers_t* blockers,
                                         size_t i);
SLUICE_C_EXPORT const char* sluice_blockers_name(
    const sluice_blockers_t* blockers, size_t i);
SLUICE_C_EXPORT const char* sluice_blockers_reason(
    const sluice_blockers_t* blockers, size_t i);
/* Since when (SLUICE_TIME_INFINITE_PAST: unknown) and until when
 * (SLUICE_TIME_INFINITE_PAST: unset; _FUTURE: until a person acts). */
SLUICE_C_EXPORT int64_t sluice_blockers_since(const sluice_blockers_t* blockers,
                                              size_t i);
SLUICE_C_EXPORT int64_t sluice_blockers_until(const sluice_blockers_t* blockers,
                                              size_t i);
/* One line for people, as `sluice status` prints it (DescribeBlocker at the
 * time the list was made). */
SLUICE_C_EXPORT const char* sluice_blockers_describe(
    const sluice_blockers_t* blockers, size_t i);

/* ---- Rollouts (sluice/rollout.h) ----------------------------------------
 * Not thread-safe: one thread at a time per rollout. The rollout keeps its
 * fleet, plan and options' objects alive. */
typedef struct sluice_rollout_t sluice_rollout_t;

/* Rollout::Create: validates and makes a rollout of `plan` (made for
 * `fleet`) in PENDING. */
SLUICE_C_EXPORT sluice_rollout_t* sluice_rollout_create(
    const sluice_fleet_t* fleet, const sluice_plan_t* plan,
    const sluice_options_t* options, char** errptr);
/* Rollout::FromSpec: everything from the spec and the fleet (plan, gates,
 * rollback policy, versions); `options` (may be NULL) supplies the sources,
 * the sink, approvals and previous_version when the spec has none. */
SLUICE_C_EXPORT sluice_rollout_t* sluice_rollout_from_spec(
    const sluice_spec_t* spec, const sluice_fleet_t* fleet,
    const sluice_options_t* options, char** errptr);
/* Rollout::FromSpec with a plan: the name, versions, rollback policy and
 * engine limits from the spec, the waves from `plan` (made for `fleet`), the
 * gates, sources and sink from `options` (may be NULL): e.g. a spec's
 * rollback policy with custom gates. */
SLUICE_C_EXPORT sluice_rollout_t* sluice_rollout_from_spec_and_plan(
    const sluice_spec_t* spec, const sluice_fleet_t* fleet,
    const sluice_plan_t* plan, const sluice_options_t* options, char** errptr);
/* Rollout::Restore: continues from snapshot bytes, comparing the
 * configuration the snapshot records with `options` (gates, rollback policy,
 * limits) as sluice_options_set_restore_config() says (default: refuse a
 * change). */
SLUICE_C_EXPORT sluice_rollout_t* sluice_rollout_restore(
    const sluice_fleet_t* fleet, const sluice_options_t* options,
    const char* snapshot, size_t len, char** errptr);
/* Rollout::RestoreFromSpec: continues a rollout made by
 * sluice_rollout_from_spec() from the same spec (gates, rollback policy,
 * limits and config id built from the spec); `options` (may be NULL)
 * supplies the sources, the sink and the restore config mode. A spec whose
 * waves, metrics, gates or rollback changed since the snapshot is refused
 * unless the mode is SLUICE_CONFIG_ACCEPT_CHANGE. */
SLUICE_C_EXPORT sluice_rollout_t* sluice_rollout_restore_from_spec(
    const sluice_spec_t* spec, const sluice_fleet_t* fleet,
    const sluice_options_t* options, const char* snapshot, size_t len,
    char** errptr);
SLUICE_C_EXPORT void sluice_rollout_destroy(sluice_rollout_t* rollout);

/* Steps the state machine at `now`; returns the new actions (a new list,
 * possibly empty) or NULL on error. Gates, sources, sinks and policies are
 * called from inside. */
SLUICE_C_EXPORT sluice_actions_t* sluice_rollout_advance(
    sluice_rollout_t* rollout, int64_t now, char** errptr);
/* Reports per-target outcomes of a deploy or rollback action: `n` targets
 * (fleet indices), succeeded[i] nonzero for success, reasons[i] for
 * failures (`reasons` or its entries may be NULL). */
SLUICE_C_EXPORT int sluice_rollout_report_outcome(
    sluice_rollout_t* rollout, const char* action_id, const int64_t* targets,
    const int* succeeded, const char* const* reasons, size_t n, int64_t now,
    char** errptr);
/* One outcome for all remaining targets (and for set-traffic actions). */
SLUICE_C_EXPORT int sluice_rollout_report_action_outcome(
    sluice_rollout_t* rollout, const char* action_id, int succeeded,
    const char* reason, int64_t now, char** errptr);

/* Operator commands; `who` is recorded in the event. Return SLUICE_OK, or
 * FAILED_PRECONDITION naming the call and the state. */
SLUICE_C_EXPORT int sluice_rollout_pause(sluice_rollout_t* rollout,
                                         const char* who, int64_t now,
                                         char** errptr);
SLUICE_C_EXPORT int sluice_rollout_resume(sluice_rollout_t* rollout,
                                          const char* who, int64_t now,
                                          char** errptr);
SLUICE_C_EXPORT int sluice_rollout_abort(sluice_rollout_t* rollout,
                                         const char* who, int64_t now,
                                         char** errptr);
SLUICE_C_EXPORT int sluice_rollout_promote(sluice_rollout_t* rollout,
                                           const char* who, int64_t now,
                                           char** errptr);
SLUICE_C_EXPORT int sluice_rollout_retry(sluice_rollout_t* rollout,
                                         const char* who, int64_t now,
                                         char** errptr);
SLUICE_C_EXPORT int sluice_rollout_approve(sluice_rollout_t* rollout,
                                           const char* who, int64_t now,
                                           char** errptr);
SLUICE_C_EXPORT int sluice_rollout_reject(sluice_rollout_t* rollout,
                                          const char* who, int64_t now,
                                          char** errptr);
SLUICE_C_EXPORT int sluice_rollout_supersede(sluice_rollout_t* rollout,
                                             const char* version,
                                             const char* who, int64_t now,
                                             char** errptr);

/* What holds the current wave at `now` (a new list). */
SLUICE_C_EXPORT sluice_blockers_t* sluice_rollout_blockers(
    const sluice_rollout_t* rollout, int64_t now);
/* The issued actions still awaiting outcomes (a new list). */
SLUICE_C_EXPORT sluice_actions_t* sluice_rollout_pending_actions(
    const sluice_rollout_t* rollout);
/* SLUICE_STATUS_*; 1 when the status is terminal. */
SLUICE_C_EXPORT int sluice_rollout_status(const sluice_rollout_t* rollout);
SLUICE_C_EXPORT int sluice_rollout_is_terminal(const sluice_rollout_t* rollout);
/* The current wave (-1 before the first) and its SLUICE_PHASE_*. */
SLUICE_C_EXPORT int sluice_rollout_current_wave(
    const sluice_rollout_t* rollout);
SLUICE_C_EXPORT int sluice_rollout_wave_phase(const sluice_rollout_t* rollout);
/* The versions (borrowed; valid until the next call on the rollout). */
SLUICE_C_EXPORT const char* sluice_rollout_version(
    const sluice_rollout_t* rollout);
SLUICE_C_EXPORT const char* sluice_rollout_previous_version(
    const sluice_rollout_t* rollout);
/* A copy of the plan (a new plan). */
SLUICE_C_EXPORT sluice_plan_t* sluice_rollout_plan(
    const sluice_rollout_t* rollout);
/* The earliest time advance() has something to do without new input. */
SLUICE_C_EXPORT int64_t
sluice_rollout_next_wakeup(const sluice_rollout_t* rollout);
/* 1 when target `i` runs the new version as far as the engine knows. */
SLUICE_C_EXPORT int sluice_rollout_runs_new_version(
    const sluice_rollout_t* rollout, size_t i);
SLUICE_C_EXPORT int64_t
sluice_rollout_event_sequence(const sluice_rollout_t* rollout);
SLUICE_C_EXPORT int64_t
sluice_rollout_state_version(const sluice_rollout_t* rollout);
/* The whole state as sluice.v1.RolloutState bytes (may hold NULs; *len gets
 * the length). Owned: sluice_free. */
SLUICE_C_EXPORT char* sluice_rollout_snapshot(const sluice_rollout_t* rollout,
                                              size_t* len);

/* ---- The judge (sluice/judge_proto.h) -----------------------------------
 * Kayenta's canary judge on samples the host already has. */
typedef struct sluice_judge_samples_t {
  const char* name;      /* the metric's name in the config */
  const double* control; /* the baseline's samples */
  size_t control_count;
  const double* experiment; /* the canary's samples */
  size_t experiment_count;
} sluice_judge_samples_t;

/* Judges `n` metrics' samples with a sluice.v1.KayentaJudgeSpec config
 * (`len` bytes in SLUICE_FORMAT_TEXTPROTO or _JSON). Returns the
 * sluice.v1.JudgeResult as JSON (owned; *result_len gets its length) or
 * NULL. Thread-safe. */
SLUICE_C_EXPORT char* sluice_judge(const char* config, size_t len, int format,
                                   const sluice_judge_samples_t* samples,
                                   size_t n, size_t* result_len, char** errptr);

/* ---- The simulator (sluice/sim/simulator.h) -----------------------------
 * Immutable; thread-safe. */
typedef struct sluice_scenario_t sluice_scenario_t;

/* A scenario (sluice.v1.Scenario) from a file (a background's CSV path is
 * relative to the file) or from bytes (SLUICE_FORMAT_TEXTPROTO / _JSON;
 * paths relative to the working directory). */
SLUICE_C_EXPORT sluice_scenario_t* sluice_scenario_load_file(const char* path,
                                                             char** errptr);
SLUICE_C_EXPORT sluice_scenario_t* sluice_scenario_parse(const char* data,
                                                         size_t len, int format,
                                                         char** errptr);
SLUICE_C_EXPORT void sluice_scenario_destroy(sluice_scenario_t* scenario);

/* Simulates `runs` (>= 1) rollouts of `spec` on `fleet` in `scenario` with
 * study seed `seed` on `threads` worker threads (0: one per core; the
 * result does not depend on it). Returns JSON (owned; *len gets its
 * length): {"summary": sluice.v1.SimulationSummary, "runs": [sluice.v1.
 * RunOutcome, ...]} or NULL. */
SLUICE_C_EXPORT char* sluice_simulate(const sluice_spec_t* spec,
                                      const sluice_fleet_t* fleet,
                                      const sluice_scenario_t* scenario,
                                      int64_t runs, uint64_t seed, int threads,
                                      size_t* len, char** errptr);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLUICE_C_H_ */
