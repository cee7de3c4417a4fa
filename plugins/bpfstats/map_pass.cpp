#include "map_pass.h"

#include <linux/bpf.h>

#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace ig::bpfstats {
namespace {

using MemoryById = std::unordered_map<std::uint32_t, MapMemory>;

// The memlock and type of the last snapshot's fixed-size maps, kept while the
// plugin stays loaded: the daemon keeps a plugin loaded once it ran (see its
// resident_plugins.h), so one-shots after the first find it too. A map that a program just read references exists, so when its memlock is
// known here it costs no syscall. Map ids are allocated cyclically over 2^31 values
// and are not reused before that wraps. Several snapshots may run at once; the last
// one wins.
class FixedMemlock {
 public:
  MemoryById copy() {
    std::lock_guard lock(mutex_);
    return known_;
  }
  void replace(MemoryById fresh) {
    std::lock_guard lock(mutex_);
    known_ = std::move(fresh);
  }

 private:
  std::mutex mutex_;
  MemoryById known_;
};

FixedMemlock& fixed_memlock() {
  static FixedMemlock cache;
  return cache;
}

// The map iterator's records, read at most once per pass, through the kept iterator
// or one loaded for this pass only. nullptr where it cannot run.
class DetailsOnce {
 public:
  explicit DetailsOnce(MapDetailsReader* kept) : reader_(kept) {}

  const std::vector<MapDetails>* get() {
    if (tried_) return listed_ ? &*listed_ : nullptr;
    tried_ = true;
    if (!reader_) {
      auto loaded = MapDetailsReader::load();
      if (!loaded) return nullptr;
      own_ = std::move(loaded).value();
      reader_ = own_.get();
    }
    if (auto read = reader_->read()) listed_ = std::move(read).value();
    return listed_ ? &*listed_ : nullptr;
  }

 private:
  MapDetailsReader* reader_;
  std::unique_ptr<MapDetailsReader> own_;
  std::optional<std::vector<MapDetails>> listed_;
  bool tried_ = false;
};

void apply_details(const std::vector<MapDetails>& listed, KernelSnapshot& snapshot) {
  for (const MapDetails& d : listed) {
    auto it = snapshot.maps.find(d.id);
    if (it == snapshot.maps.end()) continue;
    MapInfo& map = it->second;
    map.type = d.type;
    map.name = d.name;
    map.key_size = d.key_size;
    map.value_size = d.value_size;
    map.max_entries = d.max_entries;
    map.flags = d.flags;
    map.entries = d.entries;
    if (d.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) map.perf_buffers = d.perf_buffers;
  }
}

// Arrays hold every slot from creation on.
void fill_array_entries(KernelSnapshot& snapshot) {
  for (auto& [id, map] : snapshot.maps)
    if ((map.type == BPF_MAP_TYPE_ARRAY || map.type == BPF_MAP_TYPE_PERCPU_ARRAY) && !map.entries &&
        map.max_entries)
      map.entries = map.max_entries;
}

}  // namespace

Result<void> read_maps(const SnapshotRequest& request, const std::set<std::uint32_t>& referenced,
                       KernelSnapshot& snapshot, MemlockReader& memlock, MapDetailsReader* kept,
                       const std::vector<std::uint32_t>& own) {
  DetailsOnce details(kept);
  std::set<std::uint32_t> ids(request.map_ids.begin(), request.map_ids.end());
  ids.insert(referenced.begin(), referenced.end());
  // Maps known to exist now: referenced by a program just read, or just listed by the
  // iterator. A fixed-size one whose memlock is known costs no syscall.
  bool listed_exist = false;
  if (request.all_maps) {
    if (const auto* listed = request.map_details ? details.get() : nullptr) {
      for (const MapDetails& d : *listed) ids.insert(d.id);
      listed_exist = true;
    } else {
      auto all = all_map_ids();
      if (!all) return all.error();
      ids.insert(all.value().begin(), all.value().end());
    }
  }
  for (std::uint32_t id : own) ids.erase(id);
  // Where the iterator cannot run, --maps reads bpf_map_info instead.
  const bool info_by_syscall = request.map_details && !details.get();

  const std::set<std::uint32_t> info_ids(request.map_info_ids.begin(), request.map_info_ids.end());
  const MemoryById known = fixed_memlock().copy();
  MemoryById fixed;
  std::vector<std::uint32_t> queue(ids.begin(), ids.end());
  for (std::size_t i = 0; i < queue.size(); ++i) {  // grows by inner maps
    const std::uint32_t id = queue[i];
    if (snapshot.maps.count(id)) continue;
    const bool with_info = info_by_syscall || info_ids.count(id);
    auto cached = known.find(id);
    if (cached != known.end() && (listed_exist || referenced.count(id)) && !with_info) {
      snapshot.maps.emplace(id, MapInfo{id, cached->second.memlock, cached->second.type});
      fixed.insert(*cached);
      continue;
    }
    auto map = read_map(id, memlock, cached != known.end() ? std::optional(cached->second) : std::nullopt,
                        with_info);
    if (!map) return map.error();
    if (!map.value()) continue;
    MapInfo& read = *map.value();
    queue.insert(queue.end(), read.inner_map_ids.begin(), read.inner_map_ids.end());
    if (memlock_is_fixed(read.type) && !is_map_of_maps(read.type))
      fixed.emplace(id, MapMemory{read.memlock, read.type, true});
    snapshot.maps.emplace(id, std::move(read));
  }
  fixed_memlock().replace(std::move(fixed));

  bool perf_arrays = false;
  for (const auto& [id, map] : snapshot.maps) perf_arrays = perf_arrays || map.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
  if (request.map_details || perf_arrays)
    if (const auto* listed = details.get()) apply_details(*listed, snapshot);
  fill_array_entries(snapshot);
  return {};
}

}  // namespace ig::bpfstats
