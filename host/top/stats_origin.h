// Who keeps the kernel's BPF run-time stats on, for the header: `ig top` always holds
// them while it runs (the daemon's reference count), but the user wants to know whether
// they were on before and stay on after. Read once, before ig top's own run starts.
#pragma once

#include <string>
#include <vector>

#include "client/daemon_client.h"

namespace ig::host::top {

struct StatsFacts {
  bool sysctl_on = false;                 // kernel.bpf_stats_enabled reads 1
  std::vector<std::string> bpfstats_runs; // names of bpfstats instances already in the daemon
  bool daemon_holds_fd = false;           // the daemon holds a BPF_ENABLE_STATS fd
};

// "this view (off when it quits)", "ig daemon --enable-bpfstats", ...
std::string describe_stats_origin(const StatsFacts& facts);

// Asks the daemon (instances, pid) and reads the sysctl and the daemon's fds. What
// cannot be read counts as not there.
StatsFacts gather_stats_facts(DaemonClient& client);

}  // namespace ig::host::top
