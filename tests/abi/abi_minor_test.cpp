// The minor rule: a host loads a plugin whose ABI major is its own and whose minor
// is at most its own. Plugins built for the previous minor and for this one load and
// describe themselves, and one built for this minor loads into a host a minor ahead.
// The refusals of real files are tested where they already live, not here:
// a newer minor and another major, each refused naming both versions, in
// tests/unit/plugin_loader_test.cpp (the loader) and tests/kernel/bad_plugin_test.py
// (through `ig run` and the daemon), with tests/plugins/abi_version.cpp; the same
// for a plugin built against ig's 1.1 SDK.
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

TEST_CASE("a plugin built for an older ABI minor loads into a newer host") {
  // The real older-minor plugin above equals this minor while the minor is 0 (ABI
  // 2.0); a host one minor ahead proves the rule for every minor.
  fs::path path = plugin("IG_PLUGIN_ABI_MINOR_CURRENT");
  ig_abi_version newer_host = ig::kAbiVersion;
  ++newer_host.minor;
  auto loaded = ig::host::load_plugin(path, newer_host);
  REQUIRE_MESSAGE(loaded.ok(), loaded.error().message);
  CHECK(loaded.value()->description().name == "abi_minor_current");
}

TEST_CASE("the ABI rule: same major, host minor at least the plugin's, same C++ library") {
  using ig::host::check_abi_version;
  const ig_abi_version host{2, 1, "libstdc++ cxx11"};
  CHECK(check_abi_version({2, 0, "libstdc++ cxx11"}, host).empty());
  CHECK(check_abi_version({2, 1, "libstdc++ cxx11"}, host).empty());
  CHECK(check_abi_version({2, 2, "libstdc++ cxx11"}, host).find("ABI 2.2 but this ig speaks ABI 2.1;") !=
        std::string::npos);
  CHECK(check_abi_version({1, 1, ""}, host).find("ABI 1.1 but this ig speaks ABI 2.1;") != std::string::npos);
  CHECK(check_abi_version({3, 0, "libstdc++ cxx11"}, host).find("ABI 3.0 but this ig speaks ABI 2.1;") !=
        std::string::npos);
  CHECK(check_abi_version({2, 0, "libc++ abi 1"}, host).find("'libc++ abi 1' but this ig uses 'libstdc++ cxx11'") !=
        std::string::npos);
}

TEST_CASE("a plugin built for this ABI minor loads") {
  fs::path path = plugin("IG_PLUGIN_ABI_MINOR_CURRENT");
  ig_abi_version claimed = claimed_version(path);
  CHECK(claimed.major == IG_ABI_MAJOR);
  CHECK(claimed.minor == IG_ABI_MINOR);
  check_loads(path, "abi_minor_current");
}
