// Where the daemon lives and what it loads: defaults < config file < command line.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <ig/result.h>

namespace ig::host {

struct Config {
  std::filesystem::path socket = "/run/ig/ig.sock";
  std::filesystem::path pid_file = "/run/ig/ig.pid";
  std::filesystem::path state_dir = "/var/lib/ig";
  std::vector<std::filesystem::path> plugin_dirs;  // empty: the built-in search path
  bool enable_bpfstats = false;
  // The Prometheus endpoint's "ADDR:PORT"; empty: off. [metrics] listen = "...", or
  // [metrics] enabled = true for 127.0.0.1:2224; `ig daemon --metrics-listen` wins.
  std::string metrics_listen;
  std::filesystem::path file;  // the config file that was read, if any

  std::filesystem::path instances_dir() const { return state_dir / "instances"; }
  // Where a daemon that a command starts writes its output: beside its pid file and
  // named after it (/run/ig/ig.pid: /run/ig/ig.log). A pid file is one daemon's, so
  // two daemons never share a log, wherever their sockets and pid files are.
  std::filesystem::path daemon_log() const {
    std::filesystem::path log = pid_file;
    if (log.extension() == ".pid") log.replace_extension();
    return log += ".log";
  }
};

// The config file to read: `explicit_path` if given, else $IG_CONFIG, else
// /etc/ig/config.toml when it exists (empty path: none).
std::filesystem::path config_file_path(const std::filesystem::path& explicit_path);

// Read `file` over the defaults. Unknown keys are warnings; a wrong type or a file
// that does not parse is an error naming the key or the line.
Result<Config> load_config(const std::filesystem::path& file);
// The same for a file's text; `file` names it in errors and becomes Config::file.
Result<Config> parse_config(std::string_view text, const std::filesystem::path& file);

}  // namespace ig::host
