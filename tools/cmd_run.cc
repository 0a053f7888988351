// Copyright 2026 The Sluice Authors.
//
// `sluice run SPEC --fleet FLEET --store URL --deploy CMD --rollback CMD
//     [--prometheus URL] [--alertmanager URL] [--events FILE]
//     [--notify CMD] [--id ROLLOUT]`:
// the reference controller (docs/run.md). A Controller
// (sluice/store/controller.h) over the store steps the rollout; its
// transport runs one command hook per action (tools/hook_runner.h) and
// reports the hook's outcomes; its outbox publisher appends events to
// --events (JSON lines, for `sluice timeline`) and pipes notifications
// (pages, approval requests) into --notify. A terminal gets a live view,
// redrawn; a pipe gets JSON lines.
//
// Idempotency: an action is run only while the store says it awaits its
// outcome; an action whose outcome is recorded is never run again, also
// after a restart. An action in flight when the controller died is run
// again, with the same SLUICE_ACTION_ID: hooks must be idempotent.
//
// SIGTERM/SIGINT: the current hook finishes and its outcome is recorded,
// the lease is released, and the program exits 0 saying how to resume. A
// restart (or a second `sluice run` with the same store and id) resumes,
// taking the lease over once it expires.
//
// Exit codes: 0 the rollout succeeded (or the run was stopped by a
// signal); 1 bad input or an error; 2 a wrong command line; 3 rolled back;
// 4 aborted; 5 failed (the rollback did not complete: a person must act).

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "sluice/blocker.h"
#include "sluice/clock.h"
#include "sluice/fleet_io.h"
#include "sluice/rollout.h"
#include "sluice/rollout_event.h"
#include "sluice/rollout_proto.h"
#include "sluice/spec.h"
#include "sluice/store/controller.h"
#include "sluice/store/memory_store.h"
#include "sluice/store/rollout_store.h"
#include "sluice/v1/rollout.pb.h"
#include "sluice/v1/rollout_spec.pb.h"
#include "tools/cli.h"
#include "tools/hook_runner.h"
#ifdef SLUICE_HAVE_PROMETHEUS
#include "sluice/prometheus/prometheus.h"
#endif

namespace sluice::cli {
namespace {

enum RunExit : int {
  kExitRolledBack = 3,
  kExitAborted = 4,
  kExitRollbackFailed = 5,
};

volatile sig_atomic_t g_stop_signal = 0;
extern "C" void OnStopSignal(int sig) { g_stop_signal = sig; }

// Installs the SIGTERM/SIGINT handlers for its lifetime.
class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    struct sigaction sa = {};
    sa.sa_handler = OnStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, &old_term_);
    sigaction(SIGINT, &sa, &old_int_);
  }
  ~StopSignals() {
    sigaction(SIGTERM, &old_term_, nullptr);
    sigaction(SIGINT, &old_int_, nullptr);
  }
  static bool stopping() { return g_stop_signal != 0; }

 private:
  struct sigaction old_term_ = {};
  struct sigaction old_int_ = {};
};

using google::protobuf::Struct;
using google::protobuf::Value;

Value Str(absl::string_view s) {
  Value v;
  v.set_string_value(std::string(s));
  return v;
}
Value Num(double d) {
  Value v;
  v.set_number_value(d);
  return v;
}

std::string ToJson(const Struct& s) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(s, &json, options);
  return json;
}

// The live view on a terminal, JSON lines otherwise.
class View {
 public:
  View(std::ostream& out, bool live) : out_(out), live_(live) {}
  bool live() const { return live_; }

  // One structured record: a JSON line, or (live) a line in the log pane.
  void Record(const std::string& type, Struct fields,
              const std::string& human) {
    if (live_) {
      if (human.empty()) return;
      log_.push_back(absl::StrCat(
          absl::FormatTime("%H:%M:%S ", absl::Now(), absl::LocalTimeZone()),
          human));
      while (log_.size() > 10) log_.pop_front();
      dirty_ = true;
      return;
    }
    (*fields.mutable_fields())["type"] = Str(type);
    out_ << ToJson(fields) << "\n";
    out_.flush();
  }

  void Event(const std::string& payload) {
    absl::StatusOr<RolloutEvent> e = EventFromJsonLine(payload);
    if (live_) {
      if (e.ok()) {
        std::ostringstream line;
        line << *e;
        if (e->kind == EventKind::kGateVerdict ||
            e->kind == EventKind::kBackgroundVerdict) {
          last_verdict_ = line.str();
        }
        Record("event", {}, line.str());
      }
      return;
    }
    Struct s;
    Value event;
    if (google::protobuf::util::JsonStringToMessage(
            payload, event.mutable_struct_value())
            .ok()) {
      (*s.mutable_fields())["event"] = event;
    } else {
      (*s.mutable_fields())["event_line"] = Str(payload);
    }
    Record("event", s, payload);
  }

  // Redraws (live) the rollout's state; in JSON mode prints a status
  // record when it changed.
  void State(const std::string& id, const v1::RolloutState& state,
             const std::vector<std::string>& blockers, const Fleet& fleet,
             const std::string& lease_note, absl::Time now) {
    // What changed, without the countdowns.
    std::string key = absl::StrCat(state.status(), "/", state.current_wave(),
                                   "/", state.phase(), "/", lease_note.empty());
    for (const std::string& b : blockers) {
      absl::StrAppend(&key, "/", b.substr(0, b.find(':')));
    }
    if (!live_) {
      if (key == last_key_) return;
      last_key_ = key;
      Struct s;
      auto& f = *s.mutable_fields();
      f["rollout"] = Str(id);
      f["status"] = Str(state.status());
      f["wave"] = Num(state.current_wave());
      f["waves"] = Num(state.waves_size());
      f["phase"] = Str(state.phase());
      Value list;
      for (const std::string& b : blockers) {
        *list.mutable_list_value()->add_values() = Str(b);
      }
      f["blockers"] = list;
      if (!lease_note.empty()) f["note"] = Str(lease_note);
      Record("status", s, "");
      return;
    }
    if (!dirty_ && key == last_key_ && now - last_draw_ < absl::Seconds(1)) {
      return;
    }
    last_key_ = key;
    last_draw_ = now;
    dirty_ = false;
    std::ostringstream o;
    o << "\033[H\033[2J";
    o << "sluice run  " << id << "  " << state.name() << ": "
      << state.previous_version() << " -> " << state.version() << "\n";
    o << "status: " << state.status() << "   state version "
      << state.state_version() << "   events " << state.event_sequence()
      << "\n";
    if (!lease_note.empty()) o << lease_note << "\n";
    o << "\nwaves:\n";
    const absl::Time bake_until =
        state.has_bake_until()
            ? absl::FromUnixSeconds(state.bake_until().seconds()) +
                  absl::Nanoseconds(state.bake_until().nanos())
            : absl::InfinitePast();
    for (int i = 0; i < state.waves_size(); ++i) {
      const v1::WaveRecord& w = state.waves(i);
      std::string mark = "  ";
      std::string what = "pending";
      if (i < state.current_wave()) {
        mark = "ok";
        what = "passed";
      } else if (i == state.current_wave()) {
        mark = ">>";
        what = state.phase();
        if (state.phase() == "baking" && bake_until > now) {
          what = absl::StrCat("baking, ",
                              absl::FormatDuration(absl::Ceil(
                                  bake_until - now, absl::Seconds(1))),
                              " left");
        }
        if (state.status() == "rolled-back" || state.status() == "failed" ||
            state.status() == "aborted") {
          mark = "!!";
        }
      }
      if (state.status() == "succeeded") {
        mark = "ok";
        what = "passed";
      }
      o << absl::StrFormat("  %s %2d %-28s %3d targets  %s\n", mark, i,
                           w.name(), w.targets_size(), what);
    }
    (void)fleet;
    if (!last_verdict_.empty())
      o << "\nlast verdict: " << last_verdict_ << "\n";
    if (!blockers.empty()) {
      o << "\nblocked by:\n";
      for (const std::string& b : blockers) o << "  " << b << "\n";
    }
    o << "\nrecent:\n";
    for (const std::string& l : log_) o << "  " << l << "\n";
    o << "\n(^C stops cleanly; run the same command again to resume)\n";
    out_ << o.str();
    out_.flush();
  }

 private:
  std::ostream& out_;
  bool live_;
  std::deque<std::string> log_;
  std::string last_verdict_;
  std::string last_key_;
  absl::Time last_draw_ = absl::InfinitePast();
  bool dirty_ = true;
};

// The transport: queues the actions the controller starts; the run loop
// runs their hooks between passes.
class QueueTransport : public ActionTransport {
 public:
  void Start(absl::string_view rollout, const Action& action) override {
    for (const auto& [r, a] : queue_) {
      if (r == rollout && a.id == action.id) return;
    }
    queue_.emplace_back(std::string(rollout), action);
  }
  bool empty() const { return queue_.empty(); }
  std::pair<std::string, Action> Pop() {
    auto front = std::move(queue_.front());
    queue_.pop_front();
    return front;
  }

 private:
  std::deque<std::pair<std::string, Action>> queue_;
};

// The outbox: events to --events and the view, notifications to --notify.
class RunPublisher : public OutboxPublisher {
 public:
  RunPublisher(View& view, std::string events_path, std::string notify,
               absl::Duration notify_timeout)
      : view_(view),
        events_path_(std::move(events_path)),
        notify_(std::move(notify)),
        notify_timeout_(notify_timeout) {}

  // Reads the keys of the events already in the file (a message delivered
  // but not acknowledged before a crash comes again).
  absl::Status Open() {
    if (events_path_.empty()) return absl::OkStatus();
    std::ifstream in(events_path_);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      absl::StatusOr<RolloutEvent> e = EventFromJsonLine(line);
      if (e.ok()) seen_.insert(absl::StrCat(e->rollout_id, "/", e->sequence));
    }
    events_.open(events_path_, std::ios::app);
    if (!events_) {
      return absl::InvalidArgumentError(
          absl::StrCat("--events: cannot open \"", events_path_, "\""));
    }
    return absl::OkStatus();
  }

  absl::Status Publish(const OutboxMessage& m) override {
    if (m.kind == OutboxKind::kEvent) {
      const std::string key = absl::StrCat(m.rollout, "/", m.sequence);
      if (!seen_.insert(key).second) return absl::OkStatus();
      if (events_.is_open()) {
        events_ << m.payload << "\n";
        events_.flush();
        if (!events_) {
          seen_.erase(key);
          return absl::UnavailableError("--events: write failed");
        }
      }
      view_.Event(m.payload);
      return absl::OkStatus();
    }
    // A notification: a page or an approval request.
    Struct s;
    auto& f = *s.mutable_fields();
    f["rollout"] = Str(m.rollout);
    f["key"] = Str(m.key);
    Value payload;
    if (google::protobuf::util::JsonStringToMessage(
            m.payload, payload.mutable_struct_value())
            .ok()) {
      f["notification"] = payload;
    }
    if (notify_.empty()) {
      view_.Record("notification", s,
                   absl::StrCat("notification ", m.key, ": ", m.payload));
      return absl::OkStatus();
    }
    absl::StatusOr<HookRun> run = RunHook(
        notify_, {{"SLUICE_ROLLOUT", m.rollout}, {"SLUICE_NOTIFY_KEY", m.key}},
        m.payload + "\n", notify_timeout_);
    if (!run.ok()) return run.status();
    f["result"] = Str(run->Describe());
    view_.Record("notification", s,
                 absl::StrCat("notify ", m.key, ": ", run->Describe()));
    if (!run->ok()) {
      return absl::UnavailableError(
          absl::StrCat("--notify: ", run->Describe()));
    }
    return absl::OkStatus();
  }

 private:
  View& view_;
  std::string events_path_;
  std::string notify_;
  absl::Duration notify_timeout_;
  std::ofstream events_;
  std::set<std::string> seen_;
};

absl::Duration DurationFlag(const ParsedArgs& args, const char* flag,
                            absl::Duration fallback, absl::Status* error) {
  std::optional<std::string> v = args.Flag(flag);
  if (!v.has_value()) return fallback;
  absl::Duration d;
  if (!absl::ParseDuration(*v, &d) || d <= absl::ZeroDuration() ||
      d == absl::InfiniteDuration()) {
    *error = absl::InvalidArgumentError(absl::StrCat(
        flag, ": expected a duration > 0 such as 30s or 5m, got \"", *v, "\""));
  }
  return d;
}

// Whether action `action_id` still awaits its outcome in the stored state.
absl::StatusOr<bool> StillPending(RolloutStore& store, const std::string& id,
                                  const std::string& action_id) {
  absl::StatusOr<StoredRollout> row = store.Get(id);
  if (!row.ok()) return row.status();
  absl::StatusOr<v1::RolloutState> state = ParseRolloutState(row->state);
  if (!state.ok()) return state.status();
  for (const v1::ActionRecord& a : state->actions()) {
    if (a.id() == action_id) return a.state() == 0;
  }
  return false;
}

int ExitCodeFor(absl::string_view status) {
  if (status == "succeeded") return kExitOk;
  if (status == "rolled-back") return kExitRolledBack;
  if (status == "aborted") return kExitAborted;
  return kExitRollbackFailed;
}

int RunRun(CommandContext& context) {
  absl::StatusOr<ParsedArgs> args =
      ParseArgs(context.args,
                {"--fleet", "--store", "--deploy", "--rollback", "--prometheus",
                 "--alertmanager", "--events", "--notify", "--id",
                 "--hook-timeout", "--lease-ttl", "--poll", "--output"},
                {});
  if (!args.ok()) return UsageError(context, "run", args.status().message());
  if (args->positional.size() != 1) {
    return UsageError(context, "run", "expects exactly one SPEC");
  }
  for (const char* flag : {"--fleet", "--store", "--deploy", "--rollback"}) {
    if (!args->Flag(flag).has_value()) {
      return UsageError(context, "run", absl::StrCat(flag, ": required"));
    }
  }
  absl::Status flag_error;
  const absl::Duration hook_timeout =
      DurationFlag(*args, "--hook-timeout", absl::Minutes(10), &flag_error);
  const absl::Duration lease_ttl =
      DurationFlag(*args, "--lease-ttl", absl::Seconds(15), &flag_error);
  const absl::Duration poll =
      DurationFlag(*args, "--poll", absl::Seconds(1), &flag_error);
  if (!flag_error.ok()) return UsageError(context, "run", flag_error.message());
  bool live = &context.out == &std::cout && isatty(STDOUT_FILENO) == 1;
  if (std::optional<std::string> output = args->Flag("--output")) {
    if (*output != "live" && *output != "json") {
      return UsageError(context, "run",
                        absl::StrCat("--output: expected live or json, got \"",
                                     *output, "\""));
    }
    live = *output == "live";
  }
  const std::string deploy_hook = *args->Flag("--deploy");
  const std::string rollback_hook = *args->Flag("--rollback");
  for (const std::string* hook : {&deploy_hook, &rollback_hook}) {
    absl::Status s = ExpandHook(*hook, {{"version", ""},
                                        {"targets", ""},
                                        {"wave", ""},
                                        {"action_id", ""},
                                        {"rollout", ""},
                                        {"kind", ""},
                                        {"percent", ""}})
                         .status();
    if (!s.ok()) {
      return UsageError(
          context, "run",
          absl::StrCat(hook == &deploy_hook ? "--deploy" : "--rollback", ": ",
                       s.message()));
    }
  }

  // The spec and the fleet.
  absl::StatusOr<RolloutSpec> spec = RolloutSpec::LoadFile(args->positional[0]);
  if (!spec.ok()) return Fail(context, "", spec.status());
  absl::StatusOr<Fleet> loaded = LoadFleetFile(*args->Flag("--fleet"));
  if (!loaded.ok()) return Fail(context, "", loaded.status());
  auto fleet = std::make_shared<const Fleet>(*std::move(loaded));
  if (absl::Status s = spec->ValidateAgainst(*fleet); !s.ok()) {
    return Fail(context, args->positional[0], s);
  }
  const std::string id = args->Flag("--id").value_or(absl::StrCat(
      spec->name().empty() ? "rollout" : spec->name(), "@", spec->version()));

  // The metric and alarm sources.
  std::unique_ptr<MetricSource> metrics;
  std::unique_ptr<AlarmSource> alarms;
  if (args->Flag("--prometheus").has_value() ||
      args->Flag("--alertmanager").has_value()) {
#ifdef SLUICE_HAVE_PROMETHEUS
    if (std::optional<std::string> url = args->Flag("--prometheus")) {
      prometheus::PrometheusOptions options;
      options.url = *url;
      absl::StatusOr<std::unique_ptr<MetricSource>> m =
          prometheus::NewPrometheusMetricSource(options);
      if (!m.ok()) return Fail(context, "--prometheus", m.status());
      metrics = *std::move(m);
      if (!args->Flag("--alertmanager").has_value()) {
        absl::StatusOr<std::unique_ptr<AlarmSource>> a =
            prometheus::NewPrometheusAlarmSource(options);
        if (!a.ok()) return Fail(context, "--prometheus", a.status());
        alarms = *std::move(a);
      }
    }
    if (std::optional<std::string> url = args->Flag("--alertmanager")) {
      prometheus::PrometheusOptions options;
      options.url = *url;
      absl::StatusOr<std::unique_ptr<AlarmSource>> a =
          prometheus::NewAlertmanagerAlarmSource(options);
      if (!a.ok()) return Fail(context, "--alertmanager", a.status());
      alarms = *std::move(a);
    }
#else
    return Fail(context, "--prometheus",
                absl::FailedPreconditionError(
                    "this sluice was built without sluice_prometheus "
                    "(SLUICE_PROMETHEUS: libcurl and nlohmann-json)"));
#endif
  }
  if (!spec->metric_names().empty() && metrics == nullptr) {
    return UsageError(context, "run",
                      "the spec declares metrics: --prometheus URL required");
  }

  // The options every step restores the rollout with.
  absl::StatusOr<std::unique_ptr<WaveScheduler>> scheduler =
      NewScheduler(*spec);
  if (!scheduler.ok()) return Fail(context, "", scheduler.status());
  absl::StatusOr<WavePlan> plan = (*scheduler)->Plan(*fleet);
  if (!plan.ok()) return Fail(context, "", plan.status());
  RolloutOptions base;
  base.rollout_id = id;
  base.metric_source = metrics.get();
  base.alarm_source = alarms.get();
  absl::StatusOr<RolloutOptions> options =
      Rollout::OptionsFromSpec(*spec, *plan, base);
  if (!options.ok())
    return Fail(context, args->positional[0], options.status());
  RolloutConfig config{fleet, *options, RestoreOptions()};  // gates compared

  // The store.
  std::unique_ptr<RolloutStore> store;
  const std::string url = *args->Flag("--store");
  if (url == "memory:") {
    store = std::make_unique<InMemoryStore>();
  } else {
    absl::StatusOr<std::unique_ptr<RolloutStore>> opened = OpenStore(url);
    if (!opened.ok()) return Fail(context, "", opened.status());
    store = *std::move(opened);
  }

  View view(context.out, live);
  RunPublisher publisher(view, args->Flag("--events").value_or(""),
                         args->Flag("--notify").value_or(""), hook_timeout);
  if (absl::Status s = publisher.Open(); !s.ok()) return Fail(context, "", s);
  QueueTransport transport;
  ControllerOptions controller_options;
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  controller_options.id = absl::StrCat("sluice-run-", host, "-", getpid());
  controller_options.lease_ttl = lease_ttl;
  controller_options.max_clock_skew = std::min(absl::Seconds(2), lease_ttl / 3);
  if (absl::Status s = Controller::Validate(controller_options); !s.ok()) {
    return UsageError(context, "run", s.message());
  }
  Controller controller(
      *store,
      [&config,
       &id](absl::string_view rollout) -> absl::StatusOr<RolloutConfig> {
        if (rollout != id) {
          return absl::NotFoundError(
              absl::StrCat("rollout \"", rollout, "\" is not this run's"));
        }
        return config;
      },
      transport, publisher, Clock::Real(), controller_options);

  // Create, or resume.
  absl::StatusOr<StoredRollout> existing = store->Get(id);
  if (existing.ok()) {
    absl::StatusOr<v1::RolloutState> state = ParseRolloutState(existing->state);
    if (!state.ok()) return Fail(context, id, state.status());
    if (state->version() != spec->version()) {
      return Fail(context, "--id",
                  absl::FailedPreconditionError(absl::StrCat(
                      "rollout \"", id, "\" in the store rolls out version ",
                      state->version(), ", the spec version ", spec->version(),
                      ": give another --id")));
    }
    Struct s;
    (*s.mutable_fields())["rollout"] = Str(id);
    (*s.mutable_fields())["status"] = Str(existing->status);
    view.Record("resume", s,
                absl::StrCat("resuming ", id, " (", existing->status,
                             ", state version ", existing->version, ")"));
  } else if (absl::IsNotFound(existing.status())) {
    absl::StatusOr<std::unique_ptr<Rollout>> rollout =
        Rollout::FromSpec(*spec, *fleet, base);
    if (!rollout.ok())
      return Fail(context, args->positional[0], rollout.status());
    absl::Status added = controller.AddRollout(id, **rollout);
    if (!added.ok() && !absl::IsAlreadyExists(added)) {
      return Fail(context, id, added);
    }
    Struct s;
    (*s.mutable_fields())["rollout"] = Str(id);
    (*s.mutable_fields())["waves"] = Num(plan->waves.size());
    view.Record("start", s,
                absl::StrCat("started ", id, ": ", spec->Summary()));
  } else {
    return Fail(context, id, existing.status());
  }

  StopSignals signals;
  int errors_in_a_row = 0;
  // Outcomes the store did not take (e.g. unavailable): reported again
  // before anything else, so that no hook runs twice for want of a write.
  std::vector<std::function<absl::Status()>> unreported;
  auto record_error = [&view](const absl::Status& e) {
    Struct s;
    (*s.mutable_fields())["error"] = Str(e.ToString());
    view.Record("error", s, absl::StrCat("error: ", e.ToString()));
  };
  while (true) {
    if (StopSignals::stopping() && unreported.empty()) break;
    absl::Status last_error;
    for (auto it = unreported.begin(); it != unreported.end();) {
      absl::Status s = (*it)();
      if (s.ok()) {
        it = unreported.erase(it);
      } else {
        record_error(s);
        last_error = s;
        ++it;
      }
    }
    if (!unreported.empty()) {
      if (++errors_in_a_row >= 30) return Fail(context, id, last_error);
      controller.WaitForWork(poll);
      continue;
    }
    if (StopSignals::stopping()) break;
    absl::StatusOr<PassResult> pass = controller.RunOnce();
    if (!pass.ok()) {
      Struct s;
      (*s.mutable_fields())["error"] = Str(pass.status().ToString());
      view.Record("error", s,
                  absl::StrCat("error: ", pass.status().ToString()));
      if (++errors_in_a_row >= 30) return Fail(context, id, pass.status());
    } else {
      errors_in_a_row = 0;
      for (const absl::Status& e : pass->errors) {
        Struct s;
        (*s.mutable_fields())["error"] = Str(e.ToString());
        view.Record("error", s, absl::StrCat("error: ", e.ToString()));
      }
    }
    // The hooks of the actions the pass started.
    while (!transport.empty()) {
      auto [rollout_id, action] = transport.Pop();
      absl::StatusOr<bool> pending =
          StillPending(*store, rollout_id, action.id);
      if (!pending.ok()) {
        // Asked again after the next pass.
        record_error(pending.status());
        transport.Start(rollout_id, action);
        break;
      }
      if (!*pending) continue;  // its outcome is recorded already
      const bool rollback = action.kind == ActionKind::kRollBack;
      const std::vector<std::string> targets = action.TargetIds(*fleet);
      std::map<std::string, std::string> values = {
          {"version", action.version},
          {"targets", absl::StrJoin(targets, ",")},
          {"wave", absl::StrCat(action.wave)},
          {"action_id", action.id},
          {"rollout", rollout_id},
          {"kind", std::string(ActionKindName(action.kind))},
          {"percent", action.traffic_percent.has_value()
                          ? absl::StrCat(*action.traffic_percent)
                          : ""}};
      absl::StatusOr<std::string> command =
          ExpandHook(rollback ? rollback_hook : deploy_hook, values);
      absl::StatusOr<HookRun> run =
          command.ok()
              ? RunHook(*command,
                        {{"SLUICE_ACTION_ID", action.id},
                         {"SLUICE_ACTION_KIND",
                          std::string(ActionKindName(action.kind))},
                         {"SLUICE_ROLLOUT", rollout_id},
                         {"SLUICE_VERSION", action.version},
                         {"SLUICE_WAVE", absl::StrCat(action.wave)},
                         {"SLUICE_TARGETS", absl::StrJoin(targets, ",")}},
                        "", hook_timeout)
              : absl::StatusOr<HookRun>(command.status());
      HookRun result;
      if (run.ok()) {
        result = *std::move(run);
      } else {
        result.error_tail = run.status().ToString();
      }
      int ok = 0, failed = 0;
      absl::Status reported;
      if (targets.empty()) {
        const bool succeeded = result.ok();
        const std::string reason =
            succeeded ? "" : absl::StrCat("hook ", result.Describe());
        auto report = [&controller, rollout_id = rollout_id,
                       action_id = action.id, succeeded, reason] {
          return controller.ReportActionOutcome(rollout_id, action_id,
                                                succeeded, reason);
        };
        reported = report();
        if (!reported.ok()) unreported.push_back(report);
        (result.ok() ? ok : failed) = 1;
      } else {
        std::vector<HookOutcome> outcomes = ParseHookOutcomes(result, targets);
        std::vector<TargetResult> results;
        for (size_t i = 0; i < outcomes.size(); ++i) {
          results.push_back(outcomes[i].ok
                                ? TargetResult::Ok(action.targets[i])
                                : TargetResult::Failed(action.targets[i],
                                                       outcomes[i].reason));
          (outcomes[i].ok ? ok : failed) += 1;
        }
        auto report = [&controller, rollout_id = rollout_id,
                       action_id = action.id, results] {
          return controller.ReportOutcome(rollout_id, action_id, results);
        };
        reported = report();
        if (!reported.ok()) unreported.push_back(report);
      }
      Struct s;
      auto& f = *s.mutable_fields();
      f["action_id"] = Str(action.id);
      f["kind"] = Str(ActionKindName(action.kind));
      f["wave"] = Num(action.wave);
      f["version"] = Str(action.version);
      f["targets"] = Num(static_cast<double>(targets.size()));
      f["result"] = Str(run.ok() ? result.Describe() : result.error_tail);
      f["ok"] = Num(ok);
      f["failed"] = Num(failed);
      f["took_ms"] =
          Num(static_cast<double>(absl::ToInt64Milliseconds(result.took)));
      if (!reported.ok()) f["report_error"] = Str(reported.ToString());
      if (!result.ok() && !result.error_tail.empty()) {
        f["stderr"] = Str(result.error_tail);
      }
      view.Record(
          "hook", s,
          absl::StrCat(action.id, ": ", ActionKindName(action.kind), " ",
                       action.version, " to ", targets.size(), " targets: ",
                       run.ok() ? result.Describe() : result.error_tail, " (",
                       ok, " ok, ", failed, " failed)"));
    }
    absl::StatusOr<StoredRollout> row = store->Get(id);
    if (!row.ok()) return Fail(context, id, row.status());
    if (row->terminal) {
      (void)controller.PublishOutbox();
      controller.ReleaseLeases();
      const int code = ExitCodeFor(row->status);
      Struct s;
      (*s.mutable_fields())["rollout"] = Str(id);
      (*s.mutable_fields())["status"] = Str(row->status);
      (*s.mutable_fields())["code"] = Num(code);
      view.Record("exit", s, "");
      if (view.live()) {
        context.out << "\n";
      }
      context.out << (view.live() ? "" : "# ") << id << ": " << row->status
                  << " (exit " << code << ")\n";
      return code;
    }
    absl::StatusOr<v1::RolloutState> state = ParseRolloutState(row->state);
    if (state.ok()) {
      const absl::Time now = absl::Now();
      std::vector<std::string> blockers;
      absl::StatusOr<std::unique_ptr<Rollout>> r =
          Rollout::Restore(*fleet, config.options, row->state);
      if (r.ok()) {
        for (const Blocker& b : (*r)->Blockers(now)) {
          blockers.push_back(absl::StrCat(BlockerKindName(b.kind), ": ",
                                          DescribeBlocker(b, now)));
        }
      }
      std::string note;
      absl::StatusOr<std::optional<Lease>> lease = store->GetLease(id);
      if (lease.ok() && lease->has_value() &&
          (*lease)->holder != controller_options.id &&
          (*lease)->expires > now) {
        note = absl::StrCat("held by ", (*lease)->holder, " until ",
                            absl::FormatTime((*lease)->expires),
                            ": waiting to take it over");
      }
      view.State(id, *state, blockers, *fleet, note, now);
    }
    if (StopSignals::stopping()) break;
    controller.WaitForWork(std::min(
        poll,
        std::max(absl::Milliseconds(50), row->next_wakeup - absl::Now())));
  }
  controller.ReleaseLeases();
  Struct s;
  (*s.mutable_fields())["rollout"] = Str(id);
  (*s.mutable_fields())["signal"] = Num(g_stop_signal);
  view.Record("stopped", s, "");
  context.err << "sluice run: stopped by signal " << g_stop_signal
              << "; the lease on " << id
              << " is released. Run the same command again to resume.\n";
  return kExitOk;
}

}  // namespace

SLUICE_CLI_COMMAND(
    run, "run",
    "SPEC --fleet FLEET --store URL --deploy CMD --rollback CMD "
    "[--prometheus URL] [--alertmanager URL] [--events FILE] [--notify CMD] "
    "[--id ROLLOUT] [--hook-timeout 10m] [--lease-ttl 15s] [--poll 1s] "
    "[--output live|json]",
    "Run a rollout: the reference controller, with command hooks (exit 3 "
    "rolled back, 4 aborted, 5 failed).",
    RunRun);

}  // namespace sluice::cli
