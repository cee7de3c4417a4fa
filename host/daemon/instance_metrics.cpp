#include "daemon/instance_metrics.h"

#include <map>
#include <string_view>

#include "metrics/self_metrics.h"

#ifndef IG_VERSION
#define IG_VERSION "unknown"
#endif

namespace ig::host {

std::vector<MetricFamily> instance_families(const std::vector<InstanceInfo>& instances) {
  std::map<std::string_view, double> by_status;  // every status, even at 0, in name order
  for (InstanceStatus status : kInstanceStatuses) by_status[status_name(status)] = 0;
  MetricFamily events = make_family("ig_instance_events_total", "Events an ig instance emitted since it started.",
                               MetricType::Counter);
  MetricFamily lost = make_family("ig_instance_lost_events_total",
                             "Events an ig instance could not deliver (full ring buffer, slow reader) since it "
                             "started; alert when this grows.",
                             MetricType::Counter);
  for (const InstanceInfo& instance : instances) {
    ++by_status[status_name(instance.status)];
    if (!instance.counters) continue;
    const InstanceSpec& spec = instance.spec;
    std::vector<MetricLabel> labels = {
        {"gadget_id", spec.id.str()}, {"gadget_name", spec.name.str()}, {"gadget_image", spec.gadget}};
    events.samples.push_back(make_sample(static_cast<double>(instance.counters->events), labels));
    lost.samples.push_back(make_sample(static_cast<double>(instance.counters->lost), std::move(labels)));
  }
  MetricFamily status = make_family("ig_instances", "ig instances in the daemon, by status.", MetricType::Gauge);
  for (const auto& [name, count] : by_status) status.samples.push_back(make_sample(count, {{"status", std::string(name)}}));
  MetricFamily build = make_family("ig_build_info", "The ig daemon's version; always 1.", MetricType::Gauge);
  build.samples.push_back(make_sample(1, {{"version", IG_VERSION}}));
  std::vector<MetricFamily> out;
  out.push_back(std::move(status));
  out.push_back(std::move(events));
  out.push_back(std::move(lost));
  out.push_back(std::move(build));
  return out;
}

}  // namespace ig::host
