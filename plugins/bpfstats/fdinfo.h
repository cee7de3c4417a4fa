// Parsing /proc/PID/fdinfo/FD text, e.g. a BPF map's "memlock:\t8192" or a BPF
// program's or link's "prog_id:\t42".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ig::bpfstats {

// The unsigned decimal value of the line "KEY:<blanks>VALUE", if there is one.
std::optional<std::uint64_t> fdinfo_value(std::string_view text, std::string_view key);

// The whole of a small /proc file; empty when it cannot be read (the process or fd
// went away, which callers treat as "nothing there").
std::string read_small_file(int dir_fd, const char* path);

}  // namespace ig::bpfstats
