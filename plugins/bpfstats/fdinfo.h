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

// fdinfo_value of the file at `path` (relative to `dir_fd`), reading only as far as
// the key's line: a BPF object's fdinfo comes whole in the first read, so this is
// one open, one read and one close. Nothing when the file cannot be read.
std::optional<std::uint64_t> read_fdinfo_value(int dir_fd, const char* path, std::string_view key);

// The same for an fdinfo file already open as `file_fd`, read again from its start
// (pread at 0): /proc/PID/fdinfo/N looks fd N up at each read, so once N names
// another object, this reads that object's fdinfo without opening anything.
std::optional<std::uint64_t> reread_fdinfo_value(int file_fd, std::string_view key);

// The text of an open fdinfo file from its start, as far as the complete line of
// `until` (or all of it), in `buf` (reused between calls to save allocations). For
// several keys of one read: a map's "map_type" comes before its "memlock".
std::string_view reread_fdinfo(int file_fd, std::string_view until, std::string& buf);

// The whole of a small /proc file; empty when it cannot be read (the process or fd
// went away, which callers treat as "nothing there").
std::string read_small_file(int dir_fd, const char* path);

}  // namespace ig::bpfstats
