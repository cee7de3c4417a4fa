// One running gadget: the plugin's Gadget plus the Context the host gives it.
// Everything here runs on one asio event loop thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <ig/context.h>
#include <ig/host_access.h>
#include <ig/plugin.h>

#include "bpf/bpf_stats.h"
#include "loader/plugin_loader.h"
#include "metrics/metrics_registry.h"
#include "registry/registry.h"
#include "runtime/instance_info.h"
#include "runtime/instance_sink.h"

namespace ig::host {

// What every instance of one host shares. Outlives the instances.
struct HostServices {
  boost::asio::io_context& io;
  Registry& registry;
  BpfStatsSwitch& bpf_stats;
  MetricsRegistry* metrics = nullptr;  // null: this daemon serves no metrics
};

// The host powers are private bases: the plugin reaches them only through the
// Context accessors, which grant what its description declares.
class Instance final : public Context, private RegistryAccess, private BpfStatsAccess, private MetricsAccess {
 public:
  Instance(HostServices& services, PluginHandle plugin, InstanceSpec spec, InstanceSink& sink);
  ~Instance() override;
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  // Create the gadget and start it; on failure everything is released again.
  Result<void> start();
  // Idempotent: cancel watchers, leave the registry, stop and destroy the gadget.
  void stop();
  bool running() const { return gadget_ != nullptr; }
  // Give every watched fd one more read, so a stop loses nothing already queued.
  void drain();

  const InstanceSpec& spec() const { return spec_; }
  const Description& description() const { return plugin_->description(); }
  const InstanceCounters& counters() const { return counters_; }
  const Presentation& presentation() const { return presentation_; }

  // Context
  const Params& params() const override { return params_; }
  std::string_view instance_id() const override { return spec_.id.str(); }
  std::string_view instance_name() const override { return spec_.name.str(); }
  void emit(const void* record, std::size_t size) override;
  void report_lost(std::uint64_t count) override;
  void log(LogLevel level, std::string_view message) override;
  void watch_fd(int fd, std::function<void()> on_readable) override;
  void every(std::chrono::nanoseconds period, std::function<void()> tick) override;
  void finish(Result<void> status) override;
  void register_bpf(const BpfObjectIds& ids) override;
  void unregister_bpf(const BpfObjectIds& ids) override;
  RegistryAccess* registry() override;
  BpfStatsAccess* bpf_stats() override;
  MetricsAccess* metrics() override;
  void finishes_by_itself() override { presentation_.finishes_by_itself = true; }
  Result<void> default_fields(std::vector<std::string> names) override;

 private:
  // Host powers (ig/host_access.h)
  std::vector<RegisteredInstance> snapshot() const override;
  Result<std::shared_ptr<void>> enable() override;
  bool already_on() const override;
  Result<void> publish(std::vector<MetricFamily> families) override;
  // Whether the plugin's description declares `capability` (a refusal is logged at debug).
  bool declares(Capability capability) const;

  struct Watcher;
  struct Timer;
  // Runs a plugin call, turning an exception into an error for this instance only.
  template <class F>
  Result<void> guarded(const char* what, F&& call);
  // Wait on `source` (a Watcher or a Timer) and run its callback through guarded(),
  // again and again until the instance stops; a callback that throws finishes it.
  template <class Source>
  void keep_waiting(const char* what, Source& source);

  PluginHandle plugin_;  // declared first: the library outlives everything below
  boost::asio::io_context& io_;
  Registry& registry_;
  BpfStatsSwitch& bpf_stats_;
  MetricsRegistry* metrics_;
  InstanceSpec spec_;
  Params params_;
  InstanceSink& sink_;
  std::shared_ptr<bool> alive_;  // handlers already queued check it before touching us
  std::vector<std::unique_ptr<Watcher>> watchers_;
  std::vector<std::unique_ptr<Timer>> timers_;
  std::unique_ptr<Gadget> gadget_;
  InstanceCounters counters_;
  Presentation presentation_;
};

}  // namespace ig::host
