// Copyright 2026 The Sluice Authors.
//
// Manual approval: holds until an operator approves or rejects.
//
// State: started_at is when the wait started (the gate's first evaluation
// for the wave); completed once the timeout decided.

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/checks.h"
#include "sluice/approval_gate.h"

namespace sluice {
namespace {

std::string Who(const OperatorSignal& s) {
  std::string out = s.who.empty() ? "(unknown)" : s.who;
  absl::StrAppend(&out, " at ", internal::FormatTimeUtc(s.at));
  if (!s.comment.empty()) absl::StrAppend(&out, ": ", s.comment);
  return out;
}

class ManualApprovalGate : public HealthGate {
 public:
  ManualApprovalGate(std::string name, ManualApprovalOptions options)
      : name_(std::move(name)), options_(options) {}

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    const absl::Time now = context.now;
    if (state.started_at == absl::InfinitePast()) state.started_at = now;
    // A rejection anywhere wins; otherwise the first approval.
    const OperatorSignal* approval = nullptr;
    for (const OperatorSignal& s : context.signals) {
      if (!s.gate.empty() && s.gate != name_) continue;
      if (s.kind == OperatorSignal::Kind::kReject) {
        return Verdict::Fail(name_, absl::StrCat("rejected by ", Who(s)));
      }
      if (approval == nullptr) approval = &s;
    }
    if (approval != nullptr) {
      return Verdict::Pass(name_, absl::StrCat("approved by ", Who(*approval)));
    }
    if (!options_.timeout.has_value()) {
      return Verdict::Hold(
          name_, absl::InfiniteFuture(),
          absl::StrCat("waiting for approval since ",
                       internal::FormatTimeUtc(state.started_at),
                       " (no timeout)"));
    }
    const absl::Time deadline = state.started_at + *options_.timeout;
    if (now >= deadline) {
      std::string reason = absl::StrCat(
          "no decision within ", internal::DurationText(*options_.timeout),
          " (timeout at ", internal::FormatTimeUtc(deadline),
          "; on_timeout: ", OutcomeName(options_.on_timeout), ")");
      Verdict v;
      v.gate = name_;
      v.outcome = options_.on_timeout;
      v.reason = std::move(reason);
      return v;
    }
    return Verdict::Hold(
        name_, deadline,
        absl::StrCat("waiting for approval since ",
                     internal::FormatTimeUtc(state.started_at), "; times out (",
                     OutcomeName(options_.on_timeout), ") at ",
                     internal::FormatTimeUtc(deadline)),
        {{"seconds_left", absl::ToDoubleSeconds(deadline - now), "s"}});
  }

 private:
  std::string name_;
  ManualApprovalOptions options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HealthGate>> NewManualApprovalGate(
    std::string name, ManualApprovalOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  if (options.timeout.has_value() &&
      (*options.timeout <= absl::ZeroDuration() ||
       *options.timeout == absl::InfiniteDuration())) {
    return internal::FieldPath("timeout").Invalid(
        internal::MustBe(internal::kMustBePositiveFinite, *options.timeout));
  }
  if (options.on_timeout != Outcome::kFail &&
      options.on_timeout != Outcome::kPass &&
      options.on_timeout != Outcome::kInconclusive) {
    return internal::InvalidArgumentAt(
        "on_timeout", absl::StrCat("must be FAIL, PASS or INCONCLUSIVE (got ",
                                   OutcomeName(options.on_timeout), ")"));
  }
  return std::unique_ptr<HealthGate>(
      new ManualApprovalGate(std::move(name), options));
}

}  // namespace sluice
