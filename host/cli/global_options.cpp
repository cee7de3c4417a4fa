#include "cli/global_options.h"

#include <array>

#include "cli/command_options.h"

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace ig::host {
namespace {

using Lands = GlobalOption::Lands;

const std::array<GlobalOption, 5> kGlobalOptions = {{
    {"config", "FILE", "read this config file", Lands::ConfigFile, &Config::file},
    {"socket", "PATH", "the daemon's control socket (default /run/ig/ig.sock)", Lands::Path, &Config::socket},
    {"pid-file", "PATH", "the daemon's pid file (default /run/ig/ig.pid)", Lands::Path, &Config::pid_file},
    {"state-dir", "DIR", "where detached instances persist (default /var/lib/ig)", Lands::Path, &Config::state_dir},
    {"plugin-dir", "DIR", "look for plugins here (repeatable; replaces the built-in path)", Lands::PathList, nullptr,
     &Config::plugin_dirs},
}};

const std::vector<std::string>& values(const po::variables_map& given, std::string_view name) {
  static const std::vector<std::string> none;
  auto it = given.find(std::string(name));
  return it == given.end() ? none : it->second.as<std::vector<std::string>>();
}

}  // namespace

std::span<const GlobalOption> global_options() { return kGlobalOptions; }

po::options_description global_options_description() {
  po::options_description d("Global options (before the command; each overrides /etc/ig/config.toml or $IG_CONFIG)",
                            kHelpLineLength);
  for (const GlobalOption& option : kGlobalOptions)
    d.add_options()(std::string(option.name).c_str(),
                    po::value<std::vector<std::string>>()->composing()->value_name(std::string(option.value_name)),
                    std::string(option.help).c_str());
  return d;
}

Result<void> check_global_values(const po::variables_map& given) {
  for (const GlobalOption& option : kGlobalOptions)
    for (const std::string& value : values(given, option.name))
      if (value.empty()) return make_error("option '--" + std::string(option.name) + "' needs a value; see 'ig --help'");
  return {};
}

Result<Config> resolve_config(const po::variables_map& given) {
  fs::path file;
  for (const GlobalOption& option : kGlobalOptions)
    if (option.lands == Lands::ConfigFile && !values(given, option.name).empty())
      file = values(given, option.name).back();
  auto config = load_config(config_file_path(file));
  if (!config) return config.error();
  for (const GlobalOption& option : kGlobalOptions) {
    const auto& given_values = values(given, option.name);
    if (given_values.empty()) continue;
    if (option.lands == Lands::Path) config.value().*option.path = fs::absolute(given_values.back());
    if (option.lands == Lands::PathList) {
      auto& list = config.value().*option.paths;
      list.clear();
      for (const std::string& value : given_values) list.push_back(fs::absolute(value));
    }
  }
  return config;
}

std::vector<std::string> global_arguments(const Config& config) {
  std::vector<std::string> args;
  auto add = [&](const GlobalOption& option, const fs::path& value) {
    if (!value.empty()) args.insert(args.end(), {"--" + std::string(option.name), value.string()});
  };
  for (const GlobalOption& option : kGlobalOptions)
    if (option.lands == Lands::PathList)
      for (const fs::path& dir : config.*option.paths) add(option, dir);
    else
      add(option, config.*option.path);
  return args;
}

}  // namespace ig::host
