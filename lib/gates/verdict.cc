// Copyright 2026 The Sluice Authors.

#include "sluice/verdict.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace sluice {

absl::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "PASS";
    case Outcome::kFail:
      return "FAIL";
    case Outcome::kInconclusive:
      return "INCONCLUSIVE";
    case Outcome::kError:
      return "ERROR";
    case Outcome::kHold:
      return "HOLD";
  }
  return "UNKNOWN";
}

std::ostream& operator<<(std::ostream& os, Outcome outcome) {
  return os << OutcomeName(outcome);
}

int OutcomeSeverity(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return 0;
    case Outcome::kHold:
      return 1;
    case Outcome::kInconclusive:
      return 2;
    case Outcome::kError:
      return 3;
    case Outcome::kFail:
      return 4;
  }
  return 4;
}

Outcome WorseOutcome(Outcome a, Outcome b) {
  return OutcomeSeverity(b) > OutcomeSeverity(a) ? b : a;
}

bool IsFinal(Outcome outcome) { return outcome != Outcome::kHold; }

bool operator==(const Observation& a, const Observation& b) {
  bool same_value =
      a.value == b.value || (std::isnan(a.value) && std::isnan(b.value));
  return a.name == b.name && same_value && a.unit == b.unit;
}

std::ostream& operator<<(std::ostream& os, const Observation& observation) {
  os << observation.name << "=" << observation.value;
  if (!observation.unit.empty()) os << " " << observation.unit;
  return os;
}

namespace {

Verdict Make(Outcome outcome, std::string gate, std::string reason,
             std::vector<Observation> observations) {
  Verdict v;
  v.outcome = outcome;
  v.gate = std::move(gate);
  v.reason = std::move(reason);
  v.observations = std::move(observations);
  return v;
}

void AppendTo(const Verdict& v, int depth, std::string* out) {
  absl::StrAppend(out, std::string(2 * depth, ' '), "[", OutcomeName(v.outcome),
                  "] ", v.gate, ": ", v.reason);
  if (v.outcome == Outcome::kHold) {
    if (v.hold_until == absl::InfiniteFuture()) {
      absl::StrAppend(out, " (until signalled)");
    } else {
      absl::StrAppend(out, " (until ",
                      absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", v.hold_until,
                                       absl::UTCTimeZone()),
                      ")");
    }
  }
  for (const Verdict& child : v.details) {
    absl::StrAppend(out, "\n");
    AppendTo(child, depth + 1, out);
  }
}

}  // namespace

Verdict Verdict::Pass(std::string gate, std::string reason,
                      std::vector<Observation> observations) {
  return Make(Outcome::kPass, std::move(gate), std::move(reason),
              std::move(observations));
}

Verdict Verdict::Fail(std::string gate, std::string reason,
                      std::vector<Observation> observations) {
  return Make(Outcome::kFail, std::move(gate), std::move(reason),
              std::move(observations));
}

Verdict Verdict::Inconclusive(std::string gate, std::string reason,
                              std::vector<Observation> observations) {
  return Make(Outcome::kInconclusive, std::move(gate), std::move(reason),
              std::move(observations));
}

Verdict Verdict::Error(std::string gate, std::string reason,
                       std::vector<Observation> observations) {
  return Make(Outcome::kError, std::move(gate), std::move(reason),
              std::move(observations));
}

Verdict Verdict::Hold(std::string gate, absl::Time until, std::string reason,
                      std::vector<Observation> observations) {
  Verdict v = Make(Outcome::kHold, std::move(gate), std::move(reason),
                   std::move(observations));
  v.hold_until = until;
  return v;
}

const Observation* Verdict::FindObservation(absl::string_view name) const {
  for (const Observation& o : observations) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

std::string Verdict::ToString() const {
  std::string out;
  AppendTo(*this, 0, &out);
  return out;
}

bool operator==(const Verdict& a, const Verdict& b) {
  return a.outcome == b.outcome && a.gate == b.gate && a.reason == b.reason &&
         a.observations == b.observations && a.sample_count == b.sample_count &&
         a.hold_until == b.hold_until && a.details == b.details;
}

std::ostream& operator<<(std::ostream& os, const Verdict& verdict) {
  return os << verdict.ToString();
}

}  // namespace sluice
