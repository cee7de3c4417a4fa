// The daemon's named, long-lived instances: create, resolve by name/id/prefix,
// persist detached ones, restore them at start, remove. It speaks in typed values
// (InstanceInfo, InstanceSink); the wire is the Connection's business.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/state_store.h"
#include "daemon/resident_plugins.h"
#include "loader/plugin_loader.h"
#include "runtime/instance.h"
#include "runtime/instance_info.h"
#include "runtime/instance_sink.h"

namespace ig::host {

struct RunRequest {
  std::string gadget;  // name or absolute .so path
  std::optional<InstanceName> name;  // none: generate one
  std::map<std::string, std::string> params;
  bool detach = false;
};

// The instance a client started or attached to.
struct StartedInstance {
  InstanceId id;
  InstanceName name;
  std::string gadget;  // as asked for: a gadget name or an absolute plugin path
  std::string plugin;  // the plugin file that serves it
  Presentation presentation;
};

class InstanceManager {
 public:
  InstanceManager(HostServices& services, PluginCatalog catalog, StateStore& store);
  ~InstanceManager();

  // Start an instance. A foreground one streams to `owner` and dies with it.
  Result<StartedInstance> run(const RunRequest& request, std::shared_ptr<InstanceSink> owner);
  // Name, full id, or unique id prefix → id.
  Result<InstanceId> resolve(const std::string& target) const;
  // Stop and forget an instance; a detached one's state file goes too. Returns its name.
  Result<InstanceName> remove(const InstanceId& id);
  // Drain the instance's queued events to its subscribers, then remove it.
  void stop_foreground(const InstanceId& id);
  // Stream a running instance's output to `subscriber` too.
  Result<StartedInstance> subscribe(const std::string& target, std::shared_ptr<InstanceSink> subscriber);
  void unsubscribe(const InstanceId& id, const InstanceSink* subscriber);

  // Restore every persisted instance (at daemon start).
  void restore_all();
  // Stop every instance, keeping state files (daemon shutdown).
  void stop_all();

  // Every instance, ordered by id.
  std::vector<InstanceInfo> list() const;
  std::size_t size() const { return instances_.size(); }

 private:
  struct Managed;

  Result<StartedInstance> start(InstanceSpec spec, bool detached, std::shared_ptr<InstanceSink> owner, bool restoring);
  // The instance with this name, if any.
  const Managed* find_named(const InstanceName& name) const;
  void erase_later(const InstanceId& id);
  void on_instance_finished(const InstanceId& id, const Result<void>& status);

  HostServices& services_;
  PluginCatalog catalog_;
  StateStore& store_;
  ResidentPlugins resident_;  // declared before the instances: outlives them
  std::map<InstanceId, std::unique_ptr<Managed>> instances_;
};

}  // namespace ig::host
