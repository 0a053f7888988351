// Copyright 2026 The Sluice Authors.
//
// Command hooks for `sluice run` (tools/cmd_run.cc): the reference
// controller's transport runs one shell command per action.
//
// A hook is a command template such as
//
//   deploy.sh --version {version} --hosts {targets} --wave {wave}
//
// ExpandHook() substitutes the placeholders {version}, {targets} (target ids
// joined by commas), {wave}, {action_id}, {rollout}, {kind} and {percent},
// each value single-quoted for /bin/sh, so a value never splits into words
// or runs as code (write {targets}, not '{targets}'). Other text, including
// shell syntax such as ${HOME}, is left as it is.
//
// RunHook() runs the command with /bin/sh -c in a process group of its own,
// with extra environment variables (SLUICE_ACTION_ID, ...) and standard
// input, and kills the whole group (SIGKILL) when it outlives its timeout.
// It returns when the shell exits (a background process the hook leaves
// behind is not waited for and keeps running; redirect its output).
//
// ParseHookOutcomes() turns the hook's exit status and the result lines on
// its standard output into per-target outcomes:
//
//   target <id> ok
//   target <id> failed <reason...>
//
// A target without a result line gets the exit status (0: ok; otherwise
// failed, with the status as the reason); other lines are ignored.

#ifndef SLUICE_TOOLS_HOOK_RUNNER_H_
#define SLUICE_TOOLS_HOOK_RUNNER_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace sluice::cli {

// `value` quoted for /bin/sh: in single quotes, a single quote written as
// '\''. The empty string is ''.
std::string ShellQuote(absl::string_view value);

// The placeholders ExpandHook() knows.
inline constexpr const char* kHookPlaceholders[] = {
    "version", "targets", "wave", "action_id", "rollout", "kind", "percent"};

// `command` with each "{name}" of `values` replaced by ShellQuote(value).
// Errors: kInvalidArgument "hook: empty command" for an empty command, and
// "hook: placeholder {name} has no value for this action" for a known
// placeholder (kHookPlaceholders) missing from `values`.
absl::StatusOr<std::string> ExpandHook(
    absl::string_view command,
    const std::map<std::string, std::string>& values);

// What one run of a hook did. Value type.
struct HookRun {
  // The exit status; -1 when a signal ended it (then `signal` says which)
  // or it timed out. Default: -1.
  int exit_code = -1;
  // The signal that ended the shell, or 0. Default: 0.
  int signal = 0;
  // True when it was killed for outliving its timeout. Default: false.
  bool timed_out = false;
  // Its standard output (at most the first 1 MiB). Default: empty.
  std::string output;
  // The last 4 KiB of its standard error. Default: empty.
  std::string error_tail;
  // How long it ran. Default: zero.
  absl::Duration took;

  // "exit 0", "exit 3", "killed by signal 9", "timed out after 30s".
  std::string Describe() const;
  // exit_code == 0.
  bool ok() const { return exit_code == 0; }
};

// Runs `command` with /bin/sh -c in a new process group, with `env` added to
// this process's environment and `input` on its standard input, and waits
// for the shell to exit, at most `timeout` (then SIGKILL to the group).
// Errors: kInvalidArgument for a timeout <= 0; kInternal when the process
// cannot be started (pipe, fork). A command that fails is not an error:
// see HookRun. Ignores SIGPIPE in this process (once), so that a hook that
// does not read its input cannot kill the caller. Thread-safe.
absl::StatusOr<HookRun> RunHook(
    const std::string& command,
    const std::vector<std::pair<std::string, std::string>>& env,
    absl::string_view input, absl::Duration timeout);

// One target's outcome as a hook reported it. Value type.
struct HookOutcome {
  // The target id. Default: empty.
  std::string target;
  // Default: true.
  bool ok = true;
  // Why it failed. Default: empty.
  std::string reason;

  friend bool operator==(const HookOutcome& a, const HookOutcome& b) {
    return a.target == b.target && a.ok == b.ok && a.reason == b.reason;
  }
};

// The outcome of every target of `targets` (in that order) from `run`: a
// result line's where there is one (the last, if several), else the exit
// status's. Result lines for targets not in `targets` are ignored. A
// failed line without a reason gets "failed (no reason given)".
std::vector<HookOutcome> ParseHookOutcomes(
    const HookRun& run, const std::vector<std::string>& targets);

}  // namespace sluice::cli

#endif  // SLUICE_TOOLS_HOOK_RUNNER_H_
