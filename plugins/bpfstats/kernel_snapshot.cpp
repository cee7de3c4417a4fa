#include "kernel_snapshot.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "fdinfo.h"
#include "holders.h"
#include <ig/unique_fd.h>

namespace ig::bpfstats {
namespace {

// libbpf 1.x returns -errno (and sets errno).
int error_code(int ret) { return ret < 0 ? -ret : errno; }

Error kernel_error(const std::string& what, int err) {
  std::string message = what + ": " + std::strerror(err);
  if (err == EPERM || err == EACCES)
    message += "; listing and opening BPF objects by id needs CAP_SYS_ADMIN: run as root or grant CAP_SYS_ADMIN";
  else if (err == ENOSYS || err == EINVAL)
    message += "; this kernel has no BPF object enumeration (Linux 4.13+ with CONFIG_BPF_SYSCALL)";
  return make_error(message);
}

Result<std::vector<std::uint32_t>> all_program_ids() {
  std::vector<std::uint32_t> ids;
  for (std::uint32_t id = 0;;) {
    int ret = bpf_prog_get_next_id(id, &id);
    if (ret == 0) {
      ids.push_back(id);
      continue;
    }
    int err = error_code(ret);
    if (err == ENOENT) return ids;
    return kernel_error("cannot list BPF programs (bpf_prog_get_next_id)", err);
  }
}

// nullopt: the program went away before we could open it.
Result<std::optional<ProgramInfo>> read_program(std::uint32_t id) {
  UniqueFd fd(bpf_prog_get_fd_by_id(id));
  if (!fd) {
    int err = errno;
    if (err == ENOENT) return std::optional<ProgramInfo>();
    return kernel_error("cannot open BPF program '" + std::to_string(id) + "'", err);
  }
  // The map list can grow (BPF_PROG_BIND_MAP), so ask until it fits.
  std::vector<std::uint32_t> map_ids(16);
  bpf_prog_info info{};
  for (;;) {
    info = {};
    info.nr_map_ids = static_cast<__u32>(map_ids.size());
    info.map_ids = reinterpret_cast<std::uintptr_t>(map_ids.data());
    __u32 len = sizeof(info);
    if (int ret = bpf_obj_get_info_by_fd(fd.get(), &info, &len); ret != 0)
      return kernel_error("cannot read BPF program '" + std::to_string(id) + "'", error_code(ret));
    if (info.nr_map_ids <= map_ids.size()) break;
    map_ids.resize(info.nr_map_ids);
  }
  map_ids.resize(info.nr_map_ids);

  ProgramInfo prog;
  prog.id = info.id;
  prog.name.assign(info.name, strnlen(info.name, sizeof(info.name)));
  const char* type = libbpf_bpf_prog_type_str(static_cast<bpf_prog_type>(info.type));
  prog.type = type ? type : "type" + std::to_string(info.type);
  prog.run_time_ns = info.run_time_ns;
  prog.run_cnt = info.run_cnt;
  prog.map_ids = std::move(map_ids);
  return std::optional<ProgramInfo>(std::move(prog));
}

// Map types whose memlock is set when the map is created and never changes, on every
// kernel: the charge at creation (before 5.11), a footprint from key size, value
// size and max entries (5.11 to 6.3), and map_mem_usage() (6.4+), which for arrays
// and ring buffers counts only what creation allocated. Hash maps, tries, local
// storage and the like may report use (6.4+) and are read every time.
bool memlock_is_fixed(std::uint64_t map_type) {
  switch (map_type) {
    case BPF_MAP_TYPE_ARRAY:
    case BPF_MAP_TYPE_PERCPU_ARRAY:
    case BPF_MAP_TYPE_PROG_ARRAY:
    case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
    case BPF_MAP_TYPE_CGROUP_ARRAY:
    case BPF_MAP_TYPE_ARRAY_OF_MAPS:
    case BPF_MAP_TYPE_RINGBUF: return true;
    default: return false;
  }
}

using MemlockById = std::unordered_map<std::uint32_t, std::uint64_t>;

// The memlock of the last snapshot's fixed-size maps, kept while the plugin stays
// loaded (an --interval run, a metrics collector; a one-shot starts empty). A map
// that a program just read references exists, so when its memlock is known here it
// costs no syscall. Map ids are allocated cyclically over 2^31 values and are not
// reused before that wraps. Several snapshots may run at once; the last one wins.
class FixedMemlock {
 public:
  MemlockById copy() {
    std::lock_guard lock(mutex_);
    return known_;
  }
  void replace(MemlockById fresh) {
    std::lock_guard lock(mutex_);
    known_ = std::move(fresh);
  }

 private:
  std::mutex mutex_;
  MemlockById known_;
};

FixedMemlock& fixed_memlock() {
  static FixedMemlock cache;
  return cache;
}

struct MapMemory {
  std::uint64_t memlock = 0;
  bool fixed = false;  // memlock_is_fixed(its type)
};

// Map memlock, from /proc/self/fdinfo/FD. Each map is opened by id, read and closed
// before the next, so the next map's fd is almost always the same number (the
// lowest free one). The fdinfo file of that number stays open and is read again
// (see reread_fdinfo): one pread per map instead of an open, read and close. When
// the number differs (another thread took it), the new number's file is opened.
class MemlockReader {
 public:
  MemlockReader() : dir_(::open("/proc/self/fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) { text_.reserve(1024); }

  MapMemory operator()(int map_fd) {
    if (map_fd != slot_ || !info_) {
      char name[16];
      *std::to_chars(name, name + sizeof(name) - 1, map_fd).ptr = '\0';
      info_ = UniqueFd(::openat(dir_.get(), name, O_RDONLY | O_CLOEXEC));
      slot_ = map_fd;
      if (!info_) return {};
    }
    std::string_view text = reread_fdinfo(info_.get(), "memlock", text_);
    auto memlock = fdinfo_value(text, "memlock");
    auto type = fdinfo_value(text, "map_type");  // printed before memlock
    return MapMemory{memlock.value_or(0), memlock && type && memlock_is_fixed(*type)};
  }

 private:
  UniqueFd dir_;
  UniqueFd info_;  // /proc/self/fdinfo/<slot_>
  int slot_ = -1;
  std::string text_;
};

// nullopt: the map went away before we could open it. With `known` memlock, only
// whether the map still exists is asked.
Result<std::optional<MapMemory>> read_map(std::uint32_t id, MemlockReader& memlock,
                                          std::optional<std::uint64_t> known) {
  UniqueFd fd(bpf_map_get_fd_by_id(id));
  if (!fd) {
    int err = errno;
    if (err == ENOENT) return std::optional<MapMemory>();
    return kernel_error("cannot open BPF map '" + std::to_string(id) + "'", err);
  }
  if (known) return std::optional<MapMemory>(MapMemory{*known, true});
  // memlock: what the kernel charges for the map (mapMemory's help says what that covers).
  return std::optional<MapMemory>(memlock(fd.get()));
}

// Every program's counters from the iterator; the rest of each program from `before`
// or, for programs new since then, from the kernel. false: the iterator failed, and
// the caller reads every program through the syscall instead.
Result<bool> read_programs_by_iterator(ProgramCounterReader& counters, const KernelSnapshot& before,
                                       KernelSnapshot& snapshot) {
  auto read = counters.read();
  if (!read) return false;
  for (const ProgramCounters& c : read.value()) {
    auto known = before.programs.find(c.id);
    if (known != before.programs.end() && known->second.map_ids.size() == c.map_count) {
      ProgramInfo& prog = snapshot.programs.emplace(c.id, known->second).first->second;
      prog.run_cnt = c.run_cnt;
      prog.run_time_ns = c.run_time_ns;
      continue;
    }
    auto prog = read_program(c.id);
    if (!prog) return prog.error();
    if (prog.value()) snapshot.programs.emplace(c.id, std::move(*prog.value()));
  }
  return true;
}

// Holders of the snapshot's programs: the last scan again when it still holds
// (holder_cache.h), else a new scan with the kept iterator.
HoldersByProgram kept_holders(PassCache& kept, const KernelSnapshot& snapshot) {
  std::vector<std::uint32_t> ids;
  ids.reserve(snapshot.programs.size());
  for (const auto& entry : snapshot.programs) ids.push_back(entry.first);
  UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  IdentityReader identify = [&proc](std::uint32_t pid) { return read_process_identity(proc.get(), pid); };
  const auto now = HolderCache::Clock::now();
  if (auto reused = kept.holder_cache.reuse(ids, now, identify)) return std::move(*reused);
  HoldersByProgram holders = find_program_holders(kept.holders.get());
  kept.holder_cache.keep(holders, std::move(ids), now, identify);
  return holders;
}

}  // namespace

PassCache PassCache::load(bool with_holders, std::string& why_not) {
  PassCache kept;
  auto counters = ProgramCounterReader::load();
  if (counters)
    kept.counters = std::move(counters).value();
  else
    why_not = counters.error().message;
  if (with_holders) kept.holders = HolderIterator::load();
  return kept;
}

BpfObjectIds PassCache::ids() const {
  BpfObjectIds ids;
  if (counters) ids = counters->ids();
  if (holders) ids.programs.push_back(holders->program_id());
  return ids;
}

Result<KernelSnapshot> take_kernel_snapshot(const SnapshotRequest& request, const KernelSnapshot* before,
                                            PassCache* kept) {
  KernelSnapshot snapshot;
  bool read_all = false;
  if (request.all_programs && kept && kept->counters && before) {
    auto by_iterator = read_programs_by_iterator(*kept->counters, *before, snapshot);
    if (!by_iterator) return by_iterator.error();
    read_all = by_iterator.value();
    if (!read_all) snapshot.programs.clear();
  }
  std::vector<std::uint32_t> program_ids = request.program_ids;
  if (request.all_programs && !read_all) {
    auto ids = all_program_ids();
    if (!ids) return ids.error();
    program_ids = std::move(ids).value();
  }

  for (std::uint32_t id : program_ids) {
    if (snapshot.programs.count(id)) continue;
    auto prog = read_program(id);
    if (!prog) return prog.error();
    if (!prog.value()) continue;
    snapshot.programs.emplace(id, std::move(*prog.value()));
  }
  std::set<std::uint32_t> referenced;  // maps the programs read here reference
  for (const auto& [id, prog] : snapshot.programs) referenced.insert(prog.map_ids.begin(), prog.map_ids.end());
  // The counters were read just now; cpu % divides by the time between two of these.
  snapshot.taken = std::chrono::steady_clock::now();
  std::set<std::uint32_t> map_ids(request.map_ids.begin(), request.map_ids.end());
  map_ids.insert(referenced.begin(), referenced.end());
  const MemlockById known = fixed_memlock().copy();
  MemlockById fixed;
  MemlockReader memlock;
  for (std::uint32_t id : map_ids) {
    auto cached = known.find(id);
    if (cached != known.end() && referenced.count(id)) {
      snapshot.maps.emplace(id, MapInfo{id, cached->second});
      fixed.insert(*cached);
      continue;
    }
    auto map = read_map(id, memlock, cached != known.end() ? std::optional(cached->second) : std::nullopt);
    if (!map) return map.error();
    if (!map.value()) continue;
    snapshot.maps.emplace(id, MapInfo{id, map.value()->memlock});
    if (map.value()->fixed) fixed.emplace(id, map.value()->memlock);
  }
  fixed_memlock().replace(std::move(fixed));
  // After the enumeration: the holder scan may load a short-lived iterator program,
  // which must not be among the programs read above.
  if (request.holders) snapshot.holders = kept ? kept_holders(*kept, snapshot) : find_program_holders();
  return snapshot;
}

}  // namespace ig::bpfstats
