#include "daemon/instance_manager.h"

#include <boost/asio/post.hpp>
#include <ctime>

#include "common/log.h"
#include "daemon/fanout_sink.h"
#include "runtime/instance_lookup.h"
#include "runtime/param_values.h"

namespace ig::host {

struct InstanceManager::Managed {
  Managed(InstanceSpec spec, bool detached)
      : info{std::move(spec), InstanceStatus::Running, "", detached, std::nullopt} {}
  InstanceInfo info;  // list() adds the counters
  std::string plugin_path;
  std::unique_ptr<FanoutSink> sink;  // declared before the instance: outlives it
  std::unique_ptr<Instance> instance;

  StartedInstance started() const {
    return {info.spec.id, info.spec.name, info.spec.gadget, plugin_path,
            instance ? instance->presentation() : Presentation{}};
  }
};

InstanceManager::InstanceManager(HostServices& services, PluginCatalog catalog, StateStore& store)
    : services_(services), catalog_(std::move(catalog)), store_(store) {}

InstanceManager::~InstanceManager() { stop_all(); }

Result<StartedInstance> InstanceManager::run(const RunRequest& request, std::shared_ptr<InstanceSink> owner) {
  InstanceName name = request.name ? *request.name : InstanceName::generate();
  while (!request.name && find_named(name)) name = InstanceName::generate();
  if (const Managed* same = find_named(name))
    return make_error("an instance named '" + name.str() + "' already exists (id " + same->info.spec.id.short_form() +
                      ", gadget '" + same->info.spec.gadget + "'); pick another --name or 'ig remove " + name.str() +
                      "' first");
  InstanceSpec spec{InstanceId::generate(), name, request.gadget, request.params, std::time(nullptr)};
  return start(std::move(spec), request.detach, std::move(owner), false);
}

const InstanceManager::Managed* InstanceManager::find_named(const InstanceName& name) const {
  for (const auto& [id, m] : instances_)
    if (m->info.spec.name == name) return m.get();
  return nullptr;
}

Result<StartedInstance> InstanceManager::start(InstanceSpec spec, bool detached, std::shared_ptr<InstanceSink> owner,
                                               bool restoring) {
  resident_.drop_changed();
  auto plugin = catalog_.find(spec.gadget);
  if (!plugin) return plugin.error();
  // A client checked them already; a state file or another client may not have.
  auto params = check_canonical_params(plugin.value()->description(), spec.params);
  if (!params) return params.error();
  spec.params = std::move(params).value();
  auto managed = std::make_unique<Managed>(spec, detached);
  managed->plugin_path = plugin.value()->path.string();
  managed->sink = std::make_unique<FanoutSink>(
      spec.id, [this, id = spec.id](const Result<void>& status) { on_instance_finished(id, status); });
  if (owner) managed->sink->subscribe(owner);
  managed->instance = std::make_unique<Instance>(services_, plugin.value(), spec, *managed->sink);
  Result<void> started = managed->instance->start();
  if (started) resident_.keep(plugin.value());
  if (!started && !restoring) return started.error();
  if (!started) {
    managed->info.status = InstanceStatus::Error;
    managed->info.error = started.error().message;
    managed->instance.reset();
  }
  if (detached && !restoring) {
    if (auto saved = store_.save(spec); !saved) {
      managed->instance.reset();
      return saved.error();
    }
  }
  log(LogLevel::Info, std::string(restoring ? "restored" : "started") + " instance '" + spec.name.str() + "' (" +
                          spec.id.short_form() + ", " + spec.gadget + ")" +
                          (managed->info.status == InstanceStatus::Error ? ": " + managed->info.error : ""));
  StartedInstance started_instance = managed->started();
  instances_[spec.id] = std::move(managed);
  return started_instance;
}

Result<InstanceId> InstanceManager::resolve(const std::string& target) const {
  std::vector<const InstanceSpec*> specs;
  for (const auto& [id, m] : instances_) specs.push_back(&m->info.spec);
  return find_instance(target, specs);
}

Result<InstanceName> InstanceManager::remove(const InstanceId& id) {
  auto it = instances_.find(id);
  if (it == instances_.end()) return make_error("no instance with id '" + id.str() + "'; see 'ig list'");
  Managed& m = *it->second;
  InstanceName name = m.info.spec.name;
  // The state file goes first: an instance whose file stayed would come back at the
  // next start, so one that cannot be forgotten keeps running, and the user is told.
  if (m.info.detached)
    if (auto removed = store_.remove(id); !removed)
      return make_error(removed.error().message + "; '" + name.str() + "' keeps running");
  if (m.instance) m.instance->stop();
  m.sink->end(make_error("instance '" + name.str() + "' was removed"));
  instances_.erase(it);
  log(LogLevel::Info, "removed instance '" + name.str() + "'");
  return name;
}

void InstanceManager::stop_foreground(const InstanceId& id) {
  auto it = instances_.find(id);
  if (it == instances_.end()) return;
  Managed& m = *it->second;
  if (m.instance) {
    m.instance->drain();
    m.instance->stop();
  }
  m.sink->end({});
  instances_.erase(it);
}

void InstanceManager::on_instance_finished(const InstanceId& id, const Result<void>& status) {
  auto it = instances_.find(id);
  if (it == instances_.end()) return;
  if (!it->second->info.detached) return erase_later(id);
  it->second->info.status = status ? InstanceStatus::Exited : InstanceStatus::Error;
  if (!status) it->second->info.error = status.error().message;
}

void InstanceManager::erase_later(const InstanceId& id) {
  // Called from inside the instance's own callbacks: destroy it from the loop.
  boost::asio::post(services_.io, [this, id] { instances_.erase(id); });
}

Result<StartedInstance> InstanceManager::subscribe(const std::string& target,
                                                   std::shared_ptr<InstanceSink> subscriber) {
  auto id = resolve(target);
  if (!id) return id.error();
  Managed& m = *instances_.at(id.value());
  if (!m.instance)
    return make_error("instance '" + m.info.spec.name.str() + "' is not running (" +
                      std::string(status_name(m.info.status)) + ": " + m.info.error + ")");
  m.sink->subscribe(subscriber);
  return m.started();
}

void InstanceManager::unsubscribe(const InstanceId& id, const InstanceSink* subscriber) {
  if (auto it = instances_.find(id); it != instances_.end()) it->second->sink->unsubscribe(subscriber);
}

void InstanceManager::restore_all() {
  StateStore::Loaded loaded = store_.load_all();
  for (const std::string& warning : loaded.warnings) log(LogLevel::Warning, warning);
  for (InstanceSpec& spec : loaded.instances) {
    if (instances_.count(spec.id) > 0 || find_named(spec.name)) {
      log(LogLevel::Warning, store_.quarantine(spec.id, "repeats the id or name of another instance"));
      continue;
    }
    InstanceId id = spec.id;
    // Only a gadget that cannot be found or parameters it would refuse fail here: a
    // failed start keeps the instance listed with its error.
    if (auto started = start(std::move(spec), true, nullptr, true); !started)
      log(LogLevel::Warning, store_.quarantine(id, "cannot be restored (" + started.error().message + ")"));
  }
}

void InstanceManager::stop_all() {
  for (auto& [id, m] : instances_)
    if (m->instance) m->instance->stop();
  instances_.clear();
}

std::vector<InstanceInfo> InstanceManager::list() const {
  std::vector<InstanceInfo> out;
  out.reserve(instances_.size());
  for (const auto& [id, m] : instances_) {
    InstanceInfo& info = out.emplace_back(m->info);
    if (m->instance) info.counters = m->instance->counters();
  }
  return out;
}

}  // namespace ig::host
