// What the host knows about an instance, as plain values: what it was asked to run
// (InstanceSpec, which is also what a detached instance persists) and how it is
// doing (InstanceInfo: what `ig list` and the daemon's own metrics show).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/identity.h"

namespace ig::host {

struct InstanceSpec {
  InstanceId id;
  InstanceName name;
  std::string gadget;  // a gadget name, or an absolute plugin path
  std::map<std::string, std::string> params;  // validated and normalised by the client
  std::int64_t created = 0;  // unix seconds
};

enum class InstanceStatus { Running, Exited, Error };
inline constexpr InstanceStatus kInstanceStatuses[] = {InstanceStatus::Running, InstanceStatus::Exited,
                                                       InstanceStatus::Error};
// "running", "exited", "error": the words `ig list` and ig_instances{status} use.
std::string_view status_name(InstanceStatus status);

struct InstanceCounters {
  std::uint64_t events = 0;  // records the gadget emitted
  std::uint64_t lost = 0;    // records it reported lost
};

// How the client that started a run shows it, as the plugin asked in start().
struct Presentation {
  bool finishes_by_itself = false;          // no "Ctrl-C to stop"
  std::vector<std::string> default_fields;  // columns when the user named none
};

struct InstanceInfo {
  InstanceSpec spec;
  InstanceStatus status = InstanceStatus::Running;
  std::string error;  // why, when status is Error
  bool detached = false;
  std::optional<InstanceCounters> counters;  // absent when its gadget never started (a failed restore)
};

}  // namespace ig::host
