// What maps hold beyond IG's mapMemory, and who shares them; no kernel access.
//
// mapMemoryReal of a set of maps counts each kernel object once: every distinct map
// (those of the set and the inner maps of its map-of-maps) at its memlock, plus every
// distinct perf ring buffer its perf event arrays' events write to.
//
// A map's users are the ig instances that registered it or whose programs use it,
// and the other programs that use it, grouped by the processes that hold them when
// the snapshot names holders (one tool), else each program on its own.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <ig/host_access.h>

#include "snapshot.h"

namespace ig::bpfstats {

// `maps` ascending, each once. nullopt when a perf event array among them has
// buffers the snapshot could not read.
std::optional<std::uint64_t> real_memory(std::span<const std::uint32_t> maps, const KernelSnapshot& now);

class MapUsers {
 public:
  // One user: an instance, a set of holder processes, or a program on its own.
  using User = std::uint64_t;

  MapUsers(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry);

  // The user a program stands for: its instance, else its holders, else itself.
  User user_of_program(std::uint32_t prog_id) const;
  // The user an instance (by id) stands for.
  User user_of_instance(const std::string& id) const;
  // The memlock of those of `maps` that some user other than `self` also uses.
  std::uint64_t shared_memory(std::span<const std::uint32_t> maps, User self, const KernelSnapshot& now) const;
  // More than one user.
  bool shared(std::uint32_t map_id) const;
  // The programs that use the map, ascending.
  std::vector<std::uint32_t> programs_using(std::uint32_t map_id) const;

 private:
  void add_user(std::uint32_t map_id, User user);

  std::unordered_map<std::string, User> instance_user_;
  std::unordered_map<std::uint32_t, User> program_user_;
  std::unordered_map<std::uint32_t, std::vector<User>> users_;               // by map id, each once
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> programs_;  // by map id
};

}  // namespace ig::bpfstats
