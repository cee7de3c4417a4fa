// The daemon's typed instance model and how a Connection puts it on the wire: the
// fields and words `ig list`, its JSON and the metrics have always shown.
#include <doctest/doctest.h>

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
