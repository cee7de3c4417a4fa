#include "daemon/resident_plugins.h"

#include <sys/stat.h>

namespace ig::host {

std::optional<ResidentPlugins::FileIdentity> ResidentPlugins::identify(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino, st.st_size, st.st_mtim};
}

bool ResidentPlugins::same(const FileIdentity& a, const FileIdentity& b) {
  return a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified.tv_sec == b.modified.tv_sec &&
         a.modified.tv_nsec == b.modified.tv_nsec;
}

void ResidentPlugins::drop_changed() {
  std::erase_if(entries_, [](const auto& entry) {
    auto now = identify(entry.first);
    return !now || !same(*now, entry.second.identity);
  });
}

void ResidentPlugins::keep(const PluginHandle& plugin) {
  auto identity = identify(plugin->path);
  if (!identity) return;
  entries_.insert_or_assign(plugin->path, Entry{plugin, *identity});
}

}  // namespace ig::host
