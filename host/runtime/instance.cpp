#include "runtime/instance.h"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/log.h"

namespace asio = boost::asio;

namespace ig::host {

struct Instance::Watcher {
  asio::posix::stream_descriptor descriptor;
  std::function<void()> on_readable;
  Watcher(asio::io_context& io, int fd, std::function<void()> cb) : descriptor(io, fd), on_readable(std::move(cb)) {}
  template <class Handler>
  void wait(Handler&& handler) {
    descriptor.async_wait(asio::posix::stream_descriptor::wait_read, std::forward<Handler>(handler));
  }
  void fire() { on_readable(); }
  ~Watcher() {
    boost::system::error_code ec;
    descriptor.cancel(ec);
    descriptor.release();  // the fd is the plugin's
  }
};

struct Instance::Timer {
  asio::steady_timer timer;
  std::chrono::nanoseconds period;
  std::function<void()> tick;
  asio::steady_timer::time_point next;  // each expiry is the last one plus period: no drift
  Timer(asio::io_context& io, std::chrono::nanoseconds p, std::function<void()> t)
      : timer(io), period(p), tick(std::move(t)), next(asio::steady_timer::clock_type::now()) {}
  template <class Handler>
  void wait(Handler&& handler) {
    next += std::chrono::duration_cast<asio::steady_timer::duration>(period);
    timer.expires_at(next);
    timer.async_wait(std::forward<Handler>(handler));
  }
  void fire() { tick(); }
};

Instance::Instance(HostServices& services, PluginHandle plugin, InstanceSpec spec, InstanceSink& sink)
    : plugin_(std::move(plugin)),
      io_(services.io),
      registry_(services.registry),
      bpf_stats_(services.bpf_stats),
      metrics_(services.metrics),
      spec_(std::move(spec)),
      params_(spec_.params),
      sink_(sink),
      alive_(std::make_shared<bool>(false)) {}

Instance::~Instance() { stop(); }

template <class F>
Result<void> Instance::guarded(const char* what, F&& call) {
  try {
    return call();
  } catch (const std::exception& e) {
    return make_error("gadget '" + description().name + "' threw in " + what + ": " + e.what());
  } catch (...) {
    return make_error("gadget '" + description().name + "' threw in " + what + ": unknown exception");
  }
}

Result<void> Instance::start() {
  registry_.add_instance(spec_.id.str(), spec_.name.str(), description().name);
  *alive_ = true;
  Result<void> started = guarded("create", [&]() -> Result<void> {
    gadget_ = plugin_->plugin->create();
    if (!gadget_) return make_error("gadget '" + description().name + "' could not be created");
    return {};
  });
  if (started) started = guarded("start", [&] { return gadget_->start(*this); });
  if (!started) stop();
  return started;
}

void Instance::stop() {
  if (!*alive_ && !gadget_) return;
  *alive_ = false;
  alive_ = std::make_shared<bool>(false);  // handlers queued from here on see a fresh flag
  watchers_.clear();
  timers_.clear();
  // Leave the registry before the gadget closes its objects, so no id is ever
  // attributed after the kernel could reuse it.
  registry_.remove_instance(spec_.id.str());
  if (metrics_) metrics_->remove(spec_.id.str());  // its series vanish from the next scrape
  if (gadget_) {
    Result<void> stopped = guarded("stop", [&]() -> Result<void> {
      gadget_->stop();
      gadget_.reset();
      return {};
    });
    if (!stopped) {
      log(LogLevel::Warning, stopped.error().message + ", ignoring");
      gadget_.release();  // a gadget that throws on the way out is leaked, not half-destroyed twice
    }
  }
}

void Instance::drain() {
  for (auto& watcher : watchers_) {
    Result<void> r = guarded("event handler", [&]() -> Result<void> {
      watcher->on_readable();
      return {};
    });
    if (!r) log(LogLevel::Warning, r.error().message + ", ignoring");
  }
}

void Instance::emit(const void* record, std::size_t size) {
  ++counters_.events;
  sink_.on_event(record, size);
}

void Instance::report_lost(std::uint64_t count) {
  counters_.lost += count;
  sink_.on_lost(count);
}

void Instance::log(LogLevel level, std::string_view message) { sink_.on_log(level, message); }

void Instance::watch_fd(int fd, std::function<void()> on_readable) {
  keep_waiting("event handler", *watchers_.emplace_back(std::make_unique<Watcher>(io_, fd, std::move(on_readable))));
}

void Instance::every(std::chrono::nanoseconds period, std::function<void()> tick) {
  keep_waiting("timer", *timers_.emplace_back(std::make_unique<Timer>(io_, period, std::move(tick))));
}

template <class Source>
void Instance::keep_waiting(const char* what, Source& source) {
  auto arm = std::make_shared<std::function<void()>>();
  std::weak_ptr<std::function<void()>> weak_arm = arm;
  *arm = [this, what, &source, alive = std::weak_ptr<bool>(alive_), weak_arm] {
    source.wait([this, what, &source, alive, self = weak_arm.lock()](boost::system::error_code ec) {
      auto flag = alive.lock();
      if (ec || !flag || !*flag) return;
      if (Result<void> r = guarded(what, [&]() -> Result<void> {
            source.fire();
            return {};
          });
          !r)
        return finish(r);
      if (*flag) (*self)();
    });
  };
  (*arm)();
}

void Instance::finish(Result<void> status) {
  // Never stop inside the plugin's own call: do it from the loop.
  asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_), status = std::move(status)] {
    auto flag = alive.lock();
    if (!flag || !*flag) return;
    stop();
    sink_.on_finished(status);
  });
}

void Instance::register_bpf(const BpfObjectIds& ids) {
  registry_.add_objects(spec_.id.str(), ids);
  if (log_enabled(LogLevel::Debug)) {
    std::string text = "instance '" + spec_.name.str() + "' registered programs";
    for (auto id : ids.programs) text += " " + std::to_string(id);
    text += ", maps";
    for (auto id : ids.maps) text += " " + std::to_string(id);
    host::log(LogLevel::Debug, text);
  }
}

void Instance::unregister_bpf(const BpfObjectIds& ids) { registry_.remove_objects(spec_.id.str(), ids); }

bool Instance::declares(Capability capability) const {
  if (description().capabilities.has(capability)) return true;
  host::log(LogLevel::Debug, "gadget '" + description().name + "' asked for '" +
                                 std::string(capability_name(capability)) + "', which it does not declare; refused");
  return false;
}

RegistryAccess* Instance::registry() { return declares(Capability::Registry) ? this : nullptr; }

BpfStatsAccess* Instance::bpf_stats() { return declares(Capability::BpfStats) ? this : nullptr; }

MetricsAccess* Instance::metrics() { return declares(Capability::Metrics) ? this : nullptr; }

Result<void> Instance::default_fields(std::vector<std::string> names) {
  for (const std::string& name : names) {
    bool known = std::any_of(description().fields.begin(), description().fields.end(),
                             [&](const Field& f) { return f.name == name; });
    if (!known)
      return make_error("gadget '" + description().name + "' asked for default column '" + name +
                        "', which its description does not have; fix the plugin");
  }
  presentation_.default_fields = std::move(names);
  return {};
}

std::vector<RegisteredInstance> Instance::snapshot() const { return registry_.snapshot(); }

Result<std::shared_ptr<void>> Instance::enable() { return bpf_stats_.acquire(); }

bool Instance::already_on() const { return bpf_stats_.already_on(); }

Result<void> Instance::publish(std::vector<MetricFamily> families) {
  if (!metrics_)
    return make_error("this ig daemon serves no metrics; start it with 'ig daemon --metrics-listen 127.0.0.1:2224' "
                      "or set listen in the [metrics] table of its config");
  if (!*alive_) return make_error("instance '" + spec_.name.str() + "' is not running; its metrics are gone");
  return metrics_->publish(spec_.id.str(), spec_.name.str(), std::move(families));
}

}  // namespace ig::host
