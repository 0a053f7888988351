// Copyright 2026 The Sluice Authors.
//
// Controller and StepThroughStore(): the store protocol of
// docs/distributed.md.

#include "sluice/store/controller.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "lib/rollout/rollout_codec.h"
#include "sluice/rollout_proto.h"
#include "sluice/v1/rollout.pb.h"

namespace sluice {
namespace {

// Keeps the events of one step until its swap decides their fate.
class BufferingSink : public EventSink {
 public:
  void OnEvent(const RolloutEvent& event) override { events_.push_back(event); }
  const std::vector<RolloutEvent>& events() const { return events_; }

 private:
  std::vector<RolloutEvent> events_;
};

std::string NotificationJson(const Action& action) {
  v1::ActionRecord r;
  r.set_id(action.id);
  r.set_kind(std::string(ActionKindName(action.kind)));
  r.set_wave(action.wave);
  r.set_message(action.message);
  r.set_escalate(action.escalate);
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(r, &json, options);
  return json;
}

std::vector<OutboxMessage> OutboxOf(const std::vector<RolloutEvent>& events,
                                    const std::vector<Action>& actions,
                                    int64_t event_sequence) {
  std::vector<OutboxMessage> out;
  for (const RolloutEvent& e : events) {
    OutboxMessage m;
    m.key = absl::StrCat("event-", e.sequence);
    m.kind = OutboxKind::kEvent;
    m.sequence = e.sequence;
    m.payload = EventToJsonLine(e);
    out.push_back(std::move(m));
  }
  for (const Action& a : actions) {
    if (a.kind != ActionKind::kNotify &&
        a.kind != ActionKind::kRequestApproval) {
      continue;
    }
    OutboxMessage m;
    m.key = a.id;
    m.kind = OutboxKind::kNotification;
    m.sequence = event_sequence;
    m.payload = NotificationJson(a);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

absl::string_view OperatorCommandName(OperatorCommand command) {
  switch (command) {
    case OperatorCommand::kPause:
      return "pause";
    case OperatorCommand::kResume:
      return "resume";
    case OperatorCommand::kAbort:
      return "abort";
    case OperatorCommand::kApprove:
      return "approve";
    case OperatorCommand::kReject:
      return "reject";
    case OperatorCommand::kPromote:
      return "promote";
    case OperatorCommand::kRetry:
      return "retry";
  }
  return "unknown";
}

absl::StatusOr<OperatorCommand> ParseOperatorCommand(absl::string_view name) {
  for (OperatorCommand c : {OperatorCommand::kPause, OperatorCommand::kResume,
                            OperatorCommand::kAbort, OperatorCommand::kApprove,
                            OperatorCommand::kReject, OperatorCommand::kPromote,
                            OperatorCommand::kRetry}) {
    if (OperatorCommandName(c) == name) return c;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("command: unknown \"", name,
                   "\" (valid: pause, resume, abort, approve, reject, "
                   "promote, retry)"));
}

absl::StatusOr<StepResult> StepThroughStore(
    RolloutStore& store, absl::string_view id, const RolloutConfig& config,
    const StepOptions& options,
    const std::function<
        absl::StatusOr<std::vector<Action>>(Rollout&, absl::Time)>& apply) {
  if (options.clock == nullptr) {
    return absl::InvalidArgumentError("StepThroughStore: clock: not set");
  }
  if (config.fleet == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "StepThroughStore: config.fleet of \"", id, "\": not set"));
  }
  for (int attempt = 0; attempt < std::max(1, options.attempts); ++attempt) {
    absl::StatusOr<StoredRollout> row = store.Get(id);
    if (!row.ok()) return row.status();
    absl::StatusOr<v1::RolloutState> state = ParseRolloutState(row->state);
    if (!state.ok()) {
      return absl::DataLossError(
          absl::StrCat("rollout \"", id, "\": ", state.status().message()));
    }
    // The clock-skew rule.
    absl::Time now = options.clock->Now();
    const absl::Time last = internal::DecodeTime(state->last_now());
    if (now < last) {
      if (last - now > options.max_clock_skew) {
        return absl::FailedPreconditionError(absl::StrCat(
            "rollout \"", id, "\": this controller's clock says ",
            absl::FormatTime(now), ", ", absl::FormatDuration(last - now),
            " before the last write's ", absl::FormatTime(last),
            " (max_clock_skew ", absl::FormatDuration(options.max_clock_skew),
            "): fix the clocks"));
      }
      now = last;
    }
    BufferingSink sink;
    RolloutOptions rollout_options = config.options;
    rollout_options.event_sink = &sink;
    absl::StatusOr<std::unique_ptr<Rollout>> rollout = Rollout::Restore(
        *config.fleet, rollout_options, row->state, config.restore);
    if (!rollout.ok()) {
      return absl::Status(
          rollout.status().code(),
          absl::StrCat("rollout \"", id, "\": ", rollout.status().message()));
    }
    absl::StatusOr<std::vector<Action>> actions = apply(**rollout, now);
    if (!actions.ok()) return actions.status();

    StepResult result;
    result.pending = (*rollout)->PendingActions();
    result.status = (*rollout)->status();
    absl::Time wakeup = (*rollout)->NextWakeup();
    if (!result.pending.empty()) {
      wakeup = std::min(wakeup, now + options.pending_recheck);
    }
    if (options.due_now) wakeup = std::min(wakeup, now);
    if (IsTerminal(result.status)) wakeup = absl::InfiniteFuture();

    if ((*rollout)->state_version() == row->version) {
      if (wakeup != row->next_wakeup) {
        absl::StatusOr<bool> set =
            store.SetNextWakeup(id, row->version, wakeup);
        if (!set.ok()) return set.status();
      }
      return result;
    }
    CasRequest cas;
    cas.id = std::string(id);
    cas.expected_version = row->version;
    cas.version = (*rollout)->state_version();
    cas.state = (*rollout)->Snapshot();
    cas.next_wakeup = wakeup;
    cas.terminal = IsTerminal(result.status);
    cas.status = std::string(RolloutStatusName(result.status));
    cas.outbox =
        OutboxOf(sink.events(), *actions, (*rollout)->event_sequence());
    cas.fence = options.fence;
    absl::StatusOr<CasResult> swapped = store.CompareAndSwap(cas);
    if (!swapped.ok()) return swapped.status();
    result.cas = *swapped;
    if (*swapped == CasResult::kLeaseLost) return result;
    if (*swapped == CasResult::kStaleVersion) continue;
    result.changed = true;
    for (const Action& a : *actions) {
      if (a.NeedsOutcome()) result.to_start.push_back(a);
    }
    return result;
  }
  return absl::UnavailableError(
      absl::StrCat("rollout \"", id, "\": lost the compare-and-swap race ",
                   options.attempts, " times (too much contention)"));
}

absl::Status ApplyCommand(RolloutStore& store, absl::string_view id,
                          const RolloutConfig& config, const Clock& clock,
                          OperatorCommand command, absl::string_view who,
                          absl::Duration max_clock_skew) {
  StepOptions options;
  options.clock = &clock;
  options.max_clock_skew = max_clock_skew;
  options.due_now = true;
  const std::string by(who);
  absl::StatusOr<StepResult> r = StepThroughStore(
      store, id, config, options,
      [command, by](Rollout& rollout,
                    absl::Time now) -> absl::StatusOr<std::vector<Action>> {
        absl::Status s;
        switch (command) {
          case OperatorCommand::kPause:
            s = rollout.Pause(by, now);
            break;
          case OperatorCommand::kResume:
            s = rollout.Resume(by, now);
            break;
          case OperatorCommand::kAbort:
            s = rollout.Abort(by, now);
            break;
          case OperatorCommand::kApprove:
            s = rollout.Approve(by, now);
            break;
          case OperatorCommand::kReject:
            s = rollout.Reject(by, now);
            break;
          case OperatorCommand::kPromote:
            s = rollout.Promote(by, now);
            break;
          case OperatorCommand::kRetry:
            s = rollout.Retry(by, now);
            break;
        }
        if (!s.ok()) return s;
        return std::vector<Action>();
      });
  return r.ok() ? absl::OkStatus() : r.status();
}

Controller::Controller(RolloutStore& store, RolloutConfigFn config,
                       ActionTransport& transport, OutboxPublisher& publisher,
                       const Clock& clock, ControllerOptions options,
                       ControllerMetrics* metrics)
    : store_(store),
      config_(std::move(config)),
      transport_(transport),
      publisher_(publisher),
      clock_(clock),
      options_(std::move(options)),
      options_status_(Validate(options_)),
      metrics_(metrics) {}

absl::Status Controller::Validate(const ControllerOptions& o) {
  auto bad = [](absl::string_view field, const std::string& message) {
    return absl::InvalidArgumentError(
        absl::StrCat("ControllerOptions.", field, ": ", message));
  };
  if (o.id.empty()) return bad("id", "must not be empty");
  if (o.max_clock_skew < absl::ZeroDuration()) {
    return bad("max_clock_skew",
               absl::StrCat("must be >= 0 (got ",
                            absl::FormatDuration(o.max_clock_skew), ")"));
  }
  if (o.lease_ttl <= 2 * o.max_clock_skew ||
      o.lease_ttl <= absl::ZeroDuration()) {
    return bad("lease_ttl",
               absl::StrCat("must be > 0 and > 2 * max_clock_skew (",
                            absl::FormatDuration(2 * o.max_clock_skew),
                            ") (got ", absl::FormatDuration(o.lease_ttl), ")"));
  }
  if (o.max_rollouts_per_pass < 1) {
    return bad(
        "max_rollouts_per_pass",
        absl::StrCat("must be >= 1 (got ", o.max_rollouts_per_pass, ")"));
  }
  if (o.cas_attempts < 1) {
    return bad("cas_attempts",
               absl::StrCat("must be >= 1 (got ", o.cas_attempts, ")"));
  }
  if (o.max_publish_per_pass < 1) {
    return bad("max_publish_per_pass",
               absl::StrCat("must be >= 1 (got ", o.max_publish_per_pass, ")"));
  }
  return absl::OkStatus();
}

void Controller::Count(absl::string_view name, int64_t delta) {
  if (metrics_ != nullptr && delta != 0) metrics_->Add(name, delta);
}

absl::Status Controller::AddRollout(absl::string_view id,
                                    const Rollout& rollout) {
  if (!options_status_.ok()) return options_status_;
  StoredRollout row;
  row.id = std::string(id);
  row.version = rollout.state_version();
  row.state = rollout.Snapshot();
  row.next_wakeup = absl::InfinitePast();  // due at once
  row.terminal = IsTerminal(rollout.status());
  row.status = std::string(RolloutStatusName(rollout.status()));
  return store_.Create(row, {});
}

absl::StatusOr<bool> Controller::HoldLease(absl::string_view id, Lease* lease,
                                           bool* taken_over) {
  absl::StatusOr<std::optional<Lease>> got =
      store_.AcquireLease(id, options_.id, clock_.Now(), options_.lease_ttl);
  if (!got.ok()) return got.status();
  if (!got->has_value()) return false;
  *lease = **got;
  absl::MutexLock lock(&mu_);
  auto it = tokens_.find(id);
  *taken_over = it == tokens_.end() || it->second != lease->token;
  return true;
}

absl::Status Controller::StepOne(absl::string_view id, const Lease& lease,
                                 bool taken_over, PassResult& pass) {
  absl::StatusOr<RolloutConfig> config = config_(id);
  if (!config.ok()) return config.status();
  StepOptions options;
  options.clock = &clock_;
  options.max_clock_skew = options_.max_clock_skew;
  options.attempts = options_.cas_attempts;
  options.fence = Fence{options_.id, lease.token};
  options.pending_recheck = options_.lease_ttl;
  absl::StatusOr<StepResult> r = StepThroughStore(
      store_, id, *config, options,
      [](Rollout& rollout, absl::Time now) { return rollout.Advance(now); });
  if (!r.ok()) return r.status();
  if (r->cas == CasResult::kLeaseLost) {
    Count("lease_lost");
    absl::MutexLock lock(&mu_);
    tokens_.erase(std::string(id));
    return absl::OkStatus();  // never act on a lease we lost
  }
  if (r->changed) {
    ++pass.stepped;
    Count("steps");
  } else {
    ++pass.idle;
    Count("idle_steps");
  }
  // Act only after the write, and only while the lease is still ours.
  absl::StatusOr<std::optional<Lease>> now_lease = store_.GetLease(id);
  if (!now_lease.ok()) return now_lease.status();
  if (!now_lease->has_value() || (*now_lease)->holder != options_.id ||
      (*now_lease)->token != lease.token) {
    Count("lease_lost");
    absl::MutexLock lock(&mu_);
    tokens_.erase(std::string(id));
    return absl::OkStatus();
  }
  if (taken_over) {
    // The previous holder may have died between its write and its acts:
    // start everything pending again (same ids; the transport deduplicates).
    for (const Action& a : r->pending) transport_.Start(id, a);
    Count("actions_restarted", static_cast<int64_t>(r->pending.size()));
  } else {
    for (const Action& a : r->to_start) transport_.Start(id, a);
    Count("actions_started", static_cast<int64_t>(r->to_start.size()));
  }
  absl::MutexLock lock(&mu_);
  tokens_[std::string(id)] = lease.token;
  return absl::OkStatus();
}

absl::StatusOr<PassResult> Controller::RunOnce() {
  if (!options_status_.ok()) return options_status_;
  PassResult pass;
  absl::StatusOr<std::vector<DueRollout>> due =
      store_.ListDue(clock_.Now(), options_.max_rollouts_per_pass);
  if (!due.ok()) return due.status();
  for (const DueRollout& d : *due) {
    Lease lease;
    bool taken_over = false;
    absl::StatusOr<bool> held = HoldLease(d.id, &lease, &taken_over);
    if (!held.ok()) {
      pass.errors.push_back(held.status());
      Count("errors");
      continue;
    }
    if (!*held) {
      ++pass.skipped;
      continue;
    }
    if (taken_over) Count("lease_taken");
    if (absl::Status s = StepOne(d.id, lease, taken_over, pass); !s.ok()) {
      pass.errors.push_back(s);
      Count("errors");
    }
  }
  absl::StatusOr<int> published = PublishOutbox();
  if (published.ok()) {
    pass.published = *published;
  } else {
    pass.errors.push_back(published.status());
    Count("errors");
  }
  return pass;
}

absl::Status Controller::Outcome(
    absl::string_view id,
    const std::function<absl::Status(Rollout&, absl::Time)>& report) {
  if (!options_status_.ok()) return options_status_;
  absl::StatusOr<RolloutConfig> config = config_(id);
  if (!config.ok()) return config.status();
  StepOptions options;
  options.clock = &clock_;
  options.max_clock_skew = options_.max_clock_skew;
  options.attempts = options_.cas_attempts;
  options.due_now = true;
  options.pending_recheck = options_.lease_ttl;
  bool already = false;
  absl::StatusOr<StepResult> r = StepThroughStore(
      store_, id, *config, options,
      [&](Rollout& rollout,
          absl::Time now) -> absl::StatusOr<std::vector<Action>> {
        absl::Status s = report(rollout, now);
        if (absl::IsFailedPrecondition(s)) {
          already = true;  // recorded before, or cancelled: done (rule 2)
          return std::vector<Action>();
        }
        if (!s.ok()) return s;
        return std::vector<Action>();
      });
  if (!r.ok()) return r.status();
  (void)already;
  return absl::OkStatus();
}

absl::Status Controller::ReportOutcome(absl::string_view id,
                                       absl::string_view action_id,
                                       absl::Span<const TargetResult> results) {
  const std::string action(action_id);
  const std::vector<TargetResult> copy(results.begin(), results.end());
  return Outcome(id, [&](Rollout& rollout, absl::Time now) {
    return rollout.ReportOutcome(action, copy, now);
  });
}

absl::Status Controller::ReportActionOutcome(absl::string_view id,
                                             absl::string_view action_id,
                                             bool succeeded,
                                             absl::string_view reason) {
  const std::string action(action_id);
  const std::string why(reason);
  return Outcome(id, [&](Rollout& rollout, absl::Time now) {
    return rollout.ReportActionOutcome(action, succeeded, why, now);
  });
}

absl::Status Controller::Command(absl::string_view id, OperatorCommand command,
                                 absl::string_view who) {
  if (!options_status_.ok()) return options_status_;
  absl::StatusOr<RolloutConfig> config = config_(id);
  if (!config.ok()) return config.status();
  return ApplyCommand(store_, id, *config, clock_, command, who,
                      options_.max_clock_skew);
}

absl::StatusOr<int> Controller::PublishOutbox() {
  if (!options_status_.ok()) return options_status_;
  absl::StatusOr<std::vector<OutboxMessage>> pending =
      store_.PendingOutbox("", options_.max_publish_per_pass);
  if (!pending.ok()) return pending.status();
  int acked = 0;
  std::string current;
  bool held = false;
  bool blocked = false;
  for (const OutboxMessage& m : *pending) {
    if (m.rollout != current) {
      current = m.rollout;
      blocked = false;
      Lease lease;
      bool taken_over = false;
      absl::StatusOr<bool> h = HoldLease(m.rollout, &lease, &taken_over);
      if (!h.ok()) return h.status();
      held = *h;
    }
    if (!held || blocked) continue;
    if (absl::Status s = publisher_.Publish(m); !s.ok()) {
      Count("publish_failed");
      blocked = true;  // keep each rollout's messages in order
      continue;
    }
    if (absl::Status s = store_.Ack(m.rollout, m.key); !s.ok()) return s;
    ++acked;
    Count("published");
  }
  return acked;
}

void Controller::WaitForWork(absl::Duration timeout) {
  (void)store_.WaitForChange(timeout);
}

void Controller::ReleaseLeases() {
  std::map<std::string, int64_t, std::less<>> tokens;
  {
    absl::MutexLock lock(&mu_);
    tokens.swap(tokens_);
  }
  for (const auto& [id, token] : tokens) {
    (void)store_.ReleaseLease(id, options_.id, token);
  }
}

}  // namespace sluice
