// Persisted instances: the TOML round trip, atomic saves, and broken files moved aside.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "daemon/state_store.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using ig::host::InstanceId;
using ig::host::InstanceName;
using ig::host::InstanceSpec;
using ig::host::parse_instance;
using ig::host::render_instance;
using ig::host::StateStore;

namespace {

InstanceSpec sample(const std::string& id = "0123456789abcdef0123456789abcdef") {
  return InstanceSpec{InstanceId::parse(id).value(), InstanceName::parse("mytraceopen").value(), "trace_open",
                      {{"pid", "42"}, {"comm", "a'b\"c"}}, 1764133200};
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

}  // namespace

TEST_CASE("an instance survives render and parse unchanged") {
  auto parsed = parse_instance(render_instance(sample()), "test");
  REQUIRE(parsed.ok());
  CHECK(parsed.value().id == sample().id);
  CHECK(parsed.value().name.str() == "mytraceopen");
  CHECK(parsed.value().gadget == "trace_open");
  CHECK(parsed.value().params == sample().params);
  CHECK(parsed.value().created == 1764133200);
}

TEST_CASE("a value with a newline, backslashes and ''' survives render and parse (fuzz_state_file)") {
  InstanceSpec spec = sample();
  spec.params["comm"] = "a\\\nb'''c\\";
  spec.gadget = "x\\\ny";  // nor can a one-line literal string, which TOML++ also chose
  auto parsed = parse_instance(render_instance(spec), "test");
  REQUIRE_MESSAGE(parsed.ok(), render_instance(spec));
  CHECK(parsed.value().params == spec.params);
  CHECK(parsed.value().gadget == spec.gadget);
}

TEST_CASE("a file with garbage, a wrong type or a bad id does not parse") {
  CHECK_FALSE(parse_instance("this is = = not toml", "t").ok());
  std::string good = render_instance(sample());
  std::string wrong_type = good;
  wrong_type.replace(wrong_type.find("name = \"mytraceopen\""), 20, "name = 12");
  auto r = parse_instance(wrong_type, "t");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("'name'") != std::string::npos);
  CHECK_FALSE(parse_instance("id = 'XYZ'\nname = 'a'\ngadget = 'g'\ncreated = 2026-01-01T00:00:00Z\n", "t").ok());
}

TEST_CASE("a malformed table header is a parse error naming the line, not an abort (fuzz_state_file)") {
  for (const char* text : {"[!]\n", "id = 'x'\n[=]\n", "[[[1]]]\n", "[\x01]\n"}) {
    auto r = parse_instance(text, "t");
    REQUIRE_FALSE_MESSAGE(r.ok(), text);
    CHECK_MESSAGE(r.error().message.starts_with("line "), r.error().message);
  }
}

TEST_CASE("save writes atomically and load_all restores; remove deletes") {
  TempDir dir;
  StateStore store(dir.path);
  REQUIRE(store.prepare().ok());
  REQUIRE(store.save(sample()).ok());
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir.path)) {
    ++files;
    CHECK(e.path().filename().string() == sample().id.str() + ".toml");  // no temp file left
  }
  CHECK(files == 1);
  auto loaded = store.load_all();
  REQUIRE(loaded.instances.size() == 1);
  CHECK(loaded.warnings.empty());
  CHECK(loaded.instances[0].name.str() == "mytraceopen");
  REQUIRE(store.remove(sample().id).ok());
  CHECK(fs::is_empty(dir.path));
}

TEST_CASE("an unparsable file is moved aside with one warning and the others still load") {
  TempDir dir;
  StateStore store(dir.path);
  REQUIRE(store.save(sample()).ok());
  write(dir.path / "ffffffffffffffffffffffffffffffff.toml", "garbage ][");
  auto other = sample("ffffffffffffffffffffffffffff0000");  // valid, but filed under another id
  write(dir.path / "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.toml", render_instance(other));
  auto loaded = store.load_all();
  REQUIRE(loaded.instances.size() == 1);
  CHECK(loaded.instances[0].id == sample().id);
  CHECK(loaded.warnings.size() == 2);
  CHECK(fs::exists(dir.path / "ffffffffffffffffffffffffffffffff.toml.broken"));
  CHECK(fs::exists(dir.path / "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.toml.broken"));
}

TEST_CASE("a link, a huge file or a file others may write is moved aside unread; leftover temp files go") {
  TempDir dir;
  StateStore store(dir.path);
  REQUIRE(store.save(sample()).ok());
  const std::string link = "11111111111111111111111111111111", huge = "22222222222222222222222222222222",
                    open_mode = "33333333333333333333333333333333";
  fs::create_symlink(dir.path / (sample().id.str() + ".toml"), dir.path / (link + ".toml"));
  write(dir.path / (huge + ".toml"), render_instance(sample(huge)) + "# " + std::string(1 << 20, 'x') + "\n");
  write(dir.path / (open_mode + ".toml"), render_instance(sample(open_mode)));
  fs::permissions(dir.path / (open_mode + ".toml"), fs::perms::others_write, fs::perm_options::add);
  write(dir.path / ".44444444444444444444444444444444.toml.tmp", "half a sa");

  auto loaded = store.load_all();
  REQUIRE(loaded.instances.size() == 1);
  CHECK(loaded.instances[0].id == sample().id);
  REQUIRE(loaded.warnings.size() == 3);
  CHECK(loaded.warnings[0].find("is a symbolic link, which is never followed") != std::string::npos);
  CHECK(loaded.warnings[1].find("more than a state file's 64 KiB") != std::string::npos);
  CHECK(loaded.warnings[2].find("is writable by group or others (mode 06") != std::string::npos);
  for (const std::string& id : {link, huge, open_mode}) CHECK(fs::exists(dir.path / (id + ".toml.broken")));
  CHECK(fs::is_symlink(dir.path / (link + ".toml.broken")));  // the link moved, not its target
  CHECK(fs::exists(dir.path / (sample().id.str() + ".toml")));
  CHECK_FALSE(fs::exists(dir.path / ".44444444444444444444444444444444.toml.tmp"));
}

TEST_CASE("a save that cannot write names the file, the errno and what to do") {
  TempDir dir;
  StateStore store(dir.path / "missing");
  auto saved = store.save(sample());
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.error().message.starts_with("cannot write instance state '" + (dir.path / "missing").string() + "/."));
  CHECK(saved.error().message.find(": No such file or directory (ENOENT); check '" +
                                   (dir.path / "missing").string() +
                                   "', or point --state-dir (state_dir in the config) elsewhere") != std::string::npos);
}
