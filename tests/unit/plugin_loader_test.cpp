// Loading plugin files: the broken plugins of tests/plugins are refused with a
// message naming the file and the cause; sound ones load. No kernel needed.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <ig/version.h>

#include "loader/plugin_loader.h"
#include "test_plugin_path.h"

namespace fs = std::filesystem;
using ig::host::load_plugin;
using ig::host::PluginCatalog;

namespace {

fs::path plugin(const std::string& env_name) { return test_plugin_path(env_name); }

std::string load_error(const fs::path& path) {
  auto r = load_plugin(path);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find('\n') == std::string::npos);
  return r.error().message;
}

std::string version(int major, int minor) { return std::to_string(major) + "." + std::to_string(minor); }

// A private plugin directory, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "ig-unit-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

TEST_CASE("a plugin built for another ABI major is refused, naming both versions") {
  fs::path p = plugin("IG_PLUGIN_ABI_MAJOR");
  CHECK(load_error(p) == "plugin '" + p.string() + "' was built for ig ABI " + version(IG_ABI_MAJOR + 1, IG_ABI_MINOR) +
                             " but this ig speaks ABI " + version(IG_ABI_MAJOR, IG_ABI_MINOR) +
                             "; rebuild the plugin against this ig's SDK");
}

TEST_CASE("a plugin built for a newer ABI minor is refused, naming both versions") {
  fs::path p = plugin("IG_PLUGIN_ABI_MINOR_NEWER");
  std::string message = load_error(p);
  CHECK(message.find("ABI " + version(IG_ABI_MAJOR, IG_ABI_MINOR + 1)) != std::string::npos);
  CHECK(message.find("ABI " + version(IG_ABI_MAJOR, IG_ABI_MINOR) + ";") != std::string::npos);
}

TEST_CASE("a plugin built against ig's 1.1 SDK is refused, naming both versions") {
  fs::path p = plugin("IG_PLUGIN_ABI_1_1");
  CHECK(load_error(p) == "plugin '" + p.string() + "' was built for ig ABI 1.1 but this ig speaks ABI " +
                             version(IG_ABI_MAJOR, IG_ABI_MINOR) + "; rebuild the plugin against this ig's SDK");
}

TEST_CASE("a plugin built against another C++ library ABI is refused, naming both") {
  fs::path p = plugin("IG_PLUGIN_CXX_OLD_STRING");
  CHECK(load_error(p) == "plugin '" + p.string() +
                             "' was built against the C++ library 'libstdc++ pre-cxx11' but this ig uses '" +
                             IG_CXX_LIBRARY + "'; rebuild it with g++ or clang++ on the same standard library as ig, "
                             "without -stdlib=libc++, -D_GLIBCXX_USE_CXX11_ABI=0 or -D_GLIBCXX_DEBUG");
}

TEST_CASE("a plugin whose file is not named after its gadget is refused, naming both") {
  fs::path p = plugin("IG_PLUGIN_WRONG_NAME");
  CHECK(load_error(p) == "plugin file '" + p.string() +
                             "' declares gadget 'renamed_gadget'; rename the file to 'renamed_gadget.so' or fix "
                             "the name in its description");
}

TEST_CASE("a sound plugin copied under another gadget's name is refused") {
  TempDir dir;
  fs::path copy = dir.path / "trace_open.so";
  fs::copy_file(plugin("IG_PLUGIN_THROWS_IN_START"), copy);
  PluginCatalog catalog({dir.path});
  auto found = catalog.find("trace_open");
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().message == "plugin file '" + copy.string() +
                                     "' declares gadget 'throws_in_start'; rename the file to 'throws_in_start.so' "
                                     "or fix the name in its description");
  std::vector<std::string> warnings;
  CHECK(catalog.all(warnings).empty());
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].ends_with(", ignoring"));
}

TEST_CASE("a description declaring an unknown capability is refused") {
  ig::Description d{"x", "1", "", {}, {}, 0, {}};
  CHECK(ig::host::check_description(d).empty());
  d.capabilities = {ig::Capability::Registry, static_cast<ig::Capability>(1u << 7)};
  CHECK(ig::host::check_description(d) == "unknown capability bits 0x80; this ig grants registry, bpf-stats and metrics");
}

TEST_CASE("a shared library without ig symbols is not a plugin") {
  fs::path p = plugin("IG_PLUGIN_NOT_A_PLUGIN");
  CHECK(load_error(p) == "'" + p.string() + "' is not an ig plugin: it has no 'ig_plugin_abi_version' symbol");
}

TEST_CASE("a text file named .so is not a plugin") {
  fs::path p = plugin("IG_PLUGIN_NOT_ELF");
  CHECK(load_error(p) == "'" + p.string() + "' is not an ig plugin: not an ELF shared object");
}

TEST_CASE("a plugin with an invalid description is refused at load") {
  fs::path p = plugin("IG_PLUGIN_BAD_DESCRIPTION");
  CHECK(load_error(p) == "plugin '" + p.string() + "' has an invalid description: duplicate field 'pid'");
}

TEST_CASE("a missing plugin file is reported with its path") {
  CHECK(load_error("/nonexistent/ig/x.so") ==
        "plugin '/nonexistent/ig/x.so' does not exist or is not a file; check the path");
}

TEST_CASE("sound plugins load and describe themselves") {
  auto throws = load_plugin(plugin("IG_PLUGIN_THROWS_IN_START"));
  REQUIRE(throws.ok());
  CHECK(throws.value()->description().name == "throws_in_start");
  auto trace_open = load_plugin(plugin("IG_PLUGIN_TRACE_OPEN"));
  REQUIRE(trace_open.ok());
  CHECK(trace_open.value()->description().name == "trace_open");
  CHECK(trace_open.value()->description().fields.size() > 0);
}

TEST_CASE("a plugin file others can write is refused") {
  TempDir dir;
  fs::path copy = dir.path / "throws_in_start.so";
  fs::copy_file(plugin("IG_PLUGIN_THROWS_IN_START"), copy);
  REQUIRE(::chmod(copy.c_str(), 0666) == 0);
  CHECK(load_error(copy) == "refusing plugin '" + copy.string() + "': '" + copy.string() +
                                "' has mode 0666, writable by group or others; chmod go-w it to trust it");
}

TEST_CASE("a plugin under a directory others can rename in, or linked from a trusted one, is refused") {
  TempDir dir;
  fs::create_directories(dir.path / "open" / "plugins");
  REQUIRE(::chmod((dir.path / "open").c_str(), 0777) == 0);
  fs::path copy = dir.path / "open" / "plugins" / "throws_in_start.so";
  fs::copy_file(plugin("IG_PLUGIN_THROWS_IN_START"), copy);
  const std::string why = "': '" + (dir.path / "open").string() +
                          "' has mode 0777, writable by group or others; chmod go-w it to trust it";
  CHECK(load_error(copy) == "refusing plugin '" + copy.string() + why);
  fs::create_directories(dir.path / "trusted");
  fs::create_symlink(copy, dir.path / "trusted" / "throws_in_start.so");
  CHECK(load_error(dir.path / "trusted" / "throws_in_start.so") ==
        "refusing plugin '" + (dir.path / "trusted" / "throws_in_start.so").string() + why);
  REQUIRE(::chmod((dir.path / "open").c_str(), 01777) == 0);  // sticky, as /tmp: no one renames 'plugins'
  CHECK(load_plugin(copy).ok());
}

TEST_CASE("the catalog finds plugins by name and lists the loadable ones") {
  TempDir dir;
  fs::copy_file(plugin("IG_PLUGIN_THROWS_IN_START"), dir.path / "throws_in_start.so");
  fs::copy_file(plugin("IG_PLUGIN_NOT_ELF"), dir.path / "not_elf.so");
  PluginCatalog catalog({dir.path});

  auto found = catalog.find("throws_in_start");
  REQUIRE(found.ok());
  CHECK(found.value()->path == dir.path / "throws_in_start.so");

  auto unknown = catalog.find("nope");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "unknown gadget 'nope'; available: throws_in_start; see 'ig gadgets'");

  std::vector<std::string> warnings;
  auto all = catalog.all(warnings);
  REQUIRE(all.size() == 1);
  CHECK(all[0]->description().name == "throws_in_start");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("not_elf.so") != std::string::npos);
  CHECK(warnings[0].ends_with(", ignoring"));
}

TEST_CASE("the catalog refuses gadget names that could be paths") {
  PluginCatalog catalog({});
  for (const char* bad : {"a/b", "../x", "..", ".", "Trace_open", "trace-open", ""}) {
    CAPTURE(bad);
    auto r = catalog.find(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.starts_with("invalid gadget name '" + std::string(bad) + "'"));
  }
  auto none = catalog.find("trace_open");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message == "unknown gadget 'trace_open'; available: none (no plugins found); see 'ig gadgets'");
}

TEST_CASE("only names with a slash and a .so suffix are plugin paths") {
  using ig::host::is_explicit_plugin_path;
  CHECK(is_explicit_plugin_path("./x.so"));
  CHECK(is_explicit_plugin_path("/abs/dir/x.so"));
  CHECK_FALSE(is_explicit_plugin_path("x.so"));
  CHECK_FALSE(is_explicit_plugin_path("a/b"));
  CHECK_FALSE(is_explicit_plugin_path("../x"));
  CHECK_FALSE(is_explicit_plugin_path(".so"));
}
