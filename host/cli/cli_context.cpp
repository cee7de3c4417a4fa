#include "cli/cli_context.h"

#include <cstdlib>
#include <sstream>

namespace fs = std::filesystem;

namespace ig::host {

const char* const kGlobalOptionsHelp =
    "Global options (before the command; each overrides /etc/ig/config.toml or $IG_CONFIG):\n"
    "  --config FILE      read this config file\n"
    "  --socket PATH      the daemon's control socket (default /run/ig/ig.sock)\n"
    "  --pid-file PATH    the daemon's pid file (default /run/ig/ig.pid)\n"
    "  --state-dir DIR    where detached instances persist (default /var/lib/ig)\n"
    "  --plugin-dir DIR   look for plugins here (repeatable; replaces the built-in path)\n";

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

Result<CliContext> parse_global_options(std::vector<std::string>& args) {
  fs::path config_file, socket, pid_file, state_dir;
  std::vector<fs::path> plugin_dirs;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    fs::path* target = a == "--config"     ? &config_file
                       : a == "--socket"   ? &socket
                       : a == "--pid-file" ? &pid_file
                       : a == "--state-dir" ? &state_dir
                                            : nullptr;
    bool plugin_dir = a == "--plugin-dir";
    if (!target && !plugin_dir) break;
    if (i + 1 >= args.size() || args[i + 1].empty())
      return make_error("option '" + a + "' needs a value; see 'ig --help'");
    if (target)
      *target = args[++i];
    else
      plugin_dirs.emplace_back(args[++i]);
  }
  args.erase(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(i));

  auto config = load_config(config_file_path(config_file));
  if (!config) return config.error();
  CliContext cli{config.value(), {"ig"}, {}};
  if (const char* env = std::getenv("IG_PLUGIN_PATH"); env && *env) {
    std::stringstream in(env);
    for (std::string dir; std::getline(in, dir, ':');)
      if (!dir.empty()) cli.env_plugin_dirs.push_back(fs::absolute(dir).lexically_normal());
  }
  if (!socket.empty()) cli.config.socket = fs::absolute(socket);
  if (!pid_file.empty()) cli.config.pid_file = fs::absolute(pid_file);
  if (!state_dir.empty()) cli.config.state_dir = fs::absolute(state_dir);
  if (!plugin_dirs.empty()) {
    cli.config.plugin_dirs.clear();
    for (const fs::path& dir : plugin_dirs) cli.config.plugin_dirs.push_back(fs::absolute(dir));
  }
  // The daemon we may start gets exactly the settings we resolved.
  auto& cmd = cli.daemon_command;
  if (!cli.config.file.empty()) cmd.insert(cmd.end(), {"--config", cli.config.file.string()});
  cmd.insert(cmd.end(), {"--socket", cli.config.socket.string(), "--pid-file", cli.config.pid_file.string(),
                         "--state-dir", cli.config.state_dir.string()});
  for (const fs::path& dir : cli.config.plugin_dirs) cmd.insert(cmd.end(), {"--plugin-dir", dir.string()});
  cmd.push_back("daemon");
  return cli;
}

}  // namespace ig::host
