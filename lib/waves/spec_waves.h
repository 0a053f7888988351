// Copyright 2026 The Sluice Authors.
//
// The wave-strategy part of a RolloutSpec (field `waves`,
// proto/sluice/v1/waves.proto), converted at the waves component's edge:
// WavesConfig holds the strategy as values (the public options structs,
// WaveStrategySpec), FromProto() validates and converts once, NewScheduler()
// builds the scheduler from the values and ToProto() gives the message back.
// lib/rollout/spec_parts.cc holds a WavesConfig per spec; the free functions
// below are the same operations on a message, for `sluice plan` and tests.

#ifndef SLUICE_LIB_WAVES_SPEC_WAVES_H_
#define SLUICE_LIB_WAVES_SPEC_WAVES_H_

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sluice/batch_schedulers.h"
#include "sluice/fleet.h"
#include "sluice/percent_schedulers.h"
#include "sluice/selector.h"
#include "sluice/staged_scheduler.h"
#include "sluice/v1/waves.pb.h"
#include "sluice/wave_scheduler.h"

namespace sluice::internal {

// Checks a strategy on its own. Error paths start with "waves.", e.g.
// "waves.staged.max_regions_per_wave: must be >= 1 (got 0)". An unset
// strategy is valid here (the spec has none).
absl::Status ValidateWaveStrategy(const v1::WaveStrategy& strategy);

// Checks what needs the fleet: regions in region_order that the fleet lacks,
// selectors that match no target, and whether the fleet can be planned at
// all (e.g. a minimum healthy count >= the fleet's size).
absl::Status ValidateWaveStrategyAgainst(const v1::WaveStrategy& strategy,
                                         const Fleet& fleet);

// A short phrase, e.g. "waves: staged (max 4 regions per wave)", or empty
// when no strategy is set.
std::string SummarizeWaveStrategy(const v1::WaveStrategy& strategy);

// The stage names (Wave::stage) the strategy can produce, sorted, for
// checking per-stage gate overrides: "all" (all_at_once); "batch"
// (one_at_a_time, half_at_a_time, batches, min_healthy, rolling); "step"
// (linear, exponential); "canary" and "rest" (canary); "step" and
// "promotion" (steps, flagger); the six stages of staged; a composite's
// stage names. Empty when no strategy is set or it is invalid.
// tests/rollout/spec_hardening_test.cc checks it against the plans of every
// example spec.
std::vector<std::string> StagesOfStrategy(const v1::WaveStrategy& strategy);

// The scheduler the strategy describes (validating it first). Errors are
// prefixed "waves."; an unset strategy is kInvalidArgument "waves: is
// required".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewSchedulerFromSpec(
    const v1::WaveStrategy& strategy);

// ---- RolloutSpec.waves as values.
//
// Each built-in strategy of sluice.v1.WaveStrategy is held as its public
// options struct (the values its factory takes, defaults applied and
// conversions done, e.g. Staged's first-zone bake falling back to the zone
// bake) plus what only the spec needs to give the message back: a `present`
// flag for each field with presence whose option cannot tell "unset" from
// "set to the default" (a Duration message, an `optional` scalar, a
// CountOrPercent), true when the message had the field, and the wire value
// of an enum that reads several values as one. WavesConfig::ToProto() writes
// such a field only when its flag is set; a field whose option is a
// std::optional is written when it holds a value, and fields without
// presence (plain scalars, enums, repeated fields) always. Counts
// (CountOrPercent holds a double) round-trip exactly up to 2^53: the
// factories accept no count above 2^32 - 1 but min_healthy.host_count, whose
// larger values come back rounded to a double. Value types;
// thread-compatible.

// waves.all_at_once.
struct AllAtOnceSpec {
  // The factory's options. Default: the struct's defaults.
  AllAtOnceOptions options;
  struct Present {
    bool bake = false;
  };
  // Default: nothing present.
  Present present;
};

// waves.one_at_a_time.
struct OneAtATimeSpec {
  // The factory's options. Default: the struct's defaults.
  OneAtATimeOptions options;
  struct Present {
    bool bake = false;
  };
  // Default: nothing present.
  Present present;
};

// waves.half_at_a_time.
struct HalfAtATimeSpec {
  // The factory's options. Default: the struct's defaults.
  HalfAtATimeOptions options;
  struct Present {
    bool bake = false;
  };
  // Default: nothing present.
  Present present;
};

// waves.batches (size is required, so always present).
struct BatchesSpec {
  // The factory's options. Default: the struct's defaults.
  BatchOptions options;
  struct Present {
    bool bake = false;
    bool max_failed_per_batch = false;
  };
  // Default: nothing present.
  Present present;
};

// waves.min_healthy (the oneof is required: options.min_healthy's unit says
// which of host_count and fleet_percent is set).
struct MinHealthySpec {
  // The factory's options. Default: the struct's defaults.
  MinHealthyOptions options;
  struct Present {
    bool bake = false;
  };
  // Default: nothing present.
  Present present;
};

// waves.rolling.
struct RollingSpec {
  // The factory's options. Default: the struct's defaults.
  RollingOptions options;
  struct Present {
    bool max_surge = false;
    bool max_unavailable = false;
    bool bake = false;
  };
  // Default: nothing present.
  Present present;
};

// waves.linear (deployment_duration's presence is options'
// std::optional).
struct LinearSpec {
  // The factory's options. Default: the struct's defaults.
  LinearOptions options;
  struct Present {
    bool interval = false;
    bool final_bake = false;
  };
  // Default: nothing present.
  Present present;
};

// waves.canary.
struct CanarySpec {
  // The factory's options. Default: the struct's defaults.
  CanaryOptions options;
  struct Present {
    bool interval = false;
    bool final_bake = false;
  };
  // Default: nothing present.
  Present present;
};

// waves.exponential (deployment_duration is required, so always present).
struct ExponentialSpec {
  // The factory's options. Default: the struct's defaults.
  ExponentialOptions options;
  struct Present {
    bool multiplier = false;
    bool final_bake = false;
  };
  // Default: nothing present.
  Present present;
};

// waves.steps.
struct StepsSpec {
  // The factory's options. Default: the struct's defaults.
  StepsOptions options;
  struct Present {
    // Whether steps[i].bake is set, one per options.steps (missing entries
    // read as false).
    std::vector<bool> step_bakes;
    bool final_bake = false;
  };
  // Default: nothing present.
  Present present;
};

// waves.flagger (options.traffic_routed is !target_waves).
struct FlaggerSpec {
  // The factory's options. Default: the struct's defaults.
  FlaggerOptions options;
  struct Present {
    bool max_weight = false;
    bool interval = false;
    bool final_bake = false;
  };
  // Default: nothing present.
  Present present;
};

// waves.staged. options.one_box is !no_one_box; an unset
// options.first_zone_batch is no_first_zone_batch; the optional fields of
// the message that are optional in StagedOptions too
// (one_box_max_weight_percent, max_regions_per_wave, zone_batch,
// bakes.final_bake) need no flag.
struct StagedSpec {
  // The factory's options. Default: the struct's defaults.
  StagedOptions options;
  // The wire value of region_order_default, which options.region_order_default
  // reads: 0 (REGION_ORDER_UNSPECIFIED) and 1 (LEAST_WEIGHT_FIRST) are
  // kLeastWeightFirst, 2 (BY_NAME) is kByName, and a value out of the enum
  // (proto3 keeps it) reads as kLeastWeightFirst. Default: 0.
  int region_order_default = 0;
  struct Present {
    bool first_zone_batch = false;
    bool max_zones_per_wave = false;
    bool first_region_wave_size = false;
    bool region_growth = false;
    bool max_failed_per_wave = false;
    // The bakes message, even when empty.
    bool bakes = false;
    bool bakes_one_box = false;
    bool bakes_first_zone_batch = false;
    // False when options.bakes.first_zone is the zone bake it fell back to.
    bool bakes_first_zone = false;
    bool bakes_zone = false;
    bool bakes_zone_batch = false;
    bool bakes_first_region = false;
    bool bakes_region_one_box = false;
    bool bakes_region_wave = false;
  };
  // Default: nothing present.
  Present present;
};

struct CompositeStageSpec;

// waves.composite.
struct CompositeSpec {
  // The stages, in order. Default: empty.
  std::vector<CompositeStageSpec> stages;
};

// A wave strategy as values: one alternative per field of the
// sluice.v1.WaveStrategy oneof, in field-number order (index() is the field
// number), std::monostate when none is set.
using WaveStrategySpec =
    std::variant<std::monostate, AllAtOnceSpec, OneAtATimeSpec, HalfAtATimeSpec,
                 BatchesSpec, MinHealthySpec, RollingSpec, LinearSpec,
                 CanarySpec, ExponentialSpec, StepsSpec, FlaggerSpec,
                 StagedSpec, CompositeSpec>;

// One stage of waves.composite: a name, a selector and the strategy
// planning the stage's targets (never std::monostate once validated).
struct CompositeStageSpec {
  // Default: empty.
  std::string name;
  // Default: empty (every target not yet taken).
  Selector selector;
  // Whether the message had the selector field (even empty). Default: false.
  bool selector_present = false;
  // Default: std::monostate.
  WaveStrategySpec scheduler;
};

// RolloutSpec.waves as the waves component holds it once validated: the
// strategy as values (WaveStrategySpec), converted once by FromProto(), its
// stage names and its summary. NewScheduler() builds from the values and
// ToProto() reassembles the message. Callers above the waves component read
// this, never the message. Copyable. Thread-compatible.
class WavesConfig {
 public:
  // Validates and converts `proto` (an unset strategy is valid: the spec has
  // none). Errors as ValidateWaveStrategy().
  static absl::StatusOr<WavesConfig> FromProto(const v1::WaveStrategy& proto);

  // The message FromProto() read: the same fields set, with the same values.
  v1::WaveStrategy ToProto() const;

  // Whether a strategy is set.
  bool has_strategy() const {
    return !std::holds_alternative<std::monostate>(strategy_);
  }

  // The strategy's values. Default: std::monostate (none).
  const WaveStrategySpec& strategy() const { return strategy_; }

  // The scheduler; "waves: is required" when no strategy is set.
  absl::StatusOr<std::unique_ptr<WaveScheduler>> NewScheduler() const;

  // As ValidateWaveStrategyAgainst().
  absl::Status ValidateAgainst(const Fleet& fleet) const;

  // As SummarizeWaveStrategy().
  const std::string& Summary() const { return summary_; }

  // As StagesOfStrategy().
  const std::vector<std::string>& stages() const { return stages_; }

 private:
  WaveStrategySpec strategy_;
  std::vector<std::string> stages_;
  std::string summary_;
};

}  // namespace sluice::internal

#endif  // SLUICE_LIB_WAVES_SPEC_WAVES_H_
