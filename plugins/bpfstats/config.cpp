#include "config.h"

#include <algorithm>
#include <string>
#include <string_view>

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

// The view's name as the user chose it, for errors.
std::string_view view_flag(ViewKind kind) {
  switch (kind) {
    case ViewKind::Instances: return "the per-instance view";
    case ViewKind::Programs: return "--all";
    case ViewKind::Maps: return "--maps";
  }
  return "";
}

Result<ViewSpec> parse_view(const Params& params) {
  ViewSpec view;
  const bool all = params.get_bool("all"), maps = params.get_bool("maps");
  if (all && maps)
    return make_error("'--all' and '--maps' are two views, one row per program or one per map; choose one");
  view.kind = maps ? ViewKind::Maps : all ? ViewKind::Programs : ViewKind::Instances;
  view.gadgets_only = params.get_bool("gadgets-only");
  view.with_instances = params.get_bool("instances");
  if (maps && view.with_instances)
    return make_error("'--instances' has no meaning with '--maps': it adds instance rows to '--all'; "
                      "valid with --all, or drop it");
  if (maps && view.gadgets_only)
    return make_error("'--gadgets-only' has no meaning with '--maps': it keeps ig's programs in '--all'; "
                      "valid with --all, or drop it (--maps rows name their instance in gadgetName)");
  return view;
}

// --sort, which must name a column of the view; without it, the view's order.
Result<SortOrder> parse_view_sort(const Params& params, const View& view, ViewKind kind) {
  if (!params.has("sort")) return view.default_sort();
  auto sort = parse_sort(params.get_string("sort"));
  if (!sort) return sort.error();
  const auto columns = view.columns();
  if (std::find(columns.begin(), columns.end(), sort->column) != columns.end()) return sort;
  std::string valid;
  for (Column c : columns) valid += (valid.empty() ? "" : ",") + std::string(column_name(c));
  return make_error("column '" + std::string(column_name(sort->column)) + "' for '--sort' is not a column of " +
                    std::string(view_flag(kind)) + "; valid columns: " + valid +
                    " ('-' prefix for descending)");
}

}  // namespace

Result<Config> parse_config(const Params& params) {
  Config config;
  auto view = parse_view(params);
  if (!view) return view.error();
  config.view = view.value();

  auto sort = parse_view_sort(params, *make_view(config.view), config.view.kind);
  if (!sort) return sort.error();
  config.sort = sort.value();
  config.total = params.get_bool("total");

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

  if (metrics && config.total)
    return make_error("'--total' has no meaning with '--metrics': a collector publishes series, not rows; drop one");

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
