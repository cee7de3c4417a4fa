// The daemon's typed instance model and how a Connection puts it on the wire: the
// fields and words `ig list`, its JSON and the metrics have always shown.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "daemon/connection_messages.h"
#include "runtime/instance_info.h"

using namespace ig::host;
using Fields = std::vector<std::pair<std::string, std::string>>;

namespace {

const std::string kId = "0123456789abcdef0123456789abcdef";

InstanceInfo sample_info() {
  InstanceSpec spec{InstanceId::parse(kId).value(), InstanceName::parse("web").value(), "trace_open",
                    {{"comm", "cat"}, {"pid", "42"}}, 1764133200};
  return InstanceInfo{spec, InstanceStatus::Running, "", true, InstanceCounters{10, 2}};
}

}  // namespace

TEST_CASE("a status has the word it always had") {
  CHECK(status_name(InstanceStatus::Running) == "running");
  CHECK(status_name(InstanceStatus::Exited) == "exited");
  CHECK(status_name(InstanceStatus::Error) == "error");
  CHECK(std::size(kInstanceStatuses) == 3);
}

TEST_CASE("a running detached instance is listed with its params and counters, in order") {
  protocol::Message entry = list_entry(sample_info());
  CHECK(entry.type() == protocol::Type::ListReply);
  CHECK(entry.fields() == Fields{{"id", kId},
                                 {"name", "web"},
                                 {"gadget", "trace_open"},
                                 {"status", "running"},
                                 {"created", "1764133200"},
                                 {"mode", "detached"},
                                 {"param.comm", "cat"},
                                 {"param.pid", "42"},
                                 {"events", "10"},
                                 {"lost", "2"}});
}

TEST_CASE("an instance whose gadget never started is listed with the reason and no counters") {
  InstanceInfo info = sample_info();
  info.status = InstanceStatus::Error;
  info.error = "gadget 'trace_open' threw in start: boom";
  info.counters.reset();
  info.detached = false;
  protocol::Message entry = list_entry(info);
  CHECK(entry.get("status") == "error");
  CHECK(entry.get("error") == "gadget 'trace_open' threw in start: boom");
  CHECK(entry.get("mode") == "foreground");
  CHECK_FALSE(entry.has("events"));
  CHECK_FALSE(entry.has("lost"));
}

TEST_CASE("an exited instance with no error has no error field") {
  InstanceInfo info = sample_info();
  info.status = InstanceStatus::Exited;
  protocol::Message entry = list_entry(info);
  CHECK(entry.get("status") == "exited");
  CHECK_FALSE(entry.has("error"));
  CHECK(entry.get("events") == "10");
}

TEST_CASE("a Run request: an empty name means generate one, any other must be valid") {
  protocol::Message run(protocol::Type::Run);
  run.add("gadget", "trace_open").add("name", "").add("detach", "1").add("param.pid", "42").add("param.comm", "");
  auto request = run_request(run);
  REQUIRE(request.ok());
  CHECK(request->gadget == "trace_open");
  CHECK_FALSE(request->name.has_value());
  CHECK(request->detach);
  CHECK(request->params == std::map<std::string, std::string>{{"comm", ""}, {"pid", "42"}});

  protocol::Message named(protocol::Type::Run);
  named.add("gadget", "trace_exec").add("name", "web-1").add("detach", "0");
  auto with_name = run_request(named);
  REQUIRE(with_name.ok());
  REQUIRE(with_name->name.has_value());
  CHECK(with_name->name->str() == "web-1");
  CHECK_FALSE(with_name->detach);

  protocol::Message bad(protocol::Type::Run);
  bad.add("gadget", "trace_open").add("name", "Not Valid");
  auto refused = run_request(bad);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "invalid instance name 'Not Valid': use 1 to 32 characters of a-z, 0-9, _ and -");
}

TEST_CASE("Started names the instance; the Attach reply adds its plugin file") {
  StartedInstance started{InstanceId::parse(kId).value(), InstanceName::parse("web").value(), "/opt/x/trace_open.so",
                          "/opt/x/trace_open.so", {}};
  CHECK(started_message(started).type() == protocol::Type::Started);
  CHECK(started_message(started).fields() ==
        Fields{{"id", kId}, {"name", "web"}, {"gadget", "/opt/x/trace_open.so"}});
  CHECK(attached_message(started).fields() == Fields{{"id", kId},
                                                     {"name", "web"},
                                                     {"gadget", "/opt/x/trace_open.so"},
                                                     {"plugin", "/opt/x/trace_open.so"}});
}

TEST_CASE("lost, log and finished frames") {
  CHECK(lost_message(7).type() == protocol::Type::Lost);
  CHECK(lost_message(7).fields() == Fields{{"count", "7"}});
  CHECK(log_message(ig::LogLevel::Warning, "slow").fields() == Fields{{"level", "1"}, {"message", "slow"}});
  CHECK(finished_message({}).type() == protocol::Type::Finished);
  CHECK(finished_message({}).fields().empty());
  CHECK(finished_message(ig::make_error("instance 'web' was removed")).fields() ==
        Fields{{"error", "instance 'web' was removed"}});
  CHECK(error_message("no").fields() == Fields{{"message", "no"}});
}
