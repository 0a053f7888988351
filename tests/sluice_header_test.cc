// Copyright 2026 The Sluice Authors.
//
// sluice/sluice.h, the umbrella header: it includes every public header but
// the protobuf edge (*_proto.h, proto_io.h), sluice/testing/, the stores
// (sluice/store/), the Prometheus adapters (sluice/prometheus/) and the C API
// (sluice/c.h), libraries of their own, and one include of it gives the whole
// library.

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/sluice.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

using ::sluice::testing::IsOk;
using ::testing::ContainerEq;

// The headers sluice/sluice.h must include: every public header below
// include/sluice/ (run from the source root) but itself, the testing
// library's, the stores' (sluice/store/) and the protobuf edge (the *_proto.h
// conversions, proto_io.h, and any other header that includes generated code).
bool IncludesGeneratedCode(const std::filesystem::path& header) {
  std::ifstream in(header);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("#include \"", 0) == 0 &&
        line.find(".pb.h\"") != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::set<std::string> ExpectedHeaders() {
  std::set<std::string> out;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator("include/sluice")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".h") continue;
    const std::string path =
        entry.path().lexically_relative("include").generic_string();
    const std::string file = entry.path().filename().string();
    if (path.rfind("sluice/testing/", 0) == 0) continue;
    // The stores are libraries of their own (sluice::store, ...), outside
    // the umbrella.
    if (path.rfind("sluice/store/", 0) == 0) continue;
    // The Prometheus adapters are a library of their own
    // (sluice::prometheus), with libcurl.
    if (path.rfind("sluice/prometheus/", 0) == 0) continue;
    // The C API is a library of its own (sluice::capi, libsluice.so), for
    // C callers; the umbrella is C++'s.
    if (path == "sluice/c.h") continue;
    if (path == "sluice/sluice.h" || path == "sluice/proto_io.h") continue;
    if (file.size() > 8 && file.compare(file.size() - 8, 8, "_proto.h") == 0) {
      continue;
    }
    if (IncludesGeneratedCode(entry.path())) continue;
    out.insert(path);
  }
  return out;
}

std::set<std::string> IncludedHeaders() {
  std::ifstream in("include/sluice/sluice.h");
  std::set<std::string> out;
  std::string line;
  const std::string prefix = "#include \"";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) != 0) continue;
    out.insert(line.substr(prefix.size(),
                           line.find('"', prefix.size()) - prefix.size()));
  }
  return out;
}

TEST(SluiceHeaderTest, IncludesEveryPublicHeaderButTheProtobufEdgeAndTesting) {
  const std::set<std::string> expected = ExpectedHeaders();
  ASSERT_GT(expected.size(), 40u);  // the walk found the headers
  EXPECT_THAT(IncludedHeaders(), ContainerEq(expected));
}

TEST(SluiceHeaderTest, OneIncludeGivesEveryComponent) {
  EXPECT_STREQ(Version(), "0.1.0");  // core
  absl::StatusOr<Fleet> fleet =
      ParseFleetCsv("id,region,zone\nweb-1,r1,z1\nweb-2,r1,z2\n");
  ASSERT_THAT(fleet.status(), IsOk());
  EXPECT_THAT(stats::MannWhitneyU({1, 2, 3}, {4, 5, 6}).status(),
              IsOk());  // stats
  absl::StatusOr<std::unique_ptr<WaveScheduler>> scheduler =
      NewOneAtATimeScheduler();  // waves
  ASSERT_THAT(scheduler.status(), IsOk());
  absl::StatusOr<WavePlan> plan = (*scheduler)->Plan(*fleet);
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_EQ(plan->waves.size(), 2u);
  ThresholdCheck check;  // gates
  check.metric.name = "p99_latency";
  check.max = 300;
  EXPECT_THAT(NewThresholdGate("p99", check).status(), IsOk());
  RolloutOptions options;  // rollout
  options.version = "2";
  options.previous_version = "1";
  EXPECT_THAT(Rollout::Create(*fleet, *plan, options).status(), IsOk());
  EXPECT_EQ(sim::RunSeed(1, 0), sim::RunSeed(1, 0));  // sim
}

}  // namespace
}  // namespace sluice
