#include "kernel_source.h"

#include <string>

namespace ig::bpfstats {

KernelSource::~KernelSource() {
  if (registered_) ctx_.unregister_bpf(kept_.ids());
  kept_ = {};
}

// Every pass after the first of a run that reads every program (--all, and the views
// that need to know who uses a map) reads counters in one iterator read, finds
// holders and map details with iterators loaded once. Where they cannot run, the passes
// use the bpf() syscall and /proc, as a one-shot does. Loading costs more than it
// saves unless every program is read again and again.
void KernelSource::expect_repeated(const SnapshotRequest& request) {
  if (!request.all_programs && !request.map_users && !request.all_maps) return;
  std::string why_not;
  kept_ = PassCache::load(request, why_not);
  if (!why_not.empty())
    ctx_.log(LogLevel::Debug, "reading program counters through the bpf() syscall: " + why_not);
  ctx_.register_bpf(kept_.ids());
  registered_ = true;
}

Result<KernelSnapshot> KernelSource::baseline(const SnapshotRequest& request) {
  return take_kernel_snapshot(request, nullptr, registered_ ? &kept_ : nullptr);
}

Result<KernelSnapshot> KernelSource::pass(const SnapshotRequest& request, const KernelSnapshot* before) {
  return take_kernel_snapshot(request, before, registered_ ? &kept_ : nullptr);
}

}  // namespace ig::bpfstats
