// The daemon's named, long-lived instances: create, resolve by name/id/prefix,
// persist detached ones, restore them at start, remove.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/state_store.h"
#include "loader/plugin_loader.h"
#include "protocol/message.h"
#include "runtime/instance.h"

namespace ig::host {

// A client connection that receives an instance's output.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  virtual void send(const protocol::Message& message) = 0;
  virtual void send_event(const void* record, std::size_t size) = 0;
};

struct RunRequest {
  std::string gadget;  // name or absolute .so path
  std::optional<InstanceName> name;  // none: generate one
  std::map<std::string, std::string> params;
  bool detach = false;
};

class InstanceManager {
 public:
  InstanceManager(HostServices& services, PluginCatalog catalog, StateStore& store);
  ~InstanceManager();

  // Start an instance. A foreground one streams to `owner` and dies with it.
  Result<InstanceId> run(const RunRequest& request, std::shared_ptr<Subscriber> owner);
  // Name, full id, or unique id prefix → id.
  Result<InstanceId> resolve(const std::string& target) const;
  // Stop and forget an instance; a detached one's state file goes too. Returns its name.
  Result<InstanceName> remove(const InstanceId& id);
  // Drain the instance's queued events to its subscribers, then remove it.
  void stop_foreground(const InstanceId& id);
  Result<InstanceId> subscribe(const std::string& target, std::shared_ptr<Subscriber> subscriber,
                               protocol::Message& started);
  void unsubscribe(const InstanceId& id, const Subscriber* subscriber);

  // Restore every persisted instance (at daemon start).
  void restore_all();
  // Stop every instance, keeping state files (daemon shutdown).
  void stop_all();

  // Every instance, ordered by id.
  std::vector<InstanceInfo> list() const;
  std::size_t size() const { return instances_.size(); }

 private:
  struct Managed;
  class FanoutSink;

  Result<InstanceId> start(InstanceSpec spec, bool detached, std::shared_ptr<Subscriber> owner, bool restoring);
  // The instance with this name, if any.
  const Managed* find_named(const InstanceName& name) const;
  void erase_later(const InstanceId& id);
  void on_instance_finished(const InstanceId& id, const Result<void>& status);

  HostServices& services_;
  PluginCatalog catalog_;
  StateStore& store_;
  std::map<InstanceId, std::unique_ptr<Managed>> instances_;
};

}  // namespace ig::host
