// The config file loader: a file and its text give the same settings and the same
// errors, which name the file and the line or key.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "daemon/config.h"

using namespace ig::host;
namespace fs = std::filesystem;

TEST_CASE("config: a file and its text load the same settings and errors") {
  char tmpl[] = "/tmp/ig-config.XXXXXX";
  fs::path dir = ::mkdtemp(tmpl);
  fs::path file = dir / "config.toml";
  auto both = [&](const std::string& text) {
    std::ofstream(file) << text;
    return std::pair{load_config(file), parse_config(text, file)};
  };
  auto [loaded, parsed] = both("state_dir = \"/srv/ig\"\nplugin_dirs = [\"/a\", \"/b\"]\nenable_bpfstats = true\n");
  REQUIRE(loaded.ok());
  REQUIRE(parsed.ok());
  CHECK(parsed->state_dir == "/srv/ig");
  CHECK(parsed->plugin_dirs == loaded->plugin_dirs);
  CHECK(parsed->enable_bpfstats);
  CHECK(parsed->file == loaded->file);
  CHECK(parsed->file == file);

  auto [bad_loaded, bad_parsed] = both("socket = \n");
  REQUIRE_FALSE(bad_parsed.ok());
  CHECK(bad_parsed.error().message == bad_loaded.error().message);
  CHECK(bad_parsed.error().message.starts_with("config '" + file.string() + "' line 1: "));

  auto [type_loaded, type_parsed] = both("enable_bpfstats = \"yes\"\n");
  REQUIRE_FALSE(type_parsed.ok());
  CHECK(type_parsed.error().message == "config '" + file.string() + "': 'enable_bpfstats' must be true or false");
  CHECK(type_loaded.error().message == type_parsed.error().message);
  fs::remove_all(dir);
}

TEST_CASE("config: a malformed table header is an error naming the line, not an abort (fuzz_config)") {
  auto parsed = parse_config("socket = \"/x\"\n[!]\n", "/etc/ig/config.toml");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().message.starts_with("config '/etc/ig/config.toml' line 2: "));
}

TEST_CASE("config: no file means the defaults; a missing file is an error naming it") {
  auto none = load_config({});
  REQUIRE(none.ok());
  CHECK(none->socket == "/run/ig/ig.sock");
  auto missing = load_config("/nonexistent/ig.toml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.starts_with("config '/nonexistent/ig.toml' line "));
}

TEST_CASE("config: a started daemon's log is named after its pid file, so two never share one") {
  Config config;
  CHECK(config.daemon_log() == "/run/ig/ig.log");
  config.pid_file = "/tmp/a.pid";
  Config other;
  other.pid_file = "/tmp/b.pid";
  CHECK(config.daemon_log() == "/tmp/a.log");
  CHECK(other.daemon_log() == "/tmp/b.log");
  config.pid_file = "/tmp/ig-lock";
  CHECK(config.daemon_log() == "/tmp/ig-lock.log");
}
