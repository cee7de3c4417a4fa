#include "cli/ig_exclusion.h"

#include <unistd.h>

namespace ig::host {

void leave_out_ig(RecordFilter& filter, const Description& description, const DaemonClient& client) {
  filter.exclude(description, "pid", ::getpid());
  if (int daemon = client.daemon_pid(); daemon > 0) filter.exclude(description, "pid", daemon);
}

std::string_view include_ig_help() {
  return "keep the records of ig's own processes (this client and the daemon), which a gadget with a pid column "
         "leaves out by default";
}

}  // namespace ig::host
