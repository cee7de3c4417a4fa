// What bpfstats reads from the kernel at one moment, as plain data: filled by
// kernel_snapshot.cpp, consumed by aggregate.cpp (which never touches the kernel).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
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

struct MapInfo {
  std::uint32_t id = 0;
  std::uint64_t memlock = 0;  // bytes, from the map's fdinfo
};

// A process holding an fd to a program (the program's own fd or a link to it).
struct Holder {
  std::uint32_t pid = 0;
  std::string comm;
};

struct KernelSnapshot {
  std::map<std::uint32_t, ProgramInfo> programs;
  std::map<std::uint32_t, MapInfo> maps;
  std::map<std::uint32_t, std::vector<Holder>> holders;  // by program id, pids ascending
  std::chrono::steady_clock::time_point taken{};
};

// Which objects one snapshot reads. Programs: every program on the system, or just
// the listed ids. Maps: the listed ids plus every map the read programs reference.
struct SnapshotRequest {
  bool all_programs = false;
  std::vector<std::uint32_t> program_ids;
  std::vector<std::uint32_t> map_ids;
  bool holders = false;  // find the processes holding the read programs
};

}  // namespace ig::bpfstats
