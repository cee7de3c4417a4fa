#include "daemon/config.h"

#include <cstdlib>
#include <optional>
#include <set>
#include <sstream>

#include "common/log.h"
#include "common/toml_parse.h"

namespace fs = std::filesystem;

namespace ig::host {

fs::path config_file_path(const fs::path& explicit_path) {
  if (!explicit_path.empty()) return explicit_path;
  if (const char* env = std::getenv("IG_CONFIG"); env && *env) return env;
  std::error_code ec;
  if (fs::exists("/etc/ig/config.toml", ec)) return "/etc/ig/config.toml";
  return {};
}

namespace {

Result<Config> not_parsed(const fs::path& file, const toml::parse_error& e) {
  std::ostringstream where;
  where << e.source().begin.line;
  return make_error("config '" + file.string() + "' line " + where.str() + ": " + std::string(e.description()) +
                    "; fix the file or point IG_CONFIG elsewhere");
}

// The settings in a parsed file, over the defaults.
Result<Config> from_table(const toml::table& table, const fs::path& file) {
  Config config;
  config.file = fs::absolute(file);
  auto wrong_type = [&](const std::string& key, const char* expected) {
    return make_error("config '" + file.string() + "': '" + key + "' must be " + expected);
  };
  static const std::set<std::string> known = {"socket", "pid_file", "state_dir", "plugin_dirs", "enable_bpfstats",
                                              "metrics"};
  for (const auto& [key, value] : table)
    if (!known.count(std::string(key.str())))
      log(LogLevel::Warning, "config '" + file.string() + "': unknown key '" + std::string(key.str()) + "', ignoring");

  for (auto [key, target] : {std::pair{"socket", &config.socket}, std::pair{"pid_file", &config.pid_file},
                             std::pair{"state_dir", &config.state_dir}}) {
    if (!table.contains(key)) continue;
    auto value = table[key].value<std::string>();
    if (!value || value->empty()) return wrong_type(key, "a non-empty string path");
    *target = *value;
  }
  if (table.contains("plugin_dirs")) {
    const toml::array* dirs = table["plugin_dirs"].as_array();
    if (!dirs) return wrong_type("plugin_dirs", "an array of paths");
    for (const auto& dir : *dirs) {
      auto path = dir.value<std::string>();
      if (!path) return wrong_type("plugin_dirs", "an array of paths");
      config.plugin_dirs.emplace_back(*path);
    }
  }
  if (table.contains("enable_bpfstats")) {
    auto value = table["enable_bpfstats"].value<bool>();
    if (!value) return wrong_type("enable_bpfstats", "true or false");
    config.enable_bpfstats = *value;
  }
  if (table.contains("metrics")) {
    const toml::table* metrics = table["metrics"].as_table();
    if (!metrics) return wrong_type("metrics", "a table ([metrics] with listen = \"ADDR:PORT\")");
    for (const auto& [key, value] : *metrics)
      if (key.str() != "listen" && key.str() != "enabled")
        log(LogLevel::Warning,
            "config '" + file.string() + "': unknown key 'metrics." + std::string(key.str()) + "', ignoring");
    std::optional<bool> enabled;
    if (metrics->contains("enabled")) {
      enabled = (*metrics)["enabled"].value<bool>();
      if (!enabled) return wrong_type("metrics.enabled", "true or false");
    }
    if (metrics->contains("listen")) {
      auto listen = (*metrics)["listen"].value<std::string>();
      if (!listen || listen->empty()) return wrong_type("metrics.listen", "a non-empty \"ADDR:PORT\" string");
      config.metrics_listen = *listen;
    } else if (enabled.value_or(false)) {
      config.metrics_listen = "127.0.0.1:2224";
    }
    if (enabled && !*enabled) config.metrics_listen.clear();
  }
  return config;
}

}  // namespace

Result<Config> load_config(const fs::path& file) {
  if (file.empty()) return Config();
  try {
    return from_table(parse_toml_file(file.string()), file);
  } catch (const toml::parse_error& e) {
    return not_parsed(file, e);
  }
}

Result<Config> parse_config(std::string_view text, const fs::path& file) {
  try {
    return from_table(parse_toml(text, file.string()), file);
  } catch (const toml::parse_error& e) {
    return not_parsed(file, e);
  }
}

}  // namespace ig::host
