// Detached instances on disk: one TOML file per instance in <state_dir>/instances/,
// written atomically (temp file, fsync, rename, fsync dir).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <ig/result.h>

#include "runtime/instance_info.h"

namespace ig::host {

class StateStore {
 public:
  explicit StateStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  Result<void> prepare();  // create the directory (0700)
  Result<void> save(const InstanceSpec& instance);
  Result<void> remove(const InstanceId& id);

  struct Loaded {
    std::vector<InstanceSpec> instances;
    std::vector<std::string> warnings;  // files moved aside, one line each
  };
  // Every instance file; one that does not parse, or that is not a small regular file
  // of the daemon's own (a link, another user's, writable by others), is renamed to
  // *.broken. Temp files of a save a killed daemon never finished are deleted.
  Loaded load_all();
  // Move an instance's file aside to *.broken (e.g. its gadget is gone).
  std::string quarantine(const InstanceId& id, const std::string& reason);

  std::filesystem::path file_for(const InstanceId& id) const { return dir_ / (id.str() + ".toml"); }

 private:
  // Rename to *.broken; the warning line to log.
  static std::string move_aside(const std::filesystem::path& path, const std::string& reason);

  std::filesystem::path dir_;
};

// Parse one instance file's text; exposed for tests.
Result<InstanceSpec> parse_instance(const std::string& text, const std::string& source);
std::string render_instance(const InstanceSpec& instance);

}  // namespace ig::host
