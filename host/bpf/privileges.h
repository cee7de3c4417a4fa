// Can this process load and attach BPF tracing programs?
#pragma once

#include <ig/result.h>

namespace ig::host {

// Needs CAP_BPF and CAP_PERFMON (Linux 5.8+), or CAP_SYS_ADMIN. The error names
// exactly the capabilities that are missing.
// `pid` 0 means this process; the daemon checks its clients' pids.
Result<void> check_bpf_privileges(int pid = 0);

}  // namespace ig::host
