// The daemon's metrics about its instances, rendered at scrape time from what
// `ig list` shows (InstanceManager::list()):
//   ig_instances{status}                      gauge   instances by status (running, error, exited)
//   ig_instance_events_total{gadget_*}        counter events an instance emitted
//   ig_instance_lost_events_total{gadget_*}   counter events it could not deliver
//   ig_build_info{version}                    gauge   1
#pragma once

#include <vector>

#include <ig/metrics.h>

#include "runtime/instance_info.h"

namespace ig::host {

std::vector<MetricFamily> instance_families(const std::vector<InstanceInfo>& instances);

}  // namespace ig::host
