// bpfstats' parameters, checked and turned into what the plugin does.
#pragma once

#include <chrono>
#include <cstdint>

#include <ig/result.h>
#include <ig/schema.h>

#include "aggregate.h"
#include "view.h"

namespace ig::bpfstats {

inline constexpr std::chrono::nanoseconds kDefaultInterval = std::chrono::seconds(1);
inline constexpr std::chrono::nanoseconds kMinInterval = std::chrono::milliseconds(10);

// How a run turns snapshots into output; runner.h has one class per mode.
enum class RunMode : std::uint8_t {
  // Neither --interval nor --count: one batch of rows, at once when stats are
  // already on, else after sampling for kDefaultInterval; then finish.
  OneShot,
  // --interval and/or --count: a batch of rows every `interval`, `count` times
  // (0: until stopped).
  Interval,
  // --metrics (or the seed's --annotate bpfstats:metrics.collect=true): a collector
  // that publishes to the daemon's /metrics every `interval`, `count` times (0: until
  // stopped), and emits no rows.
  Metrics,
};

struct Config {
  ViewSpec view;
  SortOrder sort;
  RunMode mode = RunMode::OneShot;
  std::chrono::nanoseconds interval = kDefaultInterval;
  std::uint64_t count = 1;  // passes before the run finishes; 0: until stopped
  bool total = false;       // --total: a last row summing the view
};

Result<Config> parse_config(const Params& params);

}  // namespace ig::bpfstats
