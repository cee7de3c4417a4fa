#include "loader/plugin_loader.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>

#include "common/log.h"

#ifndef IG_BUILD_ROOT
#define IG_BUILD_ROOT ""
#endif
#ifndef IG_PLUGIN_DIR
#define IG_PLUGIN_DIR "/usr/local/lib/ig/plugins"
#endif

namespace fs = std::filesystem;

namespace ig::host {
namespace {

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

std::string mode_text(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%04o", mode & 07777);
  return buf;
}

// A plugin runs with the host's privileges: refuse a file anyone else could have
// written or swapped. Links are resolved first, so the checks are on the real file.
// The file, its directory and every directory above must be root's (or ours); the
// file and its directory writable by no one else, the ones above only with the
// sticky bit (as /tmp), where others cannot rename what they do not own.
std::string check_trusted(const fs::path& path) {
  std::error_code ec;
  const fs::path real = fs::canonical(path, ec);
  if (ec) return "cannot resolve " + quoted(path) + ": " + ec.message();
  int depth = 0;
  for (fs::path p = real;; p = p.parent_path(), ++depth) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return "cannot stat " + quoted(p) + ": " + std::strerror(errno);
    if (st.st_uid != 0 && st.st_uid != ::geteuid())
      return quoted(p) + " is owned by uid " + std::to_string(st.st_uid) +
             ", not root; chown root it to trust it";
    bool others_write = st.st_mode & (S_IWGRP | S_IWOTH);
    if (others_write && (depth < 2 || !(st.st_mode & S_ISVTX)))
      return quoted(p) + " has mode " + mode_text(st.st_mode) +
             ", writable by group or others; chmod go-w it to trust it";
    if (p == p.parent_path()) break;
  }
  return "";
}

bool has_elf_magic(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

std::string dlopen_reason(const fs::path& path) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle) {
    ::dlclose(handle);
    return "unknown error";
  }
  const char* err = ::dlerror();
  return err ? err : "unknown error";
}

std::string version_text(const ig_abi_version& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor);
}

std::string cxx_library_text(const ig_abi_version& v) {
  return std::string(v.cxx_library, ::strnlen(v.cxx_library, sizeof(v.cxx_library)));
}

// The bytes a field of this type always has; 0 for strings, whose size is their own.
std::size_t fixed_width(FieldType type) {
  switch (type) {
    case FieldType::Bool: return 1;
    case FieldType::U32:
    case FieldType::I32:
    case FieldType::Errno:
    case FieldType::Flags:
    case FieldType::Octal: return 4;
    case FieldType::U64:
    case FieldType::I64:
    case FieldType::Timestamp:
    case FieldType::F64: return 8;
    case FieldType::String:
    case FieldType::StringList: return 0;
  }
  return 0;
}

}  // namespace

std::string check_abi_version(const ig_abi_version& plugin, const ig_abi_version& host) {
  // The major first: only a plugin of this major has the fields after it.
  if (plugin.major != host.major || plugin.minor > host.minor)
    return " was built for ig ABI " + version_text(plugin) + " but this ig speaks ABI " + version_text(host) +
           "; rebuild the plugin against this ig's SDK";
  if (cxx_library_text(plugin) != cxx_library_text(host))
    return " was built against the C++ library '" + cxx_library_text(plugin) + "' but this ig uses '" +
           cxx_library_text(host) + "'; rebuild it with g++ or clang++ on the same standard library as ig, " +
           "without -stdlib=libc++, -D_GLIBCXX_USE_CXX11_ABI=0 or -D_GLIBCXX_DEBUG";
  return "";
}

std::string check_description(const Description& d) {
  static const std::regex gadget_name("^[a-z0-9_]{1,32}$");
  static const std::regex param_name("^[a-z0-9_-]{1,32}$");
  // camelCase allowed: bpfstats' JSON keys (gadgetID, mapMemory) are what users already parse.
  static const std::regex field_name("^[A-Za-z][A-Za-z0-9_]{0,31}$");
  static const std::set<std::string> reserved = {"help", "output", "timeout", "name", "detach", "verbose", "fields"};
  if (!std::regex_match(d.name, gadget_name))
    return "invalid gadget name '" + d.name + "': it must match ^[a-z0-9_]{1,32}$";
  std::set<std::string> seen;
  for (const Param& p : d.params) {
    if (!std::regex_match(p.name, param_name))
      return "invalid parameter name '" + p.name + "': it must match ^[a-z0-9_-]{1,32}$";
    if (reserved.count(p.name)) return "parameter '" + p.name + "' is reserved by ig run";
    if (!seen.insert(p.name).second) return "duplicate parameter '" + p.name + "'";
  }
  std::uint32_t known = 0;
  for (Capability c : kAllCapabilities) known |= static_cast<std::uint32_t>(c);
  if (std::uint32_t unknown = d.capabilities.bits() & ~known; unknown != 0) {
    char bits[16];
    std::snprintf(bits, sizeof(bits), "%#x", unknown);
    return std::string("unknown capability bits ") + bits + "; this ig grants registry, bpf-stats and metrics";
  }
  seen.clear();
  for (std::size_t i = 0; i < d.fields.size(); ++i) {
    const Field& f = d.fields[i];
    if (!std::regex_match(f.name, field_name))
      return "invalid field name '" + f.name + "': it must match ^[A-Za-z][A-Za-z0-9_]{0,31}$";
    if (!seen.insert(f.name).second) return "duplicate field '" + f.name + "'";
    if (std::uint64_t(f.offset) + f.size > d.record_size)
      return "field '" + f.name + "' lies outside the record (" + std::to_string(d.record_size) + " bytes)";
    // The formatter reads a fixed-width type's whole width at the field's offset.
    if (std::size_t width = fixed_width(f.type); width != 0 && f.size != width)
      return "field '" + f.name + "' has size " + std::to_string(f.size) + ", its type needs " + std::to_string(width) +
             "; declare it with IG_FIELD on a member of that type";
    if (f.type == FieldType::StringList && i + 1 != d.fields.size())
      return "string list field '" + f.name + "' must be the last field";
  }
  return "";
}

bool is_explicit_plugin_path(const std::string& name) {
  return name.find('/') != std::string::npos && name.size() > 3 && name.ends_with(".so");
}

Result<PluginHandle> load_plugin(const fs::path& path, const ig_abi_version& host_abi) {
  std::error_code fs_ec;
  if (!fs::is_regular_file(path, fs_ec))
    return make_error("plugin " + quoted(path) + " does not exist or is not a file; check the path");
  if (std::string untrusted = check_trusted(path); !untrusted.empty())
    return make_error("refusing plugin " + quoted(path) + ": " + untrusted);
  if (!has_elf_magic(path))
    return make_error(quoted(path) + " is not an ig plugin: not an ELF shared object");

  auto loaded = std::make_shared<LoadedPlugin>();
  loaded->path = path;
  boost::dll::fs::error_code ec;
  loaded->library.load(path, ec, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (ec) return make_error("failed to load plugin " + quoted(path) + ": " + dlopen_reason(path));

  if (!loaded->library.has("ig_plugin_abi_version"))
    return make_error(quoted(path) + " is not an ig plugin: it has no 'ig_plugin_abi_version' symbol");
  const auto& version = loaded->library.get<const ig_abi_version>("ig_plugin_abi_version");
  if (std::string refused = check_abi_version(version, host_abi); !refused.empty())
    return make_error("plugin " + quoted(path) + refused);
  if (!loaded->library.has("ig_plugin_entry"))
    return make_error(quoted(path) + " is not an ig plugin: it has no 'ig_plugin_entry' symbol");

  auto& entry = loaded->library.get_alias<PluginEntry>("ig_plugin_entry");
  try {
    loaded->plugin = entry();
  } catch (const std::exception& e) {
    return make_error("plugin " + quoted(path) + " failed to describe itself: " + e.what());
  } catch (...) {
    return make_error("plugin " + quoted(path) + " failed to describe itself: unknown exception");
  }
  if (!loaded->plugin || !loaded->plugin->create)
    return make_error("plugin " + quoted(path) + " returned no description; it is broken");
  if (std::string bad = check_description(loaded->description()); !bad.empty())
    return make_error("plugin " + quoted(path) + " has an invalid description: " + bad);
  // The registry and `ig list` know the gadget by its declared name, `ig run NAME`
  // finds it by file name: they must be one.
  if (const std::string& name = loaded->description().name; path.filename() != name + ".so")
    return make_error("plugin file " + quoted(path) + " declares gadget '" + name + "'; rename the file to '" +
                      name + ".so' or fix the name in its description");
  return PluginHandle(std::move(loaded));
}

std::vector<fs::path> PluginCatalog::default_dirs() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::string build_root = IG_BUILD_ROOT;
  if (!ec && !build_root.empty() && exe.string().starts_with(build_root + "/")) {
    std::vector<fs::path> dirs;
    for (const char* group : {"gadgets", "plugins", "examples"}) {
      fs::path base = fs::path(build_root) / group;
      if (!fs::is_directory(base, ec)) continue;
      std::vector<fs::path> subdirs;
      for (const auto& entry : fs::directory_iterator(base, ec))
        if (entry.is_directory()) subdirs.push_back(entry.path());
      std::sort(subdirs.begin(), subdirs.end());
      dirs.insert(dirs.end(), subdirs.begin(), subdirs.end());
    }
    return dirs;
  }
  return {fs::path(IG_PLUGIN_DIR)};
}

bool is_build_tree_example(const fs::path& plugin_path) {
  std::string build_root = IG_BUILD_ROOT;
  return !build_root.empty() && plugin_path.lexically_normal().string().starts_with(build_root + "/examples/");
}

Result<PluginHandle> PluginCatalog::find(const std::string& name) const {
  if (is_explicit_plugin_path(name)) return load_plugin(fs::absolute(name));
  static const std::regex valid("^[a-z0-9_]{1,32}$");
  if (!std::regex_match(name, valid))
    return make_error("invalid gadget name '" + name +
                      "': names are lowercase letters, digits and _; to run a plugin file give its "
                      "path ending in .so (e.g. ./build/my_gadget.so)");
  for (const fs::path& dir : dirs_) {
    fs::path candidate = (dir / (name + ".so")).lexically_normal();
    std::error_code ec;
    if (fs::exists(candidate, ec)) return load_plugin(candidate);
  }
  std::vector<std::string> warnings;
  std::string available;
  for (const PluginHandle& p : all(warnings))
    available += (available.empty() ? "" : ", ") + p->description().name;
  return make_error("unknown gadget '" + name + "'; available: " +
                    (available.empty() ? "none (no plugins found)" : available) + "; see 'ig gadgets'");
}

std::vector<fs::path> PluginCatalog::plugin_files() const {
  std::vector<fs::path> files;
  for (const fs::path& dir : dirs_) {
    std::error_code ec;
    std::vector<fs::path> in_dir;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.path().extension() == ".so") in_dir.push_back(entry.path().lexically_normal());
    std::sort(in_dir.begin(), in_dir.end());
    files.insert(files.end(), in_dir.begin(), in_dir.end());
  }
  return files;
}

std::vector<PluginHandle> PluginCatalog::all(std::vector<std::string>& warnings) const {
  std::vector<PluginHandle> plugins;
  std::set<std::string> names;
  for (const fs::path& file : plugin_files()) {
    auto plugin = load_plugin(file);
    if (!plugin) {
      warnings.push_back(plugin.error().message + ", ignoring");
      continue;
    }
    const std::string& name = plugin.value()->description().name;
    if (!names.insert(name).second) {
      warnings.push_back("gadget '" + name + "' in " + quoted(file) + " is shadowed by an earlier one, ignoring");
      continue;
    }
    plugins.push_back(std::move(plugin).value());
  }
  return plugins;
}

}  // namespace ig::host
