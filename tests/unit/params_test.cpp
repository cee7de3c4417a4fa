// Durations and gadget parameter values as the user types them.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <string>

#include "cli/run_options.h"

using namespace std::chrono_literals;
using ig::Param;
using ig::ParamType;
using ig::host::normalize_param;
using ig::host::parse_duration;

namespace {

std::string error_of(const ig::Result<std::string>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

}  // namespace

TEST_CASE("durations accept every unit and a bare number means seconds") {
  CHECK(parse_duration("5").value() == 5s);
  CHECK(parse_duration("10ns").value() == 10ns);
  CHECK(parse_duration("250us").value() == 250us);
  CHECK(parse_duration("500ms").value() == 500ms);
  CHECK(parse_duration("2s").value() == 2s);
  CHECK(parse_duration("1.5m").value() == 90s);
  CHECK(parse_duration("1h").value() == 3600s);
  CHECK(parse_duration("0.25").value() == 250ms);
}

TEST_CASE("bad durations are refused with a message quoting them") {
  for (const char* text : {"", "abc", "5x", "ms", "-1", "1.2.3", "1e3", "5 s", ".", "inf", "nan"}) {
    CAPTURE(text);
    auto d = parse_duration(text);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message == "invalid duration '" + std::string(text) + "'; use e.g. 5, 500ms, 2s, 1m");
  }
}

TEST_CASE("zero, sub-nanosecond and absurdly long durations are refused") {
  for (const char* text : {"0", "0s", "0.5ns", "40000000h"}) {
    CAPTURE(text);
    auto d = parse_duration(text);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message.starts_with("invalid duration '" + std::string(text) + "': it must be positive"));
  }
}

TEST_CASE("bool parameters normalise to true or false") {
  Param p{"failed", ParamType::Bool, "false", ""};
  for (const char* yes : {"true", "1", "yes"}) CHECK(normalize_param(p, yes).value() == "true");
  for (const char* no : {"false", "0", "no"}) CHECK(normalize_param(p, no).value() == "false");
  CHECK(error_of(normalize_param(p, "maybe")) == "invalid value 'maybe' for '--failed': expected true or false");
}

TEST_CASE("uint parameters accept 0 to 2^64-1 in canonical form") {
  Param p{"pid", ParamType::Uint, "", ""};
  CHECK(normalize_param(p, "0").value() == "0");
  CHECK(normalize_param(p, "0042").value() == "42");
  CHECK(normalize_param(p, "18446744073709551615").value() == "18446744073709551615");
  CHECK(error_of(normalize_param(p, "abc")) ==
        "invalid value 'abc' for '--pid': expected an unsigned integer, e.g. --pid 1234");
  for (const char* bad : {"-1", "+1", "", "12a", " 1", "1.0"}) {
    CAPTURE(bad);
    CHECK(error_of(normalize_param(p, bad)).starts_with("invalid value '" + std::string(bad) + "' for '--pid'"));
  }
  CHECK(error_of(normalize_param(p, "18446744073709551616")) ==
        "invalid value '18446744073709551616' for '--pid': expected an unsigned integer below 2^64");
}

TEST_CASE("int parameters accept signed 64-bit values") {
  Param p{"delta", ParamType::Int, "", ""};
  CHECK(normalize_param(p, "-5").value() == "-5");
  CHECK(normalize_param(p, "007").value() == "7");
  CHECK(normalize_param(p, "-9223372036854775808").value() == "-9223372036854775808");
  CHECK(error_of(normalize_param(p, "x")) == "invalid value 'x' for '--delta': expected an integer, e.g. --delta 10");
  CHECK(error_of(normalize_param(p, "-")).starts_with("invalid value '-' for '--delta'"));
  CHECK(error_of(normalize_param(p, "--5")).starts_with("invalid value '--5' for '--delta'"));
  CHECK(error_of(normalize_param(p, "9223372036854775808")) ==
        "invalid value '9223372036854775808' for '--delta': expected an integer in 64 bits");
}

TEST_CASE("duration parameters normalise to nanoseconds") {
  Param p{"interval", ParamType::Duration, "", ""};
  CHECK(normalize_param(p, "2s").value() == "2000000000");
  CHECK(normalize_param(p, "1").value() == "1000000000");
  CHECK(normalize_param(p, "3ms").value() == "3000000");
  CHECK(error_of(normalize_param(p, "soon")) ==
        "invalid value 'soon' for '--interval': expected a duration, e.g. 500ms, 2s, 1m");
  // A duration, but not one a parameter can take: say which bound it crosses.
  CHECK(error_of(normalize_param(p, "0s")) == "invalid value '0s' for '--interval': the duration must be above 0");
  CHECK(error_of(normalize_param(p, "0")) == "invalid value '0' for '--interval': the duration must be above 0");
  CHECK(error_of(normalize_param(p, "100000000h")) ==
        "invalid value '100000000h' for '--interval': the duration must be under 30 years");
  CHECK(error_of(normalize_param(p, "0")).starts_with("invalid value '0' for '--interval'"));
}

TEST_CASE("string parameters pass through untouched") {
  Param p{"comm", ParamType::String, "", ""};
  CHECK(normalize_param(p, "").value() == "");
  CHECK(normalize_param(p, "my prog \"x\"").value() == "my prog \"x\"");
}

TEST_CASE("every parameter error is one line naming the option") {
  const Param params[] = {{"b", ParamType::Bool, "", ""},
                          {"i", ParamType::Int, "", ""},
                          {"u", ParamType::Uint, "", ""},
                          {"d", ParamType::Duration, "", ""}};
  for (const Param& p : params) {
    CAPTURE(p.name);
    std::string message = error_of(normalize_param(p, "bad value"));
    CHECK(message.starts_with("invalid value 'bad value' for '--" + p.name + "': expected "));
    CHECK(message.find('\n') == std::string::npos);
  }
}

// What the daemon takes from a client or a state file: run's values, already canonical.
namespace {

ig::Description every_type() {
  ig::Description d;
  d.name = "g";
  d.params = {{"pid", ParamType::Uint, "", ""},
              {"failed", ParamType::Bool, "", ""},
              {"interval", ParamType::Duration, "1s", ""},
              {"delta", ParamType::Int, "-3", ""},
              {"comm", ParamType::String, "", ""}};
  return d;
}

}  // namespace

TEST_CASE("the daemon accepts canonical values and fills in defaults, as ig run sends them") {
  const ig::Description d = every_type();
  std::map<std::string, std::string> given{{"pid", "42"}, {"failed", "true"}, {"interval", "500000000"},
                                           {"other", "kept"}};
  auto checked = ig::host::check_canonical_params(d, given);
  REQUIRE(checked.ok());
  CHECK(checked.value() == std::map<std::string, std::string>{{"pid", "42"}, {"failed", "true"},
                                                              {"interval", "500000000"}, {"delta", "-3"},
                                                              {"comm", ""}, {"other", "kept"}});
  CHECK(ig::host::check_canonical_params(d, {}).value().at("interval") == "1000000000");
}

TEST_CASE("the daemon refuses a value run would refuse, naming the key and the value") {
  const ig::Description d = every_type();
  auto refused = [&](const std::string& key, const std::string& value) {
    auto checked = ig::host::check_canonical_params(d, {{key, value}});
    REQUIRE_FALSE(checked.ok());
    return checked.error().message;
  };
  CHECK(refused("pid", "notanumber") == "invalid value 'notanumber' for '--pid': expected an unsigned integer, e.g. "
                                        "--pid 1234");
  CHECK(refused("pid", "007") == "invalid value '007' for '--pid': expected its canonical form '7'");
  CHECK(refused("failed", "yes") == "invalid value 'yes' for '--failed': expected its canonical form 'true'");
  CHECK(refused("failed", "") == "invalid value '' for '--failed': expected true or false");
  CHECK(refused("delta", "1.5").starts_with("invalid value '1.5' for '--delta': expected an integer"));
  for (const char* bad : {"2s", "0", "-5", "99999999999999999999"}) {
    CAPTURE(bad);
    CHECK(refused("interval", bad) == "invalid value '" + std::string(bad) +
                                          "' for '--interval': expected a duration in nanoseconds above 0, e.g. "
                                          "500000000");
  }
}
