// What the host knows about an instance, as plain values: what it was asked to run
// (InstanceSpec, which is also what a detached instance persists) and its counters.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "runtime/identity.h"

namespace ig::host {

struct InstanceSpec {
  InstanceId id;
  InstanceName name;
  std::string gadget;  // a gadget name, or an absolute plugin path
  std::map<std::string, std::string> params;  // validated and normalised by the client
  std::int64_t created = 0;  // unix seconds
};

struct InstanceCounters {
  std::uint64_t events = 0;  // records the gadget emitted
  std::uint64_t lost = 0;    // records it reported lost
};

}  // namespace ig::host
