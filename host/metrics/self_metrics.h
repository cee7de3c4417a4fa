// The daemon's own metrics, rendered by the host at scrape time (plugins cannot
// publish these names: see metrics_registry.h). The families about instances are in
// daemon/instance_metrics.h, beside the instance model they read.
//   ig_metrics_published_series               gauge   series plugins publish right now
//   ig_metrics_scrape_duration_seconds        gauge   time to build this response
//   process_cpu_seconds_total, process_resident_memory_bytes,
//   process_virtual_memory_bytes, process_open_fds, process_max_fds,
//   process_start_time_seconds                the usual process metrics, from /proc/self
#pragma once

#include <string>
#include <vector>

#include <ig/metrics.h>


namespace ig::host {

// Building blocks for the daemon's own families.
MetricFamily make_family(std::string name, std::string help, MetricType type);
MetricSample make_sample(double value, std::vector<MetricLabel> labels = {});
std::vector<MetricFamily> process_families();

}  // namespace ig::host
