// Reading one BPF program or map by id through the bpf() syscall and its fdinfo:
// the slow, always-available way, used by one-shots and for objects that the
// iterators cannot describe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ig/result.h>
#include <ig/unique_fd.h>

#include "snapshot.h"

namespace ig::bpfstats {
// libbpf's name of a program type ("tracepoint"), or "typeN" for one it does not know.
std::string program_type_name(std::uint32_t type);
}  // namespace ig::bpfstats

namespace ig::bpfstats {

// A failed bpf() call as one line: what failed, the cause, and for missing privilege
// or a kernel without BPF enumeration, the fix.
Error kernel_error(const std::string& what, int err);

// Every program id on the system, ascending.
Result<std::vector<std::uint32_t>> all_program_ids();

// Map types whose memlock is set when the map is created and never changes.
bool memlock_is_fixed(std::uint64_t map_type);

struct MapMemory {
  std::uint64_t memlock = 0;
  std::uint32_t type = 0;  // BPF_MAP_TYPE_*
  bool fixed = false;      // memlock_is_fixed(type)
};

// Map-of-maps: their contents change, so they are read on every pass.
bool is_map_of_maps(std::uint32_t map_type);

// Memlock of a program or map, from /proc/self/fdinfo/FD. Each object is opened by
// id, read and closed before the next, so the next one's fd is almost always the
// same number (the lowest free one). The fdinfo file of that number stays open and is
// read again (see reread_fdinfo): one pread per object instead of an open, read and
// close. When the number differs (another thread took it), that number's file is
// opened.
class MemlockReader {
 public:
  MemlockReader();

  MapMemory map(int map_fd);
  // A program's memlock (0 if its fdinfo cannot be read).
  std::uint64_t program(int prog_fd);

 private:
  // The fd's fdinfo text as far as its memlock line.
  std::string_view fdinfo(int fd);

  UniqueFd dir_;
  UniqueFd info_;  // /proc/self/fdinfo/<slot_>
  int slot_ = -1;
  std::string text_;
};

// nullopt: the program went away before we could open it.
Result<std::optional<ProgramInfo>> read_program(std::uint32_t id, MemlockReader& memlock);

// nullopt: the map went away before we could open it. Its memlock and type, or with
// `known` only whether it still exists; a map-of-maps' inner map ids; and
// `with_info`, bpf_map_info's name, sizes and flags.
Result<std::optional<MapInfo>> read_map(std::uint32_t id, MemlockReader& memlock, const std::optional<MapMemory>& known,
                                        bool with_info);

// Every map id on the system, ascending.
Result<std::vector<std::uint32_t>> all_map_ids();

}  // namespace ig::bpfstats
