// The host's one logger: "ig: <level>: message" on stderr. Core code logs at debug only.
#pragma once

#include <string_view>

#include <ig/context.h>

namespace ig::host {

void set_log_level(LogLevel max_level);
bool log_enabled(LogLevel level);
void log(LogLevel level, std::string_view message);

}  // namespace ig::host
