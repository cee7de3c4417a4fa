// The kernel's CPU list format, as in /sys/devices/system/cpu/possible.
#pragma once

#include <cstdint>
#include <string_view>

namespace ig::bpfstats {

// N when `text` lists exactly the CPUs 0..N-1 ("0-1", "0", with or without a
// newline) and N is at most `max`; 0 for holes ("0-3,8-11"), anything else, or more.
std::uint32_t contiguous_cpu_count(std::string_view text, std::uint32_t max);

}  // namespace ig::bpfstats
