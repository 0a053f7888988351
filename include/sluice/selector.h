// Copyright 2026 The Sluice Authors.
//
// Selector: picks a subset of a fleet by region, zone, cell and labels. Used
// by composite wave schedulers (each stage plans the targets its selector
// picks) and anywhere else a part of the fleet is named.
//
// A target matches when it satisfies every non-empty criterion: its region is
// one of `regions`, its zone one of `zones`, its cell one of `cells`, and it
// carries every label in `labels` with that exact value. The empty selector
// matches every target.
//
// Example:
//
//   sluice::Selector canary_cells;
//   canary_cells.regions = {"us-east-1"};
//   canary_cells.labels = {{"tier", "canary"}};
//   std::vector<sluice::Fleet::TargetIndex> picked =
//       canary_cells.Select(fleet);
//   if (picked.empty()) { ... }
//   std::cout << canary_cells;  // region in (us-east-1), label tier=canary

#ifndef SLUICE_SELECTOR_H_
#define SLUICE_SELECTOR_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sluice/fleet.h"

namespace sluice {

// A predicate on targets. Value type; thread-compatible.
struct Selector {
  // Accepted regions; empty accepts any. Default: empty.
  std::vector<std::string> regions;
  // Accepted zone names (in any region); empty accepts any. Default: empty.
  std::vector<std::string> zones;
  // Accepted cell names; empty accepts any. Default: empty.
  std::vector<std::string> cells;
  // Required labels: each key must be present with exactly this value.
  // Default: empty.
  std::map<std::string, std::string> labels;

  // True when no criterion is set (the selector matches every target).
  bool empty() const {
    return regions.empty() && zones.empty() && cells.empty() && labels.empty();
  }
  // Whether `target` satisfies every criterion. A target spanning several
  // zones or regions (Target::zones, Target::regions) satisfies `zones` /
  // `regions` only when every zone / region it spans is accepted.
  bool Matches(const Target& target) const;
  // The indices of the matching targets of `fleet`, ascending.
  std::vector<Fleet::TargetIndex> Select(const Fleet& fleet) const;
  // What operator<< prints, e.g. "region in (us-east-1), label tier=canary".
  std::string ToString() const;

  friend bool operator==(const Selector& a, const Selector& b) {
    return a.regions == b.regions && a.zones == b.zones && a.cells == b.cells &&
           a.labels == b.labels;
  }
  friend bool operator!=(const Selector& a, const Selector& b) {
    return !(a == b);
  }
};

// Checks that no criterion holds an empty string and that label keys are
// non-empty. Errors are kInvalidArgument naming the field, e.g.
// "regions[1]: must not be empty".
absl::Status ValidateSelector(const Selector& selector);

// Prints e.g. "region in (us-east-1), label tier=canary", or "all targets" for
// the empty selector.
std::ostream& operator<<(std::ostream& os, const Selector& selector);

}  // namespace sluice

#endif  // SLUICE_SELECTOR_H_
