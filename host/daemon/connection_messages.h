// What a Connection says on the wire about the daemon's instances: the one place
// where the typed core (InstanceManager, InstanceInfo, InstanceSink) meets
// protocol::Message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/instance_manager.h"
#include "protocol/message.h"
#include "runtime/instance_info.h"

namespace ig::host {

// A Run request; an empty name means "generate one", any other must be valid.
Result<RunRequest> run_request(const protocol::Message& run);

// The reply to Run: id, name, gadget. To Attach: the same and the plugin file.
protocol::Message started_message(const StartedInstance& started);
protocol::Message attached_message(const StartedInstance& attached);

// One `ig list` row: id, name, gadget, status, created, mode, [error], param.*,
// [events, lost].
protocol::Message list_entry(const InstanceInfo& info);

protocol::Message lost_message(std::uint64_t count);
// Events the daemon dropped because this client read too slowly.
protocol::Message too_slow_message(std::uint64_t count);
protocol::Message log_message(LogLevel level, std::string_view text);
// Without an error field when the instance ended well.
protocol::Message finished_message(const Result<void>& status);
protocol::Message error_message(const std::string& text);

}  // namespace ig::host
