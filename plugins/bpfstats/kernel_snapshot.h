// Reading BPF programs and maps from the kernel (libbpf's id enumeration and
// object info, map memlock from fdinfo) into a plain KernelSnapshot.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <ig/context.h>
#include <ig/result.h>

#include "holder_cache.h"
#include "holders.h"
#include "map_details.h"
#include "program_counters.h"
#include "snapshot.h"

namespace ig::bpfstats {

// What a run that takes snapshot after snapshot of every program (--all with
// --interval or --metrics) keeps from one pass to the next: bpfstats' own iterators
// (program counters, holders, map details),
// loaded once (each may be missing where it cannot load; snapshots then read the same
// numbers the slower way), and the last holder scan (holder_cache.h says when it is
// used again).
struct PassCache {
  static constexpr std::chrono::seconds kHolderMaxAge{10};

  std::unique_ptr<ProgramCounterReader> counters;
  std::unique_ptr<HolderIterator> holders;
  std::unique_ptr<MapDetailsReader> map_details;
  HolderCache holder_cache{kHolderMaxAge};

  // Load what loads here (the holder iterators only for the passes that find
  // holders); `why_not` says why the counters iterator did not.
  static PassCache load(const SnapshotRequest& request, std::string& why_not);
  // Their programs and maps: the bpfstats instance registers them as its own.
  BpfObjectIds ids() const;
};

// One pass over what `request` names. An object that disappears while we look
// (ENOENT from get_fd_by_id) is skipped. Errors: not enough privilege (the message
// names CAP_SYS_ADMIN) or a kernel without BPF.
//
// With `kept` counters and a `before` snapshot, a pass over all programs reads every
// program's counters in one iterator read; a program already in `before` (same id,
// same map count: a program never changes otherwise) keeps its name, type and map
// ids from there, and only programs new since then go through the bpf() syscall.
// With `kept`, holders come from its holder cache or a scan with its iterator.
Result<KernelSnapshot> take_kernel_snapshot(const SnapshotRequest& request, const KernelSnapshot* before = nullptr,
                                            PassCache* kept = nullptr);

}  // namespace ig::bpfstats
