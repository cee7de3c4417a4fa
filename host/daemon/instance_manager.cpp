#include "daemon/instance_manager.h"

#include <boost/asio/post.hpp>
#include <ctime>

#include "common/log.h"
#include "runtime/identity.h"

namespace ig::host {

using protocol::Message;
using protocol::Type;

// Forwards an instance's output to every subscribed client.
class InstanceManager::FanoutSink final : public InstanceSink {
 public:
  FanoutSink(InstanceManager& manager, InstanceId id) : manager_(manager), id_(std::move(id)) {}

  std::vector<std::weak_ptr<Subscriber>> subscribers;
  bool detached = false;

  void on_event(const void* record, std::size_t size) override {
    for (auto& weak : subscribers)
      if (auto s = weak.lock()) s->send_event(record, size);
  }
  void on_lost(std::uint64_t count) override {
    Message m(Type::Lost);
    m.add("count", std::to_string(count));
    broadcast(m);
  }
  void on_log(LogLevel level, std::string_view message) override {
    log(level, "instance '" + id_.short_form() + "': " + std::string(message));
    Message m(Type::Log);
    m.add("level", std::to_string(static_cast<int>(level))).add("message", std::string(message));
    broadcast(m);
  }
  void on_finished(const Result<void>& status) override {
    Message m(Type::Finished);
    if (!status) m.add("error", status.error().message);
    broadcast(m);
    manager_.on_instance_finished(id_, status);
  }

 private:
  void broadcast(const Message& m) {
    for (auto& weak : subscribers)
      if (auto s = weak.lock()) s->send(m);
  }
  InstanceManager& manager_;
  InstanceId id_;
};

struct InstanceManager::Managed {
  Managed(InstanceSpec spec, bool detached)
      : info{std::move(spec), InstanceStatus::Running, "", detached, std::nullopt} {}
  InstanceInfo info;  // list() adds the counters
  std::string plugin_path;
  std::unique_ptr<FanoutSink> sink;  // declared before the instance: outlives it
  std::unique_ptr<Instance> instance;
};

InstanceManager::InstanceManager(HostServices& services, PluginCatalog catalog, StateStore& store)
    : services_(services), catalog_(std::move(catalog)), store_(store) {}

InstanceManager::~InstanceManager() { stop_all(); }

Result<InstanceId> InstanceManager::run(const RunRequest& request, std::shared_ptr<Subscriber> owner) {
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

Result<InstanceId> InstanceManager::start(InstanceSpec spec, bool detached, std::shared_ptr<Subscriber> owner,
                                          bool restoring) {
  auto plugin = catalog_.find(spec.gadget);
  if (!plugin) return plugin.error();
  auto managed = std::make_unique<Managed>(spec, detached);
  managed->plugin_path = plugin.value()->path.string();
  managed->sink = std::make_unique<FanoutSink>(*this, spec.id);
  managed->sink->detached = detached;
  if (owner) managed->sink->subscribers.push_back(owner);
  managed->instance = std::make_unique<Instance>(services_, plugin.value(), spec, *managed->sink);
  Result<void> started = managed->instance->start();
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
  InstanceId id = spec.id;
  log(LogLevel::Info, std::string(restoring ? "restored" : "started") + " instance '" + spec.name.str() + "' (" +
                          id.short_form() + ", " + spec.gadget + ")" +
                          (managed->info.status == InstanceStatus::Error ? ": " + managed->info.error : ""));
  instances_[id] = std::move(managed);
  return id;
}

Result<InstanceId> InstanceManager::resolve(const std::string& target) const {
  if (target.empty()) return make_error("no instance given; name one, or give its id");
  for (const auto& [id, m] : instances_)
    if (m->info.spec.name.str() == target || id.str() == target) return id;
  std::vector<const Managed*> matches;
  for (const auto& [id, m] : instances_)
    if (id.str().starts_with(target)) matches.push_back(m.get());
  if (matches.size() == 1) return matches[0]->info.spec.id;
  if (matches.empty()) return make_error("no instance named '" + target + "' or with that id; see 'ig list'");
  std::string list;
  for (const Managed* m : matches)
    list += (list.empty() ? "" : ", ") + m->info.spec.id.short_form() + " (" + m->info.spec.name.str() + ")";
  return make_error("id prefix '" + target + "' is ambiguous: it matches " + list + "; give more characters");
}

Result<InstanceName> InstanceManager::remove(const InstanceId& id) {
  auto it = instances_.find(id);
  if (it == instances_.end()) return make_error("no instance with id '" + id.str() + "'; see 'ig list'");
  Managed& m = *it->second;
  InstanceName name = m.info.spec.name;
  if (m.instance) m.instance->stop();
  if (m.info.detached) {
    if (auto removed = store_.remove(m.info.spec.id); !removed) log(LogLevel::Warning, removed.error().message + ", ignoring");
  }
  Message finished(Type::Finished);
  finished.add("error", "instance '" + name.str() + "' was removed");
  for (auto& weak : m.sink->subscribers)
    if (auto s = weak.lock()) s->send(finished);
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
  Message finished(Type::Finished);
  for (auto& weak : m.sink->subscribers)
    if (auto s = weak.lock()) s->send(finished);
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

Result<InstanceId> InstanceManager::subscribe(const std::string& target, std::shared_ptr<Subscriber> subscriber,
                                              Message& started) {
  auto id = resolve(target);
  if (!id) return id.error();
  Managed& m = *instances_.at(id.value());
  if (!m.instance)
    return make_error("instance '" + m.info.spec.name.str() + "' is not running (" +
                      std::string(status_name(m.info.status)) + ": " + m.info.error + ")");
  m.sink->subscribers.push_back(subscriber);
  started.add("id", m.info.spec.id.str()).add("name", m.info.spec.name.str()).add("gadget", m.info.spec.gadget);
  started.add("plugin", m.plugin_path);
  return id;
}

void InstanceManager::unsubscribe(const InstanceId& id, const Subscriber* subscriber) {
  auto it = instances_.find(id);
  if (it == instances_.end()) return;
  auto& subs = it->second->sink->subscribers;
  std::erase_if(subs, [&](const std::weak_ptr<Subscriber>& w) {
    auto s = w.lock();
    return !s || s.get() == subscriber;
  });
}

void InstanceManager::restore_all() {
  StateStore::Loaded loaded = store_.load_all();
  for (const std::string& warning : loaded.warnings) log(LogLevel::Warning, warning);
  for (InstanceSpec& spec : loaded.instances) {
    if (instances_.count(spec.id) > 0 || find_named(spec.name)) {
      log(LogLevel::Warning, store_.quarantine(spec.id, "repeats the id or name of another instance"));
      continue;
    }
    if (auto plugin = catalog_.find(spec.gadget); !plugin) {
      log(LogLevel::Warning, store_.quarantine(spec.id, "names a gadget that cannot be loaded (" +
                                                            plugin.error().message + ")"));
      continue;
    }
    (void)start(std::move(spec), true, nullptr, true);
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
