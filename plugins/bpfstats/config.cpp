#include "config.h"

#include <string>

namespace ig::bpfstats {
namespace {

// The host hands durations over in nanoseconds; say them back in the unit they fit.
std::string duration_text(std::chrono::nanoseconds d) {
  auto ns = d.count();
  if (ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
  if (ns % 1'000 == 0) return std::to_string(ns / 1'000) + "us";
  return std::to_string(ns) + "ns";
}

}  // namespace

Result<Config> parse_config(const Params& params) {
  Config config;
  config.view.mode = params.get_bool("all") ? Mode::Programs : Mode::Instances;
  config.view.gadgets_only = params.get_bool("gadgets-only");

  auto sort = parse_sort(params.has("sort") ? params.get_string("sort") : "-runtime");
  if (!sort) return sort.error();
  config.sort = sort.value();

  // --interval defaults to empty, so has() tells "given" from "not given".
  config.one_shot = !params.has("interval") && !params.has("count");
  if (config.one_shot) return config;
  if (params.has("interval")) config.interval = params.get_duration("interval");
  if (config.interval < kMinInterval)
    return make_error("invalid value '" + duration_text(config.interval) +
                      "' for '--interval': sampling that often costs more than it tells; use at least 10ms");
  config.count = params.get_uint("count");
  return config;
}

}  // namespace ig::bpfstats
