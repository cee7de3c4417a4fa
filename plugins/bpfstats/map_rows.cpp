#include "map_rows.h"

#include <bpf/libbpf.h>

#include <algorithm>

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

}  // namespace

Row map_row(const KernelSnapshot& now, const MapInfo& map, const RegisteredInstance* owner, const MapUsers& users) {
  Row row;
  attribute(row, map.id, owner, now.map_holders);
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

bool loader_leftover(const MapInfo& map, const MapUsers& users) {
  return map.name == "__loader.map" && users.programs_using(map.id).empty();
}

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

}  // namespace ig::bpfstats
