// Copyright 2026 The Sluice Authors.

#include "tools/hook_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

extern char** environ;

namespace sluice::cli {
namespace {

constexpr size_t kMaxOutput = 1 << 20;
constexpr size_t kErrorTail = 4096;

void SetNonBlocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Reads what `fd` has now; false at end of file or on an error.
bool Drain(int fd, std::string& into, bool keep_tail) {
  char buffer[4096];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n > 0) {
      into.append(buffer, static_cast<size_t>(n));
      if (keep_tail && into.size() > kErrorTail) {
        into.erase(0, into.size() - kErrorTail);
      } else if (!keep_tail && into.size() > kMaxOutput) {
        into.resize(kMaxOutput);
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    return false;  // EOF or error
  }
}

}  // namespace

std::string ShellQuote(absl::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

absl::StatusOr<std::string> ExpandHook(
    absl::string_view command,
    const std::map<std::string, std::string>& values) {
  if (absl::StripAsciiWhitespace(command).empty()) {
    return absl::InvalidArgumentError("hook: empty command");
  }
  std::string out;
  size_t i = 0;
  while (i < command.size()) {
    if (command[i] == '{') {
      size_t close = command.find('}', i + 1);
      if (close != absl::string_view::npos) {
        absl::string_view name = command.substr(i + 1, close - i - 1);
        bool known = false;
        for (const char* p : kHookPlaceholders) known |= (name == p);
        if (known) {
          auto it = values.find(std::string(name));
          if (it == values.end()) {
            return absl::InvalidArgumentError(absl::StrCat(
                "hook: placeholder {", name, "} has no value for this action"));
          }
          out += ShellQuote(it->second);
          i = close + 1;
          continue;
        }
      }
    }
    out += command[i];
    ++i;
  }
  return out;
}

std::string HookRun::Describe() const {
  if (timed_out) {
    return absl::StrCat("timed out after ", absl::FormatDuration(took));
  }
  if (signal != 0) return absl::StrCat("killed by signal ", signal);
  return absl::StrCat("exit ", exit_code);
}

absl::StatusOr<HookRun> RunHook(
    const std::string& command,
    const std::vector<std::pair<std::string, std::string>>& env,
    absl::string_view input, absl::Duration timeout) {
  if (timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "hook: timeout must be > 0 (got ", absl::FormatDuration(timeout), ")"));
  }
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { signal(SIGPIPE, SIG_IGN); });

  // The environment, built before fork (the child only calls
  // async-signal-safe functions).
  std::vector<std::string> env_strings;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    absl::string_view entry(*e);
    bool replaced = false;
    for (const auto& [k, v] : env) {
      if (entry.size() > k.size() && entry.substr(0, k.size()) == k &&
          entry[k.size()] == '=') {
        replaced = true;
      }
    }
    if (!replaced) env_strings.emplace_back(entry);
  }
  for (const auto& [k, v] : env) env_strings.push_back(absl::StrCat(k, "=", v));
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string shell = "/bin/sh", dash_c = "-c", cmd = command;
  char* argv[] = {shell.data(), dash_c.data(), cmd.data(), nullptr};

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0) {
    return absl::InternalError(absl::StrCat("hook: pipe: ", strerror(errno)));
  }
  if (pipe(out_pipe) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return absl::InternalError(absl::StrCat("hook: pipe: ", strerror(errno)));
  }
  if (pipe(err_pipe) != 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) {
      close(fd);
    }
    return absl::InternalError(absl::StrCat("hook: pipe: ", strerror(errno)));
  }
  const absl::Time start = absl::Now();
  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1],
                   err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    return absl::InternalError(absl::StrCat("hook: fork: ", strerror(errno)));
  }
  if (pid == 0) {
    // The child: its own process group (a timeout kills all of it, and a
    // terminal's ^C reaches the controller, which lets the hook finish).
    setpgid(0, 0);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1],
                   err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    execve(argv[0], argv, envp.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent: no race with kill(-pid)
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  int in_fd = in_pipe[1], out_fd = out_pipe[0], err_fd = err_pipe[0];
  SetNonBlocking(in_fd);
  SetNonBlocking(out_fd);
  SetNonBlocking(err_fd);
  if (input.empty()) CloseFd(in_fd);

  HookRun run;
  size_t written = 0;
  const absl::Time deadline = start + timeout;
  int status = 0;
  bool exited = false;
  while (!exited) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) {
      exited = true;
      break;
    }
    if (absl::Now() >= deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      run.timed_out = true;
      break;
    }
    std::vector<pollfd> fds;
    if (out_fd >= 0) fds.push_back({out_fd, POLLIN, 0});
    if (err_fd >= 0) fds.push_back({err_fd, POLLIN, 0});
    if (in_fd >= 0) fds.push_back({in_fd, POLLOUT, 0});
    // Short polls: the shell's exit is noticed by waitpid, not by EOF (a
    // background process may keep the pipes open).
    const int wait_ms = static_cast<int>(std::clamp<int64_t>(
        absl::ToInt64Milliseconds(deadline - absl::Now()), 0, 20));
    if (fds.empty()) {
      usleep(static_cast<useconds_t>(wait_ms) * 1000);
      continue;
    }
    int n = poll(fds.data(), fds.size(), wait_ms);
    if (n <= 0) continue;
    for (const pollfd& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == out_fd) {
        if (!Drain(out_fd, run.output, false)) CloseFd(out_fd);
      } else if (p.fd == err_fd) {
        if (!Drain(err_fd, run.error_tail, true)) CloseFd(err_fd);
      } else if (p.fd == in_fd) {
        ssize_t k =
            write(in_fd, input.data() + written, input.size() - written);
        if (k > 0) written += static_cast<size_t>(k);
        if ((k < 0 && errno != EAGAIN && errno != EINTR) ||
            written >= input.size()) {
          CloseFd(in_fd);
        }
      }
    }
  }
  // What the shell wrote before it exited.
  if (out_fd >= 0) Drain(out_fd, run.output, false);
  if (err_fd >= 0) Drain(err_fd, run.error_tail, true);
  CloseFd(in_fd);
  CloseFd(out_fd);
  CloseFd(err_fd);
  run.took = absl::Now() - start;
  if (!run.timed_out) {
    if (WIFEXITED(status)) {
      run.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      run.signal = WTERMSIG(status);
    }
  }
  return run;
}

std::vector<HookOutcome> ParseHookOutcomes(
    const HookRun& run, const std::vector<std::string>& targets) {
  std::map<std::string, HookOutcome> reported;
  for (absl::string_view line : absl::StrSplit(run.output, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    std::vector<absl::string_view> words =
        absl::StrSplit(line, absl::MaxSplits(' ', 3), absl::SkipEmpty());
    if (words.size() < 3 || words[0] != "target") continue;
    HookOutcome o;
    o.target = std::string(words[1]);
    if (words[2] == "ok") {
      o.ok = true;
    } else if (words[2] == "failed") {
      o.ok = false;
      o.reason = words.size() > 3
                     ? std::string(absl::StripAsciiWhitespace(words[3]))
                     : "";
      if (o.reason.empty()) o.reason = "failed (no reason given)";
    } else {
      continue;
    }
    reported[o.target] = o;
  }
  std::vector<HookOutcome> out;
  for (const std::string& t : targets) {
    auto it = reported.find(t);
    if (it != reported.end()) {
      out.push_back(it->second);
      continue;
    }
    HookOutcome o;
    o.target = t;
    o.ok = run.ok();
    if (!o.ok) o.reason = absl::StrCat("hook ", run.Describe());
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace sluice::cli
