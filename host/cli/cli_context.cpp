#include "cli/cli_context.h"

#include <cstdlib>
#include <sstream>

#include "cli/global_options.h"

namespace fs = std::filesystem;

namespace ig::host {

PluginCatalog CliContext::catalog() const {
  std::vector<fs::path> dirs = env_plugin_dirs;
  auto rest = config.plugin_dirs.empty() ? PluginCatalog::default_dirs() : config.plugin_dirs;
  dirs.insert(dirs.end(), rest.begin(), rest.end());
  return PluginCatalog(dirs);
}

bool CliContext::from_env_path(const LoadedPlugin& plugin) const {
  for (const fs::path& dir : env_plugin_dirs)
    if (plugin.path.parent_path() == dir) return true;
  return false;
}

CliContext make_cli_context(Config config) {
  CliContext cli{std::move(config), {"ig"}, {}};
  if (const char* env = std::getenv("IG_PLUGIN_PATH"); env && *env) {
    std::stringstream in(env);
    for (std::string dir; std::getline(in, dir, ':');)
      if (!dir.empty()) cli.env_plugin_dirs.push_back(fs::absolute(dir).lexically_normal());
  }
  // The daemon we may start gets exactly the settings we resolved.
  auto globals = global_arguments(cli.config);
  cli.daemon_command.insert(cli.daemon_command.end(), globals.begin(), globals.end());
  cli.daemon_command.push_back("daemon");
  return cli;
}

}  // namespace ig::host
