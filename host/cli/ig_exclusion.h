// ig's own processes (this client and the daemon) are left out of a gadget's records
// unless --include-ig: what the daemon does to attach (tracefs, BTF) and the client
// to format (/etc/localtime) is not what the user asked to see.
#pragma once

#include <string_view>

#include <ig/schema.h>

#include "client/daemon_client.h"
#include "output/record_filter.h"

namespace ig::host {

// Add "pid is neither this client's nor the daemon's" to `filter`, for a gadget with
// an integer `pid` column (a process id as the initial pid namespace sees it, like
// trace_open's and trace_exec's); records of gadgets without one are all kept.
void leave_out_ig(RecordFilter& filter, const Description& description, const DaemonClient& client);

// --include-ig's help.
std::string_view include_ig_help();

}  // namespace ig::host
