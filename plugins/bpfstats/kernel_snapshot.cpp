#include "kernel_snapshot.h"

#include <fcntl.h>

#include <algorithm>
#include <memory>

#include <optional>
#include <set>
#include <string>

#include <ig/unique_fd.h>

#include "holders.h"
#include "map_pass.h"
#include "object_reader.h"

namespace ig::bpfstats {
namespace {

// Every program from the iterator: its counters, and the rest from `before` when it
// was there, else from the iterator's record, else (a program using more maps than a
// record lists) from the kernel. Programs of `skip` (a pass's own iterator) are left
// out. false: the iterator failed, and the caller reads every program through the
// syscall instead.
Result<bool> read_programs_by_iterator(ProgramCounterReader& counters, const KernelSnapshot* before,
                                       KernelSnapshot& snapshot, MemlockReader& memlock, const BpfObjectIds& skip) {
  auto read = counters.read(/*whole=*/!before);
  if (!read) return false;
  for (ProgramCounters& c : read.value()) {
    if (std::find(skip.programs.begin(), skip.programs.end(), c.id) != skip.programs.end()) continue;
    auto known = before ? before->programs.find(c.id) : std::map<std::uint32_t, ProgramInfo>::const_iterator();
    if (before && known != before->programs.end() && known->second.map_ids.size() == c.map_count) {
      ProgramInfo& prog = snapshot.programs.emplace(c.id, known->second).first->second;
      prog.run_cnt = c.run_cnt;
      prog.run_time_ns = c.run_time_ns;
      prog.recursion_misses = c.recursion_misses;
      continue;
    }
    if (!before)
      if (auto whole = whole_program(c.record)) {
        snapshot.programs.emplace(c.id, std::move(*whole));
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

PassCache PassCache::load(const SnapshotRequest& request, std::string& why_not) {
  PassCache kept;
  auto counters = ProgramCounterReader::load();
  if (counters)
    kept.counters = std::move(counters).value();
  else
    why_not = counters.error().message;
  if (request.holders || request.map_holders) kept.holders = HolderIterator::load();
  if (auto details = MapDetailsReader::load()) kept.map_details = std::move(details).value();
  return kept;
}

BpfObjectIds PassCache::ids() const {
  BpfObjectIds ids;
  if (counters) ids = counters->ids();
  if (holders) ids.programs.push_back(holders->program_id());
  if (map_details) ids.programs.push_back(map_details->ids().programs.front());
  return ids;
}

Result<KernelSnapshot> take_kernel_snapshot(const SnapshotRequest& request, const KernelSnapshot* before,
                                            PassCache* kept) {
  KernelSnapshot snapshot;
  MemlockReader memlock;
  bool read_all = false;
  const bool every_program = request.all_programs || request.map_users;
  // Without kept iterators (a one-shot), this pass loads its own counter iterator:
  // as a light skeleton it costs less than reading every program through bpf(). Its
  // program and maps are not rows.
  std::unique_ptr<ProgramCounterReader> own;
  ProgramCounterReader* counters = kept ? kept->counters.get() : nullptr;
  if (every_program && !kept) {
    if (auto loaded = ProgramCounterReader::load()) {
      own = std::move(loaded).value();
      counters = own.get();
    }
  }
  const BpfObjectIds skip = own ? own->ids() : BpfObjectIds{};
  if (every_program && counters) {
    auto by_iterator = read_programs_by_iterator(*counters, before, snapshot, memlock, skip);
    if (!by_iterator) return by_iterator.error();
    read_all = by_iterator.value();
    if (!read_all) snapshot.programs.clear();
  }
  std::vector<std::uint32_t> program_ids = request.program_ids;
  if (every_program && !read_all) {
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
  // The maps the requested programs reference (with map_users, the others were read
  // only to know who else uses a map).
  std::set<std::uint32_t> referenced;
  auto reference = [&referenced](const ProgramInfo& prog) { referenced.insert(prog.map_ids.begin(), prog.map_ids.end()); };
  if (request.all_programs) {
    for (const auto& entry : snapshot.programs) reference(entry.second);
  } else {
    for (std::uint32_t id : request.program_ids)
      if (auto it = snapshot.programs.find(id); it != snapshot.programs.end()) reference(it->second);
  }
  // The counters were read just now; cpu % divides by the time between two of these.
  snapshot.taken = std::chrono::steady_clock::now();
  if (auto maps = read_maps(request, referenced, snapshot, memlock, kept ? kept->map_details.get() : nullptr, skip.maps);
      !maps)
    return maps.error();
  // After the enumeration: the holder scan may load a short-lived iterator program,
  // which must not be among the programs read above.
  if (request.holders) snapshot.holders = kept ? kept_holders(*kept, snapshot) : find_program_holders();
  if (request.map_holders) snapshot.map_holders = find_map_holders(kept ? kept->holders.get() : nullptr);
  return snapshot;
}

}  // namespace ig::bpfstats
