// Reading BPF programs and maps from the kernel (libbpf's id enumeration and
// object info, map memlock from fdinfo) into a plain KernelSnapshot.
#pragma once

#include <ig/result.h>

#include "snapshot.h"

namespace ig::bpfstats {

// One pass over what `request` names. An object that disappears while we look
// (ENOENT from get_fd_by_id) is skipped. Errors: not enough privilege (the message
// names CAP_SYS_ADMIN) or a kernel without BPF.
Result<KernelSnapshot> take_kernel_snapshot(const SnapshotRequest& request);

}  // namespace ig::bpfstats
