#include "map_memory.h"

#include <linux/bpf.h>

#include <algorithm>

namespace ig::bpfstats {

std::optional<std::uint64_t> real_memory(const std::set<std::uint32_t>& maps, const KernelSnapshot& now) {
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

MapUsers::MapUsers(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry) {
  for (const RegisteredInstance& instance : registry) {
    for (std::uint32_t id : instance.objects.programs) program_user_.emplace(id, instance.id);
    for (std::uint32_t id : instance.objects.maps) users_[id].insert(instance.id);
  }
  for (const auto& [id, prog] : now.programs) {
    std::string user = user_of_program(id);
    if (auto held = now.holders.find(id); !program_user_.count(id) && held != now.holders.end() && !held->second.empty()) {
      user = "pids:";
      for (const Holder& h : held->second) user += std::to_string(h.pid) + ",";
    }
    program_user_.emplace(id, user);
    for (std::uint32_t map : prog.map_ids) {
      users_[map].insert(user);
      programs_[map].push_back(id);
    }
  }
}

std::string MapUsers::user_of_program(std::uint32_t prog_id) const {
  if (auto it = program_user_.find(prog_id); it != program_user_.end()) return it->second;
  return "prog:" + std::to_string(prog_id);
}

std::uint64_t MapUsers::shared_memory(const std::set<std::uint32_t>& maps, const std::string& self,
                                      const KernelSnapshot& now) const {
  std::uint64_t bytes = 0;
  for (std::uint32_t id : maps) {
    auto users = users_.find(id);
    auto map = now.maps.find(id);
    if (users == users_.end() || map == now.maps.end()) continue;
    if (std::any_of(users->second.begin(), users->second.end(), [&](const std::string& u) { return u != self; }))
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
