// Gadget parameters as `ig run` parses them: a description with parameters of every
// type (bool, int, uint, string, duration) built from the input, then a command line
// from the input. Parsing gives RunOptions or one error, never a crash; every value
// it accepts is canonical (normalising it again changes nothing) and the getters a
// gadget calls on it (ig::Params, which promise never to fail) do not throw. The
// comma list of --fields keeps no empty item. `ig run NAME --help` renders too.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/run_options.h"
#include "fuzz_check.h"
#include "loader/plugin_loader.h"

using namespace ig;
using namespace ig::host;

namespace {

constexpr const char* kNames[] = {"pid", "failed", "interval", "count", "comm", "uid", "min-size", "x_1"};
constexpr const char* kWords[] = {"trace_open", "--detach", "--name", "-o", "json", "--fields", "--timeout",
                                  "--", "-v", "--help", "true", "0", "-1", "500ms", "18446744073709551616"};

std::string some_text(FuzzedDataProvider& in, std::size_t max) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: return kWords[in.ConsumeIntegralInRange<std::size_t>(0, std::size(kWords) - 1)];
    case 1: return "--" + std::string(kNames[in.ConsumeIntegralInRange<std::size_t>(0, std::size(kNames) - 1)]);
    default: return in.ConsumeRandomLengthString(max);
  }
}

Description description(FuzzedDataProvider& in) {
  Description d;
  d.name = "fuzz";
  d.version = "1";
  std::size_t count = in.ConsumeIntegralInRange(0, 6);
  for (std::size_t i = 0; i < count; ++i) {
    Param p;
    p.name = in.ConsumeBool() ? kNames[in.ConsumeIntegralInRange<std::size_t>(0, std::size(kNames) - 1)]
                              : in.ConsumeRandomLengthString(34);
    p.type = static_cast<ParamType>(in.ConsumeIntegralInRange(0, 4));
    p.default_value = in.ConsumeBool() ? in.ConsumeRandomLengthString(24) : "";
    p.help = "help";
    d.params.push_back(std::move(p));
  }
  return d;
}

void check_value(const Param& p, const std::string& value) {
  if (value.empty()) return;  // unset
  auto again = normalize_param(p, value);
  if (p.type != ParamType::Duration) {  // a duration is normalised to nanoseconds, read back as seconds
    IG_FUZZ_CHECK(again.ok() && again.value() == value, "a normalised value is canonical");
  }
  Params params({{p.name, value}});
  try {
    switch (p.type) {
      case ParamType::Bool: IG_FUZZ_CHECK(value == "true" || value == "false", "a bool is true or false"); break;
      case ParamType::Int: (void)params.get_int(p.name); break;
      case ParamType::Uint: (void)params.get_uint(p.name); break;
      case ParamType::Duration: IG_FUZZ_CHECK(params.get_duration(p.name).count() > 0, "a duration is positive"); break;
      case ParamType::String: IG_FUZZ_CHECK(params.get_string(p.name) == value, "a string is kept"); break;
    }
  } catch (...) {
    IG_FUZZ_CHECK(false, "a getter threw on a value the host accepted");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  Description d = description(in);
  if (!check_description(d).empty()) return 0;  // the loader refuses it; ig run never sees it

  std::vector<std::string> args;
  std::size_t count = in.ConsumeIntegralInRange(0, 12);
  for (std::size_t i = 0; i < count; ++i) args.push_back(some_text(in, 40));

  (void)run_help(d);
  (void)parse_duration(in.ConsumeRandomLengthString(32));
  auto options = parse_run_options(args, d);
  if (!options) {
    IG_FUZZ_CHECK(!options.error().message.empty(), "an error says what is wrong");
    return 0;
  }
  IG_FUZZ_CHECK(std::find(args.begin(), args.end(), options->gadget) != args.end(), "the gadget is one of the words");
  for (const Param& p : d.params) {
    auto it = options->params.find(p.name);
    IG_FUZZ_CHECK(it != options->params.end(), "every declared parameter has a value, maybe unset");
    check_value(p, it->second);
  }
  for (const std::string& field : options->fields) IG_FUZZ_CHECK(!field.empty(), "--fields keeps no empty name");
  if (options->timeout) IG_FUZZ_CHECK(options->timeout->count() > 0, "a timeout is positive");
  return 0;
}
