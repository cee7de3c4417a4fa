// What the host gives a running instance. Implemented by the host; a plugin only calls it.
// Calls are made on the host's event loop thread: never block in a callback.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ig/metrics.h"
#include "ig/result.h"
#include "ig/schema.h"

namespace ig {

enum class LogLevel : std::uint8_t { Error, Warning, Info, Debug };

// Kernel ids of BPF objects one instance owns.
struct BpfObjectIds {
  std::vector<std::uint32_t> programs;
  std::vector<std::uint32_t> maps;
};

// One entry of the central registry, as plugins such as bpfstats see it.
struct RegisteredInstance {
  std::string id;      // 32 lowercase hex characters
  std::string name;
  std::string gadget;
  BpfObjectIds objects;
};

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

  // The central registry. bpf.h's load helper calls these for you.
  virtual void register_bpf(const BpfObjectIds& ids) = 0;
  virtual void unregister_bpf(const BpfObjectIds& ids) = 0;
  virtual std::vector<RegisteredInstance> registry_snapshot() const = 0;

  // Keep the kernel's BPF run-time statistics (run_time_ns, run_cnt) on while the
  // returned handle lives. The host reference-counts it across instances and puts
  // the kernel back as it found it when the last handle goes.
  virtual Result<std::shared_ptr<void>> enable_bpf_stats() = 0;
  // True when run-time stats were already on before this instance asked: the daemon
  // keeps them on (--enable-bpfstats), another instance holds them, or something
  // outside ig set kernel.bpf_stats_enabled. Counters then need no warm-up.
  virtual bool bpf_stats_already_on() const = 0;

  // --- ABI 1.1 ---
  // Replace this instance's whole set of metric families (see ig/metrics.h) with
  // `families`, atomically: the daemon's next scrape shows exactly these series (an
  // empty vector withdraws them all). They vanish when the instance stops. Refused,
  // leaving the previous set in place, when a family breaks metrics.h's rules, when
  // another live instance publishes a family of the same name, or when the daemon
  // serves no metrics (no --metrics-listen / [metrics] listen).
  virtual Result<void> publish_metrics(std::vector<MetricFamily> families) = 0;
};

}  // namespace ig
