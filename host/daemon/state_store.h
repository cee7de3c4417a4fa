// Detached instances on disk: one TOML file per instance in <state_dir>/instances/,
// written atomically (temp file, fsync, rename, fsync dir).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <ig/result.h>

namespace ig::host {

struct PersistedInstance {
  std::string id;
  std::string name;
  std::string gadget;  // a gadget name, or an absolute plugin path
  std::map<std::string, std::string> params;
  std::int64_t created = 0;  // unix seconds
};

class StateStore {
 public:
  explicit StateStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  Result<void> prepare();  // create the directory (0700)
  Result<void> save(const PersistedInstance& instance);
  Result<void> remove(const std::string& id);

  struct Loaded {
    std::vector<PersistedInstance> instances;
    std::vector<std::string> warnings;  // files moved aside, one line each
  };
  // Every instance file; one that does not parse is renamed to *.broken.
  Loaded load_all();
  // Move an instance's file aside to *.broken (e.g. its gadget is gone).
  std::string quarantine(const std::string& id, const std::string& reason);

  std::filesystem::path file_for(const std::string& id) const { return dir_ / (id + ".toml"); }

 private:
  std::filesystem::path dir_;
};

// Parse one instance file's text; exposed for tests.
Result<PersistedInstance> parse_instance(const std::string& text, const std::string& source);
std::string render_instance(const PersistedInstance& instance);

}  // namespace ig::host
