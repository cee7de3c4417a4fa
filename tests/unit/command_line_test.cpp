// `ig [global options] COMMAND [options]`: the global-option table, the split into
// globals, command and the command's own arguments, and one-line parse errors.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/command_line.h"
#include "cli/command_options.h"
#include "cli/global_options.h"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using Args = std::vector<std::string>;
using ig::host::CommandOptions;
using ig::host::split_command_line;

namespace {

ig::host::CommandLine split(const Args& args) {
  auto line = split_command_line(args);
  REQUIRE_MESSAGE(line.ok(), line.error().message);
  return std::move(line).value();
}

std::string split_error(const Args& args) {
  auto line = split_command_line(args);
  REQUIRE_FALSE(line.ok());
  CHECK(line.error().message.find('\n') == std::string::npos);
  return line.error().message;
}

std::vector<std::string> given(const ig::host::CommandLine& line, const std::string& name) {
  return line.globals.count(name) ? line.globals[name].as<std::vector<std::string>>() : std::vector<std::string>{};
}

// A config file in a temp dir, removed at the end of the test.
struct ConfigFile {
  fs::path dir = fs::temp_directory_path() / ("ig-cli-test-" + std::to_string(getpid()));
  fs::path path = dir / "config.toml";
  ConfigFile() {
    fs::create_directories(dir);
    std::ofstream(path) << "socket = \"/from/file.sock\"\npid_file = \"/from/file.pid\"\n"
                           "plugin_dirs = [\"/from/file/plugins\"]\n";
  }
  ~ConfigFile() { fs::remove_all(dir); }
};

}  // namespace

TEST_CASE("global options: one table for the parser, the help and the daemon's command line") {
  std::vector<std::string> names;
  for (const auto& option : ig::host::global_options()) names.emplace_back(option.name);
  CHECK(names == Args{"config", "socket", "pid-file", "state-dir", "plugin-dir"});
  std::string usage = ig::host::usage_text();
  for (const auto& option : ig::host::global_options()) {
    std::string shown = "--" + std::string(option.name) + " " + std::string(option.value_name);
    CHECK_MESSAGE(usage.find(shown) != std::string::npos, shown);
    CHECK(usage.find(std::string(option.help)) != std::string::npos);
  }
}

TEST_CASE("global options land in the config over the file's values; the last single value wins") {
  ConfigFile file;
  auto line = split({"--config", file.path.string(), "--socket", "a.sock", "--socket", "/b.sock", "--plugin-dir",
                     "/p1", "--plugin-dir", "p2", "list"});
  auto config = ig::host::resolve_config(line.globals);
  REQUIRE(config.ok());
  CHECK(config.value().file == file.path);
  CHECK(config.value().socket == "/b.sock");
  CHECK(config.value().pid_file == "/from/file.pid");  // not given: the file's
  CHECK(config.value().plugin_dirs == std::vector<fs::path>{"/p1", fs::absolute("p2")});
}

TEST_CASE("the daemon a client starts gets the client's settings, in the table's order") {
  ConfigFile file;
  auto config = ig::host::resolve_config(split({"--config", file.path.string(), "--state-dir", "/s", "list"}).globals);
  REQUIRE(config.ok());
  CHECK(ig::host::global_arguments(config.value()) ==
        Args{"--config", file.path.string(), "--socket", "/from/file.sock", "--pid-file", "/from/file.pid",
             "--state-dir", "/s", "--plugin-dir", "/from/file/plugins"});
}

TEST_CASE("global options, then the command, then the command's own options") {
  auto line = split({"--socket", "X", "list", "-o", "json"});
  CHECK(line.command->name == "list");
  CHECK(line.args == Args{"-o", "json"});
  CHECK(given(line, "socket") == Args{"X"});
  CHECK_FALSE(line.help);
}

TEST_CASE("after the command, a global option's name belongs to the command") {
  auto line = split({"run", "mygadget", "--socket", "s", "--config", "c"});
  CHECK(line.command->name == "run");
  CHECK(line.args == Args{"mygadget", "--socket", "s", "--config", "c"});
  CHECK(given(line, "socket").empty());
  CHECK(split({"list", "--socket", "X"}).args == Args{"--socket", "X"});
}

TEST_CASE("ig daemon takes the global options after its name too") {
  auto line = split({"daemon", "--socket", "X", "--enable-bpfstats", "--metrics-listen", "127.0.0.1:2224", "-v"});
  CHECK(line.command->name == "daemon");
  CHECK(given(line, "socket") == Args{"X"});
  CHECK(line.args == Args{"--enable-bpfstats", "--metrics-listen", "127.0.0.1:2224", "-v"});
  // Before and after: the one after the command wins, as if written last.
  line = split({"--socket", "A", "--pid-file", "P", "daemon", "--socket", "B", "--help"});
  CHECK(given(line, "socket") == Args{"A", "B"});
  CHECK(given(line, "pid-file") == Args{"P"});
  CHECK(line.args == Args{"--help"});
}

TEST_CASE("a value that reads like a word or a command is still the option's value") {
  CHECK(given(split({"--socket", "socket", "list"}), "socket") == Args{"socket"});
  CHECK(given(split({"--socket=list", "list"}), "socket") == Args{"list"});
  CHECK(split_error({"--socket", "list"}) == "no command given; see 'ig --help'");
}

TEST_CASE("aliases, help and version") {
  CHECK(split({"ls"}).command->name == "list");
  CHECK(split({"rm", "x"}).command->name == "remove");
  CHECK(split({"delete", "x"}).command->name == "remove");
  CHECK(split({"--version"}).command->name == "version");
  CHECK(split({"version"}).command->name == "version");
  CHECK(split({"--help"}).help);
  CHECK(split({"-h"}).help);
  CHECK(split({"help"}).help);
  CHECK(split({"--socket", "X", "--help"}).help);
}

TEST_CASE("an unknown global option says where command options go") {
  CHECK(split_error({"-o", "json", "list"}) ==
        "unknown global option '-o'; global options are --config, --socket, --pid-file, --state-dir, --plugin-dir, "
        "and a command's own options go after it (see 'ig --help')");
  CHECK(split_error({"--sock=x", "list"}).starts_with("unknown global option '--sock';"));  // no abbreviations
}

TEST_CASE("a global option without its value") {
  CHECK(split_error({"--socket"}) == "the required argument for option '--socket' is missing; see 'ig --help'");
  CHECK(split_error({"--state-dir", "", "list"}) == "option '--state-dir' needs a value; see 'ig --help'");
  CHECK(split_error({"daemon", "--pid-file"}) ==
        "the required argument for option '--pid-file' is missing; see 'ig daemon --help'");
  CHECK(split_error({"daemon", "--socket", ""}) == "option '--socket' needs a value; see 'ig --help'");
}

TEST_CASE("an unknown or missing command lists the commands") {
  CHECK(split_error({"frob"}) ==
        "unknown command 'frob'; commands: gadgets, run, list, top, attach, remove, daemon, version (see 'ig --help')");
  CHECK(split_error({"--socket", "X"}) == "no command given; see 'ig --help'");
}

TEST_CASE("ig --help lists every command from the table") {
  std::string usage = ig::host::usage_text();
  CHECK(usage.starts_with("Usage: ig [global options] COMMAND [options]\n\nCommands:\n"
                          "  gadgets                 list the gadgets ig can run\n"
                          "  run GADGET [...]        run a gadget (ig run GADGET --help); --detach keeps it running\n"));
  for (const auto& command : ig::host::commands())
    CHECK_MESSAGE(usage.find("  " + std::string(command.synopsis) + " ") != std::string::npos, command.name);
}

TEST_CASE("a command's options: values, operands, help, and one-line errors") {
  CommandOptions options("demo", "ig demo [-o FORMAT] NAME", "A command for tests.", 1);
  options.add()("output,o", po::value<std::string>()->default_value("columns"), "columns or json");
  auto parsed = options.parse({"-o", "json", "x"});
  REQUIRE(parsed.ok());
  CHECK(parsed.value().options["output"].as<std::string>() == "json");
  CHECK(parsed.value().operands == Args{"x"});
  CHECK_FALSE(parsed.value().help);
  CHECK(options.parse({"--", "-x"}).value().operands == Args{"-x"});
  CHECK(options.parse({"a", "b", "--help"}).value().help);  // help wins over a surplus operand
  CHECK(options.help().starts_with("Usage: ig demo [-o FORMAT] NAME\n\nA command for tests.\n\nOptions:\n"));
  CHECK(options.parse({"--bogus"}).error().message == "unknown option '--bogus' for 'ig demo'; see 'ig demo --help'");
  CHECK(options.parse({"--out", "json"}).error().message.starts_with("unknown option '--out'"));
  CHECK(options.parse({"a", "b"}).error().message == "unexpected argument 'b'; usage: ig demo [-o FORMAT] NAME");
  CHECK(options.parse({"-o"}).error().message ==
        "the required argument for option '--output' is missing; see 'ig demo --help'");
}
