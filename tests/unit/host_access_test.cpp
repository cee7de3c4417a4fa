// The plugin boundary's capabilities: Context grants a host power (ig/host_access.h)
// only to a plugin whose description declares it. Runs the host_access test plugins
// (tests/plugins/host_access.cpp) in an Instance; no kernel needed.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "bpf/bpf_stats.h"
#include "loader/plugin_loader.h"
#include "registry/registry.h"
#include "runtime/instance.h"
#include "test_plugin_path.h"

namespace {

// What tests/plugins/host_access.cpp emits.
struct Granted {
  std::uint8_t registry;
  std::uint8_t bpf_stats;
  std::uint8_t metrics;
  std::uint8_t pad;
  std::uint32_t instances;
};

struct RecordingSink final : ig::host::InstanceSink {
  std::vector<Granted> records;
  bool finished = false;
  void on_event(const void* record, std::size_t size) override {
    REQUIRE(size == sizeof(Granted));
    Granted g;
    std::memcpy(&g, record, sizeof(g));
    records.push_back(g);
  }
  void on_lost(std::uint64_t) override {}
  void on_log(ig::LogLevel, std::string_view) override {}
  void on_finished(const ig::Result<void>& status) override {
    CHECK(status.ok());
    finished = true;
  }
};

// Run one instance of the plugin to its finish() and return what it was granted.
Granted run(const std::string& env_name, const std::string& gadget) {
  auto plugin = ig::host::load_plugin(test_plugin_path(env_name));
  REQUIRE_MESSAGE(plugin.ok(), plugin.error().message);
  boost::asio::io_context io;
  ig::host::Registry registry;
  registry.add_instance("0123456789abcdef0123456789abcdef", "other", "trace_open");
  ig::host::BpfStatsSwitch bpf_stats("/nonexistent/bpf_stats_enabled");  // never acquired here
  ig::host::HostServices services{io, registry, bpf_stats, nullptr};
  RecordingSink sink;
  ig::host::InstanceSpec spec{ig::host::InstanceId::parse("fedcba9876543210fedcba9876543210").value(),
                              ig::host::InstanceName::parse(gadget).value(), gadget, {}, 0};
  ig::host::Instance instance(services, plugin.value(), spec, sink);
  auto started = instance.start();
  REQUIRE_MESSAGE(started.ok(), started.error().message);
  io.run();
  CHECK(sink.finished);
  REQUIRE(sink.records.size() == 1);
  return sink.records[0];
}

}  // namespace

TEST_CASE("a gadget that declares no capability cannot reach the registry, BPF stats or metrics") {
  Granted granted = run("IG_PLUGIN_HOST_ACCESS_NONE", "host_access_none");
  CHECK(granted.registry == 0);
  CHECK(granted.bpf_stats == 0);
  CHECK(granted.metrics == 0);
  CHECK(granted.instances == 0);
}

TEST_CASE("a plugin gets exactly the host powers it declares") {
  Granted granted = run("IG_PLUGIN_HOST_ACCESS_ALL", "host_access_all");
  CHECK(granted.registry == 1);
  CHECK(granted.bpf_stats == 1);
  CHECK(granted.metrics == 1);
  CHECK(granted.instances == 2);  // the other instance and itself
}
