/* Copyright 2026 The Sluice Authors.
 *
 * The C API's test, in C11 (-Wall -Wextra -pedantic -Werror): every
 * function of include/sluice/c.h, the callbacks and the error paths. Runs
 * from the source root (it reads examples/). Under the asan stage, LSan
 * checks that every handle and string is released. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/c.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++checks;                                                                  \
    if (!(cond)) {                                                             \
      ++failures;                                                              \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_STR(a, b) CHECK((a) != NULL && strcmp((a), (b)) == 0)
#define CHECK_CONTAINS(a, b) CHECK((a) != NULL && strstr((a), (b)) != NULL)

/* Checks that `err` is set with `code` and contains `text`, then frees it. */
#define CHECK_ERROR(err, code, text)                 \
  do {                                               \
    CHECK((err) != NULL);                            \
    if ((err) != NULL) {                             \
      CHECK(sluice_error_code(err) == (code));       \
      if (strstr((err), (text)) == NULL) {           \
        fprintf(stderr, "  error was: %s\n", (err)); \
      }                                              \
      CHECK_CONTAINS((err), (text));                 \
      sluice_free(err);                              \
      (err) = NULL;                                  \
    }                                                \
  } while (0)

#define SECOND INT64_C(1000000000)
#define MINUTE (60 * SECOND)
/* 2026-12-01T00:00:00Z */
#define T0 (INT64_C(1796083200) * SECOND)

static const char kFleetCsv[] =
    "id,region,zone\n"
    "a,r1,z1\n"
    "b,r1,z2\n"
    "c,r2,z3\n";

static const char kPlanText[] =
    "strategy: \"hand\"\n"
    "waves { name: \"one\" stage: \"canary\" targets: \"a\" }\n"
    "waves { name: \"rest\" stage: \"rest\" targets: \"b\" targets: \"c\" "
    "bake { seconds: 60 } }\n";

static sluice_fleet_t* small_fleet(void) {
  char* err = NULL;
  sluice_fleet_t* fleet =
      sluice_fleet_parse(kFleetCsv, strlen(kFleetCsv), SLUICE_FORMAT_CSV, &err);
  CHECK(fleet != NULL);
  CHECK(err == NULL);
  return fleet;
}

static sluice_plan_t* small_plan(const sluice_fleet_t* fleet) {
  char* err = NULL;
  sluice_plan_t* plan = sluice_plan_parse(kPlanText, strlen(kPlanText),
                                          SLUICE_FORMAT_TEXTPROTO, fleet, &err);
  CHECK(plan != NULL);
  CHECK(err == NULL);
  return plan;
}

/* Advances and reports every outcome as a success (or, for targets in
 * `fail_target`, a failure) until the rollout is terminal, a request for
 * approval comes, or `steps` advances were made. Returns the number of
 * approval requests seen. */
static int drive(sluice_rollout_t* rollout, int64_t* now, int steps,
                 int64_t fail_target) {
  int approvals = 0;
  for (int step = 0; step < steps && !sluice_rollout_is_terminal(rollout);
       ++step) {
    char* err = NULL;
    sluice_actions_t* actions = sluice_rollout_advance(rollout, *now, &err);
    CHECK(actions != NULL);
    if (actions == NULL) {
      fprintf(stderr, "  advance: %s\n", err);
      sluice_free(err);
      return approvals;
    }
    for (size_t i = 0; i < sluice_actions_count(actions); ++i) {
      int kind = sluice_actions_kind(actions, i);
      if (kind == SLUICE_ACTION_REQUEST_APPROVAL) ++approvals;
      if (!sluice_actions_needs_outcome(actions, i)) continue;
      const char* id = sluice_actions_id(actions, i);
      size_t n = sluice_actions_target_count(actions, i);
      if (n == 0) {
        CHECK(sluice_rollout_report_action_outcome(rollout, id, 1, NULL, *now,
                                                   &err) == SLUICE_OK);
        continue;
      }
      int64_t targets[64];
      int succeeded[64];
      const char* reasons[64];
      CHECK(n <= 64);
      for (size_t j = 0; j < n && j < 64; ++j) {
        targets[j] = sluice_actions_target(actions, i, j);
        succeeded[j] =
            kind == SLUICE_ACTION_ROLL_BACK || targets[j] != fail_target;
        reasons[j] = succeeded[j] ? NULL : "disk full";
      }
      CHECK(sluice_rollout_report_outcome(rollout, id, targets, succeeded,
                                          reasons, n < 64 ? n : 64, *now,
                                          &err) == SLUICE_OK);
      if (err != NULL) {
        fprintf(stderr, "  report: %s\n", err);
        sluice_free(err);
        err = NULL;
      }
    }
    sluice_actions_destroy(actions);
    if (approvals > 0) return approvals;
    *now += MINUTE;
  }
  return approvals;
}

/* ---- Version, errors, names ---------------------------------------------- */

static void test_version_and_errors(void) {
  CHECK_STR(sluice_version(), SLUICE_C_VERSION);
  CHECK(sluice_abi_version() == SLUICE_C_ABI_VERSION);
  CHECK(sluice_error_code(NULL) == SLUICE_OK);
  CHECK(sluice_error_code("INVALID_ARGUMENT: x") == SLUICE_INVALID_ARGUMENT);
  CHECK(sluice_error_code("FAILED_PRECONDITION: y") ==
        SLUICE_FAILED_PRECONDITION);
  CHECK(sluice_error_code("UNAUTHENTICATED: z") == SLUICE_UNAUTHENTICATED);
  CHECK(sluice_error_code("no prefix") == SLUICE_UNKNOWN);
  sluice_free(NULL);

  CHECK_STR(sluice_status_name(SLUICE_STATUS_ROLLING_BACK), "rolling-back");
  CHECK_STR(sluice_status_name(8), "");
  CHECK_STR(sluice_status_name(-1), "");
  CHECK_STR(sluice_phase_name(SLUICE_PHASE_AWAITING_APPROVAL),
            "awaiting-approval");
  CHECK_STR(sluice_action_kind_name(SLUICE_ACTION_DEPLOY), "deploy");
  CHECK_STR(sluice_action_kind_name(6), "");
  CHECK(strlen(sluice_blocker_kind_name(SLUICE_BLOCKER_APPROVAL)) > 0);
  CHECK_STR(sluice_blocker_kind_name(7), "");
  CHECK(strlen(sluice_event_kind_name(SLUICE_EVENT_ROLLOUT_FINISHED)) > 0);
  CHECK_STR(sluice_event_kind_name(SLUICE_EVENT_BACKGROUND_VERDICT),
            "background-verdict");
  CHECK_STR(sluice_event_kind_name(18), "");
  CHECK_STR(sluice_outcome_name(SLUICE_OUTCOME_HOLD), "HOLD");
  CHECK_STR(sluice_outcome_name(5), "");
  CHECK(strlen(sluice_trigger_name(SLUICE_TRIGGER_REJECTED)) > 0);
  CHECK_STR(sluice_trigger_name(6), "");
  CHECK(strlen(sluice_decision_kind_name(SLUICE_DECISION_RETRY_WAVE)) > 0);
  CHECK_STR(sluice_decision_kind_name(4), "");
}

/* ---- Fleets, specs, plans ------------------------------------------------ */

static void test_fleets(void) {
  char* err = NULL;
  sluice_fleet_t* fleet = small_fleet();
  CHECK(sluice_fleet_size(fleet) == 3);
  CHECK_STR(sluice_fleet_target_id(fleet, 1), "b");
  CHECK_STR(sluice_fleet_target_region(fleet, 2), "r2");
  CHECK_STR(sluice_fleet_target_zone(fleet, 0), "z1");
  CHECK(sluice_fleet_target_id(fleet, 3) == NULL);
  CHECK(sluice_fleet_target_region(fleet, 3) == NULL);
  CHECK(sluice_fleet_target_zone(fleet, 3) == NULL);
  CHECK(sluice_fleet_index_of(fleet, "c") == 2);
  CHECK(sluice_fleet_index_of(fleet, "zz") == -1);
  size_t len = 0;
  char* csv = sluice_fleet_to_csv(fleet, &len);
  CHECK(csv != NULL && len == strlen(csv));
  CHECK_CONTAINS(csv, "c,r2,z3");
  /* The CSV reads back to the same fleet. */
  sluice_fleet_t* again = sluice_fleet_parse(csv, len, SLUICE_FORMAT_CSV, &err);
  CHECK(again != NULL && sluice_fleet_size(again) == 3);
  sluice_fleet_destroy(again);
  sluice_free(csv);

  sluice_fleet_t* file =
      sluice_fleet_load_file("examples/fleets/three_regions.csv", &err);
  CHECK(file != NULL);
  CHECK(sluice_fleet_size(file) == 36);
  sluice_fleet_destroy(file);

  static const char kJson[] =
      "{\"targets\": [{\"id\": \"x\", \"region\": \"r\", \"zone\": \"z\"}]}";
  sluice_fleet_t* json =
      sluice_fleet_parse(kJson, strlen(kJson), SLUICE_FORMAT_JSON, &err);
  CHECK(json != NULL && sluice_fleet_size(json) == 1);
  if (json == NULL) fprintf(stderr, "  json fleet: %s\n", err);
  sluice_fleet_destroy(json);
  static const char kText[] =
      "targets { id: \"x\" region: \"r\" zone: \"z\" }\n"
      "targets { id: \"y\" region: \"r\" zone: \"z\" }\n";
  sluice_fleet_t* text =
      sluice_fleet_parse(kText, strlen(kText), SLUICE_FORMAT_TEXTPROTO, &err);
  CHECK(text != NULL && sluice_fleet_size(text) == 2);
  if (text == NULL) fprintf(stderr, "  text fleet: %s\n", err);
  sluice_fleet_destroy(text);

  /* Errors: the C++ messages, a reused errptr, out-of-range formats. */
  CHECK(sluice_fleet_load_file("no/such/fleet.csv", &err) == NULL);
  CHECK_ERROR(err, SLUICE_NOT_FOUND, "no/such/fleet.csv");
  static const char kBad[] = "id,region,zone,weight\na,r,z,-1\n";
  CHECK(sluice_fleet_parse(kBad, strlen(kBad), SLUICE_FORMAT_CSV, &err) ==
        NULL);
  CHECK(err != NULL);
  /* A second failure replaces (and frees) the first message. */
  CHECK(sluice_fleet_parse(kBad, strlen(kBad), 7, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT,
              "sluice_fleet_parse: format must be in [0, 2] (got 7)");
  CHECK(sluice_fleet_parse(NULL, 5, SLUICE_FORMAT_CSV, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "data must not be NULL");
  CHECK(sluice_fleet_load_file(NULL, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "path must not be NULL");
  /* NULL handles are ignored by accessors and destroy functions. */
  CHECK(sluice_fleet_size(NULL) == 0);
  sluice_fleet_destroy(NULL);
  sluice_fleet_destroy(fleet);
}

/* Infrastructure targets: the kind and the zones or regions a resource
 * spans (Target::kind, zones, regions). */
static void test_fleet_infrastructure_targets(void) {
  char* err = NULL;
  sluice_fleet_t* fleet =
      sluice_fleet_load_file("examples/fleets/zonal_infrastructure.csv", &err);
  CHECK(fleet != NULL);
  if (fleet == NULL) {
    fprintf(stderr, "  zonal_infrastructure.csv: %s\n", err);
    sluice_free(err);
    return;
  }
  int64_t asg = sluice_fleet_index_of(fleet, "use1-az1-asg");
  int64_t lb = sluice_fleet_index_of(fleet, "use1-lb");
  CHECK(asg >= 0 && lb >= 0);
  CHECK_STR(sluice_fleet_target_kind(fleet, (size_t)asg), "autoscaling_group");
  CHECK(sluice_fleet_target_spanned_zone_count(fleet, (size_t)asg) == 0);
  CHECK(sluice_fleet_target_spanned_zone(fleet, (size_t)asg, 0) == NULL);
  CHECK_STR(sluice_fleet_target_kind(fleet, (size_t)lb), "load_balancer");
  CHECK(sluice_fleet_target_spanned_zone_count(fleet, (size_t)lb) == 3);
  CHECK_STR(sluice_fleet_target_spanned_zone(fleet, (size_t)lb, 0), "use1-az1");
  CHECK_STR(sluice_fleet_target_spanned_zone(fleet, (size_t)lb, 2), "use1-az3");
  CHECK(sluice_fleet_target_spanned_zone(fleet, (size_t)lb, 3) == NULL);
  CHECK(sluice_fleet_target_spanned_region_count(fleet, (size_t)lb) == 0);
  /* The CSV written back keeps them. */
  size_t len = 0;
  char* csv = sluice_fleet_to_csv(fleet, &len);
  CHECK_CONTAINS(csv, "load_balancer,use1-az1;use1-az2;use1-az3");
  sluice_free(csv);
  sluice_fleet_destroy(fleet);

  /* A global resource spanning regions, in the text format. */
  static const char kText[] =
      "targets { id: \"role\" region: \"r1\" zone: \"z1\" "
      "kind: \"instance_role\" regions: \"r1\" regions: \"r2\" }\n"
      "targets { id: \"host\" region: \"r2\" zone: \"z2\" }\n";
  sluice_fleet_t* text =
      sluice_fleet_parse(kText, strlen(kText), SLUICE_FORMAT_TEXTPROTO, &err);
  CHECK(text != NULL);
  if (text == NULL) {
    fprintf(stderr, "  text fleet: %s\n", err);
    sluice_free(err);
    return;
  }
  CHECK_STR(sluice_fleet_target_kind(text, 0), "instance_role");
  CHECK(sluice_fleet_target_spanned_region_count(text, 0) == 2);
  CHECK_STR(sluice_fleet_target_spanned_region(text, 0, 1), "r2");
  CHECK(sluice_fleet_target_spanned_region(text, 0, 2) == NULL);
  CHECK(sluice_fleet_target_spanned_zone_count(text, 0) == 0);
  /* A server: no kind, spans nothing beyond its own zone. */
  CHECK_STR(sluice_fleet_target_kind(text, 1), "");
  CHECK(sluice_fleet_target_spanned_region_count(text, 1) == 0);
  /* Out of range and NULL. */
  CHECK(sluice_fleet_target_kind(text, 2) == NULL);
  CHECK(sluice_fleet_target_spanned_zone_count(text, 2) == 0);
  CHECK(sluice_fleet_target_spanned_region_count(text, 2) == 0);
  CHECK(sluice_fleet_target_spanned_region(text, 2, 0) == NULL);
  CHECK(sluice_fleet_target_kind(NULL, 0) == NULL);
  CHECK(sluice_fleet_target_spanned_zone_count(NULL, 0) == 0);
  CHECK(sluice_fleet_target_spanned_zone(NULL, 0, 0) == NULL);
  sluice_fleet_destroy(text);
}

static void test_specs_and_plans(void) {
  char* err = NULL;
  sluice_spec_t* spec =
      sluice_spec_load_file("examples/specs/codedeploy_linear.textproto", &err);
  CHECK(spec != NULL);
  CHECK_STR(sluice_spec_name(spec), "checkout-api linear 10% every 1m");
  CHECK_STR(sluice_spec_service(spec), "checkout-api");
  CHECK_STR(sluice_spec_version(spec), "2.4.1");
  CHECK_STR(sluice_spec_previous_version(spec), "2.4.0");
  char* summary = sluice_spec_summary(spec);
  CHECK_CONTAINS(summary, "2.4.1");
  sluice_free(summary);
  size_t len = 0;
  char* json = sluice_spec_to_json(spec, &len);
  CHECK(json != NULL && len == strlen(json));
  CHECK_CONTAINS(json, "\"stepPercent\"");
  /* The JSON parses back. */
  sluice_spec_t* from_json =
      sluice_spec_parse(json, len, SLUICE_FORMAT_JSON, &err);
  CHECK(from_json != NULL);
  CHECK_STR(sluice_spec_version(from_json), "2.4.1");
  sluice_spec_destroy(from_json);
  sluice_free(json);

  sluice_fleet_t* fleet =
      sluice_fleet_load_file("examples/fleets/three_regions.csv", &err);
  CHECK(sluice_spec_validate_against(spec, fleet, &err) == SLUICE_OK);
  CHECK(err == NULL);
  sluice_plan_t* plan = sluice_plan_from_spec(spec, fleet, &err);
  CHECK(plan != NULL);
  CHECK(sluice_plan_wave_count(plan) == 10);
  CHECK(strlen(sluice_plan_strategy(plan)) > 0);
  CHECK(sluice_plan_wave_target_count(plan, 0) == 0); /* traffic-routed */
  sluice_plan_destroy(plan);

  /* Spec errors name the field. */
  static const char kBadSpec[] =
      "name: \"x\" version: \"2\" waves { linear { step_percent: 0 "
      "interval { seconds: 60 } } }";
  CHECK(sluice_spec_parse(kBadSpec, strlen(kBadSpec), SLUICE_FORMAT_TEXTPROTO,
                          &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "waves.linear.step_percent");
  CHECK(sluice_spec_parse("x", 1, SLUICE_FORMAT_CSV, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "sluice_spec_parse: format");
  CHECK(sluice_spec_parse(NULL, 3, SLUICE_FORMAT_JSON, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "data must not be NULL");
  CHECK(sluice_spec_load_file("missing.textproto", &err) == NULL);
  CHECK(err != NULL);
  sluice_free(err);
  err = NULL;
  CHECK(sluice_spec_load_file(NULL, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "path");
  CHECK(sluice_spec_validate_against(NULL, fleet, &err) ==
        SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "spec must not be NULL");
  CHECK(sluice_spec_validate_against(spec, NULL, &err) ==
        SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "fleet must not be NULL");
  sluice_fleet_t* small = small_fleet();
  static const char kRegional[] =
      "name: \"x\" version: \"2\" previous_version: \"1\" "
      "waves { staged { region_order: \"mars-1\" } }";
  sluice_spec_t* regional = sluice_spec_parse(kRegional, strlen(kRegional),
                                              SLUICE_FORMAT_TEXTPROTO, &err);
  if (regional != NULL) {
    CHECK(sluice_spec_validate_against(regional, small, &err) ==
          SLUICE_INVALID_ARGUMENT);
    CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "mars-1");
    CHECK(sluice_plan_from_spec(regional, small, &err) == NULL);
    CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "mars-1");
    sluice_spec_destroy(regional);
  } else {
    fprintf(stderr, "  regional spec: %s\n", err);
    CHECK(0);
    sluice_free(err);
    err = NULL;
  }
  CHECK(sluice_plan_from_spec(NULL, small, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "spec must not be NULL");

  /* Plans from text, with their accessors and JSON. */
  sluice_plan_t* hand = small_plan(small);
  CHECK(sluice_plan_wave_count(hand) == 2);
  CHECK_STR(sluice_plan_strategy(hand), "hand");
  CHECK_STR(sluice_plan_wave_name(hand, 1), "rest");
  CHECK_STR(sluice_plan_wave_stage(hand, 0), "canary");
  CHECK(sluice_plan_wave_name(hand, 2) == NULL);
  CHECK(sluice_plan_wave_stage(hand, 2) == NULL);
  CHECK(sluice_plan_wave_target_count(hand, 1) == 2);
  CHECK(sluice_plan_wave_target(hand, 1, 1) == 2);
  CHECK(sluice_plan_wave_target(hand, 1, 2) == -1);
  CHECK(sluice_plan_wave_target(hand, 5, 0) == -1);
  CHECK(sluice_plan_wave_bake(hand, 1) == 60 * SECOND);
  CHECK(sluice_plan_wave_bake(hand, 9) == 0);
  char* plan_json = sluice_plan_to_json(hand, &len);
  CHECK_CONTAINS(plan_json, "\"rest\"");
  sluice_plan_t* reparsed =
      sluice_plan_parse(plan_json, len, SLUICE_FORMAT_JSON, small, &err);
  CHECK(reparsed != NULL && sluice_plan_wave_count(reparsed) == 2);
  sluice_plan_destroy(reparsed);
  sluice_free(plan_json);
  sluice_plan_destroy(hand);

  static const char kBadPlan[] = "waves { targets: \"zz\" }";
  CHECK(sluice_plan_parse(kBadPlan, strlen(kBadPlan), SLUICE_FORMAT_TEXTPROTO,
                          small, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "waves[0].targets[0]");
  CHECK(sluice_plan_parse("{", 1, SLUICE_FORMAT_JSON, small, &err) == NULL);
  CHECK(err != NULL);
  sluice_free(err);
  err = NULL;
  CHECK(sluice_plan_parse("", 0, 9, small, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "sluice_plan_parse: format");
  CHECK(sluice_plan_parse("", 0, SLUICE_FORMAT_JSON, NULL, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "fleet must not be NULL");

  sluice_fleet_destroy(small);
  sluice_fleet_destroy(fleet);
  sluice_spec_destroy(spec);
}

/* ---- Host interfaces: event sink, gate, rollback policy ------------------ */

typedef struct {
  int events;
  int finished;
  int destroyed;
  int64_t last_sequence;
  int sequence_ok;
  char last_status[32];
  int saw_json;
  int saw_operator_command;
  char commands[256];
} sink_state;

static void on_event(void* state, const sluice_event_t* event) {
  sink_state* s = (sink_state*)state;
  ++s->events;
  if (sluice_event_sequence(event) != s->last_sequence + 1) s->sequence_ok = 0;
  s->last_sequence = sluice_event_sequence(event);
  if (sluice_event_time(event) < T0) s->sequence_ok = 0;
  if (sluice_event_kind(event) == SLUICE_EVENT_ROLLOUT_FINISHED) ++s->finished;
  if (sluice_event_kind(event) == SLUICE_EVENT_OPERATOR_COMMAND) {
    ++s->saw_operator_command;
    strncat(s->commands, sluice_event_command(event),
            sizeof(s->commands) - strlen(s->commands) - 2);
    strncat(s->commands, "/", sizeof(s->commands) - strlen(s->commands) - 1);
    strncat(s->commands, sluice_event_who(event),
            sizeof(s->commands) - strlen(s->commands) - 2);
    strncat(s->commands, " ", sizeof(s->commands) - strlen(s->commands) - 1);
  }
  snprintf(s->last_status, sizeof(s->last_status), "%s",
           sluice_event_status(event));
  const char* json = sluice_event_json(event);
  if (json != NULL && strstr(json, "\"sequence\"") != NULL) s->saw_json = 1;
  /* Every accessor answers while the event lives. */
  (void)sluice_event_rollout(event);
  (void)sluice_event_wave(event);
  (void)sluice_event_action_id(event);
  (void)sluice_event_message(event);
}

static void destroy_flag(void* state) { ++((sink_state*)state)->destroyed; }

typedef struct {
  int calls;
  int destroyed;
  int fail_wave; /* fail this wave (-1: none) */
  int bad_outcome;
  int64_t first_now;
  int saw_memory;
  int saw_targets;
  int saw_settled; /* wave 1 saw wave 0's target "a" settled */
} gate_state;

/* Holds once per wave (remembering it in the gate memory), then passes,
 * or fails wave `fail_wave`. */
static void evaluate(void* state, const sluice_gate_context_t* context,
                     sluice_verdict_t* verdict) {
  gate_state* g = (gate_state*)state;
  ++g->calls;
  int64_t now = sluice_gate_context_now(context);
  if (g->first_now == 0) g->first_now = now;
  CHECK(sluice_gate_context_started_at(context) <= now);
  CHECK(sluice_gate_context_wave_deployed_at(context) <= now);
  CHECK(sluice_gate_context_wave_name(context) != NULL);
  CHECK(sluice_gate_context_stage(context) != NULL);
  int wave = sluice_gate_context_wave_index(context);
  size_t n = sluice_gate_context_wave_target_count(context);
  if (wave == 0 && n == 1 &&
      strcmp(sluice_gate_context_wave_target(context, 0), "a") == 0 &&
      sluice_gate_context_wave_target(context, 1) == NULL &&
      sluice_gate_context_baseline_target_count(context) == 2 &&
      strcmp(sluice_gate_context_baseline_target(context, 0), "b") == 0 &&
      sluice_gate_context_baseline_target(context, 2) == NULL) {
    g->saw_targets = 1;
  }
  if (wave == 1 && sluice_gate_context_settled_target_count(context) == 1 &&
      strcmp(sluice_gate_context_settled_target(context, 0), "a") == 0 &&
      sluice_gate_context_settled_target(context, 1) == NULL) {
    g->saw_settled = 1;
  }
  if (wave == 0) CHECK(sluice_gate_context_settled_target_count(context) == 0);
  if (g->bad_outcome) {
    sluice_verdict_set(verdict, 42, "bad", 0);
    return;
  }
  if (wave == g->fail_wave) {
    sluice_verdict_set(verdict, SLUICE_OUTCOME_FAIL, "errors too high", 0);
    return;
  }
  if (strcmp(sluice_gate_context_memory(context), "held") != 0) {
    sluice_verdict_set_memory(verdict, "held");
    sluice_verdict_set(verdict, SLUICE_OUTCOME_HOLD, "first look",
                       now + MINUTE);
    return;
  }
  g->saw_memory = 1;
  sluice_verdict_set(verdict, SLUICE_OUTCOME_PASS, "fine", 0);
}

static void destroy_gate(void* state) { ++((gate_state*)state)->destroyed; }

typedef struct {
  int calls;
  int destroyed;
  int trigger;
  int wave;
  int wave_count;
  int attempt;
  int outcome;
  int anything_deployed;
  int64_t failed_targets;
  int bad_kind;
} policy_state;

static void decide(void* state, const sluice_failure_t* failure,
                   sluice_decision_t* decision) {
  policy_state* p = (policy_state*)state;
  ++p->calls;
  p->trigger = sluice_failure_trigger(failure);
  p->wave = sluice_failure_wave_index(failure);
  p->wave_count = sluice_failure_wave_count(failure);
  p->attempt = sluice_failure_attempt(failure);
  p->outcome = sluice_failure_verdict_outcome(failure);
  p->anything_deployed = sluice_failure_anything_deployed(failure);
  p->failed_targets = sluice_failure_failed_targets(failure);
  CHECK(sluice_failure_stage(failure) != NULL);
  CHECK(sluice_failure_reason(failure) != NULL);
  CHECK(sluice_failure_now(failure) >= T0);
  if (p->bad_kind) {
    sluice_decision_set(decision, 17, SLUICE_ORDER_ALL_AT_ONCE, 0, 1, "x");
    return;
  }
  if (p->calls == 1 && p->trigger == SLUICE_TRIGGER_DEPLOY_FAILURES) {
    sluice_decision_set(decision, SLUICE_DECISION_RETRY_WAVE,
                        SLUICE_ORDER_REVERSE_WAVES, MINUTE, 0, "try again");
    return;
  }
  sluice_decision_set(decision, SLUICE_DECISION_ROLL_BACK_ALL,
                      SLUICE_ORDER_ALL_AT_ONCE, 0, 1, "undo everything");
}

static void destroy_policy(void* state) { ++((policy_state*)state)->destroyed; }

static void test_rollout_succeeds_with_custom_gate(void) {
  char* err = NULL;
  sluice_fleet_t* fleet = small_fleet();
  sluice_plan_t* plan = small_plan(fleet);
  sink_state sink_s;
  memset(&sink_s, 0, sizeof(sink_s));
  sink_s.sequence_ok = 1;
  gate_state gate_s;
  memset(&gate_s, 0, sizeof(gate_s));
  gate_s.fail_wave = -1;

  sluice_event_sink_t* sink =
      sluice_event_sink_create(&sink_s, destroy_flag, on_event);
  sluice_gate_t* gate =
      sluice_gate_create(&gate_s, destroy_gate, "c-gate", evaluate);
  sluice_options_t* options = sluice_options_create();
  sluice_options_set_name(options, "c-rollout");
  sluice_options_set_version(options, "v2");
  sluice_options_set_previous_version(options, "v1");
  sluice_options_set_event_sink(options, sink);
  sluice_options_set_gate(options, gate);
  CHECK(sluice_options_set_baseline(options, SLUICE_BASELINE_ALL_REMAINING,
                                    &err) == SLUICE_OK);
  sluice_rollout_t* rollout = sluice_rollout_create(fleet, plan, options, &err);
  CHECK(rollout != NULL);
  /* The rollout holds its own references: the caller's handles can go. */
  sluice_event_sink_destroy(sink);
  sluice_gate_destroy(gate);
  sluice_options_destroy(options);
  sluice_plan_destroy(plan);
  CHECK(sink_s.destroyed == 0 && gate_s.destroyed == 0);

  CHECK(sluice_rollout_status(rollout) == SLUICE_STATUS_PENDING);
  CHECK(sluice_rollout_current_wave(rollout) == -1);
  CHECK(sluice_rollout_wave_phase(rollout) == SLUICE_PHASE_NOT_STARTED);
  CHECK_STR(sluice_rollout_version(rollout), "v2");
  CHECK_STR(sluice_rollout_previous_version(rollout), "v1");
  sluice_plan_t* copy = sluice_rollout_plan(rollout);
  CHECK(sluice_plan_wave_count(copy) == 2);
  sluice_plan_destroy(copy);

  int64_t now = T0;
  sluice_actions_t* first = sluice_rollout_advance(rollout, now, &err);
  CHECK(first != NULL);
  CHECK(sluice_actions_count(first) >= 1);
  size_t deploy = sluice_actions_count(first);
  for (size_t i = 0; i < sluice_actions_count(first); ++i) {
    if (sluice_actions_kind(first, i) == SLUICE_ACTION_DEPLOY) deploy = i;
  }
  CHECK(deploy < sluice_actions_count(first));
  CHECK(sluice_actions_wave(first, deploy) == 0);
  CHECK_STR(sluice_actions_version(first, deploy), "v2");
  CHECK(sluice_actions_target_count(first, deploy) == 1);
  CHECK(sluice_actions_target(first, deploy, 0) == 0);
  CHECK(sluice_actions_target(first, deploy, 1) == -1);
  CHECK(sluice_actions_traffic_percent(first, deploy) == -1);
  CHECK(sluice_actions_needs_outcome(first, deploy) == 1);
  CHECK(sluice_actions_escalate(first, deploy) == 0);
  CHECK(sluice_actions_message(first, deploy) != NULL);
  (void)sluice_actions_wait_until(first, deploy);
  /* Out of range. */
  CHECK(sluice_actions_id(first, 99) == NULL);
  CHECK(sluice_actions_kind(first, 99) == -1);
  CHECK(sluice_actions_wave(first, 99) == -1);
  CHECK(sluice_actions_version(first, 99) == NULL);
  CHECK(sluice_actions_target_count(first, 99) == 0);
  CHECK(sluice_actions_message(first, 99) == NULL);
  CHECK(sluice_actions_wait_until(first, 99) == SLUICE_TIME_INFINITE_PAST);
  CHECK(sluice_actions_needs_outcome(first, 99) == 0);

  /* The deploy is pending and blocks the wave. */
  sluice_actions_t* pending = sluice_rollout_pending_actions(rollout);
  CHECK(sluice_actions_count(pending) == 1);
  CHECK_STR(sluice_actions_id(pending, 0), sluice_actions_id(first, deploy));
  sluice_actions_destroy(pending);
  sluice_blockers_t* blockers = sluice_rollout_blockers(rollout, now);
  CHECK(sluice_blockers_count(blockers) >= 1);
  CHECK(sluice_blockers_kind(blockers, 0) == SLUICE_BLOCKER_ACTIONS_IN_FLIGHT);
  CHECK(sluice_blockers_name(blockers, 0) != NULL);
  CHECK(sluice_blockers_reason(blockers, 0) != NULL);
  CHECK(sluice_blockers_describe(blockers, 0) != NULL &&
        strlen(sluice_blockers_describe(blockers, 0)) > 0);
  (void)sluice_blockers_since(blockers, 0);
  (void)sluice_blockers_until(blockers, 0);
  CHECK(sluice_blockers_kind(blockers, 50) == -1);
  CHECK(sluice_blockers_name(blockers, 50) == NULL);
  CHECK(sluice_blockers_reason(blockers, 50) == NULL);
  CHECK(sluice_blockers_describe(blockers, 50) == NULL);
  CHECK(sluice_blockers_since(blockers, 50) == SLUICE_TIME_INFINITE_PAST);
  CHECK(sluice_blockers_until(blockers, 50) == SLUICE_TIME_INFINITE_PAST);
  sluice_blockers_destroy(blockers);

  /* Outcome errors: unknown action, target outside the action, NULLs. */
  int64_t target = 0;
  int ok = 1;
  CHECK(sluice_rollout_report_outcome(rollout, "nope", &target, &ok, NULL, 1,
                                      now, &err) == SLUICE_NOT_FOUND);
  CHECK_ERROR(err, SLUICE_NOT_FOUND, "nope");
  int64_t wrong = 2;
  CHECK(sluice_rollout_report_outcome(rollout, sluice_actions_id(first, deploy),
                                      &wrong, &ok, NULL, 1, now,
                                      &err) == SLUICE_INVALID_ARGUMENT);
  CHECK(err != NULL);
  sluice_free(err);
  err = NULL;
  int64_t negative = -4;
  CHECK(sluice_rollout_report_outcome(rollout, sluice_actions_id(first, deploy),
                                      &negative, &ok, NULL, 1, now,
                                      &err) == SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "targets[0]: index -4");
  CHECK(sluice_rollout_report_outcome(rollout, NULL, &target, &ok, NULL, 1, now,
                                      &err) == SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "action_id must not be NULL");
  CHECK(sluice_rollout_report_outcome(rollout, "x", NULL, &ok, NULL, 1, now,
                                      &err) == SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "targets or succeeded");
  CHECK(sluice_rollout_report_action_outcome(rollout, NULL, 1, NULL, now,
                                             &err) == SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "action_id");
  /* Time may not go backwards. */
  CHECK(sluice_rollout_advance(rollout, now - MINUTE, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "Advance");

  CHECK(sluice_rollout_report_outcome(rollout, sluice_actions_id(first, deploy),
                                      &target, &ok, NULL, 1, now,
                                      &err) == SLUICE_OK);
  sluice_actions_destroy(first);
  CHECK(sluice_rollout_runs_new_version(rollout, 0) == 1);
  CHECK(sluice_rollout_runs_new_version(rollout, 1) == 0);
  CHECK(sluice_rollout_runs_new_version(rollout, 77) == 0);

  now += MINUTE;
  drive(rollout, &now, 50, -1);
  CHECK(sluice_rollout_status(rollout) == SLUICE_STATUS_SUCCEEDED);
  CHECK(sluice_rollout_is_terminal(rollout) == 1);
  CHECK(sluice_rollout_runs_new_version(rollout, 2) == 1);
  CHECK(sluice_rollout_next_wakeup(rollout) == SLUICE_TIME_INFINITE_FUTURE);
  CHECK(gate_s.calls >= 4); /* a hold and a pass per wave */
  CHECK(gate_s.saw_memory == 1);
  CHECK(gate_s.saw_targets == 1);
  CHECK(gate_s.saw_settled == 1);
  CHECK(sink_s.events > 5);
  CHECK(sink_s.sequence_ok == 1);
  CHECK(sink_s.finished == 1);
  CHECK(sink_s.saw_json == 1);
  CHECK(strcmp(sink_s.last_status, "succeeded") == 0);
  CHECK(sluice_rollout_event_sequence(rollout) == sink_s.last_sequence);
  CHECK(sluice_rollout_state_version(rollout) > 0);

  /* Commands after the end: FAILED_PRECONDITION naming the call. */
  CHECK(sluice_rollout_pause(rollout, "op", now, &err) ==
        SLUICE_FAILED_PRECONDITION);
  CHECK_ERROR(err, SLUICE_FAILED_PRECONDITION, "Pause");

  sluice_rollout_destroy(rollout);
  CHECK(sink_s.destroyed == 1 && gate_s.destroyed == 1);
  sluice_fleet_destroy(fleet);
}

static void test_rollback_with_custom_policy(void) {
  char* err = NULL;
  sluice_fleet_t* fleet = small_fleet();
  sluice_plan_t* plan = small_plan(fleet);
  gate_state gate_s;
  memset(&gate_s, 0, sizeof(gate_s));
  gate_s.fail_wave = 1;
  policy_state policy_s;
  memset(&policy_s, 0, sizeof(policy_s));
  sluice_gate_t* gate =
      sluice_gate_create(&gate_s, destroy_gate, "c-gate", evaluate);
  sluice_rollback_policy_t* policy = sluice_rollback_policy_create(
      &policy_s, destroy_policy, "c-policy", decide);
  sluice_options_t* options = sluice_options_create();
  sluice_options_set_version(options, "v2");
  sluice_options_set_previous_version(options, "v1");
  sluice_options_set_stage_gate(options, "rest", gate);
  sluice_options_set_stage_gate(options, "canary", gate);
  sluice_options_set_rollback_policy(options, policy);
  sluice_rollout_t* rollout = sluice_rollout_create(fleet, plan, options, &err);
  CHECK(rollout != NULL);
  int64_t now = T0;
  drive(rollout, &now, 60, -1);
  CHECK(policy_s.calls == 1);
  CHECK(policy_s.trigger == SLUICE_TRIGGER_GATE_FAIL);
  CHECK(policy_s.wave == 1);
  CHECK(policy_s.wave_count == 2);
  CHECK(policy_s.attempt == 1);
  CHECK(policy_s.outcome == SLUICE_OUTCOME_FAIL);
  CHECK(policy_s.anything_deployed == 1);
  CHECK(policy_s.failed_targets == 0);
  CHECK(sluice_rollout_status(rollout) == SLUICE_STATUS_ROLLED_BACK);
  CHECK(sluice_rollout_runs_new_version(rollout, 0) == 0);
  sluice_rollout_destroy(rollout);

  /* Deploy failures: the policy retries once, then rolls back. */
  memset(&policy_s, 0, sizeof(policy_s));
  gate_s.fail_wave = -1;
  rollout = sluice_rollout_create(fleet, plan, options, &err);
  now = T0;
  drive(rollout, &now, 60, 0); /* target a always fails */
  CHECK(policy_s.calls == 2);
  CHECK(policy_s.trigger == SLUICE_TRIGGER_DEPLOY_FAILURES);
  CHECK(policy_s.attempt == 2);
  CHECK(policy_s.failed_targets == 1);
  CHECK(policy_s.outcome == -1);
  CHECK(sluice_rollout_status(rollout) == SLUICE_STATUS_ROLLED_BACK);
  sluice_rollout_destroy(rollout);

  /* A decision out of range: a person looks (paused), with the reason. */
  memset(&policy_s, 0, sizeof(policy_s));
  policy_s.bad_kind = 1;
  gate_s.fail_wave = 0;
  sink_state sink_s;
  memset(&sink_s, 0, sizeof(sink_s));
  sluice_event_sink_t* sink = sluice_event_sink_create(&sink_s, NULL, on_event);
  sluice_options_set_event_sink(options, sink);
  rollout = sluice_rollout_create(fleet, plan, options, &err);
  now = T0;
  drive(rollout, &now, 10, -1);
  CHECK(policy_s.calls == 1);
  CHECK(sluice_rollout_status(rollout) == SLUICE_STATUS_PAUSED);
  sluice_blockers_t* blockers = sluice_rollout_blockers(rollout, now);
  CHECK(sluice_blockers_count(blockers) >= 1);
  CHECK(sluice_blockers_kind(blockers, 0) == SLUICE_BLOCKER_PAUSED);
  sluice_blockers_destroy(blockers);
  sluice_rollout_destroy(rollout);

  /* A verdict out of range becomes ERROR. */
  memset(&policy_s, 0, sizeof(policy_s));
  gate_s.bad_outcome = 1;
  rollout = sluice_rollout_create(fleet, plan, options, &err);
  now = T0;
  drive(rollout, &now, 10, -1);
  CHECK(policy_s.calls == 1);
  CHECK(policy_s.trigger == SLUICE_TRIGGER_GATE_ERROR);
  CHECK(policy_s.outcome == SLUICE_OUTCOME_ERROR);
  sluice_rollout_destroy(rollout);

  sluice_options_set_stage_gate(options, "rest", NULL);
  sluice_options_set_event_sink(options, NULL);
  sluice_event_sink_destroy(sink);
  sluice_options_destroy(options);
  sluice_gate_destroy(gate);
  sluice_rollback_policy_destroy(policy);
  CHECK(gate_s.destroyed == 1 && policy_s.destroyed == 1);
  sluice_plan_destroy(plan);
  sluice_fleet_destroy(fleet);
}

static void test_builtin_policies_and_options(void) {
  char* err = NULL;
  const char* names[] = {"default", "roll-back-all", "roll-back-all-at-once",
                         "roll-back-current-wave", "pause-and-escalate"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i) {
    sluice_rollback_policy_t* p =
        sluice_rollback_policy_builtin(names[i], &err);
    CHECK(p != NULL);
    sluice_rollback_policy_destroy(p);
  }
  CHECK(sluice_rollback_policy_builtin("yolo", &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "unknown policy \"yolo\"");
  CHECK(sluice_rollback_policy_builtin(NULL, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "unknown policy");

  sluice_options_t* options = sluice_options_create();
  CHECK(sluice_options_set_abort_order(options, 2, &err) ==
        SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(
      err, SLUICE_INVALID_ARGUMENT,
      "sluice_options_set_abort_order: order must be in [0, 1] (got 2)");
  CHECK(sluice_options_set_abort_order(options, -1, &err) ==
        SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "(got -1)");
  CHECK(sluice_options_set_abort_order(NULL, 0, &err) ==
        SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "options must not be NULL");
  CHECK(sluice_options_set_baseline(options, 5, &err) ==
        SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT,
              "sluice_options_set_baseline: baseline must be in [0, 1]");
  CHECK(sluice_options_set_baseline(NULL, 0, &err) == SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "options must not be NULL");
  CHECK(sluice_options_set_abort_order(options, SLUICE_ORDER_REVERSE_WAVES,
                                       &err) == SLUICE_OK);
  CHECK(err == NULL);

  /* Engine limits are checked when the rollout is made. */
  sluice_fleet_t* fleet = small_fleet();
  sluice_plan_t* plan = small_plan(fleet);
  sluice_options_set_version(options, "v2");
  sluice_options_set_previous_version(options, "v1");
  sluice_options_set_rollback_attempts(options, 0);
  CHECK(sluice_rollout_create(fleet, plan, options, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "rollback_attempts");
  sluice_options_set_rollback_attempts(options, 3);
  sluice_options_set_progress_deadline(options, 0);
  CHECK(sluice_rollout_create(fleet, plan, options, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "progress_deadline");
  sluice_options_set_progress_deadline(options, 10 * MINUTE);
  sluice_options_set_approval_timeout(options, -1);
  CHECK(sluice_rollout_create(fleet, plan, options, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "approval_timeout");
  sluice_options_set_approval_timeout(options, 60 * MINUTE);
  sluice_options_set_rollback_retry_backoff(options, -SECOND);
  CHECK(sluice_rollout_create(fleet, plan, options, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "rollback_retry_backoff");
  sluice_options_set_rollback_retry_backoff(options, SECOND);
  sluice_options_add_approval_wave(options, 7);
  CHECK(sluice_rollout_create(fleet, plan, options, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "options.approval_waves[0]");
  sluice_options_destroy(options);
  options = sluice_options_create();
  CHECK(sluice_rollout_create(fleet, plan, options, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "options.version");
  CHECK(sluice_rollout_create(NULL, plan, options, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "fleet must not be NULL");
  CHECK(sluice_rollout_create(fleet, NULL, options, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "plan must not be NULL");
  /* The options' setters ignore NULL options. */
  sluice_options_set_name(NULL, "x");
  sluice_options_set_gate(NULL, NULL);
  sluice_options_destroy(options);
  sluice_plan_destroy(plan);
  sluice_fleet_destroy(fleet);
}

/* ---- Operator commands, approvals, snapshots ----------------------------- */

static void test_commands_approvals_snapshots(void) {
  char* err = NULL;
  sluice_fleet_t* fleet = small_fleet();
  sluice_plan_t* plan = small_plan(fleet);
  sink_state sink_s;
  memset(&sink_s, 0, sizeof(sink_s));
  sluice_event_sink_t* sink = sluice_event_sink_create(&sink_s, NULL, on_event);
  sluice_options_t* options = sluice_options_create();
  sluice_options_set_version(options, "v2");
  sluice_options_set_previous_version(options, "v1");
  sluice_options_add_approval_wave(options, 1);
  sluice_options_set_event_sink(options, sink);
  sluice_rollout_t* rollout = sluice_rollout_create(fleet, plan, options, &err);
  CHECK(rollout != NULL);
  int64_t now = T0;

  /* Pause and resume before it starts. */
  CHECK(sluice_rollout_pause(rollout, "alice", now, &err) == SLUICE_OK);
  CHECK(sluice_rollout_status(rollout) == SLUICE_STATUS_PAUSED);
  CHECK(sluice_rollout_resume(rollout, "alice", now, &err) == SLUICE_OK);
  CHECK(sluice_rollout_approve(rollout, "bob", now, &err) ==
        SLUICE_FAILED_PRECONDITION);
  CHECK_ERROR(err, SLUICE_FAILED_PRECONDITION, "Approve");
  CHECK(sluice_rollout_retry(rollout, "bob", now, &err) ==
        SLUICE_FAILED_PRECONDITION);
  CHECK_ERROR(err, SLUICE_FAILED_PRECONDITION, "Retry");

  /* Wave 0 runs; wave 1 asks for approval. */
  CHECK(drive(rollout, &now, 20, -1) == 1);
  CHECK(sluice_rollout_wave_phase(rollout) == SLUICE_PHASE_AWAITING_APPROVAL);
  CHECK(sluice_rollout_current_wave(rollout) == 1);
  sluice_blockers_t* blockers = sluice_rollout_blockers(rollout, now);
  CHECK(sluice_blockers_count(blockers) == 1);
  CHECK(sluice_blockers_kind(blockers, 0) == SLUICE_BLOCKER_APPROVAL);
  CHECK(sluice_blockers_since(blockers, 0) <= now);
  sluice_blockers_destroy(blockers);

  /* Snapshot now; restore continues from the same state. */
  size_t len = 0;
  char* snapshot = sluice_rollout_snapshot(rollout, &len);
  CHECK(snapshot != NULL && len > 0);
  sluice_rollout_t* restored =
      sluice_rollout_restore(fleet, options, snapshot, len, &err);
  CHECK(restored != NULL);
  CHECK(sluice_rollout_status(restored) == sluice_rollout_status(rollout));
  CHECK(sluice_rollout_current_wave(restored) == 1);
  CHECK(sluice_rollout_state_version(restored) ==
        sluice_rollout_state_version(rollout));
  CHECK(sluice_rollout_event_sequence(restored) ==
        sluice_rollout_event_sequence(rollout));
  /* Reject on the restored copy, approve on the original. */
  CHECK(sluice_rollout_reject(restored, "carol", now, &err) == SLUICE_OK);
  {
    int64_t later = now;
    drive(restored, &later, 20, -1);
    CHECK(sluice_rollout_status(restored) == SLUICE_STATUS_ROLLED_BACK);
  }
  sluice_rollout_destroy(restored);
  /* Corrupt snapshots and another fleet are rejected. */
  CHECK(sluice_rollout_restore(fleet, options, "garbage", 7, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "snapshot");
  sluice_fleet_t* other =
      sluice_fleet_load_file("examples/fleets/three_regions.csv", &err);
  CHECK(sluice_rollout_restore(other, options, snapshot, len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "fingerprint");
  sluice_fleet_destroy(other);
  CHECK(sluice_rollout_restore(NULL, options, snapshot, len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "fleet must not be NULL");
  sluice_free(snapshot);

  CHECK(sluice_rollout_approve(rollout, "bob", now, &err) == SLUICE_OK);
  /* Promote skips the remaining gates and bakes. */
  CHECK(sluice_rollout_promote(rollout, "bob", now, &err) == SLUICE_OK);
  /* A new version supersedes: the rollout starts over. */
  CHECK(sluice_rollout_supersede(rollout, "v3", "dave", now, &err) ==
        SLUICE_OK);
  CHECK_STR(sluice_rollout_version(rollout), "v3");
  CHECK(sluice_rollout_current_wave(rollout) <= 0);
  /* Abort rolls back and ends ABORTED. */
  CHECK(sluice_rollout_abort(rollout, "erin", now, &err) == SLUICE_OK);
  drive(rollout, &now, 20, -1);
  CHECK(sluice_rollout_status(rollout) == SLUICE_STATUS_ABORTED);
  CHECK_CONTAINS(sink_s.commands, "pause/alice");
  CHECK_CONTAINS(sink_s.commands, "resume/alice");
  CHECK_CONTAINS(sink_s.commands, "approve/bob");
  CHECK_CONTAINS(sink_s.commands, "promote/bob");
  CHECK_CONTAINS(sink_s.commands, "supersede/dave");
  CHECK_CONTAINS(sink_s.commands, "abort/erin");
  CHECK(sluice_rollout_supersede(rollout, "v4", "x", now, &err) ==
        SLUICE_FAILED_PRECONDITION);
  CHECK_ERROR(err, SLUICE_FAILED_PRECONDITION, "Supersede");
  CHECK(sluice_rollout_reject(rollout, "x", now, &err) ==
        SLUICE_FAILED_PRECONDITION);
  CHECK_ERROR(err, SLUICE_FAILED_PRECONDITION, "Reject");
  CHECK(sluice_rollout_resume(rollout, "x", now, &err) ==
        SLUICE_FAILED_PRECONDITION);
  CHECK_ERROR(err, SLUICE_FAILED_PRECONDITION, "Resume");
  CHECK(sluice_rollout_abort(rollout, "x", now, &err) ==
        SLUICE_FAILED_PRECONDITION);
  CHECK_ERROR(err, SLUICE_FAILED_PRECONDITION, "Abort");
  CHECK(sluice_rollout_promote(rollout, "x", now, &err) ==
        SLUICE_FAILED_PRECONDITION);
  CHECK_ERROR(err, SLUICE_FAILED_PRECONDITION, "Promote");
  sluice_rollout_destroy(rollout);

  /* NULL rollouts: errors, not crashes. */
  CHECK(sluice_rollout_advance(NULL, now, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "rollout must not be NULL");
  CHECK(sluice_rollout_pause(NULL, "x", now, &err) == SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "sluice_rollout_pause");
  CHECK(sluice_rollout_supersede(NULL, "v", "x", now, &err) ==
        SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "sluice_rollout_supersede");
  CHECK(sluice_rollout_report_outcome(NULL, "a", NULL, NULL, NULL, 0, now,
                                      &err) == SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "rollout must not be NULL");
  CHECK(sluice_rollout_report_action_outcome(NULL, "a", 1, NULL, now, &err) ==
        SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "rollout must not be NULL");
  CHECK(sluice_rollout_status(NULL) == -1);
  sluice_rollout_destroy(NULL);

  sluice_event_sink_destroy(sink);
  sluice_options_destroy(options);
  sluice_plan_destroy(plan);
  sluice_fleet_destroy(fleet);
}

/* ---- Metric and alarm sources with a spec -------------------------------- */

typedef struct {
  int calls;
  int destroyed;
  int fields_ok;
  int mode; /* 0 samples, 1 aggregate, 2 no data, 3 error */
} metric_state;

static void query_metric(void* state, const sluice_metric_query_t* query,
                         sluice_metric_result_t* result) {
  metric_state* m = (metric_state*)state;
  ++m->calls;
  int64_t start = sluice_metric_query_start(query);
  int64_t end = sluice_metric_query_end(query);
  int cohort = sluice_metric_query_cohort(query);
  if (strcmp(sluice_metric_query_metric(query), "error_rate") == 0 &&
      start < end && cohort >= SLUICE_COHORT_WAVE &&
      cohort <= SLUICE_COHORT_FLEET &&
      sluice_metric_query_text(query) != NULL &&
      sluice_metric_query_stage(query) != NULL &&
      sluice_metric_query_wave_index(query) >= 0 &&
      sluice_metric_query_param(query, "absent") == NULL &&
      sluice_metric_query_param_count(query) == 0 &&
      sluice_metric_query_param_key(query, 0) == NULL &&
      sluice_metric_query_param_value(query, 0) == NULL &&
      sluice_metric_query_aggregation(query) >= SLUICE_AGGREGATION_NONE &&
      sluice_metric_query_quantile(query) >= 0) {
    ++m->fields_ok;
  }
  size_t n = sluice_metric_query_target_count(query);
  if (n > 0) CHECK(sluice_metric_query_target(query, 0) != NULL);
  CHECK(sluice_metric_query_target(query, n) == NULL);
  switch (m->mode) {
    case 0: {
      int64_t times[3] = {start, start + SECOND, start + 2 * SECOND};
      double values[3] = {0.001, 0.001, 0.001};
      sluice_metric_result_set_samples(result, times, values, 3);
      break;
    }
    case 1:
      sluice_metric_result_set_aggregate(result, 0.001, 100);
      break;
    case 2:
      sluice_metric_result_set_no_data(result, "nothing recorded");
      break;
    default:
      sluice_metric_result_set_error(result, 99, "backend on fire");
  }
}

static void destroy_metric(void* state) { ++((metric_state*)state)->destroyed; }

typedef struct {
  int calls;
  int fields_ok;
  int bad_state;
} alarm_state;

static void query_alarms(void* state, const sluice_alarm_query_t* query,
                         sluice_alarm_result_t* result) {
  alarm_state* a = (alarm_state*)state;
  ++a->calls;
  if (sluice_alarm_query_alarm_count(query) == 2 &&
      strcmp(sluice_alarm_query_alarm(query, 1), "api-latency") == 0 &&
      sluice_alarm_query_alarm(query, 2) == NULL &&
      sluice_alarm_query_target_count(query) > 0 &&
      sluice_alarm_query_target(query, 0) != NULL &&
      sluice_alarm_query_target(query, 1000) == NULL &&
      sluice_alarm_query_wave_index(query) == 0 &&
      sluice_alarm_query_stage(query) != NULL &&
      sluice_alarm_query_now(query) >= T0) {
    ++a->fields_ok;
  }
  if (a->bad_state) {
    sluice_alarm_result_add(result, "api-5xx", 9, NULL);
    return;
  }
  sluice_alarm_result_add(result, "api-5xx", SLUICE_ALARM_OK, NULL);
  sluice_alarm_result_add(result, "api-latency",
                          a->calls >= 2 ? SLUICE_ALARM_ALARM : SLUICE_ALARM_OK,
                          "p99 above 500 ms");
}

static const char kAlarmSpec[] =
    "name: \"alarmed\" version: \"2.4.1\" previous_version: \"2.4.0\"\n"
    "waves { canary { percent: 10 interval { seconds: 900 } } }\n"
    "gates { default { bake { duration { seconds: 600 } interval { seconds: "
    "60 }\n"
    "  check { alarm { alarms: \"api-5xx\" alarms: \"api-latency\" } } } } }\n";

static void test_sources_with_specs(void) {
  char* err = NULL;
  sluice_fleet_t* fleet =
      sluice_fleet_load_file("examples/fleets/three_regions.csv", &err);
  sluice_spec_t* spec = sluice_spec_load_file(
      "examples/specs/codedeploy_canary_gated.textproto", &err);
  CHECK(spec != NULL);

  for (int mode = 0; mode < 2; ++mode) {
    metric_state m;
    memset(&m, 0, sizeof(m));
    m.mode = mode;
    sluice_metric_source_t* source =
        sluice_metric_source_create(&m, destroy_metric, query_metric);
    sluice_options_t* options = sluice_options_create();
    sluice_options_set_metric_source(options, source);
    sluice_metric_source_destroy(source);
    sluice_rollout_t* rollout =
        sluice_rollout_from_spec(spec, fleet, options, &err);
    sluice_options_destroy(options);
    CHECK(rollout != NULL);
    CHECK(m.destroyed == 0);
    int64_t now = T0;
    drive(rollout, &now, 200, -1);
    CHECK(m.calls > 0);
    CHECK(m.fields_ok == m.calls);
    CHECK(sluice_rollout_status(rollout) == SLUICE_STATUS_SUCCEEDED);
    sluice_rollout_destroy(rollout);
    CHECK(m.destroyed == 1);
  }

  /* No data and errors: the gate cannot pass; the default policy acts. */
  for (int mode = 2; mode < 4; ++mode) {
    metric_state m;
    memset(&m, 0, sizeof(m));
    m.mode = mode;
    sluice_metric_source_t* source =
        sluice_metric_source_create(&m, NULL, query_metric);
    sluice_options_t* options = sluice_options_create();
    sluice_options_set_metric_source(options, source);
    sluice_rollout_t* rollout =
        sluice_rollout_from_spec(spec, fleet, options, &err);
    int64_t now = T0;
    drive(rollout, &now, 200, -1);
    CHECK(m.calls > 0);
    CHECK(sluice_rollout_status(rollout) != SLUICE_STATUS_SUCCEEDED);
    sluice_rollout_destroy(rollout);
    sluice_options_destroy(options);
    sluice_metric_source_destroy(source);
  }

  /* A source without a callback is an error of the gate, not a crash. */
  sluice_metric_source_t* empty = sluice_metric_source_create(NULL, NULL, NULL);
  sluice_options_t* options = sluice_options_create();
  sluice_options_set_metric_source(options, empty);
  sluice_rollout_t* rollout =
      sluice_rollout_from_spec(spec, fleet, options, &err);
  int64_t now = T0;
  drive(rollout, &now, 200, -1);
  CHECK(sluice_rollout_status(rollout) != SLUICE_STATUS_SUCCEEDED);
  sluice_rollout_destroy(rollout);
  sluice_options_set_metric_source(options, NULL);
  sluice_options_destroy(options);
  sluice_metric_source_destroy(empty);

  /* A spec's versions and policy with a plan and gate of the host's. */
  {
    sluice_fleet_t* small = small_fleet();
    sluice_plan_t* plan = small_plan(small);
    gate_state gate_s;
    memset(&gate_s, 0, sizeof(gate_s));
    gate_s.fail_wave = -1;
    sluice_gate_t* gate = sluice_gate_create(&gate_s, NULL, "g", evaluate);
    sluice_options_t* with_gate = sluice_options_create();
    sluice_options_set_gate(with_gate, gate);
    sluice_gate_destroy(gate);
    sluice_rollout_t* mixed =
        sluice_rollout_from_spec_and_plan(spec, small, plan, with_gate, &err);
    CHECK(mixed != NULL);
    CHECK_STR(sluice_rollout_version(mixed), "2.4.1");
    CHECK_STR(sluice_rollout_previous_version(mixed), "2.4.0");
    int64_t t = T0;
    drive(mixed, &t, 50, -1);
    CHECK(sluice_rollout_status(mixed) == SLUICE_STATUS_SUCCEEDED);
    CHECK(gate_s.calls >= 4);
    sluice_rollout_destroy(mixed);
    CHECK(sluice_rollout_from_spec_and_plan(spec, small, NULL, with_gate,
                                            &err) == NULL);
    CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "plan must not be NULL");
    sluice_options_destroy(with_gate);
    sluice_plan_destroy(plan);
    sluice_fleet_destroy(small);
  }

  /* from_spec errors. */
  CHECK(sluice_rollout_from_spec(NULL, fleet, NULL, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "spec must not be NULL");
  sluice_spec_destroy(spec);

  /* Alarms: the second look sees ALARM and the rollout rolls back. */
  spec = sluice_spec_parse(kAlarmSpec, strlen(kAlarmSpec),
                           SLUICE_FORMAT_TEXTPROTO, &err);
  CHECK(spec != NULL);
  if (spec == NULL) {
    fprintf(stderr, "  alarm spec: %s\n", err);
    sluice_free(err);
    err = NULL;
  }
  for (int bad = 0; bad < 2 && spec != NULL; ++bad) {
    alarm_state a;
    memset(&a, 0, sizeof(a));
    a.bad_state = bad;
    sluice_alarm_source_t* alarms =
        sluice_alarm_source_create(&a, NULL, query_alarms);
    options = sluice_options_create();
    sluice_options_set_alarm_source(options, alarms);
    rollout = sluice_rollout_from_spec(spec, fleet, options, &err);
    CHECK(rollout != NULL);
    now = T0;
    drive(rollout, &now, 200, -1);
    CHECK(a.calls >= (bad ? 1 : 2));
    CHECK(a.fields_ok == a.calls);
    CHECK(sluice_rollout_status(rollout) == SLUICE_STATUS_ROLLED_BACK);
    sluice_rollout_destroy(rollout);
    sluice_options_set_alarm_source(options, NULL);
    sluice_options_destroy(options);
    sluice_alarm_source_destroy(alarms);
  }
  sluice_spec_destroy(spec);
  sluice_fleet_destroy(fleet);
}

/* ---- The judge and the simulator ----------------------------------------- */

static void test_judge(void) {
  char* err = NULL;
  static const char kConfig[] =
      "groups { name: \"errors\" weight: 100 }\n"
      "metrics { name: \"error_rate\" groups: \"errors\" "
      "direction: DIRECTION_INCREASE }\n"
      "thresholds { pass: 75 marginal: 50 }\n";
  double control[20], same[20], worse[20];
  for (int i = 0; i < 20; ++i) {
    control[i] = 1.0 + 0.01 * i;
    same[i] = 1.0 + 0.01 * ((i * 7) % 20);
    worse[i] = 5.0 + 0.01 * i;
  }
  sluice_judge_samples_t samples = {"error_rate", control, 20, same, 20};
  size_t len = 0;
  char* result = sluice_judge(kConfig, strlen(kConfig), SLUICE_FORMAT_TEXTPROTO,
                              &samples, 1, &len, &err);
  CHECK(result != NULL && len == strlen(result));
  if (result == NULL) fprintf(stderr, "  judge: %s\n", err);
  CHECK_CONTAINS(result, "\"score\": 100");
  sluice_free(result);
  samples.experiment = worse;
  result = sluice_judge(kConfig, strlen(kConfig), SLUICE_FORMAT_TEXTPROTO,
                        &samples, 1, &len, &err);
  CHECK(result != NULL);
  CHECK(result != NULL && strstr(result, "\"score\": 100") == NULL);
  sluice_free(result);

  sluice_judge_samples_t unknown = {"cpu", control, 20, same, 20};
  CHECK(sluice_judge(kConfig, strlen(kConfig), SLUICE_FORMAT_TEXTPROTO,
                     &unknown, 1, &len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "samples[0].name");
  static const char kBadConfig[] =
      "groups { name: \"errors\" weight: 90 }\n"
      "metrics { name: \"error_rate\" groups: \"errors\" }\n";
  CHECK(sluice_judge(kBadConfig, strlen(kBadConfig), SLUICE_FORMAT_TEXTPROTO,
                     NULL, 0, &len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "groups");
  CHECK(sluice_judge("{", 1, SLUICE_FORMAT_JSON, NULL, 0, &len, &err) == NULL);
  CHECK(err != NULL);
  sluice_free(err);
  err = NULL;
  CHECK(sluice_judge(kConfig, strlen(kConfig), 5, NULL, 0, &len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "sluice_judge: format");
  CHECK(sluice_judge(kConfig, strlen(kConfig), SLUICE_FORMAT_TEXTPROTO, NULL, 2,
                     &len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "samples must not be NULL");
  sluice_judge_samples_t broken = {"error_rate", NULL, 3, same, 20};
  CHECK(sluice_judge(kConfig, strlen(kConfig), SLUICE_FORMAT_TEXTPROTO, &broken,
                     1, &len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "samples[0]");
}

static void test_simulator(void) {
  char* err = NULL;
  sluice_fleet_t* fleet =
      sluice_fleet_load_file("examples/fleets/three_regions.csv", &err);
  sluice_spec_t* spec = sluice_spec_load_file(
      "examples/specs/codedeploy_canary_gated.textproto", &err);
  sluice_scenario_t* scenario = sluice_scenario_load_file(
      "examples/scenarios/good_release.textproto", &err);
  CHECK(scenario != NULL);
  if (scenario == NULL) fprintf(stderr, "  scenario: %s\n", err);
  size_t len = 0;
  char* one = sluice_simulate(spec, fleet, scenario, 3, 11, 1, &len, &err);
  CHECK(one != NULL && len == strlen(one));
  if (one == NULL) fprintf(stderr, "  simulate: %s\n", err);
  CHECK_CONTAINS(one, "\"summary\": {");
  CHECK_CONTAINS(one, "\"runs\": [");
  /* Deterministic, whatever the thread count. */
  char* two = sluice_simulate(spec, fleet, scenario, 3, 11, 2, &len, &err);
  CHECK(one != NULL && two != NULL && strcmp(one, two) == 0);
  sluice_free(one);
  sluice_free(two);

  CHECK(sluice_simulate(spec, fleet, scenario, 0, 1, 1, &len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "runs");
  CHECK(sluice_simulate(spec, NULL, scenario, 1, 1, 1, &len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "fleet must not be NULL");

  static const char kScenario[] =
      "name: \"inline\" hours: 2 start_time: \"2026-11-30T08:00:00Z\"\n";
  sluice_scenario_t* inline_scenario = sluice_scenario_parse(
      kScenario, strlen(kScenario), SLUICE_FORMAT_TEXTPROTO, &err);
  CHECK(inline_scenario != NULL);
  if (inline_scenario == NULL) fprintf(stderr, "  scenario: %s\n", err);
  sluice_scenario_destroy(inline_scenario);
  static const char kBadScenario[] = "hours: -1";
  CHECK(sluice_scenario_parse(kBadScenario, strlen(kBadScenario),
                              SLUICE_FORMAT_TEXTPROTO, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "hours");
  CHECK(sluice_scenario_parse("", 0, 3, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "sluice_scenario_parse: format");
  CHECK(sluice_scenario_parse(NULL, 2, SLUICE_FORMAT_JSON, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "data must not be NULL");
  CHECK(sluice_scenario_load_file("no/such.textproto", &err) == NULL);
  CHECK(err != NULL);
  sluice_free(err);
  err = NULL;
  CHECK(sluice_scenario_load_file(NULL, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "path must not be NULL");

  sluice_scenario_destroy(scenario);
  sluice_spec_destroy(spec);
  sluice_fleet_destroy(fleet);
}

/* Restores compare the configuration the snapshot records (gates,
 * rollback policy, limits) with the one given, unless told otherwise. */
static void test_restore_config_check(void) {
  char* err = NULL;
  sluice_fleet_t* fleet =
      sluice_fleet_load_file("examples/fleets/three_regions.csv", &err);
  sluice_spec_t* spec = sluice_spec_load_file(
      "examples/specs/regional_waves_gated.textproto", &err);
  CHECK(fleet != NULL && spec != NULL);
  sluice_rollout_t* rollout = sluice_rollout_from_spec(spec, fleet, NULL, &err);
  CHECK(rollout != NULL);
  sluice_actions_t* first = sluice_rollout_advance(rollout, T0, &err);
  CHECK(first != NULL);
  sluice_actions_destroy(first);
  size_t len = 0;
  char* snapshot = sluice_rollout_snapshot(rollout, &len);
  CHECK(snapshot != NULL);

  /* The same spec continues it. */
  sluice_rollout_t* same =
      sluice_rollout_restore_from_spec(spec, fleet, NULL, snapshot, len, &err);
  CHECK(same != NULL);
  CHECK(sluice_rollout_state_version(same) ==
        sluice_rollout_state_version(rollout));
  sluice_rollout_destroy(same);

  /* Options without the spec's gates are refused. */
  CHECK(sluice_rollout_restore(fleet, NULL, snapshot, len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT,
              "snapshot: config: made under another configuration");
  sluice_options_t* options = sluice_options_create();
  CHECK(sluice_rollout_restore(fleet, options, snapshot, len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "gate none");

  /* Unchecked (a tool applying a command): restores. */
  CHECK(sluice_options_set_restore_config(options, SLUICE_CONFIG_UNCHECKED,
                                          NULL, &err) == SLUICE_OK);
  sluice_rollout_t* unchecked =
      sluice_rollout_restore(fleet, options, snapshot, len, &err);
  CHECK(unchecked != NULL);
  sluice_rollout_destroy(unchecked);

  /* An intended change: accepted and recorded as a config-change event. */
  sink_state sink_s;
  memset(&sink_s, 0, sizeof(sink_s));
  sluice_event_sink_t* sink = sluice_event_sink_create(&sink_s, NULL, on_event);
  sluice_options_set_event_sink(options, sink);
  CHECK(sluice_options_set_restore_config(options, SLUICE_CONFIG_ACCEPT_CHANGE,
                                          "ops", &err) == SLUICE_OK);
  sluice_rollout_t* changed =
      sluice_rollout_restore(fleet, options, snapshot, len, &err);
  CHECK(changed != NULL);
  CHECK_CONTAINS(sink_s.commands, "config-change/ops");
  CHECK(sluice_rollout_state_version(changed) >
        sluice_rollout_state_version(rollout));
  size_t changed_len = 0;
  char* changed_snapshot = sluice_rollout_snapshot(changed, &changed_len);
  sluice_rollout_destroy(changed);
  /* From then on the new configuration is the one recorded: the gateless
   * options restore it and the spec is the change. */
  CHECK(sluice_options_set_restore_config(options, SLUICE_CONFIG_CHECK, NULL,
                                          &err) == SLUICE_OK);
  sluice_rollout_t* again = sluice_rollout_restore(
      fleet, options, changed_snapshot, changed_len, &err);
  CHECK(again != NULL);
  sluice_rollout_destroy(again);
  CHECK(sluice_rollout_restore_from_spec(spec, fleet, options, changed_snapshot,
                                         changed_len, &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT,
              "snapshot: config: made under another configuration");
  CHECK(sluice_options_set_restore_config(options, SLUICE_CONFIG_ACCEPT_CHANGE,
                                          "ops", &err) == SLUICE_OK);
  sluice_rollout_t* back = sluice_rollout_restore_from_spec(
      spec, fleet, options, changed_snapshot, changed_len, &err);
  CHECK(back != NULL);
  sluice_rollout_destroy(back);
  sluice_free(changed_snapshot);

  /* Bad arguments. */
  CHECK(sluice_options_set_restore_config(options, 7, NULL, &err) ==
        SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "mode");
  CHECK(sluice_options_set_restore_config(NULL, 0, NULL, &err) ==
        SLUICE_INVALID_ARGUMENT);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "options must not be NULL");
  CHECK(sluice_rollout_restore_from_spec(NULL, fleet, NULL, snapshot, len,
                                         &err) == NULL);
  CHECK_ERROR(err, SLUICE_INVALID_ARGUMENT, "spec must not be NULL");

  sluice_options_destroy(options);
  sluice_event_sink_destroy(sink);
  sluice_free(snapshot);
  sluice_rollout_destroy(rollout);
  sluice_spec_destroy(spec);
  sluice_fleet_destroy(fleet);
}

int main(void) {
  test_version_and_errors();
  test_fleets();
  test_fleet_infrastructure_targets();
  test_specs_and_plans();
  test_rollout_succeeds_with_custom_gate();
  test_rollback_with_custom_policy();
  test_builtin_policies_and_options();
  test_commands_approvals_snapshots();
  test_sources_with_specs();
  test_judge();
  test_simulator();
  test_restore_config_check();
  printf("c_api_test: %d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
