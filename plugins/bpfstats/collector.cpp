#include "collector.h"

namespace ig::bpfstats {

std::vector<MetricFamily> Collector::build(const std::vector<Row>& rows, bool with_figures) {
  std::vector<MetricFamily> out(with_figures ? 7 : 4);
  const char* help[] = {
      "Nanoseconds the kernel spent running the BPF program(s), counted while BPF stats are on: per ig "
      "instance (progID 0), or per program with --all.",
      "Times the BPF program(s) ran, counted while BPF stats are on.",
      "Bytes the kernel charges for the maps (fdinfo memlock: the maximum size, not current use), each "
      "distinct map once.",
      "Distinct BPF maps counted in mapMemory.",
      "Bytes the maps really hold in kernel memory, each kernel object once: the distinct maps' memlock, "
      "their inner maps and their perf ring buffers. No sample where the kernel cannot tell.",
      "Bytes of the BPF program images: the kernel's memlock charge for each program plus its JIT image.",
      "Runs of the BPF program(s) the kernel skipped because the program was already running on that CPU.",
  };
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].name = i < 4 ? kMetricNames[i] : kFigureMetricNames[i - 4];
    out[i].help = help[i];
    out[i].type = i < 2 || i == 6 ? MetricType::Counter : MetricType::Gauge;
    out[i].samples.reserve(rows.size());
  }
  std::unordered_map<std::string, Totals> seen;
  std::string key;
  for (const Row& row : rows) {
    std::string prog_id = std::to_string(row.prog_id);
    // A program's own counters never go backwards, so its series is the counters
    // themselves. An instance's sum can lose a program: its series keeps a running total.
    Totals totals{row.runtime, row.runcount, row.recursion_misses};
    if (row.prog_id == 0) {
      key.assign(row.gadget_id).append(1, '\0').append(row.prog_name);
      if (auto it = totals_.find(key); it != totals_.end()) {
        totals = it->second;
        totals.runtime += row.runtime_delta;
        totals.runcount += row.runcount_delta;
        totals.recursion_misses += row.recursion_misses_delta;
      }
      seen.emplace(key, totals);
    }

    std::vector<MetricLabel> labels = {{"gadgetID", row.gadget_id},
                                       {"gadgetName", row.gadget_name},
                                       {"gadgetImage", row.gadget_image},
                                       {"progID", std::move(prog_id)},
                                       {"progName", row.prog_name}};
    const double values[] = {static_cast<double>(totals.runtime),
                             static_cast<double>(totals.runcount),
                             static_cast<double>(row.map_memory),
                             static_cast<double>(row.map_count),
                             static_cast<double>(row.map_memory_real.value_or(0)),
                             static_cast<double>(row.prog_memory),
                             static_cast<double>(totals.recursion_misses)};
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (i == 4 && !row.map_memory_real) continue;  // unknown: no sample rather than a guess
      out[i].samples.push_back({i + 1 < out.size() ? labels : std::move(labels), values[i], row.gadget_id});
    }
  }
  totals_ = std::move(seen);
  return out;
}

}  // namespace ig::bpfstats
