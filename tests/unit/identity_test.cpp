// Instance ids and names: one parser each, and what the generators make passes it.
#include <doctest/doctest.h>

#include <string>

#include "runtime/identity.h"

using ig::host::InstanceId;
using ig::host::InstanceName;

TEST_CASE("an instance name is 1 to 32 characters of a-z, 0-9, _ and -") {
  for (const char* good : {"a", "web-1", "trace_open_2", "0123456789abcdef0123456789abcdef"}) {
    auto name = InstanceName::parse(good);
    REQUIRE_MESSAGE(name.ok(), good);
    CHECK(name->str() == good);
  }
  for (const char* bad : {"", "Web", "a b", "a.b", "a/b", "0123456789abcdef0123456789abcdef0"}) {
    auto name = InstanceName::parse(bad);
    REQUIRE_FALSE_MESSAGE(name.ok(), bad);
    CHECK(name.error().message ==
          "invalid instance name '" + std::string(bad) + "': use 1 to 32 characters of a-z, 0-9, _ and -");
  }
}

TEST_CASE("an instance id is 32 lowercase hex characters; the short form is its first 12") {
  auto id = InstanceId::parse("0123456789abcdef0123456789abcdef");
  REQUIRE(id.ok());
  CHECK(id->str() == "0123456789abcdef0123456789abcdef");
  CHECK(id->short_form() == "0123456789ab");
  for (const char* bad : {"", "0123456789ABCDEF0123456789abcdef", "0123456789abcdef0123456789abcde",
                          "0123456789abcdef0123456789abcdef0", "my-instance"}) {
    auto parsed = InstanceId::parse(bad);
    REQUIRE_FALSE_MESSAGE(parsed.ok(), bad);
    CHECK(parsed.error().message == "invalid instance id '" + std::string(bad) + "': use 32 lowercase hex characters");
  }
}

TEST_CASE("generated ids and names are valid, and ids differ") {
  InstanceId a = InstanceId::generate(), b = InstanceId::generate();
  CHECK(InstanceId::parse(a.str()).ok());
  CHECK(a != b);
  for (int i = 0; i < 20; ++i) {
    InstanceName name = InstanceName::generate();
    CHECK_MESSAGE(InstanceName::parse(name.str()).ok(), name.str());
  }
}
