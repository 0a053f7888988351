// Copyright 2026 The Sluice Authors.
//
// The `sluice` command-line program's framework: subcommands register
// themselves with SLUICE_CLI_COMMAND in their own tools/cmd_*.cc file, and
// RunCli() dispatches. Commands write to the streams they are given, so tests
// run them in-process (tests/tools/).

#ifndef SLUICE_TOOLS_CLI_H_
#define SLUICE_TOOLS_CLI_H_

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sluice/rollout_event.h"

namespace sluice {
class RolloutStore;
}  // namespace sluice

namespace sluice::cli {

// Exit codes of the `sluice` program.
enum ExitCode : int {
  kExitOk = 0,
  // The input was read but is invalid, or the work failed (e.g. a rollout
  // policy that failed its check).
  kExitFailure = 1,
  // The command line itself is wrong (unknown command or flag, missing
  // argument).
  kExitUsage = 2,
};

// What a command receives.
struct CommandContext {
  // The arguments after the command name.
  std::vector<std::string> args;
  // Standard output and error.
  std::ostream& out;
  std::ostream& err;
  // Whether standard error is a terminal (for progress bars).
  bool err_is_terminal = false;
};

// One subcommand.
struct Command {
  // The name typed after `sluice`, e.g. "validate".
  const char* name;
  // The argument synopsis, e.g. "SPEC [--fleet FLEET]".
  const char* usage;
  // One line for `sluice help`.
  const char* summary;
  // Runs the command and returns its exit code.
  int (*run)(CommandContext& context);
};

// Adds `command` to the registry; returns true. Used by SLUICE_CLI_COMMAND.
bool RegisterCommand(const Command& command);

// Registers a command at static-initialization time.
#define SLUICE_CLI_COMMAND(ident, name, usage, summary, fn) \
  static const bool sluice_cli_registered_##ident =         \
      ::sluice::cli::RegisterCommand({name, usage, summary, fn})

// Runs `sluice ARGS...` (args excludes the program name); returns the exit
// code.
int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, bool err_is_terminal = false);

// Parsed command-line arguments: positional arguments in order, and flags.
struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;

  // The flag's value, or nullopt.
  std::optional<std::string> Flag(absl::string_view name) const;
};

// Splits `args` into positional arguments and flags. `value_flags` take a
// value ("--fleet F" or "--fleet=F"); `bool_flags` take none. Unknown flags,
// missing values and repeated flags are kInvalidArgument naming the flag.
absl::StatusOr<ParsedArgs> ParseArgs(
    const std::vector<std::string>& args,
    const std::vector<std::string>& value_flags,
    const std::vector<std::string>& bool_flags);

// Removes from `args` every occurrence of the list flag `flag` with the
// values that follow it ("--history a.csv b.csv --runs 5" gives {"a.csv",
// "b.csv"} and leaves "--runs 5"; "--history=a.csv" gives one value) and
// returns the values in order. Errors: kInvalidArgument "--history: needs
// a value" when none follows.
absl::StatusOr<std::vector<std::string>> TakeListFlag(
    std::vector<std::string>& args, absl::string_view flag);

// Prints "sluice NAME: usage: sluice NAME USAGE" and the error to `err`;
// returns kExitUsage.
int UsageError(const CommandContext& context, absl::string_view command,
               absl::string_view message);

// Prints "error: WHERE: MESSAGE" (or "error: MESSAGE" when `where` is
// empty) to `err`; returns kExitFailure.
int Fail(const CommandContext& context, absl::string_view where,
         const absl::Status& status);

// Whether `as_spec`, the error of RolloutSpec::LoadFile() on a file, says
// the file is a phased spec (sluice.v1.PhasedRolloutSpec,
// sluice/phased_rollout.h): it names the field `phases` or
// `bake_between_phases`, which a RolloutSpec lacks. Then `validate`, `plan`
// and `simulate` read the file as a phased spec.
bool LooksLikePhasedSpec(const absl::Status& as_spec);

// A numeric flag of `command`: `fallback` when absent; nullopt after a
// usage error ("--runs: must be an integer (got \"x\")", "--runs: must be
// >= 1 (got 0)", "--alpha: must be in [0, 1] (got 2)") with *exit_code set
// to kExitUsage.
std::optional<int64_t> IntFlag(const CommandContext& context,
                               absl::string_view command,
                               const ParsedArgs& args, absl::string_view flag,
                               int64_t fallback, int64_t min, int* exit_code);
std::optional<uint64_t> UintFlag(const CommandContext& context,
                                 absl::string_view command,
                                 const ParsedArgs& args, absl::string_view flag,
                                 uint64_t fallback, int* exit_code);
std::optional<double> DoubleFlag(const CommandContext& context,
                                 absl::string_view command,
                                 const ParsedArgs& args, absl::string_view flag,
                                 double fallback, double min, double max,
                                 int* exit_code);

// Reads a file of events as JSON lines, one sluice.v1.Event per line (the
// proto3 JSON mapping, as sluice::EventToJsonLine() writes it; field names
// in snake_case or lowerCamelCase); blank lines and lines starting with '#'
// are skipped. Errors name the file and the line ("events.jsonl: line 3:
// ..."), or say it "cannot open" or has "no events".
absl::StatusOr<std::vector<RolloutEvent>> ReadEventsFile(
    const std::string& path);

// Opens the rollout store at `url` (tools/cmd_store.cc): sqlite:PATH,
// postgres://... or postgresql://...; kInvalidArgument for another URL,
// kFailedPrecondition for a store this build lacks.
absl::StatusOr<std::unique_ptr<RolloutStore>> OpenStore(const std::string& url);

}  // namespace sluice::cli

#endif  // SLUICE_TOOLS_CLI_H_
