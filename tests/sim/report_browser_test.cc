// Copyright 2026 The Sluice Authors.
//
// Renders a simulation's HTML report in headless Chromium and checks that
// every chart is there and laid out with a visible box and shapes in it.
// Chromium is Debian's `chromium` package: installed by the test when it is
// missing and the test runs as root; otherwise the test is skipped.

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/sim/report.h"
#include "sluice/sim/scenario.h"
#include "sluice/sim/simulator.h"
#include "sluice/spec.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::sim {
namespace {

std::string FindChromium() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser",
                           "/usr/lib/chromium/chromium"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

// Runs `command` and returns its standard output.
std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    out.append(buffer.data(), n);
  }
  pclose(pipe);
  return out;
}

std::string Chromium() {
  std::string path = FindChromium();
  if (path.empty() && geteuid() == 0) {
    // On a machine whose package lists were never fetched, the first
    // install finds nothing: fetch them and try once more.
    std::system(
        "(DEBIAN_FRONTEND=noninteractive apt-get install -y "
        "--no-install-recommends chromium || (apt-get update -qq && "
        "DEBIAN_FRONTEND=noninteractive apt-get install -y "
        "--no-install-recommends chromium)) >/dev/null 2>&1");
    path = FindChromium();
  }
  return path;
}

std::string Flags(const std::string& profile) {
  return absl::StrCat(
      " --headless --no-sandbox --disable-gpu --disable-background-networking"
      " --disable-component-update --disable-sync --no-first-run"
      " --disable-dev-shm-usage --user-data-dir=",
      profile);
}

TEST(ReportBrowserTest, ChartsAreThereAndVisible) {
  const std::string chromium = Chromium();
  if (chromium.empty()) {
    GTEST_SKIP() << "chromium is not installed and could not be installed "
                    "(needs root and Debian's archive: apt-get install "
                    "chromium); skipping the browser check of the report";
  }
  // A real study: 10 runs of a bad release in one zone.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/regional_waves_gated.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/three_regions.csv"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Scenario scenario,
      LoadScenarioFile("examples/scenarios/bad_release_one_zone.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(Simulator simulator,
                              Simulator::Create(spec, fleet, scenario));
  ReportInput input;
  input.title = "browser test";
  RunTrace trace;
  SLUICE_ASSERT_OK(simulator.Run(0, 7, &trace).status());
  input.trace = trace;
  MonteCarloOptions options;
  options.runs = 10;
  SLUICE_ASSERT_OK_AND_ASSIGN(input.outcomes, simulator.RunMany(options));
  input.summary = Summarize(input.outcomes, options.seed);

  char dir_template[] = "/tmp/sluice_report_XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const std::string html = dir + "/report.html";
  {
    std::ofstream out(html);
    out << RenderHtmlReport(input);
  }
  const std::string dom =
      Capture(absl::StrCat(chromium, Flags(dir + "/profile"),
                           " --dump-dom file://", html, " 2>/dev/null"));
  ASSERT_THAT(dom, ::testing::HasSubstr("<svg id=\"timeline\""))
      << "chromium printed no DOM";
  const std::vector<std::string> charts = {"timeline",
                                           "metric-0",
                                           "metric-1",
                                           "dist-time-to-detect",
                                           "dist-max-bad-targets",
                                           "dist-bad-requests"};
  for (const std::string& id : charts) {
    SCOPED_TRACE(id);
    const size_t at = dom.find("<svg id=\"" + id + "\"");
    ASSERT_NE(at, std::string::npos);
    const std::string open = dom.substr(at, dom.find('>', at) - at);
    int width = 0, height = 0, shapes = 0;
    const size_t rendered = open.find("data-rendered=\"");
    ASSERT_NE(rendered, std::string::npos) << open;
    ASSERT_EQ(std::sscanf(open.c_str() + rendered, "data-rendered=\"%dx%d\"",
                          &width, &height),
              2)
        << open;
    const size_t count = open.find("data-shapes=\"");
    ASSERT_NE(count, std::string::npos) << open;
    ASSERT_EQ(std::sscanf(open.c_str() + count, "data-shapes=\"%d\"", &shapes),
              1);
    EXPECT_GE(width, 400);
    EXPECT_GE(height, 100);
    EXPECT_GT(shapes, 3);
  }
  // And a screenshot that is not blank.
  const std::string png = dir + "/report.png";
  Capture(absl::StrCat(chromium, Flags(dir + "/profile"),
                       " --window-size=1000,2400 --screenshot=", png,
                       " file://", html, " 2>/dev/null"));
  std::ifstream shot(png, std::ios::binary | std::ios::ate);
  ASSERT_TRUE(shot.good()) << "no screenshot at " << png;
  EXPECT_GT(static_cast<int64_t>(shot.tellg()), 20000);
  std::system(absl::StrCat("rm -rf ", dir).c_str());
}

}  // namespace
}  // namespace sluice::sim
