// bpfstats' parameters, checked and turned into what the plugin does.
#pragma once

#include <chrono>
#include <cstdint>

#include <ig/result.h>
#include <ig/schema.h>

#include "aggregate.h"

namespace ig::bpfstats {

inline constexpr std::chrono::nanoseconds kDefaultInterval = std::chrono::seconds(1);
inline constexpr std::chrono::nanoseconds kMinInterval = std::chrono::milliseconds(10);

struct Config {
  View view;
  SortOrder sort;
  // One-shot (neither --interval nor --count given): sample for kDefaultInterval,
  // emit once, finish. Otherwise emit every `interval`, `count` times (0: forever).
  bool one_shot = true;
  std::chrono::nanoseconds interval = kDefaultInterval;
  std::uint64_t count = 1;
  // --metrics (or the seed's --annotate bpfstats:metrics.collect=true): a collector
  // that publishes to the daemon's /metrics every `interval` and emits no rows.
  bool metrics = false;
};

Result<Config> parse_config(const Params& params);

}  // namespace ig::bpfstats
