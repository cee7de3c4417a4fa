#include "map_memory.h"

#include <linux/bpf.h>

#include <algorithm>

namespace ig::bpfstats {

std::optional<std::uint64_t> real_memory(std::span<const std::uint32_t> maps, const KernelSnapshot& now) {
  // Most sets hold neither a map-of-maps nor a perf event array: their memlock is all.
  std::uint64_t memlock = 0;
  bool plain = true;
  for (std::uint32_t id : maps) {
    auto it = now.maps.find(id);
    if (it == now.maps.end()) continue;
    memlock += it->second.memlock;
    plain = plain && it->second.inner_map_ids.empty() && it->second.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY;
  }
  if (plain) return memlock;
  std::set<std::uint32_t> distinct;
  for (std::uint32_t id : maps) {
    auto it = now.maps.find(id);
    if (it == now.maps.end()) continue;
    distinct.insert(id);
    for (std::uint32_t inner : it->second.inner_map_ids)
      if (now.maps.count(inner)) distinct.insert(inner);
  }
  std::uint64_t bytes = 0;
  std::set<std::uint64_t> buffers;
  for (std::uint32_t id : distinct) {
    const MapInfo& map = now.maps.at(id);
    bytes += map.memlock;
    if (map.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY) continue;
    if (!map.perf_buffers) return std::nullopt;
    for (const PerfBuffer& buffer : *map.perf_buffers)
      if (buffers.insert(buffer.address).second) bytes += buffer.bytes;
  }
  return bytes;
}

namespace {

// The kinds of user, in a User's top bits.
constexpr MapUsers::User kInstance = 1ull << 62, kHolders = 2ull << 62, kProgram = 3ull << 62;

// The processes holding a program, as one number (FNV-1a over the sorted pids).
MapUsers::User holders_user(const std::vector<Holder>& holders) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const Holder& h : holders) hash = (hash ^ h.pid) * 1099511628211ull;
  return kHolders | (hash >> 2);
}

}  // namespace

MapUsers::MapUsers(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry) {
  for (std::size_t i = 0; i < registry.size(); ++i) {
    const User user = kInstance | i;
    instance_user_.emplace(registry[i].id, user);
    for (std::uint32_t id : registry[i].objects.programs) program_user_.emplace(id, user);
    for (std::uint32_t id : registry[i].objects.maps) add_user(id, user);
  }
  for (const auto& [id, prog] : now.programs) {
    User user = kProgram | id;
    if (auto known = program_user_.find(id); known != program_user_.end())
      user = known->second;
    else if (auto held = now.holders.find(id); held != now.holders.end() && !held->second.empty())
      user = holders_user(held->second);
    program_user_.emplace(id, user);
    for (std::uint32_t map : prog.map_ids) {
      add_user(map, user);
      programs_[map].push_back(id);
    }
  }
}

void MapUsers::add_user(std::uint32_t map_id, User user) {
  std::vector<User>& users = users_[map_id];
  if (std::find(users.begin(), users.end(), user) == users.end()) users.push_back(user);
}

MapUsers::User MapUsers::user_of_program(std::uint32_t prog_id) const {
  auto it = program_user_.find(prog_id);
  return it != program_user_.end() ? it->second : kProgram | prog_id;
}

MapUsers::User MapUsers::user_of_instance(const std::string& id) const {
  auto it = instance_user_.find(id);
  return it != instance_user_.end() ? it->second : kInstance | 0xffffffffull;
}

std::uint64_t MapUsers::shared_memory(std::span<const std::uint32_t> maps, User self, const KernelSnapshot& now) const {
  std::uint64_t bytes = 0;
  for (std::uint32_t id : maps) {
    auto users = users_.find(id);
    auto map = now.maps.find(id);
    if (users == users_.end() || map == now.maps.end()) continue;
    if (std::any_of(users->second.begin(), users->second.end(), [self](User u) { return u != self; }))
      bytes += map->second.memlock;
  }
  return bytes;
}

bool MapUsers::shared(std::uint32_t map_id) const {
  auto it = users_.find(map_id);
  return it != users_.end() && it->second.size() > 1;
}

std::vector<std::uint32_t> MapUsers::programs_using(std::uint32_t map_id) const {
  auto it = programs_.find(map_id);
  return it == programs_.end() ? std::vector<std::uint32_t>{} : it->second;
}

}  // namespace ig::bpfstats
