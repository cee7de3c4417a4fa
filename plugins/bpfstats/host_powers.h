// What bpfstats asks of the daemon beyond what a tracer's Context gives: a copy of
// the central registry, BPF run-time stats, publishing metrics. These are the host
// powers of ig/host_access.h (ABI 2.0), which Context grants because describe()
// declares their capabilities; bpfstats makes these calls here and nowhere else.
// Cheap to copy: it refers to the instance's Context, which outlives the run.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include <ig/context.h>
#include <ig/host_access.h>
#include <ig/metrics.h>
#include <ig/result.h>

namespace ig::bpfstats {

class HostPowers {
 public:
  explicit HostPowers(Context& ctx) : ctx_(&ctx) {}

  std::vector<RegisteredInstance> registry_snapshot() const { return ctx_->registry()->snapshot(); }
  bool bpf_stats_already_on() const { return ctx_->bpf_stats()->already_on(); }
  Result<std::shared_ptr<void>> enable_bpf_stats() const { return ctx_->bpf_stats()->enable(); }
  Result<void> publish_metrics(std::vector<MetricFamily> families) const {
    return ctx_->metrics()->publish(std::move(families));
  }

 private:
  Context* ctx_;
};

}  // namespace ig::bpfstats
