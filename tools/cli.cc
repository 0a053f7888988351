// Copyright 2026 The Sluice Authors.

#include "tools/cli.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "sluice/rollout_proto.h"

namespace sluice::cli {
namespace {

std::vector<Command>& Registry() {
  static auto* registry = new std::vector<Command>();
  return *registry;
}

const Command* FindCommand(absl::string_view name) {
  for (const Command& c : Registry()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

void PrintHelp(std::ostream& out) {
  out << "sluice: plan, check and simulate progressive rollouts.\n\n"
         "Usage: sluice COMMAND [ARGS...]\n\nCommands:\n";
  std::vector<Command> commands = Registry();
  std::sort(commands.begin(), commands.end(),
            [](const Command& a, const Command& b) {
              return absl::string_view(a.name) < absl::string_view(b.name);
            });
  for (const Command& c : commands) {
    out << absl::StrFormat("  %-9s %s\n", c.name, c.summary);
    out << absl::StrFormat("  %-9s   sluice %s %s\n", "", c.name, c.usage);
  }
  out << "  help      Print this help (or `sluice help COMMAND`).\n\n"
         "Exit codes: 0 success; 1 invalid input or a failed check; 2 a "
         "wrong command line.\n";
}

}  // namespace

bool RegisterCommand(const Command& command) {
  Registry().push_back(command);
  return true;
}

std::optional<std::string> ParsedArgs::Flag(absl::string_view name) const {
  auto it = flags.find(std::string(name));
  if (it == flags.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<ParsedArgs> ParseArgs(
    const std::vector<std::string>& args,
    const std::vector<std::string>& value_flags,
    const std::vector<std::string>& bool_flags) {
  ParsedArgs parsed;
  auto is_in = [](const std::vector<std::string>& list, absl::string_view s) {
    return std::find(list.begin(), list.end(), s) != list.end();
  };
  bool only_positional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_positional || !absl::StartsWith(arg, "--")) {
      parsed.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (is_in(value_flags, name)) {
      if (!value.has_value()) {
        if (i + 1 >= args.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat(name, ": needs a value"));
        }
        value = args[++i];
      }
    } else if (is_in(bool_flags, name)) {
      if (value.has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ": takes no value"));
      }
      value = "true";
    } else {
      return absl::InvalidArgumentError(absl::StrCat(name, ": unknown flag"));
    }
    if (!parsed.flags.emplace(name, *value).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": given more than once"));
    }
  }
  return parsed;
}

absl::StatusOr<std::vector<std::string>> TakeListFlag(
    std::vector<std::string>& args, absl::string_view flag) {
  std::vector<std::string> values, rest;
  const std::string with_value = absl::StrCat(flag, "=");
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") {
      rest.insert(rest.end(), args.begin() + i, args.end());
      break;
    }
    if (absl::StartsWith(args[i], with_value)) {
      values.push_back(args[i].substr(with_value.size()));
      continue;
    }
    if (args[i] != flag) {
      rest.push_back(args[i]);
      continue;
    }
    size_t taken = 0;
    while (i + 1 < args.size() && !absl::StartsWith(args[i + 1], "--")) {
      values.push_back(args[++i]);
      ++taken;
    }
    if (taken == 0) {
      return absl::InvalidArgumentError(absl::StrCat(flag, ": needs a value"));
    }
  }
  args = std::move(rest);
  return values;
}

int UsageError(const CommandContext& context, absl::string_view command,
               absl::string_view message) {
  const Command* c = FindCommand(command);
  context.err << "sluice " << command << ": " << message << "\n";
  if (c != nullptr) {
    context.err << "usage: sluice " << c->name << " " << c->usage << "\n";
  }
  return kExitUsage;
}

int Fail(const CommandContext& context, absl::string_view where,
         const absl::Status& status) {
  context.err << "error: ";
  if (!where.empty()) context.err << where << ": ";
  context.err << status.message() << "\n";
  return kExitFailure;
}

bool LooksLikePhasedSpec(const absl::Status& as_spec) {
  // The text format quotes the unknown field's name; JSON names it before
  // "Cannot find field".
  const absl::string_view message = as_spec.message();
  for (absl::string_view sign :
       {"\"phases\"", "\"bake_between_phases\"", " phases: Cannot find field",
        " bake_between_phases: Cannot find field",
        " bakeBetweenPhases: Cannot find field"}) {
    if (message.find(sign) != absl::string_view::npos) return true;
  }
  return false;
}

std::optional<int64_t> IntFlag(const CommandContext& context,
                               absl::string_view command,
                               const ParsedArgs& args, absl::string_view flag,
                               int64_t fallback, int64_t min, int* exit_code) {
  std::optional<std::string> text = args.Flag(flag);
  if (!text.has_value()) return fallback;
  int64_t value = 0;
  if (!absl::SimpleAtoi(*text, &value)) {
    *exit_code = UsageError(
        context, command,
        absl::StrCat(flag, ": must be an integer (got \"", *text, "\")"));
    return std::nullopt;
  }
  if (value < min) {
    *exit_code = UsageError(
        context, command,
        absl::StrCat(flag, ": must be >= ", min, " (got ", value, ")"));
    return std::nullopt;
  }
  return value;
}

std::optional<uint64_t> UintFlag(const CommandContext& context,
                                 absl::string_view command,
                                 const ParsedArgs& args, absl::string_view flag,
                                 uint64_t fallback, int* exit_code) {
  std::optional<std::string> text = args.Flag(flag);
  if (!text.has_value()) return fallback;
  uint64_t value = 0;
  if (!absl::SimpleAtoi(*text, &value)) {
    *exit_code =
        UsageError(context, command,
                   absl::StrCat(flag, ": must be an unsigned integer (got \"",
                                *text, "\")"));
    return std::nullopt;
  }
  return value;
}

std::optional<double> DoubleFlag(const CommandContext& context,
                                 absl::string_view command,
                                 const ParsedArgs& args, absl::string_view flag,
                                 double fallback, double min, double max,
                                 int* exit_code) {
  std::optional<std::string> text = args.Flag(flag);
  if (!text.has_value()) return fallback;
  double value = 0;
  if (!absl::SimpleAtod(*text, &value) || !std::isfinite(value)) {
    *exit_code = UsageError(
        context, command,
        absl::StrCat(flag, ": must be a number (got \"", *text, "\")"));
    return std::nullopt;
  }
  if (!(value >= min && value <= max)) {
    *exit_code = UsageError(context, command,
                            absl::StrCat(flag, ": must be in [", min, ", ", max,
                                         "] (got ", value, ")"));
    return std::nullopt;
  }
  return value;
}

int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, bool err_is_terminal) {
  if (args.empty() || args[0] == "help" || args[0] == "--help" ||
      args[0] == "-h") {
    if (args.size() >= 2) {
      const Command* c = FindCommand(args[1]);
      if (c == nullptr) {
        err << "sluice help: unknown command \"" << args[1] << "\"\n";
        return kExitUsage;
      }
      out << c->summary << "\nusage: sluice " << c->name << " " << c->usage
          << "\n";
      return kExitOk;
    }
    PrintHelp(out);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const Command* command = FindCommand(args[0]);
  if (command == nullptr) {
    err << "sluice: unknown command \"" << args[0]
        << "\" (see `sluice help`)\n";
    return kExitUsage;
  }
  CommandContext context{std::vector<std::string>(args.begin() + 1, args.end()),
                         out, err, err_is_terminal};
  return command->run(context);
}

absl::StatusOr<std::vector<RolloutEvent>> ReadEventsFile(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::vector<RolloutEvent> events;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || absl::StartsWith(text, "#")) continue;
    absl::StatusOr<RolloutEvent> event = EventFromJsonLine(text);
    if (!event.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": line ", number, ": ", event.status().message()));
    }
    events.push_back(*std::move(event));
  }
  if (events.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no events"));
  }
  return events;
}

}  // namespace sluice::cli
