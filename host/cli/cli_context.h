// What every command knows: the resolved configuration, and how to start a daemon
// with the same settings.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <ig/result.h>

#include "daemon/config.h"
#include "loader/plugin_loader.h"

namespace ig::host {

struct CliContext {
  Config config;
  std::vector<std::string> daemon_command;  // argv for `ig ... daemon`

  PluginCatalog catalog() const {
    return PluginCatalog(config.plugin_dirs.empty() ? PluginCatalog::default_dirs() : config.plugin_dirs);
  }
};

// Consume ig's global options from the front of `args` (--config, --socket,
// --pid-file, --state-dir, --plugin-dir) and resolve the configuration.
Result<CliContext> parse_global_options(std::vector<std::string>& args);

// Text for `ig --help`.
extern const char* const kGlobalOptionsHelp;

}  // namespace ig::host
