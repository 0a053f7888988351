// Copyright 2026 The Sluice Authors.
//
// TestServer: a real Prometheus or Alertmanager from Debian's packages
// (prometheus, prometheus-alertmanager; tools/install_deps.sh), started by
// the test itself in a new temporary folder, listening on loopback on a free
// port, stopped (SIGTERM, then SIGKILL after 10 s) and deleted when the
// object goes. As root (CI) the server runs as the unprivileged user
// `nobody` (runuser), as tests/store_postgres does. Waiting for it to be
// ready is bounded (60 s). A missing binary is an error naming the package,
// never a skip.
//
// Not thread-safe.

#ifndef SLUICE_TESTS_PROMETHEUS_TEST_SERVER_H_
#define SLUICE_TESTS_PROMETHEUS_TEST_SERVER_H_

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sluice/prometheus/prometheus.h"

namespace sluice::testing {

class TestServer {
 public:
  // A new temporary folder (owned by `nobody` when root) for a server's
  // files; write them, then Start().
  static absl::StatusOr<std::unique_ptr<TestServer>> Create(
      const std::string& binary, const std::string& package) {
    if (access(binary.c_str(), X_OK) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("TestServer: no ", binary, ": install Debian's ",
                       package, " (tools/install_deps.sh)"));
    }
    char tmpl[] = "/tmp/sluice_prom_XXXXXX";
    if (mkdtemp(tmpl) == nullptr)
      return absl::UnavailableError("TestServer: mkdtemp failed");
    chmod(tmpl, 0755);
    return std::unique_ptr<TestServer>(new TestServer(binary, tmpl));
  }

  ~TestServer() {
    Stop();
    if (std::getenv("SLUICE_KEEP_PROM") == nullptr)
      (void)std::system(absl::StrCat("rm -rf ", dir_).c_str());
  }

  const std::string& dir() const { return dir_; }
  int port() const { return port_; }
  std::string url() const { return absl::StrCat("http://127.0.0.1:", port_); }

  // Writes `text` to dir()/name.
  absl::Status WriteFile(const std::string& name, const std::string& text) {
    std::ofstream out(absl::StrCat(dir_, "/", name));
    out << text;
    out.close();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", name));
    return absl::OkStatus();
  }

  // Runs a shell command as the server's user (bounded by `timeout` seconds).
  absl::Status RunAsUser(const std::string& command, int timeout_s = 120) {
    const std::string cmd =
        absl::StrCat("cd ", dir_, " && timeout ", timeout_s, " ", As(), command,
                     " >> ", dir_, "/setup.log 2>&1");
    if (std::system(cmd.c_str()) != 0) {
      return absl::UnavailableError(absl::StrCat(
          "TestServer: `", command, "` failed; see ", dir_, "/setup.log"));
    }
    return absl::OkStatus();
  }

  // Hands the folder to the server's user (after writing files as root).
  void Chown() {
    if (geteuid() == 0)
      (void)std::system(absl::StrCat("chown -R nobody ", dir_).c_str());
  }

  // Starts the binary with `args` (each "{port}" replaced by a free port's
  // number) and waits until GET `ready_path` answers 200. Tries three ports.
  absl::Status Start(const std::vector<std::string>& args,
                     const std::string& ready_path) {
    Chown();
    absl::Status last;
    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = FreePort();
      if (port_ <= 0) return absl::UnavailableError("no free port");
      std::vector<std::string> argv;
      if (geteuid() == 0) argv = {"runuser", "-u", "nobody", "--"};
      argv.push_back(binary_);
      for (std::string a : args) {
        for (size_t p; (p = a.find("{port}")) != std::string::npos;)
          a.replace(p, 6, std::to_string(port_));
        argv.push_back(a);
      }
      const std::string log = absl::StrCat(dir_, "/server.log");
      pid_ = fork();
      if (pid_ < 0) return absl::UnavailableError("fork failed");
      if (pid_ == 0) {
        setpgid(0, 0);
        int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
          dup2(fd, 1);
          dup2(fd, 2);
        }
        if (chdir(dir_.c_str()) != 0) _exit(126);
        std::vector<char*> cargv;
        for (std::string& a : argv) cargv.push_back(a.data());
        cargv.push_back(nullptr);
        execvp(cargv[0], cargv.data());
        _exit(127);
      }
      setpgid(pid_, pid_);
      last = WaitReady(ready_path);
      if (last.ok()) return last;
      Stop();
    }
    return last;
  }

  // SIGTERM to the server's process group; SIGKILL after 10 s.
  void Stop() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGTERM);
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (absl::Now() > deadline) {
        kill(-pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    pid_ = -1;
  }

 private:
  TestServer(std::string binary, std::string dir)
      : binary_(std::move(binary)), dir_(std::move(dir)) {}

  static std::string As() {
    return geteuid() == 0 ? "runuser -u nobody -- " : "";
  }

  static int FreePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    int port = -1;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    close(fd);
    return port;
  }

  absl::Status WaitReady(const std::string& path) {
    auto transport = prometheus::NewCurlTransport();
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    std::string last = "no answer";
    while (absl::Now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return absl::UnavailableError(absl::StrCat(
            "TestServer: ", binary_, " exited; see ", dir_, "/server.log"));
      }
      absl::StatusOr<prometheus::HttpResponse> r =
          transport->Fetch(url() + path, "", "", absl::Seconds(2));
      if (r.ok() && r->status_code == 200) return absl::OkStatus();
      last = r.ok() ? absl::StrCat("HTTP ", r->status_code)
                    : std::string(r.status().message());
      absl::SleepFor(absl::Milliseconds(100));
    }
    return absl::DeadlineExceededError(
        absl::StrCat("TestServer: ", binary_, " not ready in 60 s (", last,
                     "); see ", dir_, "/server.log"));
  }

  std::string binary_;
  std::string dir_;
  int port_ = -1;
  pid_t pid_ = -1;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_PROMETHEUS_TEST_SERVER_H_
