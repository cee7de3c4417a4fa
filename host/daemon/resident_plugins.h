// Plugins the daemon keeps loaded once an instance of them has started, so that what
// a plugin keeps between runs (bpfstats' memlock of fixed-size maps) outlives a
// one-shot: without this, the last instance's end unloads the library and every
// `ig run bpfstats` starts cold. A plugin whose file changed on disk is let go before
// the next load, so a rebuilt plugin is picked up as before.
#pragma once

#include <sys/types.h>

#include <ctime>
#include <filesystem>
#include <map>
#include <optional>

#include "loader/plugin_loader.h"

namespace ig::host {

class ResidentPlugins {
 public:
  // Let go of every plugin whose file is gone or is no longer the file loaded.
  void drop_changed();
  void keep(const PluginHandle& plugin);
  std::size_t size() const { return entries_.size(); }

 private:
  struct FileIdentity {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    timespec modified{};
  };
  static std::optional<FileIdentity> identify(const std::filesystem::path& file);
  static bool same(const FileIdentity& a, const FileIdentity& b);

  struct Entry {
    PluginHandle plugin;
    FileIdentity identity;
  };
  std::map<std::filesystem::path, Entry> entries_;
};

}  // namespace ig::host
