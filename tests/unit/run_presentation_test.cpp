// What a plugin asks of the client in start() (ABI 2.1), from the daemon's reply to
// the client's formatter: a run that ends by itself, and its own default columns.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/run_presentation.h"
#include "daemon/connection_messages.h"
#include "demo_record.h"

using namespace ig::host;

namespace {

StartedInstance started(Presentation presentation) {
  return {InstanceId::parse("0123456789abcdef0123456789abcdef").value(), InstanceName::parse("web").value(),
          "demo", "/x/demo.so", std::move(presentation)};
}

}  // namespace

TEST_CASE("the started reply carries the plugin's wishes only when it has some") {
  protocol::Message plain = started_message(started({}));
  CHECK_FALSE(plain.has("finishes"));
  CHECK_FALSE(plain.has("fields"));
  RunPresentation none = presentation_of(plain);
  CHECK_FALSE(none.finishes_by_itself);
  CHECK(none.default_fields.empty());

  RunPresentation asked = presentation_of(started_message(started({true, {"pid", "comm"}})));
  CHECK(asked.finishes_by_itself);
  CHECK(asked.default_fields == std::vector<std::string>{"pid", "comm"});
}

TEST_CASE("the plugin's columns apply to tables unless the user named --fields; JSON keeps every field") {
  RunPresentation presentation{false, {"comm", "pid"}};
  auto columns = formatter_for_run(ig::test::demo(), OutputFormat::Columns, {}, presentation);
  REQUIRE(columns.ok());
  CHECK(columns.value().header() == "COMM                 PID");
  auto user = formatter_for_run(ig::test::demo(), OutputFormat::Columns, {"fd"}, presentation);
  REQUIRE(user.ok());
  CHECK(user.value().header() == "     FD");
  auto json = formatter_for_run(ig::test::demo(), OutputFormat::Json, {}, presentation);
  auto json_all = RecordFormatter::create(ig::test::demo(), OutputFormat::Json);
  REQUIRE(json.ok());
  REQUIRE(json_all.ok());
  json.value().set_boot_to_realtime_ns(ig::test::kBootToRealtime);
  json_all.value().set_boot_to_realtime_ns(ig::test::kBootToRealtime);
  std::string a, b;
  ig::test::Record r = ig::test::sample();
  json.value().append(r.bytes.data(), 70, a);
  json_all.value().append(r.bytes.data(), 70, b);
  CHECK(a == b);
  CHECK(a.find("\"fd\"") != std::string::npos);
}
