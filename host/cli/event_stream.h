// Receive an instance's stream from the daemon and write it out, until the instance
// finishes, the user interrupts, or the deadline passes.
#pragma once

#include <chrono>
#include <optional>

#include "cli/output_sink.h"
#include "client/daemon_client.h"

namespace ig::host {

enum class OnInterrupt {
  StopInstance,  // foreground run: ask the daemon to drain and stop it
  Detach,        // attach: just leave; the instance keeps running
};

// Returns the exit code.
int stream_events(DaemonClient& client, OutputSink& sink, std::optional<std::chrono::nanoseconds> timeout,
                  OnInterrupt on_interrupt);

}  // namespace ig::host
