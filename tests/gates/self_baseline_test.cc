// Copyright 2026 The Sluice Authors.
//
// The self-baseline gate (sluice/self_baseline_gate.h): a canary compared
// with its own targets before the deploy, adjusted by a control in its zone.

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "lib/gates/spec_gates.h"
#include "sluice/fleet.h"
#include "sluice/gate_state_proto.h"
#include "sluice/self_baseline_gate.h"
#include "sluice/testing/fleets.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kDeployed = absl::FromUnixSeconds(1'800'000'000);

// Per-target, per-minute error and request counts: 2000 requests a minute;
// an error rate of 0.1% times the target's own factor, its zone's factor
// over time and, on the canary after the deploy, the release's multiplier.
// A minute [t, t + 1m) is stamped t + 1m. Counts are expected values
// (dispersion 1) unless `wobble` multiplies every target's errors by
// 1 +- wobble in alternate minutes (only from the deploy on with
// `wobble_after_only`).
class WorldSource : public MetricSource {
 public:
  explicit WorldSource(const Fleet& fleet) : fleet_(fleet) {}

  std::map<std::string, double> target_factor;
  std::string canary = "r0-z0-h0";
  double release = 1;
  std::string incident_zone;  // x4 errors from the deploy on
  double wobble = 0;
  bool wobble_after_only = false;
  double requests = 2000;  // per target and minute
  int failures = 0;        // retryable errors to return first
  int queries = 0;
  std::set<std::string> asked_as_wave;  // ids queried with Cohort::kWave

  absl::StatusOr<MetricResult> Query(const MetricQuery& q) override {
    ++queries;
    if (q.cohort == Cohort::kWave) {
      asked_as_wave.insert(q.targets.begin(), q.targets.end());
    }
    if (failures > 0) {
      --failures;
      return absl::UnavailableError("backend down");
    }
    std::vector<Sample> samples;
    absl::Time s = absl::Ceil(q.start - absl::UnixEpoch(), absl::Minutes(1)) +
                   absl::UnixEpoch();
    for (int m = 0; s < q.end; s += absl::Minutes(1), ++m) {
      double value = 0;
      const absl::Time minute = s - absl::Minutes(1);
      for (const std::string& id : q.targets) {
        const Target& t = fleet_.target(*fleet_.IndexOf(id));
        double rate = 0.001;
        if (auto f = target_factor.find(id); f != target_factor.end()) {
          rate *= f->second;
        }
        if (t.topology.zone == incident_zone && minute >= kDeployed) rate *= 4;
        if (id == canary && minute >= kDeployed) rate *= release;
        double errors = requests * rate;
        if (wobble > 0 && (!wobble_after_only || minute >= kDeployed)) {
          errors *= (m % 2 == 0 ? 1 + wobble : 1 - wobble);
        }
        value += q.metric == "errors" ? errors : requests;
      }
      samples.push_back({s, value});
    }
    return MetricResult::FromSamples(std::move(samples));
  }

 private:
  const Fleet& fleet_;
};

class SelfBaselineTest : public ::testing::Test {
 protected:
  SelfBaselineTest() : fleet_(testing::GridFleet(1, 2, 4)), source_(fleet_) {
    wave_ = {"r0-z0-h0"};
    for (size_t i = 1; i < fleet_.size(); ++i) {
      baseline_.push_back(fleet_.target(i).id);
    }
    options_.errors.name = "errors";
    options_.requests.name = "requests";
    options_.duration = absl::Minutes(30);
    options_.interval = absl::Minutes(5);
  }

  GateContext Context(absl::Time now) {
    GateContext c;
    c.now = now;
    c.wave_index = 0;
    c.wave_deployed_at = kDeployed;
    c.wave_targets = wave_;
    c.baseline_targets = baseline_;
    c.settled_targets = settled_;
    c.fleet = &fleet_;
    c.metric_source = &source_;
    return c;
  }

  // Evaluates at every hold until a final verdict.
  Verdict Run(const HealthGate& gate, GateState& state) {
    absl::Time now = kDeployed;
    for (int i = 0; i < 100; ++i) {
      Verdict v = gate.Evaluate(Context(now), state);
      if (v.outcome != Outcome::kHold) return v;
      now = v.hold_until;
    }
    ADD_FAILURE() << "never decided";
    return {};
  }

  std::unique_ptr<HealthGate> Gate() {
    absl::StatusOr<std::unique_ptr<HealthGate>> g =
        NewSelfBaselineGate("self", options_);
    EXPECT_TRUE(g.ok()) << g.status();
    return g.ok() ? *std::move(g) : nullptr;
  }

  // The default gate of a spec declaring errors and requests whose one
  // gate is a self_baseline with `fields` (text format).
  std::unique_ptr<HealthGate> GateFromSpec(const std::string& fields) {
    v1::RolloutSpec spec;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        absl::StrCat("metrics { name: \"errors\" } metrics { name: "
                     "\"requests\" } gates { default { self_baseline { "
                     "metric: \"errors\" requests_metric: \"requests\" ",
                     fields, " } } }"),
        &spec));
    absl::StatusOr<internal::BuiltGates> built = internal::BuildGates(spec);
    EXPECT_TRUE(built.ok()) << built.status();
    if (!built.ok() || built->default_gates.size() != 1) return nullptr;
    return std::move(built->default_gates[0]);
  }

  double Observed(const Verdict& v, const std::string& name) {
    for (const Observation& o : v.observations) {
      if (o.name == name) return o.value;
    }
    ADD_FAILURE() << "no observation " << name;
    return NAN;
  }

  Fleet fleet_;
  WorldSource source_;
  std::vector<std::string> wave_, baseline_, settled_;
  SelfBaselineGateOptions options_;
};

TEST_F(SelfBaselineTest, ABoxThatErrsMoreByItselfPasses) {
  // The canary's own error rate is 3x the fleet's, before and after: a
  // comparison with the baseline sees x3; the self-baseline sees x1.
  source_.target_factor["r0-z0-h0"] = 3;
  GateState state;
  const Verdict v = Run(*Gate(), state);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.reason;
  EXPECT_NEAR(Observed(v, "ratio_of_ratios"), 1.0, 1e-12);
  EXPECT_EQ(Observed(v, "control_same_zone"), 1.0);
  EXPECT_EQ(Observed(v, "look"), 6.0);
  EXPECT_THAT(v.reason, HasSubstr("3 old-version targets in the wave's zones"));
}

TEST_F(SelfBaselineTest, ADoubledErrorRateFailsAtTheThirdLook) {
  source_.release = 2;
  GateState state;
  const Verdict v = Run(*Gate(), state);
  EXPECT_EQ(v.outcome, Outcome::kFail);
  EXPECT_NEAR(Observed(v, "ratio_of_ratios"), 2.0, 1e-9);
  // 14 minutes after the deploy (the first is skipped): 56 errors against
  // 120 before, the control 84 against 360; z = log 2 / 0.201 = 3.44.
  EXPECT_EQ(Observed(v, "look"), 3.0);
  EXPECT_NEAR(
      Observed(v, "z"),
      std::log(2.0) / std::sqrt(1.0 / 56 + 1.0 / 120 + 1.0 / 84 + 1.0 / 360),
      1e-9);
  EXPECT_THAT(v.reason, HasSubstr("ratio of ratios 2 "));
  // The verdict names the counted metric (errors here; slow requests are
  // counted the same way).
  EXPECT_THAT(v.reason, HasSubstr("wave's rate of errors x2 since the deploy"));
  // Look 3's share of alpha: 0.01 ((3/6)^3 - (2/6)^3).
  EXPECT_NEAR(Observed(v, "level"), 0.01 * (0.125 - 1.0 / 27), 1e-15);
}

// early_pass_margin: a release shown better than margin x the null passes
// at that look; one that is not runs on (and still fails when bad).
TEST_F(SelfBaselineTest, AGoodReleasePassesEarlyOnceShownBelowTheMargin) {
  GateState whole;
  EXPECT_EQ(Observed(Run(*Gate(), whole), "look"), 6.0);

  options_.early_pass_margin = 2;
  GateState early;
  const Verdict v = Run(*Gate(), early);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.reason;
  EXPECT_EQ(Observed(v, "early_pass_bound"), 2.0);
  // R is 1, so the upper bound's z is -log 2 / se, se the quasi-Poisson
  // standard error of the four cells (sum of dispersion / errors).
  double variance = 0;
  for (const char* cell :
       {"wave_after", "wave_before", "control_after", "control_before"}) {
    variance += Observed(v, absl::StrCat(cell, ".dispersion")) /
                Observed(v, absl::StrCat(cell, ".errors"));
  }
  EXPECT_NEAR(
      Observed(v, "early_pass_p_value"),
      0.5 * std::erfc(std::log(2.0) / std::sqrt(variance) / std::sqrt(2.0)),
      1e-12);
  EXPECT_LT(Observed(v, "early_pass_p_value"), 0.01);
  EXPECT_THAT(v.reason, HasSubstr("passed early: shown below x2 (p 0.00"));
  // Look 2, 9 minutes after the deploy: the first look's 4 minutes are too
  // few.
  EXPECT_EQ(Observed(v, "look"), 2.0);
  EXPECT_EQ(*early.completed, Outcome::kPass);

  // A stricter level waits for more data.
  options_.early_pass_level = 0.001;
  GateState strict;
  EXPECT_EQ(Observed(Run(*Gate(), strict), "look"), 4.0);

  // The bound is a multiple of the null in use.
  options_.early_pass_level = 0.01;
  options_.null_ratio = 1.5;
  GateState relative;
  const Verdict r = Run(*Gate(), relative);
  EXPECT_EQ(Observed(r, "early_pass_bound"), 3.0);
  EXPECT_EQ(Observed(r, "look"), 1.0);
}

TEST_F(SelfBaselineTest, AnEarlyPassNeverPassesABadRelease) {
  options_.early_pass_margin = 1.5;
  source_.release = 2;
  GateState state;
  const Verdict v = Run(*Gate(), state);
  EXPECT_EQ(v.outcome, Outcome::kFail) << v.reason;
  EXPECT_EQ(Observed(v, "look"), 3.0);
  // Close to the margin: never shown below it, never shown above the null
  // at these counts, so it runs the whole duration.
  source_.release = 1.4;
  GateState near;
  const Verdict n = Run(*Gate(), near);
  EXPECT_EQ(n.outcome, Outcome::kPass);
  EXPECT_EQ(Observed(n, "look"), 6.0);
  EXPECT_THAT(n.reason, Not(HasSubstr("passed early")));
}

TEST_F(SelfBaselineTest, AZoneIncidentCancelsAgainstTheSameZoneControl) {
  source_.incident_zone = "r0-z0";
  GateState same;
  EXPECT_EQ(Run(*Gate(), same).outcome, Outcome::kPass);
  // Against the whole baseline the incident is the release's.
  options_.control = ControlScope::kBaseline;
  GateState whole;
  const Verdict v = Run(*Gate(), whole);
  EXPECT_EQ(v.outcome, Outcome::kFail);
  EXPECT_EQ(Observed(v, "control_same_zone"), 0.0);
  EXPECT_THAT(v.reason, HasSubstr("control the baseline (7 targets)"));
}

TEST_F(SelfBaselineTest, FallsBackToTheWholeBaselineAndSaysSo) {
  // The whole zone is the wave: no old-version target is left in it.
  wave_ = {"r0-z0-h0", "r0-z0-h1", "r0-z0-h2", "r0-z0-h3"};
  baseline_ = {"r0-z1-h0", "r0-z1-h1", "r0-z1-h2", "r0-z1-h3"};
  source_.canary = "r0-z0-h1";
  source_.release = 1.4;  // the cohort's rate x1.1
  options_.fallback_null_ratio = 1.2;
  GateState state;
  const Verdict v = Run(*Gate(), state);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.reason;
  EXPECT_EQ(Observed(v, "null_ratio"), 1.2);
  EXPECT_THAT(v.reason,
              HasSubstr("the whole baseline (4 targets): no old-version target "
                        "is left in the wave's zones"));
  // Without a fleet there are no zones either.
  options_.fallback_null_ratio = 0;
  wave_ = {"r0-z0-h0"};
  source_.canary = "r0-z0-h0";
  source_.release = 1;
  GateState no_fleet;
  GateContext c = Context(kDeployed + absl::Minutes(30));
  c.fleet = nullptr;
  const Verdict w =
      (*NewSelfBaselineGate("self", options_))->Evaluate(c, no_fleet);
  EXPECT_THAT(w.reason, HasSubstr("or no fleet is known"));
}

TEST_F(SelfBaselineTest, OverdispersionWidensTheTest) {
  // A x1.3 canary: Poisson counts reject it; the same totals alternating
  // by +-50% a minute (dispersion well above 1) do not.
  source_.release = 1.3;
  source_.requests = 20000;
  options_.duration = absl::Minutes(60);
  options_.interval = absl::Minutes(60);
  GateState poisson;
  const Verdict p = Run(*Gate(), poisson);
  EXPECT_EQ(p.outcome, Outcome::kFail) << p.reason;
  source_.wobble = 0.5;
  GateState quasi;
  const Verdict q = Run(*Gate(), quasi);
  EXPECT_EQ(q.outcome, Outcome::kPass) << q.reason;
  EXPECT_GT(Observed(q, "wave.dispersion"), 4);
  EXPECT_GT(Observed(q, "control.dispersion"), 10);
  EXPECT_EQ(Observed(p, "wave.dispersion"), 1.0);
}

TEST_F(SelfBaselineTest, NoiseInOneWindowIsNotDilutedByTheOther) {
  // A x1.2 canary over one hour after the deploy against six quiet hours
  // before: the counts swing by +-50% a minute only after the deploy. The
  // cohorts' dispersions pooled over both windows stay near 1 (60 noisy
  // minutes of 420), which alone would reject (z about 5); each window
  // after's own dispersion (about 6 for the canary, 15 for the control)
  // widens its cells and the test passes.
  source_.release = 1.2;
  source_.requests = 20000;
  options_.before = absl::Hours(6);
  options_.duration = absl::Minutes(60);
  options_.interval = absl::Minutes(60);
  source_.wobble = 0.5;
  source_.wobble_after_only = true;
  GateState state;
  const Verdict v = Run(*Gate(), state);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.reason;
  EXPECT_LT(Observed(v, "wave.dispersion"), 2);
  EXPECT_GT(Observed(v, "wave_after.dispersion"), 4);
  EXPECT_GT(Observed(v, "control_after.dispersion"), 10);
  EXPECT_EQ(Observed(v, "wave_before.dispersion"),
            Observed(v, "wave.dispersion"));
  // Without the noise the same x1.2 fails.
  source_.wobble = 0;
  GateState quiet;
  EXPECT_EQ(Run(*Gate(), quiet).outcome, Outcome::kFail);
}

TEST_F(SelfBaselineTest, LooksAtEveryIntervalAfterTheDeliveryDelay) {
  options_.delivery_delay = absl::Minutes(2);
  const std::unique_ptr<HealthGate> gate = Gate();
  GateState state;
  Verdict v = gate->Evaluate(Context(kDeployed + absl::Minutes(3)), state);
  ASSERT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(v.hold_until, kDeployed + absl::Minutes(7));
  EXPECT_EQ(source_.queries, 0);
  v = gate->Evaluate(Context(kDeployed + absl::Minutes(7)), state);
  ASSERT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(v.hold_until, kDeployed + absl::Minutes(12));
  EXPECT_THAT(v.reason, HasSubstr("look 1 of 6"));
  EXPECT_EQ(source_.queries, 8);  // 2 metrics x 4 cells
  EXPECT_EQ(state.counts.count, 1);
}

TEST_F(SelfBaselineTest, TooFewRequestsIsInconclusive) {
  options_.min_requests = 1'000'000;
  GateState state;
  const Verdict v = Run(*Gate(), state);
  EXPECT_EQ(v.outcome, Outcome::kInconclusive);
  EXPECT_THAT(v.reason, HasSubstr("requests < min_requests (1000000)"));
}

TEST_F(SelfBaselineTest, RetriesRetryableErrorsThenErrs) {
  source_.failures = 1;
  const std::unique_ptr<HealthGate> gate = Gate();
  GateState state;
  Verdict v = gate->Evaluate(Context(kDeployed + absl::Minutes(5)), state);
  ASSERT_EQ(v.outcome, Outcome::kHold);
  EXPECT_THAT(v.reason, HasSubstr("error 1 in a row"));
  v = gate->Evaluate(Context(v.hold_until), state);
  EXPECT_EQ(v.outcome, Outcome::kHold);
  EXPECT_THAT(v.reason, HasSubstr("look 1 of 6"));
  source_.failures = 100;
  GateState failing;
  for (int i = 0; i < 10 && v.outcome == Outcome::kHold; ++i) {
    v = gate->Evaluate(Context(kDeployed + absl::Minutes(5 + i)), failing);
  }
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_THAT(v.reason, HasSubstr("consecutive_error_limit (4)"));
}

TEST_F(SelfBaselineTest, SettledTargetsOfTheZoneAreTheControlWhenAsked) {
  // The rest of zone z0 deploys after its first two boxes: no old-version
  // target is left in z0, and z0 has an incident (x4) from the deploy on.
  wave_ = {"r0-z0-h2", "r0-z0-h3"};
  baseline_ = {"r0-z1-h0", "r0-z1-h1", "r0-z1-h2", "r0-z1-h3"};
  // An id the fleet does not know is no control.
  settled_ = {"r0-z0-h0", "r0-z0-h1", "r0-z0-h9-not-in-fleet"};
  source_.incident_zone = "r0-z0";
  options_.fallback_null_ratio = 2;
  // Against the other zone the incident is the release's.
  GateState whole;
  const Verdict w = Run(*Gate(), whole);
  EXPECT_EQ(w.outcome, Outcome::kFail) << w.reason;
  EXPECT_EQ(Observed(w, "control_settled"), 0.0);
  EXPECT_THAT(w.reason, HasSubstr("the whole baseline (4 targets)"));
  // Against the zone's settled targets it cancels.
  options_.settled_control = true;
  GateState settled;
  const Verdict v = Run(*Gate(), settled);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.reason;
  EXPECT_NEAR(Observed(v, "ratio_of_ratios"), 1.0, 1e-12);
  EXPECT_EQ(Observed(v, "control_settled"), 1.0);
  EXPECT_EQ(Observed(v, "control_same_zone"), 0.0);
  EXPECT_EQ(Observed(v, "null_ratio"), 2.0);
  EXPECT_THAT(v.reason,
              HasSubstr("control 2 new-version targets of earlier waves in "
                        "the wave's zones: no old-version target is left"));
  // They run the new version: the host is asked for them as the wave's
  // cohort.
  EXPECT_EQ(source_.asked_as_wave.count("r0-z0-h0"), 1u);
  EXPECT_EQ(source_.asked_as_wave.count("r0-z1-h0"), 0u);
  // What is worse on the wave's own targets still fails: one box x9 makes
  // the wave's rate x5 against the settled boxes'.
  source_.canary = "r0-z0-h3";
  source_.release = 9;
  GateState bad;
  const Verdict b = Run(*Gate(), bad);
  EXPECT_EQ(b.outcome, Outcome::kFail) << b.reason;
  EXPECT_NEAR(Observed(b, "ratio_of_ratios"), 5.0, 1e-9);
  // An old-version target left in the zone is still preferred.
  source_.release = 1;
  baseline_.push_back("r0-z0-h3");
  wave_ = {"r0-z0-h2"};
  GateState old_left;
  const Verdict o = Run(*Gate(), old_left);
  EXPECT_EQ(Observed(o, "control_same_zone"), 1.0);
  EXPECT_EQ(Observed(o, "control_settled"), 0.0);
  // No settled target in the wave's zones: the whole baseline, as before.
  baseline_.pop_back();
  wave_ = {"r0-z0-h2", "r0-z0-h3"};
  settled_ = {"r0-z1-h0"};
  GateState none;
  const Verdict n = Run(*Gate(), none);
  EXPECT_EQ(n.outcome, Outcome::kFail);
  EXPECT_EQ(Observed(n, "control_settled"), 0.0);
}

TEST_F(SelfBaselineTest, TheLastWaveIsJudgedAgainstSettledTargets) {
  // Every target is on the new version; z0's first two boxes came earlier.
  wave_ = {"r0-z0-h2", "r0-z0-h3"};
  baseline_.clear();
  settled_ = {"r0-z0-h0", "r0-z0-h1"};
  source_.incident_zone = "r0-z0";
  options_.fallback_null_ratio = 2;
  options_.judge_without_control = true;
  // Without settled targets the incident fails the wave (no control).
  GateState alone;
  const Verdict a = Run(*Gate(), alone);
  EXPECT_EQ(a.outcome, Outcome::kFail) << a.reason;
  EXPECT_EQ(Observed(a, "control_none"), 1.0);
  // With them it cancels, and the verdict names them.
  options_.settled_control = true;
  GateState settled;
  const Verdict v = Run(*Gate(), settled);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.reason;
  EXPECT_EQ(Observed(v, "control_none"), 0.0);
  EXPECT_EQ(Observed(v, "control_settled"), 1.0);
  EXPECT_THAT(v.reason, HasSubstr("ratio of ratios 1 "));
  // The spec's field turns it on.
  const std::unique_ptr<HealthGate> from_spec = GateFromSpec(
      "duration { seconds: 1800 } fallback_null_ratio: 2 "
      "judge_without_control: true settled_control: true");
  ASSERT_NE(from_spec, nullptr);
  GateState spec_state;
  EXPECT_EQ(Run(*from_spec, spec_state).outcome, Outcome::kPass);
  // judge_without_control off: the last wave still passes unjudged.
  options_.judge_without_control = false;
  GateState off;
  EXPECT_THAT(Run(*Gate(), off).reason, HasSubstr("no baseline"));
}

TEST_F(SelfBaselineTest, NoBaselinePasses) {
  baseline_.clear();
  GateState state;
  const Verdict v = Gate()->Evaluate(Context(kDeployed), state);
  EXPECT_EQ(v.outcome, Outcome::kPass);
  EXPECT_THAT(v.reason, HasSubstr("no baseline"));
  SLUICE_ASSERT_OK_AND_ASSIGN(GateState back,
                              GateStateFromProto(GateStateToProto(state)));
  EXPECT_EQ(back, state);
}

TEST_F(SelfBaselineTest, TheLastWaveIsJudgedWithoutAControlWhenAsked) {
  // The rollout's last wave: every target is on the new version.
  wave_ = {"r0-z0-h0", "r0-z0-h1", "r0-z0-h2", "r0-z0-h3"};
  baseline_.clear();
  source_.canary = "r0-z0-h1";
  options_.fallback_null_ratio = 3;
  options_.judge_without_control = true;
  // One of four boxes x17: the wave's rate x5, beyond the null's x3.
  source_.release = 17;
  GateState bad;
  const Verdict v = Run(*Gate(), bad);
  EXPECT_EQ(v.outcome, Outcome::kFail) << v.reason;
  EXPECT_NEAR(Observed(v, "ratio_of_ratios"), 5.0, 1e-9);
  EXPECT_EQ(Observed(v, "null_ratio"), 3.0);
  EXPECT_EQ(Observed(v, "control_none"), 1.0);
  EXPECT_THAT(v.reason, HasSubstr("judged without a control"));
  EXPECT_THAT(v.reason, HasSubstr("no control: rate ratio 5 "));
  // The z of the test without the control's terms: the wave's errors after
  // (look k: 4 boxes, 5k - 1 minutes at 2000 x 0.001 x 5 on average) and in
  // the hour before (4 x 60 x 2).
  const double look = Observed(v, "look");
  const double after = 4 * (5 * look - 1) * 2 * 5, before = 4 * 60 * 2;
  EXPECT_NEAR(Observed(v, "z"),
              std::log(5.0 / 3.0) / std::sqrt(1 / after + 1 / before), 1e-9);
  // A good last wave passes, and says it had no control.
  source_.release = 1;
  GateState good;
  const Verdict g = Run(*Gate(), good);
  EXPECT_EQ(g.outcome, Outcome::kPass) << g.reason;
  EXPECT_EQ(Observed(g, "look"), 6.0);
  EXPECT_THAT(g.reason, HasSubstr("judged without a control"));
  // The spec's field turns it on.
  const std::unique_ptr<HealthGate> from_spec = GateFromSpec(
      "duration { seconds: 1800 } fallback_null_ratio: 3 "
      "judge_without_control: true");
  ASSERT_NE(from_spec, nullptr);
  source_.release = 17;
  GateState spec_state;
  EXPECT_EQ(Run(*from_spec, spec_state).outcome, Outcome::kFail);
  // Off (the default), the same bad wave passes unjudged.
  options_.judge_without_control = false;
  source_.release = 17;
  GateState off;
  const Verdict o = Run(*Gate(), off);
  EXPECT_EQ(o.outcome, Outcome::kPass);
  EXPECT_THAT(o.reason, HasSubstr("no baseline"));
}

TEST_F(SelfBaselineTest, ResumesFromASnapshotAsIfUninterrupted) {
  source_.release = 1.25;
  source_.wobble = 0.5;
  const std::unique_ptr<HealthGate> gate = Gate();
  // Uninterrupted.
  GateState straight;
  std::vector<Verdict> expected;
  for (int m = 0; m <= 30; m += 5) {
    expected.push_back(
        gate->Evaluate(Context(kDeployed + absl::Minutes(m)), straight));
  }
  // Snapshotted after every evaluation and restored into a new gate.
  GateState state;
  for (int i = 0, m = 0; m <= 30; m += 5, ++i) {
    const std::unique_ptr<HealthGate> fresh = Gate();
    const Verdict v =
        fresh->Evaluate(Context(kDeployed + absl::Minutes(m)), state);
    EXPECT_EQ(v, expected[i]) << "at +" << m << "m";
    SLUICE_ASSERT_OK_AND_ASSIGN(state,
                                GateStateFromProto(GateStateToProto(state)));
  }
  EXPECT_EQ(state, straight);
  EXPECT_NE(expected.back().outcome, Outcome::kHold);
}

TEST(SelfBaselineOptionsTest, BadOptionsNameTheField) {
  SelfBaselineGateOptions o;
  o.errors.name = "errors";
  o.requests.name = "requests";
  EXPECT_TRUE(NewSelfBaselineGate("g", o).ok());
  auto bad = [&](auto mutate, const std::string& text) {
    SelfBaselineGateOptions copy = o;
    mutate(copy);
    EXPECT_THAT(NewSelfBaselineGate("g", copy),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(text)));
  };
  bad([](auto& c) { c.requests.name = ""; }, "requests.name: must not be");
  bad([](auto& c) { c.interval = absl::Hours(1); },
      "interval: must be <= duration");
  bad([](auto& c) { c.alpha = 1; }, "alpha: must be in (0, 1)");
  bad([](auto& c) { c.spending_exponent = 0.5; },
      "spending_exponent: must be finite and >= 1");
  bad([](auto& c) { c.null_ratio = 0; }, "null_ratio: must be finite");
  bad([](auto& c) { c.fallback_null_ratio = 0.5; },
      "fallback_null_ratio: must be 0");
  bad([](auto& c) { c.before = absl::ZeroDuration(); }, "before: must be > 0");
  bad([](auto& c) { c.before_gap = -absl::Minutes(1); },
      "before_gap: must be >= 0");
  bad([](auto& c) { c.min_requests = -1; }, "min_requests: must be >= 0");
  bad([](auto& c) { c.early_pass_margin = 1; },
      "early_pass_margin: must be 0 (off) or finite and > 1 (got 1)");
  bad([](auto& c) { c.early_pass_margin = -2; }, "early_pass_margin");
  bad([](auto& c) { c.early_pass_level = 0.5; },
      "early_pass_level: must be in (0, 0.5)");
  bad([](auto& c) { c.early_pass_level = 0; }, "early_pass_level");
  bad(
      [](auto& c) {
        c.control = ControlScope::kBaseline;
        c.settled_control = true;
      },
      "settled_control: needs control kSameZone");
}

TEST(SelfBaselineSpecTest, BuildsFromTheSpecAndNamesBadFields) {
  v1::RolloutSpec spec;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        metrics { name: "errors" }
        metrics { name: "requests" }
        gates {
          default {
            self_baseline {
              metric: "errors"
              requests_metric: "requests"
              duration { seconds: 1800 }
              fallback_null_ratio: 1.5
              control: CONTROL_SAME_ZONE
            }
          }
        }
      )pb",
      &spec));
  SLUICE_ASSERT_OK_AND_ASSIGN(internal::BuiltGates built,
                              internal::BuildGates(spec));
  ASSERT_EQ(built.default_gates.size(), 1u);
  EXPECT_EQ(built.default_gates[0]->name(), "self-baseline errors");

  spec.mutable_gates()
      ->mutable_default_(0)
      ->mutable_self_baseline()
      ->clear_requests_metric();
  EXPECT_THAT(internal::BuildGates(spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("gates.default[0].self_baseline."
                                 "requests_metric: is required")));
  spec.mutable_gates()
      ->mutable_default_(0)
      ->mutable_self_baseline()
      ->set_requests_metric("requests");
  spec.mutable_gates()
      ->mutable_default_(0)
      ->mutable_self_baseline()
      ->set_fallback_null_ratio(0.5);
  EXPECT_THAT(internal::BuildGates(spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("self_baseline.fallback_null_ratio")));
  spec.mutable_gates()
      ->mutable_default_(0)
      ->mutable_self_baseline()
      ->set_fallback_null_ratio(1.5);
  // Settled targets are taken from the wave's zones.
  v1::SelfBaselineGateSpec* control =
      spec.mutable_gates()->mutable_default_(0)->mutable_self_baseline();
  control->set_settled_control(true);
  SLUICE_EXPECT_OK(internal::BuildGates(spec).status());
  control->set_control(v1::SelfBaselineGateSpec::CONTROL_BASELINE);
  EXPECT_THAT(internal::BuildGates(spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("gates.default[0].self_baseline."
                                 "settled_control: needs control")));
  control->clear_control();
  control->set_early_pass_margin(0.5);
  EXPECT_THAT(internal::BuildGates(spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("gates.default[0].self_baseline."
                                 "early_pass_margin: must be 0")));
  control->set_early_pass_margin(1.5);
  control->set_early_pass_level(0.7);
  EXPECT_THAT(internal::BuildGates(spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("self_baseline.early_pass_level")));
  control->clear_early_pass_level();
  SLUICE_EXPECT_OK(internal::BuildGates(spec).status());
  control->clear_early_pass_margin();
  // Durations go through the one conversion, naming the field.
  v1::SelfBaselineGateSpec* sb =
      spec.mutable_gates()->mutable_default_(0)->mutable_self_baseline();
  sb->mutable_before()->set_seconds(-60);
  EXPECT_THAT(internal::BuildGates(spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gates.default[0].self_baseline.before: must be >= 0 "
                       "(got -1m)"));
  sb->mutable_before()->set_seconds(60);
  sb->mutable_before()->set_nanos(-5);
  EXPECT_THAT(internal::BuildGates(spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gates.default[0].self_baseline.before: not a valid "
                       "duration (seconds 60, nanos -5)"));
}

}  // namespace
}  // namespace sluice
