// Finding plugins on disk and loading them: ABI version first, entry point second.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>
#include <ig/plugin.h>
#include <ig/result.h>
#include <ig/version.h>

namespace ig::host {

struct LoadedPlugin {
  boost::dll::shared_library library;  // declared first, so destroyed last
  const Plugin* plugin = nullptr;
  std::filesystem::path path;

  const Description& description() const { return plugin->description; }
};
using PluginHandle = std::shared_ptr<const LoadedPlugin>;

// dlopen `path`, check its ABI version against the host's, import its entry point,
// validate the description it returns and that the file is named after it.
// `host_abi` is this ig's; tests pass a newer minor to prove an older plugin loads.
Result<PluginHandle> load_plugin(const std::filesystem::path& path, const ig_abi_version& host_abi = kAbiVersion);

// Empty when a host speaking `host` may load a plugin built for `plugin`, else why
// not, worded to follow "plugin 'PATH'": majors equal, host minor at least the
// plugin's, the same C++ standard library ABI.
std::string check_abi_version(const ig_abi_version& plugin, const ig_abi_version& host);

// An empty string when the description is sound, else what is wrong with it.
std::string check_description(const Description& description);

// Where plugins are looked up by name, in order.
class PluginCatalog {
 public:
  explicit PluginCatalog(std::vector<std::filesystem::path> dirs) : dirs_(std::move(dirs)) {}

  // The build tree's plugin folders when this binary runs from it, else the install dir.
  static std::vector<std::filesystem::path> default_dirs();

  // A gadget name ("trace_open") or an explicit path to a .so ("./x.so", "/a/b.so").
  Result<PluginHandle> find(const std::string& name_or_path) const;

  // Every loadable plugin, first in search order winning; problems go to `warnings`.
  std::vector<PluginHandle> all(std::vector<std::string>& warnings) const;

  const std::vector<std::filesystem::path>& dirs() const { return dirs_; }

 private:
  std::vector<std::filesystem::path> plugin_files() const;
  std::vector<std::filesystem::path> dirs_;
};

bool is_explicit_plugin_path(const std::string& name);

// True for a plugin this ig found in its own build tree's examples/ (an example
// gadget built with ig, never installed), so `ig gadgets` can say so.
bool is_build_tree_example(const std::filesystem::path& plugin_path);

}  // namespace ig::host
