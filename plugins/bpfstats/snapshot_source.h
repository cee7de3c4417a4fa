// Where a run's kernel snapshots come from: the kernel (kernel_source.h) in the
// plugin, prepared snapshots in the unit tests, so every mode runs without BPF there.
// A collector calls baseline() and expect_repeated() on the event loop before its
// worker starts, then pass() on the worker only.
#pragma once

#include <ig/result.h>

#include "snapshot.h"

namespace ig::bpfstats {

class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;

  // Passes like `request` will follow one another for the whole run: keep loaded what
  // makes them cheaper. Called at most once, before the baseline.
  virtual void expect_repeated(const SnapshotRequest& request) = 0;
  // The run's first snapshot, which the first output is measured against.
  virtual Result<KernelSnapshot> baseline(const SnapshotRequest& request) = 0;
  // A snapshot after `before` (nullptr: a one-shot that has no baseline).
  virtual Result<KernelSnapshot> pass(const SnapshotRequest& request, const KernelSnapshot* before) = 0;
};

}  // namespace ig::bpfstats
