// What a Connection says on the wire about the daemon's instances: the one place
// where the typed core (InstanceManager, InstanceInfo) meets protocol::Message.
#pragma once

#include <string>

#include "protocol/message.h"
#include "runtime/instance_info.h"

namespace ig::host {

protocol::Message error_message(const std::string& text);

// One `ig list` row: id, name, gadget, status, created, mode, [error], param.*,
// [events, lost].
protocol::Message list_entry(const InstanceInfo& info);

}  // namespace ig::host
