// What bpfstats asks of the daemon beyond what a tracer's Context gives: a copy of
// the central registry, BPF run-time stats, publishing metrics. These four calls are
// bound for an interface of their own that a plugin opts into (ABI 2.0); bpfstats
// makes them here and nowhere else, so that move is an edit of this file. Cheap to
// copy: it refers to the instance's Context, which outlives the run.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include <ig/context.h>
#include <ig/metrics.h>
#include <ig/result.h>

namespace ig::bpfstats {

class HostPowers {
 public:
  explicit HostPowers(Context& ctx) : ctx_(&ctx) {}

  std::vector<RegisteredInstance> registry_snapshot() const { return ctx_->registry_snapshot(); }
  bool bpf_stats_already_on() const { return ctx_->bpf_stats_already_on(); }
  Result<std::shared_ptr<void>> enable_bpf_stats() const { return ctx_->enable_bpf_stats(); }
  Result<void> publish_metrics(std::vector<MetricFamily> families) const {
    return ctx_->publish_metrics(std::move(families));
  }

 private:
  Context* ctx_;
};

}  // namespace ig::bpfstats
