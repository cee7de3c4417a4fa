// The daemon's instance manager without a kernel: restore, list, resolve, run and
// remove, with test plugins that load no BPF: one whose start throws, and one that
// emits a record and finishes at once (host_access_none).
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bpf/bpf_stats.h"
#include "daemon/instance_manager.h"
#include "daemon/state_store.h"
#include "registry/registry.h"
#include "temp_dir.h"
#include "test_plugin_path.h"

namespace fs = std::filesystem;
using namespace ig;
using namespace ig::host;

namespace {

const std::string kId = "0123456789abcdef0123456789abcdef";

// One daemon's worth of instance management over private plugin and state dirs.
struct Daemon {
  TempDir plugins, state;
  boost::asio::io_context io;
  Registry registry;
  BpfStatsSwitch bpf_stats;
  HostServices services{io, registry, bpf_stats, nullptr};
  StateStore store{state.path};
  std::unique_ptr<InstanceManager> manager;

  Daemon() {
    fs::copy_file(test_plugin_path("IG_PLUGIN_THROWS_IN_START"), plugins.path / "throws_in_start.so");
    fs::copy_file(test_plugin_path("IG_PLUGIN_HOST_ACCESS_NONE"), plugins.path / "host_access_none.so");
    REQUIRE(store.prepare().ok());
    manager = std::make_unique<InstanceManager>(services, PluginCatalog({plugins.path}), store);
  }

  void persist(const std::string& id, const std::string& name, const std::string& gadget) {
    InstanceSpec spec{InstanceId::parse(id).value(), InstanceName::parse(name).value(), gadget, {{"pid", "1"}},
                      1764133200};
    REQUIRE(store.save(spec).ok());
  }
};

// A client: what it heard, in order.
struct Client final : InstanceSink {
  std::vector<std::string> heard;
  void on_event(const void*, std::size_t size) override { heard.push_back("event " + std::to_string(size)); }
  void on_lost(std::uint64_t count) override { heard.push_back("lost " + std::to_string(count)); }
  void on_log(LogLevel, std::string_view message) override { heard.push_back("log " + std::string(message)); }
  void on_finished(const Result<void>& status) override {
    heard.push_back("finished " + (status ? std::string("ok") : status.error().message));
  }
};

}  // namespace

TEST_CASE("a detached run returns the id and name it got, is persisted, and exits when its gadget finishes") {
  Daemon d;
  RunRequest request{"host_access_none", std::nullopt, {{"pid", "7"}}, true};
  auto started = d.manager->run(request, nullptr);
  REQUIRE_MESSAGE(started.ok(), started.error().message);
  CHECK(InstanceName::parse(started->name.str()).ok());  // generated
  CHECK(started->gadget == "host_access_none");
  CHECK(started->plugin == (d.plugins.path / "host_access_none.so").string());
  CHECK(fs::exists(d.store.file_for(started->id)));

  auto running = d.manager->list();
  REQUIRE(running.size() == 1);
  CHECK(running[0].spec.id == started->id);
  CHECK(running[0].spec.name == started->name);
  CHECK(running[0].spec.params == std::map<std::string, std::string>{{"pid", "7"}});
  CHECK(running[0].status == InstanceStatus::Running);
  CHECK(running[0].detached);
  REQUIRE(running[0].counters.has_value());
  CHECK(running[0].counters->events == 1);
  CHECK(running[0].counters->lost == 0);

  d.io.run();  // the gadget's finish() runs on the loop
  auto exited = d.manager->list();
  REQUIRE(exited.size() == 1);
  CHECK(exited[0].status == InstanceStatus::Exited);
  CHECK(exited[0].error.empty());
  REQUIRE(exited[0].counters.has_value());
  CHECK(exited[0].counters->events == 1);
}

TEST_CASE("a foreground run streams to its client, which hears the end, and then it is gone") {
  Daemon d;
  auto client = std::make_shared<Client>();
  RunRequest request{"host_access_none", InstanceName::parse("fg").value(), {}, false};
  auto started = d.manager->run(request, client);
  REQUIRE_MESSAGE(started.ok(), started.error().message);
  CHECK(started->name.str() == "fg");
  CHECK(d.manager->list().size() == 1);
  CHECK(fs::is_empty(d.state.path));  // only detached instances persist
  d.io.run();
  CHECK(client->heard == std::vector<std::string>{"event 8", "finished ok"});
  CHECK(d.manager->list().empty());
}

TEST_CASE("an attached client hears the end too: 'removed' with the reason, or a foreground stop") {
  Daemon d;
  auto owner = std::make_shared<Client>(), watcher = std::make_shared<Client>();
  RunRequest request{"host_access_none", InstanceName::parse("fg").value(), {}, false};
  auto started = d.manager->run(request, owner);
  REQUIRE(started.ok());
  auto attached = d.manager->subscribe("fg", watcher);
  REQUIRE_MESSAGE(attached.ok(), attached.error().message);
  CHECK(attached->id == started->id);
  CHECK(attached->plugin == started->plugin);

  SUBCASE("remove") {
    auto removed = d.manager->remove(started->id);
    REQUIRE(removed.ok());
    CHECK(removed->str() == "fg");
    CHECK(owner->heard == std::vector<std::string>{"event 8", "finished instance 'fg' was removed"});
    CHECK(watcher->heard == std::vector<std::string>{"finished instance 'fg' was removed"});
  }
  SUBCASE("stop_foreground") {
    d.manager->stop_foreground(started->id);
    CHECK(owner->heard == std::vector<std::string>{"event 8", "finished ok"});
    CHECK(watcher->heard == std::vector<std::string>{"finished ok"});
  }
  SUBCASE("a client that unsubscribed hears nothing more") {
    d.manager->unsubscribe(started->id, watcher.get());
    d.manager->stop_foreground(started->id);
    CHECK(watcher->heard.empty());
  }
  CHECK(d.manager->list().empty());
  d.io.run();  // the finish() the gadget queued finds its instance gone
  CHECK(owner->heard.size() == 2);
}

TEST_CASE("a restored instance whose gadget fails stays listed as an error with the reason") {
  Daemon d;
  d.persist(kId, "web", "throws_in_start");
  d.manager->restore_all();
  auto list = d.manager->list();
  REQUIRE(list.size() == 1);
  const InstanceInfo& info = list[0];
  CHECK(info.spec.id.str() == kId);
  CHECK(info.spec.name.str() == "web");
  CHECK(info.spec.gadget == "throws_in_start");
  CHECK(info.spec.params == std::map<std::string, std::string>{{"pid", "1"}});
  CHECK(info.spec.created == 1764133200);
  CHECK(info.status == InstanceStatus::Error);
  CHECK(info.error.find("throws_in_start: deliberate failure in start()") != std::string::npos);
  CHECK(info.detached);
  CHECK_FALSE(info.counters.has_value());  // its gadget never ran
  CHECK(d.registry.snapshot().empty());    // and it left the registry

  SUBCASE("it resolves by name, id and unique id prefix, but cannot be attached to") {
    CHECK(d.manager->resolve("web").value() == info.spec.id);
    CHECK(d.manager->resolve(kId).value() == info.spec.id);
    CHECK(d.manager->resolve("0123").value() == info.spec.id);
    CHECK(d.manager->resolve("nope").error().message == "no instance named 'nope' or with that id; see 'ig list'");
    auto attached = d.manager->subscribe("web", nullptr);
    REQUIRE_FALSE(attached.ok());
    CHECK(attached.error().message == "instance 'web' is not running (error: " + info.error + ")");
  }
  SUBCASE("its name is taken") {
    RunRequest request{"throws_in_start", InstanceName::parse("web").value(), {}, true};
    auto run = d.manager->run(request, nullptr);
    REQUIRE_FALSE(run.ok());
    CHECK(run.error().message.starts_with("an instance named 'web' already exists (id 0123456789ab, gadget "));
  }
  SUBCASE("removing it returns its name and deletes its state file") {
    auto removed = d.manager->remove(info.spec.id);
    REQUIRE(removed.ok());
    CHECK(removed->str() == "web");
    CHECK(d.manager->list().empty());
    CHECK_FALSE(fs::exists(d.store.file_for(info.spec.id)));
  }
}

TEST_CASE("a state file naming a gadget that cannot be loaded is moved aside, not listed") {
  Daemon d;
  d.persist(kId, "gone", "no_such_gadget");
  d.manager->restore_all();
  CHECK(d.manager->list().empty());
  CHECK(fs::exists(d.state.path / (kId + ".toml.broken")));
}

TEST_CASE("a run whose gadget fails to start is refused and leaves nothing behind") {
  Daemon d;
  RunRequest request{"throws_in_start", std::nullopt, {}, true};
  auto run = d.manager->run(request, nullptr);
  REQUIRE_FALSE(run.ok());
  CHECK(run.error().message.find("deliberate failure in start()") != std::string::npos);
  CHECK(d.manager->list().empty());
  CHECK(fs::is_empty(d.state.path));
  CHECK(d.registry.snapshot().empty());
}
