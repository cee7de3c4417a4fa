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

  // $IG_PLUGIN_PATH (colon-separated) of this command, searched before the rest.
  std::vector<std::filesystem::path> env_plugin_dirs;

  // Search order: $IG_PLUGIN_PATH, then plugin_dirs from config/--plugin-dir, else the
  // built-in dirs.
  PluginCatalog catalog() const;
  // True when `plugin` was found through $IG_PLUGIN_PATH: the daemon does not search
  // those dirs, so the client hands it the file itself.
  bool from_env_path(const LoadedPlugin& plugin) const;
};

// Consume ig's global options from the front of `args` (--config, --socket,
// --pid-file, --state-dir, --plugin-dir) and resolve the configuration.
Result<CliContext> parse_global_options(std::vector<std::string>& args);

// Text for `ig --help`.
extern const char* const kGlobalOptionsHelp;

}  // namespace ig::host
