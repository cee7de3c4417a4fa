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

// The seed's spelling: "[bpfstats:]metrics.collect=true", comma-separated.
Result<bool> parse_annotations(const std::string& text) {
  bool collect = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    if (std::size_t colon = item.find(':'); colon != std::string::npos) {
      if (item.substr(0, colon) != "bpfstats")
        return make_error("invalid value '" + item + "' for '--annotate': bpfstats has one data source, 'bpfstats'; "
                          "use --annotate bpfstats:metrics.collect=true");
      item = item.substr(colon + 1);
    }
    std::size_t eq = item.find('=');
    std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key != "metrics.collect")
      return make_error("unknown annotation '" + key + "' for '--annotate': bpfstats understands "
                        "metrics.collect=true (the same as --metrics)");
    if (value != "true" && value != "false")
      return make_error("invalid value '" + value + "' for annotation 'metrics.collect': expected true or false");
    collect = value == "true";
  }
  return collect;
}

}  // namespace

Result<Config> parse_config(const Params& params) {
  Config config;
  config.view.kind = params.get_bool("all") ? ViewKind::Programs : ViewKind::Instances;
  config.view.gadgets_only = params.get_bool("gadgets-only");
  config.view.with_instances = params.get_bool("instances");

  auto sort = parse_sort(params.has("sort") ? params.get_string("sort") : "-runtime");
  if (!sort) return sort.error();
  config.sort = sort.value();

  bool metrics = params.get_bool("metrics");
  if (params.has("annotate")) {
    auto collect = parse_annotations(params.get_string("annotate"));
    if (!collect) return collect.error();
    metrics = metrics || collect.value();
  }
  if (params.has("otel-metrics-name")) {
    // Accepted for the seed's users; the names stay runtime_total, runcount_total, mapMemory, mapCount.
    std::string name = params.get_string("otel-metrics-name");
    if (name.find(':') != std::string::npos && !name.starts_with("bpfstats:"))
      return make_error("invalid value '" + name + "' for '--otel-metrics-name': bpfstats has one data source, "
                        "'bpfstats'; use --otel-metrics-name bpfstats:NAME");
  }

  // --interval defaults to empty, so has() tells "given" from "not given".
  // A collector runs until stopped; without --interval it publishes every second.
  if (metrics)
    config.mode = RunMode::Metrics;
  else if (params.has("interval") || params.has("count"))
    config.mode = RunMode::Interval;
  if (config.mode == RunMode::OneShot) return config;
  if (params.has("interval")) config.interval = params.get_duration("interval");
  if (config.interval < kMinInterval)
    return make_error("invalid value '" + duration_text(config.interval) +
                      "' for '--interval': sampling that often costs more than it tells; use at least 10ms");
  config.count = params.get_uint("count");
  return config;
}

}  // namespace ig::bpfstats
