#include "kernel_snapshot.h"

#include <fcntl.h>

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include <ig/unique_fd.h>

#include "holders.h"
#include "object_reader.h"

namespace ig::bpfstats {
namespace {

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

// Every program's counters from the iterator; the rest of each program from `before`
// or, for programs new since then, from the kernel. false: the iterator failed, and
// the caller reads every program through the syscall instead.
Result<bool> read_programs_by_iterator(ProgramCounterReader& counters, const KernelSnapshot& before,
                                       KernelSnapshot& snapshot, MemlockReader& memlock) {
  auto read = counters.read();
  if (!read) return false;
  for (const ProgramCounters& c : read.value()) {
    auto known = before.programs.find(c.id);
    if (known != before.programs.end() && known->second.map_ids.size() == c.map_count) {
      ProgramInfo& prog = snapshot.programs.emplace(c.id, known->second).first->second;
      prog.run_cnt = c.run_cnt;
      prog.run_time_ns = c.run_time_ns;
      prog.recursion_misses = c.recursion_misses;
      continue;
    }
    auto prog = read_program(c.id, memlock);
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
  MemlockReader memlock;
  bool read_all = false;
  if (request.all_programs && kept && kept->counters && before) {
    auto by_iterator = read_programs_by_iterator(*kept->counters, *before, snapshot, memlock);
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
    auto prog = read_program(id, memlock);
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
