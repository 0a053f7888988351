// Copyright 2026 The Sluice Authors.
//
// Targets and fleets: what a rollout deploys to.
//
// A Target is one deployable unit (a server, a pod, a cell's worth of
// capacity) placed in a topology of region / zone / cell, with a weight (its
// share of traffic or capacity) and free-form labels. A Fleet is a validated,
// immutable collection of targets: ids are non-empty and unique, weights are
// finite and non-negative with a positive total, and every target names its
// region and zone. An object of type Fleet that exists is valid.
//
// Example:
//
//   std::vector<sluice::Target> targets(2);
//   targets[0].id = "web-1";
//   targets[0].topology = {"us-east-1", "use1-az1", ""};
//   targets[1].id = "web-2";
//   targets[1].topology = {"us-east-1", "use1-az2", ""};
//   targets[1].weight = 2;
//   absl::StatusOr<sluice::Fleet> fleet = sluice::Fleet::Create(targets);
//   if (!fleet.ok()) return fleet.status();  // e.g. "targets[1].weight: ..."
//   double share = fleet->weight_share(1);   // 2/3
//
// Fleets also load from CSV and from the sluice.v1.Fleet message: see
// sluice/fleet_io.h.
//
// Infrastructure targets. A target may be an infrastructure resource rather
// than a server: Target::kind names it ("autoscaling_group", "instance_role",
// "load_balancer"; empty means a server or host). A resource defined per zone
// (one autoscaling group per availability zone) is an ordinary one-zone
// target. A resource that spans several zones or regions says so explicitly
// in Target::zones / Target::regions, so that planners keep it out of
// one-zone waves and LintFleet() can warn about it:
//
//   sluice::Target asg;
//   asg.id = "checkout-asg";
//   asg.kind = "autoscaling_group";
//   asg.topology = {"us-east-1", "use1-az1", ""};
//   asg.zones = {"use1-az1", "use1-az2", "use1-az3"};  // one group, 3 zones

#ifndef SLUICE_FLEET_H_
#define SLUICE_FLEET_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace sluice {

// Where a target runs. Region and zone are required in a Fleet; cell is
// optional (empty when the operator has no cells). Zone names are scoped by
// region: ("us-east-1", "a") and ("eu-west-1", "a") are different zones.
// Value type; thread-compatible.
struct Topology {
  // The region, e.g. "us-east-1". Default: empty (invalid in a Fleet).
  std::string region;
  // The availability zone within the region, e.g. "use1-az2". Default: empty
  // (invalid in a Fleet).
  std::string zone;
  // The cell within the zone, if the operator uses cells. Default: empty.
  std::string cell;

  friend bool operator==(const Topology& a, const Topology& b) {
    return a.region == b.region && a.zone == b.zone && a.cell == b.cell;
  }
  friend bool operator!=(const Topology& a, const Topology& b) {
    return !(a == b);
  }
};

// Prints "region/zone" or "region/zone/cell".
std::ostream& operator<<(std::ostream& os, const Topology& topology);

// One deployable unit. Value type; thread-compatible.
struct Target {
  // Unique, non-empty identifier, e.g. a host name. Default: empty (invalid).
  std::string id;
  // Where the target runs. Default: empty region and zone (invalid).
  Topology topology;
  // Share of traffic or capacity, relative to the fleet's total. Must be
  // finite and >= 0. Default: 1.
  double weight = 1.0;
  // Free-form labels, sorted by key, used by selectors. Keys must be
  // non-empty. Default: none.
  std::map<std::string, std::string> labels;
  // (The members below have default initializers so that aggregate
  // initialisers naming only the four above stay warning-free.)
  // The kind of resource the target is, e.g. "autoscaling_group",
  // "instance_role", "load_balancer"; empty means a server or host. Free
  // text, shown in plans and warnings. Default: empty (a server).
  std::string kind = {};
  // The zones of topology.region the target spans, for a resource that
  // covers several zones at once (one autoscaling group for three zones).
  // When set: names are non-empty and distinct, topology.zone is one of
  // them, and each is the zone of some target of the fleet in the same
  // region. Empty means the target is in topology.zone only. Default: empty.
  std::vector<std::string> zones = {};
  // The regions the target spans, for a resource that covers several regions
  // (a global load balancer). When set: names are non-empty and distinct,
  // topology.region is one of them, and each is the region of some target of
  // the fleet. Empty means the target is in topology.region only.
  // Default: empty.
  std::vector<std::string> regions = {};

  friend bool operator==(const Target& a, const Target& b) {
    return a.id == b.id && a.topology == b.topology && a.weight == b.weight &&
           a.labels == b.labels && a.kind == b.kind && a.zones == b.zones &&
           a.regions == b.regions;
  }
  friend bool operator!=(const Target& a, const Target& b) { return !(a == b); }
};

// Prints the target as "id (region/zone[/cell], weight w)", with the kind
// and the spanned zones or regions when set:
// "asg (autoscaling_group, us-east-1/a, spans zones a, b, c, weight 1)".
std::ostream& operator<<(std::ostream& os, const Target& target);

// A validated, immutable set of targets with a topology index. Targets keep
// the order they were given in; region and zone indices are assigned in
// lexicographic order of their names, so they do not depend on input order.
//
// Copying a Fleet is cheap (the data is shared and immutable).
// Thread-safe: all methods are const and may be called concurrently.
class Fleet {
 public:
  // Index of a target in targets().
  using TargetIndex = uint32_t;

  // A zone of the fleet: its region's index in regions() and its name.
  struct Zone {
    // Index into regions().
    uint32_t region = 0;
    // The zone's name.
    std::string name;
  };

  // Validates `targets` and builds a Fleet. Errors (kInvalidArgument) name the
  // target and field, e.g. "targets[3].weight: must be finite and >= 0 (got
  // -1)", "targets[4].id: duplicate id \"web-1\" (first at targets[0])",
  // "targets: must not be empty". At most 2^32 - 1 targets.
  static absl::StatusOr<Fleet> Create(std::vector<Target> targets);

  // All targets, in input order.
  absl::Span<const Target> targets() const;
  // The number of targets (>= 1).
  size_t size() const;
  // Target `i`; requires i < size().
  const Target& target(size_t i) const;
  // The index of the target with this id, or nullopt.
  std::optional<TargetIndex> IndexOf(absl::string_view id) const;

  // The sum of all weights (> 0).
  double total_weight() const;
  // weight of target `i` / total_weight().
  double weight_share(size_t i) const;

  // Region names, sorted.
  absl::Span<const std::string> regions() const;
  // Zones, sorted by (region name, zone name).
  absl::Span<const Zone> zones() const;
  // The index into regions() of target `i`'s region.
  uint32_t region_of(size_t i) const;
  // The index into zones() of target `i`'s zone.
  uint32_t zone_of(size_t i) const;
  // The index of a region by name, or nullopt.
  std::optional<uint32_t> RegionIndex(absl::string_view region) const;

  // The indices into zones() of every zone target `i` spans, ascending:
  // Target::zones when set, else just zone_of(i).
  absl::Span<const uint32_t> zones_spanned(size_t i) const;
  // The indices into regions() of every region target `i` spans, ascending:
  // Target::regions when set, else just region_of(i).
  absl::Span<const uint32_t> regions_spanned(size_t i) const;
  // True when target `i` spans more than one zone or more than one region.
  bool spans_several(size_t i) const;
  // The indices of the targets that span several zones or regions,
  // ascending. Empty for a fleet of one-zone targets.
  absl::Span<const TargetIndex> spanning_targets() const;

  friend bool operator==(const Fleet& a, const Fleet& b);
  friend bool operator!=(const Fleet& a, const Fleet& b) { return !(a == b); }

 private:
  struct Data;
  explicit Fleet(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

// Prints a one-line summary: "Fleet(12 targets, 2 regions, 6 zones, weight
// 12)".
std::ostream& operator<<(std::ostream& os, const Fleet& fleet);

// A note on a valid fleet that a person should read before rolling out to
// it: not an error, the fleet works, but it costs something. Value type;
// thread-compatible.
struct FleetWarning {
  // The index of the target the warning is about.
  Fleet::TargetIndex target = 0;
  // The target's id.
  std::string target_id;
  // What is wrong and what it costs, for people, naming the target, e.g.
  // "target \"checkout-asg\" (autoscaling_group) spans 3 zones of us-east-1
  // (use1-az1, use1-az2, use1-az3): ...".
  std::string message;

  friend bool operator==(const FleetWarning& a, const FleetWarning& b) {
    return a.target == b.target && a.target_id == b.target_id &&
           a.message == b.message;
  }
};

// The warnings about `fleet`, in target order: one for each target that
// spans several zones or regions, saying that a change to it reaches all of
// them at once, that a plan can no longer put it in a one-zone wave, and that
// zone-aware plans deploy it in a wave of its own after every zone (or
// region) it spans has been deployed and baked. Empty when every target is in
// one zone. Deterministic.
std::vector<FleetWarning> LintFleet(const Fleet& fleet);

}  // namespace sluice

#endif  // SLUICE_FLEET_H_
