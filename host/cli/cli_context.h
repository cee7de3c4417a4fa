// What every command knows: the resolved configuration, and how to start a daemon
// with the same settings.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

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

// The context of a command run with `config` (see resolve_config in global_options.h).
CliContext make_cli_context(Config config);

}  // namespace ig::host
