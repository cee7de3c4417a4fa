// The daemon's own metrics, rendered by the host at scrape time (plugins cannot
// publish these names: see metrics_registry.h).
//   ig_instances{status}                      gauge   instances by status (running, error, exited)
//   ig_instance_events_total{gadget_*}        counter events an instance emitted
//   ig_instance_lost_events_total{gadget_*}   counter events it could not deliver
//   ig_metrics_published_series               gauge   series plugins publish right now
//   ig_metrics_scrape_duration_seconds        gauge   time to build this response
//   ig_build_info{version}                    gauge   1
//   process_cpu_seconds_total, process_resident_memory_bytes,
//   process_virtual_memory_bytes, process_open_fds, process_max_fds,
//   process_start_time_seconds                the usual process metrics, from /proc/self
#pragma once

#include <vector>

#include <ig/metrics.h>

#include "runtime/instance_info.h"

namespace ig::host {

// From what `ig list` shows: InstanceManager::list().
std::vector<MetricFamily> instance_families(const std::vector<InstanceInfo>& instances);
std::vector<MetricFamily> process_families();

}  // namespace ig::host
