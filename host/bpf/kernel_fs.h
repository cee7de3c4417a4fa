// The kernel file systems gadgets need: tracefs (tracepoint ids) and bpffs.
#pragma once

#include <string>
#include <vector>

#include <ig/result.h>

namespace ig::host {

// Mount tracefs at /sys/kernel/tracing and bpffs at /sys/fs/bpf where they are not
// mounted yet. Returns one line per mount it made, for the caller to say.
Result<std::vector<std::string>> mount_kernel_filesystems();

}  // namespace ig::host
