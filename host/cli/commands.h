// The `ig` subcommands. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace ig::host {

int cmd_gadgets(const std::vector<std::string>& args);
int cmd_run(const std::vector<std::string>& args);
int cmd_version(const std::vector<std::string>& args);

// Print "ig: error: <message>" and return 1.
int fail(const std::string& message);

}  // namespace ig::host
