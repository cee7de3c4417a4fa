// `ig list`'s output: the daemon's instance rows as aligned columns, JSON (a line or
// indented per instance) or YAML (a document per instance).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "output/record_formatter.h"
#include "protocol/message.h"

namespace ig::host {

// `rows` are the daemon's ListReply entries; `now` (Unix seconds) gives the AGE column.
std::string format_instance_list(const std::vector<protocol::Message>& rows, OutputFormat format, std::int64_t now);

}  // namespace ig::host
