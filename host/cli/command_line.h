// `ig [global options] COMMAND [command options]`: the command table, and the split of
// a command line into global options, the command, and the command's own arguments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options/variables_map.hpp>

#include <ig/result.h>

#include "cli/cli_context.h"

namespace ig::host {

struct Command {
  std::string_view name;
  std::vector<std::string_view> aliases = {};
  std::string_view synopsis;  // left column of `ig --help`
  std::string_view summary;
  // Also takes the global options after its name: `ig daemon --socket X` as well as
  // `ig --socket X daemon`.
  bool takes_global_options = false;
  int (*run)(const CliContext& cli, const std::vector<std::string>& args) = nullptr;
};

const std::vector<Command>& commands();

struct CommandLine {
  boost::program_options::variables_map globals;  // see global_options.h
  bool help = false;                               // `ig --help`, `ig -h`, `ig help`
  const Command* command = nullptr;                // set unless `help`
  std::vector<std::string> args;                   // the command's own, in order
};

// The program_options parser reads global options up to the first word, which names
// the command; everything after it belongs to the command.
Result<CommandLine> split_command_line(const std::vector<std::string>& args);

// `ig --help`.
std::string usage_text();

}  // namespace ig::host
