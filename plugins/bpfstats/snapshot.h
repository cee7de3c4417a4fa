// What bpfstats reads from the kernel at one moment, as plain data: filled by
// kernel_snapshot.cpp, consumed by aggregate.cpp (which never touches the kernel).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ig::bpfstats {

struct ProgramInfo {
  std::uint32_t id = 0;
  std::string name;  // the kernel's 15-character name
  std::string type;  // libbpf's name for the program type ("tracepoint", "kprobe", ...)
  std::uint64_t run_time_ns = 0;
  std::uint64_t run_cnt = 0;
  std::vector<std::uint32_t> map_ids;  // maps the program references
  std::uint64_t recursion_misses = 0;  // runs skipped: it was already running on that CPU (5.12+)
  // Fixed for the program's life: bpf_prog_info, and its fdinfo's memlock (the
  // kernel's charge for the program's instructions and bookkeeping).
  std::uint64_t memlock = 0;
  std::uint32_t jited_len = 0;  // bytes of JIT image, allocated apart from memlock
  std::uint32_t verified_insns = 0;  // 5.16+; 0 before
};

// A perf ring buffer that a perf event array's event writes to: memory the map's
// memlock leaves out. Several events (of one map or of several) can share one.
struct PerfBuffer {
  std::uint64_t address = 0;  // the kernel's, used only to count each buffer once
  std::uint64_t bytes = 0;
};

struct MapInfo {
  std::uint32_t id = 0;
  std::uint64_t memlock = 0;  // bytes, from the map's fdinfo
  std::uint32_t type = 0;     // BPF_MAP_TYPE_*, from the same fdinfo; 0 when not read
  // Map-of-maps: the maps in its slots, each also in KernelSnapshot::maps.
  std::vector<std::uint32_t> inner_map_ids{};
  // Perf event array: the buffers its events write to; nullopt when they could not
  // be read (the map iterator cannot load here).
  std::optional<std::vector<PerfBuffer>> perf_buffers{};
  // Read when the request asks for details (--maps): from the map iterator, or
  // bpf_map_info where it cannot load.
  std::string name{};
  std::uint32_t key_size = 0;
  std::uint32_t value_size = 0;
  std::uint32_t max_entries = 0;
  std::uint32_t flags = 0;
  std::optional<std::uint64_t> entries{};  // elements held; nullopt where the kernel cannot say
};

// A process holding an fd to a program (the program's own fd or a link to it).
struct Holder {
  std::uint32_t pid = 0;
  std::string comm;
};

struct KernelSnapshot {
  // Every program when the request says all_programs or map_users, else those it names.
  std::map<std::uint32_t, ProgramInfo> programs;
  std::map<std::uint32_t, MapInfo> maps;
  std::map<std::uint32_t, std::vector<Holder>> holders;  // by program id, pids ascending
  std::map<std::uint32_t, std::vector<Holder>> map_holders;  // by map id, pids ascending
  std::chrono::steady_clock::time_point taken{};
};

// Which objects one snapshot reads. Programs: every program on the system, or just
// the listed ids. Maps: the listed ids plus every map the read programs reference.
// Every map referenced by a read program, a map-of-maps' inner maps, and with
// all_maps every map on the system.
struct SnapshotRequest {
  bool all_programs = false;
  std::vector<std::uint32_t> program_ids;
  std::vector<std::uint32_t> map_ids;
  bool holders = false;  // find the processes holding the read programs
  // Read every program anyway, to know which other programs use the maps read
  // (mapMemoryShared): a view of some programs still needs all of them for that.
  bool map_users = false;
  bool all_maps = false;     // --maps
  bool map_details = false;  // name, sizes, flags and element count of every map read
  // Name, sizes and flags of these few maps through bpf(), without the map iterator's
  // pass over every map (no element count).
  std::vector<std::uint32_t> map_info_ids;
  bool map_holders = false;  // find the processes holding the read maps
};

}  // namespace ig::bpfstats
