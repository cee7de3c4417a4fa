// bpfstats as a Prometheus collector (--metrics): rows become the families the
// seed's users already scrape, published through Context::publish_metrics().
//   runtime_total   counter  ns the kernel ran the program(s), while stats are on
//   runcount_total  counter  runs
//   mapMemory       gauge    bytes (fdinfo memlock) over distinct maps
//   mapCount        gauge    distinct maps
// and beside them, with the same labels, issue 12's truer figures:
//   mapMemoryReal          gauge    bytes the maps really hold (no sample where unknown)
//   progMemory             gauge    bytes of the program images
//   recursionMisses_total  counter  runs skipped because the program was already running
// Labels gadgetID, gadgetName, gadgetImage, progID, progName on every series, so
// two programs with the same truncated name never share one. Each sample names its
// instance (MetricSample::instance_id), so the host drops it the moment that
// instance is removed, before the next tick. No kernel access.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <string>
#include <vector>

#include <ig/metrics.h>

#include "aggregate.h"

namespace ig::bpfstats {

inline constexpr const char* kMetricNames[] = {"runtime_total", "runcount_total", "mapMemory", "mapCount"};
inline constexpr const char* kFigureMetricNames[] = {"mapMemoryReal", "progMemory", "recursionMisses_total"};

class Collector {
 public:
  // Families for one batch of rows (built against the previous batch's snapshot, so
  // their deltas are the growth since then). A program's counters are the kernel's,
  // which never go backwards. An instance's counter starts at the row's value the
  // first time its series is seen and then grows by the row's deltas: it never goes
  // backwards while the series lives, even when a program of the instance goes away.
  // Instance series whose rows are gone are forgotten.
  // IG's four families (kMetricNames).
  std::vector<MetricFamily> families(const std::vector<Row>& rows) { return build(rows, false); }
  // What the collector publishes: IG's four, then kFigureMetricNames.
  std::vector<MetricFamily> published_families(const std::vector<Row>& rows) { return build(rows, true); }

 private:
  struct Totals {
    std::uint64_t runtime = 0;
    std::uint64_t runcount = 0;
    std::uint64_t recursion_misses = 0;
  };
  std::vector<MetricFamily> build(const std::vector<Row>& rows, bool with_figures);
  std::unordered_map<std::string, Totals> totals_;  // instance series, by gadgetID and progName
};

}  // namespace ig::bpfstats
