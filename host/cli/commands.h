// The `ig` subcommands (see the table in command_line.cpp). Each gets its own
// arguments, global options already taken out, and returns the process exit code.
#pragma once

#include <string>
#include <vector>

#include "cli/cli_context.h"

namespace ig::host {

int cmd_gadgets(const CliContext& cli, const std::vector<std::string>& args);
int cmd_run(const CliContext& cli, const std::vector<std::string>& args);
int cmd_list(const CliContext& cli, const std::vector<std::string>& args);
int cmd_remove(const CliContext& cli, const std::vector<std::string>& args);
int cmd_attach(const CliContext& cli, const std::vector<std::string>& args);
int cmd_daemon(const CliContext& cli, const std::vector<std::string>& args);
int cmd_top(const CliContext& cli, const std::vector<std::string>& args);
int cmd_version(const CliContext& cli, const std::vector<std::string>& args);

// Print "ig: error: <message>" and return 1.
int fail(const std::string& message);

}  // namespace ig::host
