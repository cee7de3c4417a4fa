// Where an instance's output goes: the CLI's formatter, the daemon's fan-out, and
// each client connection subscribed to the instance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <ig/context.h>
#include <ig/result.h>

namespace ig::host {

class InstanceSink {
 public:
  virtual ~InstanceSink() = default;
  virtual void on_event(const void* record, std::size_t size) = 0;
  virtual void on_lost(std::uint64_t count) = 0;
  virtual void on_log(LogLevel level, std::string_view message) = 0;
  // The instance ended and nothing more comes: the plugin called finish() (the
  // instance has already stopped), or the daemon stopped or removed it.
  virtual void on_finished(const Result<void>& status) = 0;
};

}  // namespace ig::host
