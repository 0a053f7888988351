// Copyright 2026 The Sluice Authors.
//
// RolloutSpec: a validated rollout specification, the file a person writes.
//
// A spec names what is rolled out (service, version, the version to roll back
// to) and how: the wave strategy, the metrics and health gates, and the
// rollback policy. Specs are sluice.v1.RolloutSpec messages in text format or
// JSON (proto/sluice/v1/rollout_spec.proto); unknown fields and out-of-range
// values are rejected with the field's path, e.g.
//   "waves.staged.max_regions_per_wave: must be >= 1 (got 0)".
// An object of type RolloutSpec that exists is valid on its own; checks that
// need a fleet (a region the fleet lacks) are made by ValidateAgainst().
//
// Example:
//
//   absl::StatusOr<sluice::RolloutSpec> spec =
//       sluice::RolloutSpec::LoadFile("examples/specs/regional_waves.textproto");
//   if (!spec.ok()) {
//     std::cerr << spec.status() << "\n";
//     return 1;
//   }
//   std::cout << spec->Summary() << "\n";
//   absl::StatusOr<std::unique_ptr<sluice::WaveScheduler>> scheduler =
//       sluice::NewScheduler(*spec);
//   absl::StatusOr<sluice::GatePolicy> gates =
//       sluice::GatePolicyFromSpec(*spec);

#ifndef SLUICE_SPEC_H_
#define SLUICE_SPEC_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sluice/fleet.h"
#include "sluice/gate_policy.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace v1 {
class RolloutSpec;
}  // namespace v1
class RolloutSpec;
namespace internal {
struct SpecData;
const SpecData& DataOf(const RolloutSpec& spec);
}  // namespace internal

// The encoding of a spec's text.
enum class SpecFormat {
  // Protocol buffer text format (.textproto, .txtpb, .pbtxt).
  kTextProto,
  // Protocol buffer JSON mapping (.json).
  kJson,
};

// A validated rollout spec. It holds converted values: each part (wave
// strategy, metrics and gates, rollback policy, watch) is converted by the
// component that owns it when the spec is made, and nothing reads the
// message afterwards. ToProto() gives the message back for tools that print
// or store it. Copying is cheap (the contents are shared and immutable).
// Thread-safe: all methods are const.
class RolloutSpec {
 public:
  // Parses and validates `text`. Errors are kInvalidArgument naming the line
  // (parse errors) or the field path (validation errors).
  static absl::StatusOr<RolloutSpec> Parse(absl::string_view text,
                                           SpecFormat format);

  // Validates and converts a message, e.g. one the host built in code or
  // read from its own store. FromProto(m)->ToProto() equals m.
  static absl::StatusOr<RolloutSpec> FromProto(const v1::RolloutSpec& proto);

  // Reads a spec file, choosing the format by extension (.json is JSON;
  // .textproto, .txtpb, .pbtxt are text format). Errors are prefixed with the
  // path. Reads the file system and nothing else.
  static absl::StatusOr<RolloutSpec> LoadFile(const std::string& path);

  // The checks that need the fleet, e.g. that every region the strategy names
  // exists and that every selector matches at least one target. Errors are
  // kInvalidArgument naming the field.
  absl::Status ValidateAgainst(const Fleet& fleet) const;

  // The rollout's name.
  const std::string& name() const;
  // The service being deployed (may be empty).
  const std::string& service() const;
  // The version being rolled out (non-empty).
  const std::string& version() const;
  // The rollback target (may be empty: the host supplies it at start).
  const std::string& previous_version() const;
  // What the spec is for, for people (may be empty).
  const std::string& description() const;
  // The spec's labels (may be empty).
  const std::map<std::string, std::string>& labels() const;
  // The names of the declared metrics (`metrics[i].name`), in order.
  const std::vector<std::string>& metric_names() const;

  // One line for people: name, versions, and a summary of each part, e.g.
  // "checkout-api: 2.4.1 (rollback to 2.4.0)".
  std::string Summary() const;

  // The spec as a message (sluice.v1.RolloutSpec), reassembled from the
  // converted parts, for printing or storing. Include
  // "sluice/v1/rollout_spec.pb.h" to use it. Replaces proto(), removed (see
  // CHANGELOG.md).
  v1::RolloutSpec ToProto() const;

 private:
  friend const internal::SpecData& internal::DataOf(const RolloutSpec& spec);
  explicit RolloutSpec(std::shared_ptr<const internal::SpecData> data);
  std::shared_ptr<const internal::SpecData> data_;
};

// ---- What a spec builds. Each validates the part it reads; errors are
// kInvalidArgument with the part's field path.

// The scheduler a validated spec's `waves` strategy describes. Errors are
// kInvalidArgument "waves: is required" when the spec has no strategy.
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewScheduler(
    const RolloutSpec& spec);

// The gate policy of a validated spec's `metrics` and `gates` fields (an
// empty policy, every stage passing at once, when it has none). Errors name
// the field as spec validation does, e.g.
// "gates.default[0].threshold.metric: names undeclared metric \"p99\"".
absl::StatusOr<GatePolicy> GatePolicyFromSpec(const RolloutSpec& spec);

}  // namespace sluice

#endif  // SLUICE_SPEC_H_
