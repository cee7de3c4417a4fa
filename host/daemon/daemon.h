// `ig daemon`: the host process. Holds every instance, listens on the control socket.
#pragma once

#include "daemon/config.h"

namespace ig::host {

// Runs in the foreground until SIGTERM/SIGINT; returns the exit code.
int run_daemon(const Config& config);

}  // namespace ig::host
