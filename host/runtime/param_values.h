// Gadget parameter values: as a user types them (the client's `ig run`), and in the
// canonical form the daemon receives and persists (bools "true"/"false", integers
// in decimal, durations in nanoseconds).
#pragma once

#include <chrono>
#include <map>
#include <string>

#include <ig/result.h>
#include <ig/schema.h>

namespace ig::host {

// "500ms", "2s", "1.5m", "1h", "250us", "10ns"; a bare number is seconds. Must be > 0.
Result<std::chrono::nanoseconds> parse_duration(const std::string& text);

// Check `text` against the parameter's type and return its canonical form.
Result<std::string> normalize_param(const Param& param, const std::string& text);

// normalize_param, except that an empty `text` means unset ("") and, for a bool, false.
Result<std::string> param_value(const Param& param, const std::string& text);

// What the daemon accepts from a client or a state file: every declared parameter in
// canonical form; a declared one that is missing gets its default, as `ig run` gives
// it. Undeclared keys pass unchanged (no gadget reads them). The error names the key
// and the value.
Result<std::map<std::string, std::string>> check_canonical_params(const Description& description,
                                                                  const std::map<std::string, std::string>& params);

}  // namespace ig::host
