// Copyright 2026 The Sluice Authors.
//
// all-of, any-of, at-least-k-of, weighted score and shadow.

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/checks.h"
#include "lib/gates/gate_sets.h"
#include "sluice/gate_combinators.h"

namespace sluice {
namespace {

std::optional<int64_t> SumSamples(const std::vector<Verdict>& verdicts) {
  std::optional<int64_t> sum;
  for (const Verdict& v : verdicts) {
    if (v.sample_count.has_value()) sum = sum.value_or(0) + *v.sample_count;
  }
  return sum;
}

std::string ChildSummary(const Verdict& v) {
  return absl::StrCat(v.gate, " ", OutcomeName(v.outcome), ": ", v.reason);
}

// Passes when at least k children pass; the outcome is the k-th best child
// outcome by OutcomeSeverity(). All-of is k = n, any-of is k = 1.
class AtLeastGate : public HealthGate {
 public:
  enum class Kind { kAllOf, kAnyOf, kAtLeast };

  AtLeastGate(std::string name, Kind kind, size_t k,
              std::vector<std::unique_ptr<HealthGate>> children)
      : name_(std::move(name)),
        kind_(kind),
        k_(k),
        children_(std::move(children)) {}

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    if (state.started_at == absl::InfinitePast()) {
      state.started_at = context.now;
    }
    const size_t n = children_.size();
    Verdict v;
    v.gate = name_;
    if (n == 0) {
      v.outcome = Outcome::kPass;
      v.reason = "no gates";
      return v;
    }
    std::vector<Verdict> details;
    details.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      details.push_back(children_[i]->Evaluate(context, state.Child(i)));
    }
    std::vector<int> severities;
    size_t passed = 0;
    size_t holding = 0;
    absl::Time next = absl::InfiniteFuture();
    for (const Verdict& d : details) {
      severities.push_back(OutcomeSeverity(d.outcome));
      if (d.outcome == Outcome::kPass) ++passed;
      if (d.outcome == Outcome::kHold) {
        ++holding;
        next = std::min(next, d.hold_until);
      }
    }
    std::sort(severities.begin(), severities.end());
    const int result = severities[k_ - 1];
    // The first child (in order) with the deciding outcome.
    const Verdict* decider = nullptr;
    for (const Verdict& d : details) {
      if (OutcomeSeverity(d.outcome) == result) {
        decider = &d;
        break;
      }
    }
    v.outcome = decider->outcome;
    v.observations = {{"passed", static_cast<double>(passed), ""},
                      {"required", static_cast<double>(k_), ""},
                      {"gates", static_cast<double>(n), ""}};
    v.sample_count = SumSamples(details);
    const std::string need = kind_ == Kind::kAllOf ? absl::StrCat("all ", n)
                             : kind_ == Kind::kAnyOf
                                 ? absl::StrCat("1 of ", n)
                                 : absl::StrCat(k_, " of ", n);
    switch (v.outcome) {
      case Outcome::kPass:
        v.reason = kind_ == Kind::kAllOf
                       ? absl::StrCat("all ", n, " gates passed")
                       : absl::StrCat(passed, " of ", n, " gates passed (need ",
                                      need, ")");
        break;
      case Outcome::kHold:
        v.hold_until = next;
        v.reason = absl::StrCat(passed, " of ", n, " passed, ", holding,
                                " waiting (need ", need, "); next at ",
                                internal::FormatTimeUtc(next), "; ",
                                ChildSummary(*decider));
        break;
      default:
        v.reason = absl::StrCat(passed, " of ", n, " passed (need ", need,
                                "); ", ChildSummary(*decider));
        break;
    }
    v.details = std::move(details);
    return v;
  }

 private:
  std::string name_;
  Kind kind_;
  size_t k_;
  std::vector<std::unique_ptr<HealthGate>> children_;
};

class WeightedScoreGate : public HealthGate {
 public:
  WeightedScoreGate(std::string name, std::vector<WeightedGate> gates,
                    double pass_score, double marginal_score)
      : name_(std::move(name)),
        gates_(std::move(gates)),
        pass_score_(pass_score),
        marginal_score_(marginal_score) {}

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    if (state.started_at == absl::InfinitePast()) {
      state.started_at = context.now;
    }
    std::vector<Verdict> details;
    double total = 0, passing = 0, holding = 0;
    absl::Time next = absl::InfiniteFuture();
    for (size_t i = 0; i < gates_.size(); ++i) {
      details.push_back(gates_[i].gate->Evaluate(context, state.Child(i)));
      const Verdict& d = details.back();
      total += gates_[i].weight;
      if (d.outcome == Outcome::kPass) passing += gates_[i].weight;
      if (d.outcome == Outcome::kHold) {
        holding += gates_[i].weight;
        next = std::min(next, d.hold_until);
      }
    }
    const double score = 100.0 * passing / total;
    const double best = 100.0 * (passing + holding) / total;
    Verdict v;
    v.gate = name_;
    v.observations = {{"score", score, ""},
                      {"pass_score", pass_score_, ""},
                      {"marginal_score", marginal_score_, ""}};
    v.sample_count = SumSamples(details);
    const std::string score_text = absl::StrCat("score ", score);
    if (score >= pass_score_) {
      v.outcome = Outcome::kPass;
      v.reason = absl::StrCat(score_text, " >= pass_score ", pass_score_);
    } else if (holding > 0 && best < marginal_score_) {
      v.outcome = Outcome::kFail;
      v.reason = absl::StrCat(
          score_text, " (at most ", best,
          " with the gates still waiting) < marginal_score ", marginal_score_);
    } else if (holding > 0) {
      v.outcome = Outcome::kHold;
      v.hold_until = next;
      v.reason = absl::StrCat(score_text, " so far; waiting for gates worth ",
                              100.0 * holding / total, "; next at ",
                              internal::FormatTimeUtc(next));
    } else if (score >= marginal_score_) {
      v.outcome = Outcome::kInconclusive;
      v.reason =
          absl::StrCat(score_text, " in [marginal_score ", marginal_score_,
                       ", pass_score ", pass_score_, ")");
    } else {
      v.outcome = Outcome::kFail;
      v.reason =
          absl::StrCat(score_text, " < marginal_score ", marginal_score_);
    }
    v.details = std::move(details);
    return v;
  }

 private:
  std::string name_;
  std::vector<WeightedGate> gates_;
  double pass_score_;
  double marginal_score_;
};

class ShadowGate : public HealthGate {
 public:
  ShadowGate(std::string name, std::unique_ptr<HealthGate> gate)
      : name_(std::move(name)), gate_(std::move(gate)) {}

  std::string name() const override { return name_; }

  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    if (state.started_at == absl::InfinitePast()) {
      state.started_at = context.now;
    }
    Verdict shadowed = gate_->Evaluate(context, state.Child(0));
    Verdict v;
    v.gate = name_;
    v.outcome = Outcome::kPass;
    v.reason = absl::StrCat("shadow (never blocks): ", ChildSummary(shadowed));
    v.observations = shadowed.observations;
    v.details.push_back(std::move(shadowed));
    return v;
  }

 private:
  std::string name_;
  std::unique_ptr<HealthGate> gate_;
};

absl::Status ValidateChildren(
    const std::vector<std::unique_ptr<HealthGate>>& gates) {
  std::map<std::string, size_t> seen;
  const internal::FieldPath list("gates");
  for (size_t i = 0; i < gates.size(); ++i) {
    const internal::FieldPath path = list.Index(static_cast<int>(i));
    if (gates[i] == nullptr) return path.Invalid("must not be null");
    std::string name = gates[i]->name();
    auto [it, inserted] = seen.emplace(name, i);
    if (!inserted) {
      return path.Invalid(absl::StrCat("duplicate gate name \"", name,
                                       "\" (first at gates[", it->second,
                                       "])"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<HealthGate>> NewCombinator(
    std::string name, AtLeastGate::Kind kind, int k,
    std::vector<std::unique_ptr<HealthGate>> gates) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  if (gates.empty()) {
    return internal::InvalidArgumentAt("gates", "must not be empty");
  }
  SLUICE_RETURN_IF_ERROR(ValidateChildren(gates));
  if (k < 1 || static_cast<size_t>(k) > gates.size()) {
    return internal::InvalidArgumentAt(
        "k", absl::StrCat("must be in [1, ", gates.size(), "] (got ", k, ")"));
  }
  return std::unique_ptr<HealthGate>(new AtLeastGate(
      std::move(name), kind, static_cast<size_t>(k), std::move(gates)));
}

}  // namespace

namespace internal {

std::unique_ptr<HealthGate> NewGateSet(
    std::string name, std::vector<std::unique_ptr<HealthGate>> gates) {
  const size_t n = gates.size();
  return std::unique_ptr<HealthGate>(new AtLeastGate(
      std::move(name), AtLeastGate::Kind::kAllOf, n, std::move(gates)));
}

absl::Status ValidateGateSet(
    const std::vector<std::unique_ptr<HealthGate>>& gates) {
  return ValidateChildren(gates);
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<HealthGate>> NewAllOfGate(
    std::string name, std::vector<std::unique_ptr<HealthGate>> gates) {
  const int n = static_cast<int>(gates.size());
  return NewCombinator(std::move(name), AtLeastGate::Kind::kAllOf,
                       std::max(n, 1), std::move(gates));
}

absl::StatusOr<std::unique_ptr<HealthGate>> NewAnyOfGate(
    std::string name, std::vector<std::unique_ptr<HealthGate>> gates) {
  return NewCombinator(std::move(name), AtLeastGate::Kind::kAnyOf, 1,
                       std::move(gates));
}

absl::StatusOr<std::unique_ptr<HealthGate>> NewAtLeastGate(
    std::string name, int k, std::vector<std::unique_ptr<HealthGate>> gates) {
  return NewCombinator(std::move(name), AtLeastGate::Kind::kAtLeast, k,
                       std::move(gates));
}

absl::StatusOr<std::unique_ptr<HealthGate>> NewWeightedGate(
    std::string name, std::vector<WeightedGate> gates, double pass_score,
    std::optional<double> marginal_score) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  if (gates.empty()) {
    return internal::InvalidArgumentAt("gates", "must not be empty");
  }
  std::map<std::string, size_t> seen;
  const internal::FieldPath list("gates");
  for (size_t i = 0; i < gates.size(); ++i) {
    const internal::FieldPath path = list.Index(static_cast<int>(i));
    if (gates[i].gate == nullptr) {
      return path.Field("gate").Invalid("must not be null");
    }
    if (!(gates[i].weight > 0) || !std::isfinite(gates[i].weight)) {
      return path.Field("weight").Invalid(
          internal::MustBe(internal::kMustBePositiveFinite, gates[i].weight));
    }
    std::string child = gates[i].gate->name();
    auto [it, inserted] = seen.emplace(child, i);
    if (!inserted) {
      return path.Invalid(absl::StrCat("duplicate gate name \"", child,
                                       "\" (first at gates[", it->second,
                                       "])"));
    }
  }
  if (!(pass_score > 0 && pass_score <= 100)) {
    return internal::InvalidArgumentAt(
        "pass_score",
        absl::StrCat("must be in (0, 100] (got ", pass_score, ")"));
  }
  const double marginal = marginal_score.value_or(pass_score);
  if (!(marginal >= 0 && marginal <= pass_score)) {
    return internal::InvalidArgumentAt(
        "marginal_score", absl::StrCat("must be in [0, pass_score ", pass_score,
                                       "] (got ", marginal, ")"));
  }
  return std::unique_ptr<HealthGate>(new WeightedScoreGate(
      std::move(name), std::move(gates), pass_score, marginal));
}

absl::StatusOr<std::unique_ptr<HealthGate>> NewShadowGate(
    std::string name, std::unique_ptr<HealthGate> gate) {
  SLUICE_RETURN_IF_ERROR(internal::ValidateGateName(name));
  if (gate == nullptr) {
    return internal::InvalidArgumentAt("gate", "must not be null");
  }
  return std::unique_ptr<HealthGate>(
      new ShadowGate(std::move(name), std::move(gate)));
}

}  // namespace sluice
