// What the host gives a running instance: what a tracer needs. Implemented by the host;
// a plugin only calls it. Calls are made on the host's event loop thread: never block
// in a callback. Powers beyond tracing are opt-in: see ig/host_access.h.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ig/result.h"
#include "ig/schema.h"

namespace ig {

enum class LogLevel : std::uint8_t { Error, Warning, Info, Debug };

// Kernel ids of BPF objects one instance owns.
struct BpfObjectIds {
  std::vector<std::uint32_t> programs;
  std::vector<std::uint32_t> maps;
};

// ig/host_access.h: granted only to a plugin that declares the matching Capability.
class RegistryAccess;
class BpfStatsAccess;
class MetricsAccess;

class Context {
 public:
  virtual ~Context() = default;

  virtual const Params& params() const = 0;
  virtual std::string_view instance_id() const = 0;
  virtual std::string_view instance_name() const = 0;

  // Hand one event record (laid out as Description::fields say) to the host.
  virtual void emit(const void* record, std::size_t size) = 0;
  // Events the plugin could not deliver (e.g. a full ring buffer). Never drop silently.
  virtual void report_lost(std::uint64_t count) = 0;
  virtual void log(LogLevel level, std::string_view message) = 0;

  // Call `on_readable` from the event loop whenever `fd` is readable, until the
  // instance stops. The fd stays the plugin's: the host never closes it.
  virtual void watch_fd(int fd, std::function<void()> on_readable) = 0;
  // Call `tick` every `period` until the instance stops.
  virtual void every(std::chrono::nanoseconds period, std::function<void()> tick) = 0;
  // The instance has nothing more to do (a one-shot plugin); the host stops it.
  virtual void finish(Result<void> status) = 0;

  // This instance's own BPF objects in the central registry, so bpfstats can attribute
  // them. bpf.h's load helper calls these for you.
  virtual void register_bpf(const BpfObjectIds& ids) = 0;
  virtual void unregister_bpf(const BpfObjectIds& ids) = 0;

  // The host's powers beyond tracing (ig/host_access.h). Each is null unless the
  // plugin's Description::capabilities declares it, and then never null; the host
  // owns it, valid until stop() returns.
  virtual RegistryAccess* registry() = 0;    // Capability::Registry
  virtual BpfStatsAccess* bpf_stats() = 0;   // Capability::BpfStats
  virtual MetricsAccess* metrics() = 0;      // Capability::Metrics

  // Since ABI 2.1 (a plugin that calls them loads only in ig 2.1+). How the client
  // that started the run presents it; call from start(), the client reads them once
  // start() returns.
  // The run ends by itself (it calls finish() without being asked), so the client
  // does not tell the user to press Ctrl-C.
  virtual void finishes_by_itself() = 0;
  // The columns, in order, a client shows when the user named none with --fields
  // (tables only: JSON and YAML keep every field):
  // for a run whose parameters chose records that the default columns do not fit.
  // Each name must be one of Description::fields; an unknown one fails the run.
  virtual Result<void> default_fields(std::vector<std::string> names) = 0;
};

}  // namespace ig
