// The minor rule: a host loads a plugin whose ABI major is its own and whose minor
// is at most its own. Plugins built for the previous minor and for this one load and
// describe themselves. The refusals are tested where they already live, not here:
// a newer minor and another major, each refused naming both versions, in
// tests/unit/plugin_loader_test.cpp (the loader) and tests/kernel/bad_plugin_test.py
// (through `ig run` and the daemon), with tests/plugins/abi_version.cpp.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <ig/version.h>

#include "loader/plugin_loader.h"
#include "test_plugin_path.h"

namespace fs = std::filesystem;

namespace {

fs::path plugin(const std::string& env_name) { return test_plugin_path(env_name); }

// The version the file says it was built for, read the way the host reads it first.
ig_abi_version claimed_version(const fs::path& path) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  REQUIRE_MESSAGE(handle != nullptr, ::dlerror());
  const auto* version = static_cast<const ig_abi_version*>(::dlsym(handle, "ig_plugin_abi_version"));
  REQUIRE(version != nullptr);
  ig_abi_version copy = *version;
  ::dlclose(handle);
  return copy;
}

void check_loads(const fs::path& path, const std::string& name) {
  auto loaded = ig::host::load_plugin(path);
  REQUIRE_MESSAGE(loaded.ok(), loaded.error().message);
  CHECK(loaded.value()->description().name == name);
  CHECK(loaded.value()->plugin->create() != nullptr);
}

}  // namespace

TEST_CASE("a plugin built for the previous ABI minor loads") {
  fs::path path = plugin("IG_PLUGIN_ABI_MINOR_OLDER");
  ig_abi_version claimed = claimed_version(path);
  CHECK(claimed.major == IG_ABI_MAJOR);
  CHECK(claimed.minor == (IG_ABI_MINOR > 0 ? IG_ABI_MINOR - 1 : 0));
  if (IG_ABI_MINOR == 0)
    MESSAGE("the ABI minor is 0, so 'previous' is clamped to 0: this checks the equal case until the first bump");
  check_loads(path, "abi_minor_older");
}

TEST_CASE("a plugin built for this ABI minor loads") {
  fs::path path = plugin("IG_PLUGIN_ABI_MINOR_CURRENT");
  ig_abi_version claimed = claimed_version(path);
  CHECK(claimed.major == IG_ABI_MAJOR);
  CHECK(claimed.minor == IG_ABI_MINOR);
  check_loads(path, "abi_minor_current");
}
