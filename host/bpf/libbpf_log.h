#pragma once

namespace ig::host {

// Route libbpf's messages to the host logger at debug level (visible with -v).
// libbpf's print callback is process-wide, so the host sets it once for every plugin.
void route_libbpf_logs();

}  // namespace ig::host
