// The host's powers beyond tracing, for meta-plugins such as bpfstats. A plugin gets
// one only by declaring its Capability in Description::capabilities; Context then
// returns it (registry(), bpf_stats(), metrics()), and null otherwise. The host owns
// each object: it stays valid until the plugin's stop() returns, and is used, like
// Context, from the host's event loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ig/capability.h"
#include "ig/context.h"
#include "ig/metrics.h"
#include "ig/result.h"

namespace ig {

// One entry of the central registry.
struct RegisteredInstance {
  std::string id;  // 32 lowercase hex characters
  std::string name;
  std::string gadget;
  BpfObjectIds objects;
};

// Capability::Registry: what every instance owns in the kernel.
class RegistryAccess {
 public:
  // Every running instance (this one too) with the program and map ids it registered.
  virtual std::vector<RegisteredInstance> snapshot() const = 0;

 protected:
  ~RegistryAccess() = default;  // the host owns it
};

// Capability::BpfStats: the kernel's BPF run-time statistics (run_time_ns, run_cnt).
class BpfStatsAccess {
 public:
  // Keep the statistics on while the returned handle lives. The host reference-counts
  // it across instances and puts the kernel back as it found it when the last goes.
  virtual Result<std::shared_ptr<void>> enable() = 0;
  // True when they were already on before this instance asked: the daemon keeps them
  // on (--enable-bpfstats), another instance holds them, or something outside ig set
  // kernel.bpf_stats_enabled. Counters then need no warm-up.
  virtual bool already_on() const = 0;

 protected:
  ~BpfStatsAccess() = default;
};

// Capability::Metrics: series on the daemon's Prometheus endpoint (see ig/metrics.h).
class MetricsAccess {
 public:
  // Replace this instance's whole set of metric families with `families`, atomically:
  // the daemon's next scrape shows exactly these series (an empty vector withdraws
  // them all). They vanish when the instance stops. Refused, leaving the previous set
  // in place, when a family breaks metrics.h's rules, when another live instance
  // publishes a family of the same name, or when the daemon serves no metrics (no
  // --metrics-listen / [metrics] listen).
  virtual Result<void> publish(std::vector<MetricFamily> families) = 0;

 protected:
  ~MetricsAccess() = default;
};

}  // namespace ig
