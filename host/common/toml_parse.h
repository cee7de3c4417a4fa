// TOML++ parsing for ig's untrusted files (state files, the config file), with a
// guard in front of the parser. TOML++ 3.3 (Debian 12's) reaches TOML_UNREACHABLE,
// that is undefined behaviour, when it asks whether some non-ASCII characters are
// whitespace (marzer/tomlplusplus#190 and #295, fixed upstream by #305). It asks
// that outside strings and comments, where TOML allows no non-ASCII character
// anyway, and in a multi-line basic string after a backslash. Those texts are
// refused here, as parse errors naming the line, before TOML++ sees them.
#pragma once

#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace ig::host {

// toml::parse and toml::parse_file, throwing toml::parse_error for an unsafe text
// too (and for a file that cannot be read, as TOML++ does).
toml::table parse_toml(std::string_view text, const std::string& source);
toml::table parse_toml_file(const std::string& path);

}  // namespace ig::host
