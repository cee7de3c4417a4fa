// The daemon keeps a plugin loaded once it ran, and lets it go when its file changes.
#include <doctest/doctest.h>

#include <filesystem>

#include "daemon/resident_plugins.h"
#include "temp_dir.h"
#include "test_plugin_path.h"

namespace fs = std::filesystem;
using namespace ig::host;

TEST_CASE("a kept plugin stays loaded until its file is replaced or removed") {
  TempDir dir;
  const fs::path file = dir.path / "host_access_none.so";
  fs::copy_file(test_plugin_path("IG_PLUGIN_HOST_ACCESS_NONE"), file);
  auto loaded = load_plugin(file);
  REQUIRE(loaded.ok());
  PluginHandle plugin = loaded.value();

  ResidentPlugins resident;
  resident.keep(plugin);
  CHECK(resident.size() == 1);
  CHECK(plugin.use_count() == 3);  // ours, `loaded`'s, the resident one
  resident.drop_changed();
  CHECK(resident.size() == 1);

  // A rebuilt plugin: a new file under the same name.
  fs::remove(file);
  fs::copy_file(test_plugin_path("IG_PLUGIN_HOST_ACCESS_NONE"), file);
  resident.drop_changed();
  CHECK(resident.size() == 0);
  CHECK(plugin.use_count() == 2);

  resident.keep(plugin);
  fs::remove(file);
  resident.drop_changed();
  CHECK(resident.size() == 0);
}
