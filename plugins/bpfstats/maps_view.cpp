// --maps: one row per BPF map the kernel holds: its shape, how full it is, what it
// costs, who owns or holds it and which programs use it.
#include <bpf/libbpf.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "view.h"

namespace ig::bpfstats {
namespace {

// Newer than this system's linux/bpf.h.
constexpr std::uint32_t kCgrpStorage = 32;  // BPF_MAP_TYPE_CGRP_STORAGE, Linux 6.2
constexpr std::uint32_t kArena = 33;        // BPF_MAP_TYPE_ARENA, Linux 6.9

bool hash_like(std::uint32_t type) {
  switch (type) {
    case BPF_MAP_TYPE_HASH:
    case BPF_MAP_TYPE_PERCPU_HASH:
    case BPF_MAP_TYPE_LRU_HASH:
    case BPF_MAP_TYPE_LRU_PERCPU_HASH:
    case BPF_MAP_TYPE_HASH_OF_MAPS: return true;
    default: return false;
  }
}

// Whether creation allocated the map whole, so that its memlock does not follow
// what it holds.
bool preallocated(const MapInfo& map) {
  switch (map.type) {
    case BPF_MAP_TYPE_HASH:
    case BPF_MAP_TYPE_PERCPU_HASH:
    case BPF_MAP_TYPE_HASH_OF_MAPS: return !(map.flags & BPF_F_NO_PREALLOC);
    case BPF_MAP_TYPE_LPM_TRIE:
    case BPF_MAP_TYPE_SOCKHASH:
    case BPF_MAP_TYPE_DEVMAP_HASH:
    case BPF_MAP_TYPE_CPUMAP:
    case BPF_MAP_TYPE_SK_STORAGE:
    case BPF_MAP_TYPE_INODE_STORAGE:
    case BPF_MAP_TYPE_TASK_STORAGE:
    case kCgrpStorage:
    case BPF_MAP_TYPE_CGROUP_STORAGE:
    case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
    case kArena: return false;
    default: return true;  // arrays, LRU hashes, ring buffers, queues, stacks, ...
  }
}

std::string type_name(std::uint32_t type) {
  const char* name = libbpf_bpf_map_type_str(static_cast<bpf_map_type>(type));
  return name ? name : "type" + std::to_string(type);
}

Row map_row(const KernelSnapshot& now, const MapInfo& map, const RegisteredInstance* owner, const MapUsers& users) {
  Row row;
  if (owner) {
    row.gadget_id = owner->id;
    row.gadget_name = owner->name;
    row.gadget_image = owner->gadget;
  } else if (auto it = now.map_holders.find(map.id); it != now.map_holders.end()) {
    row.holders = it->second;
  }
  row.map_id = map.id;
  row.map_name = map.name;
  row.map_type = type_name(map.type);
  row.key_size = map.key_size;
  row.value_size = map.value_size;
  row.max_entries = map.max_entries;
  row.entries = map.entries;
  row.preallocated = preallocated(map);
  row.map_memory = map.memlock;
  row.map_count = 1;
  row.map_memory_real = real_memory(std::span<const std::uint32_t>(&map.id, 1), now);
  row.map_memory_shared = users.shared(map.id) ? map.memlock : 0;
  row.prog_ids = users.programs_using(map.id);
  if (map.entries && map.max_entries) {
    const std::uint64_t used = std::min<std::uint64_t>(*map.entries, map.max_entries);
    row.fill = static_cast<double>(used) * 100.0 / map.max_entries;
    // What right-sizing would free: a preallocated hash map holds memory for every
    // slot, used or not.
    const bool idle = hash_like(map.type) && row.preallocated;
    row.map_memory_idle = idle ? map.memlock * (map.max_entries - used) / map.max_entries : 0;
  }
  return row;
}

// A light skeleton's loader map that no program uses: it lives only while a program
// loads (bpfstats' own map iterator makes one), then waits to be freed.
bool loader_leftover(const MapInfo& map, const MapUsers& users) {
  return map.name == "__loader.map" && users.programs_using(map.id).empty();
}

// The instance a map belongs to: the first that registered it, else the first whose
// programs use it.
std::unordered_map<std::uint32_t, const RegisteredInstance*> owners(const KernelSnapshot& now,
                                                                    const std::vector<RegisteredInstance>& registry) {
  std::unordered_map<std::uint32_t, const RegisteredInstance*> owner;
  for (const RegisteredInstance& instance : registry)
    for (std::uint32_t id : instance.objects.maps) owner.emplace(id, &instance);
  for (const RegisteredInstance& instance : registry)
    for (std::uint32_t prog : instance.objects.programs)
      if (auto it = now.programs.find(prog); it != now.programs.end())
        for (std::uint32_t id : it->second.map_ids) owner.emplace(id, &instance);
  return owner;
}

class MapsView final : public View {
 public:
  SnapshotRequest plan(const std::vector<RegisteredInstance>&) const override {
    SnapshotRequest request;
    request.all_maps = true;
    request.map_details = true;
    request.map_holders = true;
    request.map_users = true;  // which programs use each map
    return request;
  }

  std::vector<Row> rows(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry,
                        const KernelSnapshot*) const override {
    const auto owner = owners(now, registry);
    MapUsers users(now, registry);
    std::vector<Row> rows;
    rows.reserve(now.maps.size());
    for (const auto& [id, map] : now.maps) {
      if (loader_leftover(map, users)) continue;
      auto it = owner.find(id);
      rows.push_back(map_row(now, map, it == owner.end() ? nullptr : it->second, users));
    }
    return rows;
  }

  std::string_view row_per() const override { return "map"; }

  std::span<const Column> columns() const override {
    static constexpr Column kColumns[] = {
        Column::GadgetId,    Column::GadgetName,   Column::GadgetImage,   Column::MapId,
        Column::MapName,     Column::MapType,      Column::KeySize,       Column::ValueSize,
        Column::Entries,     Column::MaxEntries,   Column::Fill,          Column::Preallocated,
        Column::MapMemory,   Column::MapCount,     Column::MapMemoryReal, Column::MapMemoryIdle,
        Column::MapMemoryShared, Column::Pids,     Column::Comms,         Column::ProgIds,
        Column::Batch,       Column::BatchRows,    Column::Total,
    };
    return kColumns;
  }

  bool counts_runs() const override { return false; }

  SortOrder default_sort() const override { return SortOrder{Column::MapMemory, true}; }
  // The description's defaults are the instance columns, which say nothing of a map.
  std::span<const Column> default_fields() const override {
    static constexpr Column kShown[] = {
        Column::MapId,   Column::MapName,       Column::MapType,       Column::Entries,
        Column::Fill,    Column::MapMemory,     Column::MapMemoryReal, Column::MapMemoryIdle,
        Column::GadgetName, Column::Comms,
    };
    return kShown;
  }

  Row total(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry, const KernelSnapshot* before,
            const std::vector<Row>& rows) const override {
    std::set<std::uint32_t> maps;
    for (const Row& row : rows) maps.insert(row.map_id);
    Row total = total_row(now, {}, maps, before, MapUsers(now, registry));
    total.map_name = "TOTAL";
    std::uint64_t entries = 0, idle = 0;
    bool known = true;
    for (const Row& row : rows) {
      total.max_entries += row.max_entries;
      known = known && row.entries && row.map_memory_idle;
      entries += row.entries.value_or(0);
      idle += row.map_memory_idle.value_or(0);
    }
    if (known) {
      total.entries = entries;
      total.map_memory_idle = idle;
      if (total.max_entries) total.fill = static_cast<double>(entries) * 100.0 / total.max_entries;
    }
    return total;
  }
};

}  // namespace

std::unique_ptr<View> make_maps_view() { return std::make_unique<MapsView>(); }

}  // namespace ig::bpfstats
