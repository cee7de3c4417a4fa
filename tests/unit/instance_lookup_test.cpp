// find_instance: the rule every command that takes an instance follows.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/instance_lookup.h"

using namespace ig::host;

namespace {

InstanceSpec spec(const std::string& id, const std::string& name) {
  return {InstanceId::parse(id).value(), InstanceName::parse(name).value(), "trace_open", {}, 0};
}

}  // namespace

TEST_CASE("an instance is found by name, full id or unique id prefix; others are one-line errors") {
  InstanceSpec a = spec("0123456789abcdef0123456789abcdef", "web");
  InstanceSpec b = spec("0123ffffffffffffffffffffffffffff", "db");
  InstanceSpec c = spec("abcdef0123456789abcdef0123456789", "cache");
  std::vector<const InstanceSpec*> all{&a, &b, &c};
  CHECK(find_instance("web", all).value() == a.id);
  CHECK(find_instance(b.id.str(), all).value() == b.id);
  CHECK(find_instance("0123f", all).value() == b.id);
  CHECK(find_instance("a", all).value() == c.id);
  CHECK(find_instance("", all).error().message == "no instance given; name one, or give its id");
  CHECK(find_instance("nope", all).error().message == "no instance named 'nope' or with that id; see 'ig list'");
  CHECK(find_instance("0123", all).error().message ==
        "id prefix '0123' is ambiguous: it matches 0123456789ab (web), 0123ffffffff (db); give more characters");
  CHECK(find_instance("web", {}).error().message == "no instance named 'web' or with that id; see 'ig list'");
}

TEST_CASE("an exact name wins over an id prefix it also is") {
  InstanceSpec a = spec("0123456789abcdef0123456789abcdef", "abc");
  InstanceSpec b = spec("abcdef0123456789abcdef0123456789", "other");
  CHECK(find_instance("abc", {&a, &b}).value() == a.id);
}

TEST_CASE("a full id reaches its instance even when another is named after it (fuzz_instance_lookup)") {
  InstanceSpec named_like_b = spec("0000000000000000000000000000000a", "ffffffffffffffffffffffffffffffff");
  InstanceSpec b = spec("ffffffffffffffffffffffffffffffff", "b");
  CHECK(find_instance(b.id.str(), {&named_like_b, &b}).value() == b.id);
}
