// Copyright 2026 The Sluice Authors.
//
// Fleet to and from its wire form, sluice.v1.Fleet (sluice/fleet_proto.h).

#include "sluice/fleet_proto.h"

#include <string>
#include <utility>
#include <vector>

namespace sluice {

absl::StatusOr<Fleet> FleetFromProto(const v1::Fleet& proto) {
  std::vector<Target> targets;
  targets.reserve(proto.targets_size());
  for (const v1::Target& p : proto.targets()) {
    Target t;
    t.id = p.id();
    t.topology = {p.region(), p.zone(), p.cell()};
    t.weight = p.has_weight() ? p.weight() : 1.0;
    t.labels.insert(p.labels().begin(), p.labels().end());
    t.kind = p.kind();
    t.zones.assign(p.zones().begin(), p.zones().end());
    t.regions.assign(p.regions().begin(), p.regions().end());
    targets.push_back(std::move(t));
  }
  return Fleet::Create(std::move(targets));
}

v1::Fleet FleetToProto(const Fleet& fleet) {
  v1::Fleet proto;
  for (const Target& t : fleet.targets()) {
    v1::Target* p = proto.add_targets();
    p->set_id(t.id);
    p->set_region(t.topology.region);
    p->set_zone(t.topology.zone);
    p->set_cell(t.topology.cell);
    p->set_weight(t.weight);
    p->mutable_labels()->insert(t.labels.begin(), t.labels.end());
    p->set_kind(t.kind);
    for (const std::string& zone : t.zones) p->add_zones(zone);
    for (const std::string& region : t.regions) p->add_regions(region);
  }
  return proto;
}

}  // namespace sluice
