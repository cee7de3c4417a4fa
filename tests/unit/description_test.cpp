// What the host accepts as a plugin's self-description.
#include <doctest/doctest.h>

#include <string>

#include "loader/plugin_loader.h"

using ig::FieldType;
using ig::ParamType;
using ig::host::check_description;

namespace {

ig::Field field(std::string name, FieldType type, std::uint32_t offset, std::uint32_t size) {
  return ig::make_field(std::move(name), type, offset, size, "help");
}

// Valid: a 24-byte record whose last field is a string list.
ig::Description valid() {
  ig::Description d;
  d.name = "my_gadget2";
  d.version = "1.0.0";
  d.summary = "valid";
  d.params = {{"pid", ParamType::Uint, "", ""}, {"max-depth", ParamType::Int, "", ""}};
  d.fields = {field("pid", FieldType::U32, 0, 4), field("error", FieldType::Errno, 4, 4),
              field("ts", FieldType::Timestamp, 8, 8), field("args", FieldType::StringList, 16, 8)};
  d.record_size = 24;
  return d;
}

}  // namespace

TEST_CASE("a sound description passes") {
  CHECK(check_description(valid()) == "");
}

TEST_CASE("a description with no params and no fields passes") {
  ig::Description d;
  d.name = "bare";
  CHECK(check_description(d) == "");
}

TEST_CASE("gadget names must be lowercase letters, digits and _, 1 to 32 long") {
  for (const char* bad : {"", "Trace_open", "trace-open", "trace open", "a/b", "..", "trace.open",
                          "a23456789012345678901234567890123"}) {
    CAPTURE(bad);
    ig::Description d = valid();
    d.name = bad;
    CHECK(check_description(d) == "invalid gadget name '" + std::string(bad) + "': it must match ^[a-z0-9_]{1,32}$");
  }
  ig::Description d = valid();
  d.name = "a2345678901234567890123456789012";  // exactly 32
  CHECK(check_description(d) == "");
}

TEST_CASE("parameter names must match ^[a-z0-9_-]{1,32}$") {
  for (const char* bad : {"", "Pid", "p id", "p=1", "a23456789012345678901234567890123"}) {
    CAPTURE(bad);
    ig::Description d = valid();
    d.params[1].name = bad;
    CHECK(check_description(d) ==
          "invalid parameter name '" + std::string(bad) + "': it must match ^[a-z0-9_-]{1,32}$");
  }
}

TEST_CASE("parameters may not take a name ig run uses itself") {
  for (const char* reserved : {"help", "output", "timeout", "name", "detach", "verbose", "fields"}) {
    CAPTURE(reserved);
    ig::Description d = valid();
    d.params[0].name = reserved;
    CHECK(check_description(d) == "parameter '" + std::string(reserved) + "' is reserved by ig run");
  }
}

TEST_CASE("a parameter declared twice is refused") {
  ig::Description d = valid();
  d.params[1].name = "pid";
  CHECK(check_description(d) == "duplicate parameter 'pid'");
}

TEST_CASE("field names that are no valid identifier are refused") {
  // Bad under any naming rule: empty, leading digit, punctuation, too long.
  for (const char* bad : {"", "9lives", "a-b", "a b", "a.b", "a23456789012345678901234567890123"}) {
    CAPTURE(bad);
    ig::Description d = valid();
    d.fields[1].name = bad;
    std::string message = check_description(d);
    CHECK(message.starts_with("invalid field name '" + std::string(bad) + "': it must match "));
  }
}

TEST_CASE("a field declared twice is refused") {
  ig::Description d = valid();
  d.fields[2].name = "pid";
  CHECK(check_description(d) == "duplicate field 'pid'");
}

TEST_CASE("a field reaching past the record is refused, one ending at its end is not") {
  ig::Description d = valid();
  d.fields[2] = field("ts", FieldType::Timestamp, 12, 8);  // bytes 12..19 of 24: fine
  CHECK(check_description(d) == "");
  d.record_size = 19;
  d.fields.pop_back();  // the string list at 16 would also stick out
  CHECK(check_description(d) == "field 'ts' lies outside the record (19 bytes)");
  d.fields[2] = field("ts", FieldType::Timestamp, 0xffffffffu, 8);  // no wrap-around
  CHECK(check_description(d) == "field 'ts' lies outside the record (19 bytes)");
}

TEST_CASE("a fixed-width field must be exactly its type's width (fuzz_record_formatter)") {
  // The formatter reads the type's whole width: a 1-byte U32 at the end of a record
  // read 3 bytes past it.
  ig::Description d = valid();
  d.fields[0] = field("pid", FieldType::U32, 3, 1);
  const std::string fix = "; declare it with IG_FIELD on a member of that type";
  CHECK(check_description(d) == "field 'pid' has size 1, its type needs 4" + fix);
  d.fields[0] = field("pid", FieldType::F64, 0, 4);
  CHECK(check_description(d) == "field 'pid' has size 4, its type needs 8" + fix);
  d.fields[0] = field("pid", FieldType::Bool, 0, 4);
  CHECK(check_description(d) == "field 'pid' has size 4, its type needs 1" + fix);
  d.fields[0] = field("pid", FieldType::String, 0, 1);
  CHECK(check_description(d) == "");
}

TEST_CASE("a string list must be the last field") {
  ig::Description d = valid();
  std::swap(d.fields[2], d.fields[3]);
  CHECK(check_description(d) == "string list field 'args' must be the last field");
}
