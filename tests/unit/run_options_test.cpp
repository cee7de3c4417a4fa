// `ig run` command lines: finding the gadget, ig's own options, gadget parameters.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cli/run_options.h"

using namespace std::chrono_literals;
using Args = std::vector<std::string>;
using ig::host::find_gadget_token;
using ig::host::OutputFormat;
using ig::host::parse_run_options;

namespace {

ig::Description demo() {
  ig::Description d;
  d.name = "demo";
  d.version = "1.0.0";
  d.summary = "a gadget for tests";
  d.params = {
      {"pid", ig::ParamType::Uint, "", "only this process"},
      {"comm", ig::ParamType::String, "", "only this command"},
      {"failed", ig::ParamType::Bool, "false", "only failures"},
      {"interval", ig::ParamType::Duration, "1s", "how often"},
  };
  return d;
}

std::string error_of(const Args& args) {
  auto r = parse_run_options(args, demo());
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

}  // namespace

TEST_CASE("the gadget token is the first argument that is neither an option nor its value") {
  CHECK(find_gadget_token({"trace_open"}) == "trace_open");
  CHECK(find_gadget_token({"trace_open", "--pid", "1"}) == "trace_open");
  CHECK(find_gadget_token({"-o", "json", "trace_open"}) == "trace_open");
  CHECK(find_gadget_token({"--output", "json", "--name", "x", "--timeout", "5", "--fields", "pid", "g"}) == "g");
  CHECK(find_gadget_token({"--output=json", "--verbose", "-v", "g"}) == "g");
  CHECK(find_gadget_token({"--", "g"}) == "g");
  CHECK(find_gadget_token({"-o", "json", "--", "--weird"}) == "--weird");
  CHECK(find_gadget_token({"./x.so", "y"}) == "./x.so");
}

TEST_CASE("no gadget token when there are only options") {
  CHECK(find_gadget_token({}) == "");
  CHECK(find_gadget_token({"--help"}) == "");
  CHECK(find_gadget_token({"-o"}) == "");
  CHECK(find_gadget_token({"-o", "json"}) == "");
  CHECK(find_gadget_token({"--"}) == "");
}

TEST_CASE("defaults: columns, no timeout, no name, declared defaults normalised") {
  auto r = parse_run_options({"demo"}, demo());
  REQUIRE(r.ok());
  const auto& o = r.value();
  CHECK(o.gadget == "demo");
  CHECK(o.output == OutputFormat::Columns);
  CHECK_FALSE(o.timeout.has_value());
  CHECK_FALSE(o.name.has_value());
  CHECK(o.fields.empty());
  CHECK_FALSE(o.detach);
  CHECK_FALSE(o.help);
  CHECK_FALSE(o.verbose);
  // Every declared parameter is present: unset ones empty, bools and durations canonical.
  CHECK(o.params == std::map<std::string, std::string>{
                        {"pid", ""}, {"comm", ""}, {"failed", "false"}, {"interval", "1000000000"}});
}

TEST_CASE("ig run's own options are parsed") {
  auto r = parse_run_options({"demo", "-o", "json", "--timeout", "500ms", "--name", "mine", "--fields",
                              "pid,,comm", "--verbose", "--detach", "--help"},
                             demo());
  REQUIRE(r.ok());
  const auto& o = r.value();
  CHECK(o.output == OutputFormat::Json);
  REQUIRE(o.timeout.has_value());
  CHECK(*o.timeout == 500ms);
  CHECK(o.name == std::optional<std::string>("mine"));
  CHECK(o.fields == Args{"pid", "comm"});
  CHECK(o.verbose);
  CHECK(o.detach);
  CHECK(o.help);
}

TEST_CASE("--name given empty is kept apart from no --name, so the empty name can be refused") {
  auto r = parse_run_options({"demo", "--name", ""}, demo());
  REQUIRE(r.ok());
  CHECK(r.value().name == std::optional<std::string>(""));
}

TEST_CASE("--output json and -o columns are accepted, anything else is refused") {
  CHECK(parse_run_options({"demo", "--output", "json"}, demo()).value().output == OutputFormat::Json);
  CHECK(parse_run_options({"demo", "-o", "columns"}, demo()).value().output == OutputFormat::Columns);
  CHECK(error_of({"demo", "-o", "xml"}) == "invalid output format 'xml'; use -o columns, json, jsonpretty or yaml");
}

TEST_CASE("--timeout takes a duration; a bare number is seconds") {
  CHECK(*parse_run_options({"demo", "--timeout", "5"}, demo()).value().timeout == 5s);
  CHECK(*parse_run_options({"--timeout", "2m", "demo"}, demo()).value().timeout == 120s);
  CHECK(error_of({"demo", "--timeout", "soon"}) ==
        "invalid duration 'soon'; use e.g. 5, 500ms, 2s, 1m for '--timeout'");
  CHECK(error_of({"demo", "--timeout", "0"}).find("'--timeout'") != std::string::npos);
}

TEST_CASE("gadget parameters are validated and normalised") {
  auto r = parse_run_options({"demo", "--pid", "0042", "--comm", "bash", "--failed", "--interval", "250ms"}, demo());
  REQUIRE(r.ok());
  CHECK(r.value().params.at("pid") == "42");
  CHECK(r.value().params.at("comm") == "bash");
  CHECK(r.value().params.at("failed") == "true");
  CHECK(r.value().params.at("interval") == "250000000");
  CHECK(parse_run_options({"demo", "--failed=false"}, demo()).value().params.at("failed") == "false");
  CHECK(parse_run_options({"demo", "--pid=7"}, demo()).value().params.at("pid") == "7");
}

TEST_CASE("a malformed parameter value names the option") {
  CHECK(error_of({"demo", "--pid", "abc"}) ==
        "invalid value 'abc' for '--pid': expected an unsigned integer, e.g. --pid 1234");
  CHECK(error_of({"demo", "--failed=perhaps"}) == "invalid value 'perhaps' for '--failed': expected true or false");
}

TEST_CASE("an unknown option is refused, abbreviations included") {
  CHECK(error_of({"demo", "--bogus"}) == "unknown option '--bogus' for 'demo'; see 'ig run demo --help'");
  CHECK(error_of({"demo", "--pi", "1"}).starts_with("unknown option '--pi' for 'demo'"));
  CHECK(error_of({"demo", "--bogus=1"}).starts_with("unknown option '--bogus"));
}

TEST_CASE("an unexpected positional argument is refused") {
  CHECK(error_of({"demo", "extra"}) ==
        "unexpected argument 'extra'; parameters are options, see 'ig run demo --help'");
  CHECK(error_of({"demo", "--pid", "1", "extra"}).starts_with("unexpected argument 'extra'"));
}

TEST_CASE("a missing option value is one line that points at --help") {
  std::string message = error_of({"demo", "--pid"});
  CHECK(message.find("pid") != std::string::npos);
  CHECK(message.ends_with("; see 'ig run demo --help'"));
  CHECK(message.find('\n') == std::string::npos);
}

TEST_CASE("no gadget at all is refused") {
  CHECK(error_of({"-o", "json"}) == "no gadget given; usage: ig run GADGET [options]");
}

TEST_CASE("help lists every parameter and column with its meaning") {
  ig::Description d = demo();
  ig::Field pid;
  pid.name = "pid";
  pid.help = "process id";
  ig::Field secret;
  secret.name = "secret";
  secret.hidden = true;
  secret.help = "json only";
  d.fields = {pid, secret};
  std::string help = ig::host::run_help(d);
  CHECK(help.starts_with("Usage: ig run demo [options]\n\na gadget for tests (version 1.0.0)\n"));
  CHECK(help.find("--pid uint") != std::string::npos);
  CHECK(help.find("--interval duration") != std::string::npos);
  CHECK(help.find("(default 1s)") != std::string::npos);
  CHECK(help.find("pid (u32)") != std::string::npos);
  CHECK(help.find("process id") != std::string::npos);
  CHECK(help.find("secret (u32)") != std::string::npos);
  CHECK(help.find("[json only unless named in --fields]") != std::string::npos);
}
