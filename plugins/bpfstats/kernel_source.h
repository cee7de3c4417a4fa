// Snapshots read from the kernel (take_kernel_snapshot), with what repeated passes
// over every program keep (kernel_snapshot.h's PassCache): bpfstats' own iterators,
// registered as this instance's BPF objects for as long as the run lasts.
#pragma once

#include <ig/context.h>

#include "kernel_snapshot.h"
#include "snapshot_source.h"

namespace ig::bpfstats {

class KernelSource final : public SnapshotSource {
 public:
  explicit KernelSource(Context& ctx) : ctx_(ctx) {}
  ~KernelSource() override;  // leaves the registry, then frees the iterators
  KernelSource(const KernelSource&) = delete;
  KernelSource& operator=(const KernelSource&) = delete;

  void expect_repeated(const SnapshotRequest& request) override;
  Result<KernelSnapshot> baseline(const SnapshotRequest& request) override;
  Result<KernelSnapshot> pass(const SnapshotRequest& request, const KernelSnapshot* before) override;

 private:
  Context& ctx_;
  PassCache kept_;  // empty unless passes over every program repeat
  bool registered_ = false;
};

}  // namespace ig::bpfstats
