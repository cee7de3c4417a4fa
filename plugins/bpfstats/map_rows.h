// One row per map, as --maps shows it and as --all --instances adds for the maps
// each instance owns: the map's shape, fill, memory, owner or holders, users.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include <ig/host_access.h>

#include "aggregate.h"
#include "map_memory.h"
#include "snapshot.h"

namespace ig::bpfstats {

// `owner` null: the map's holders, if the snapshot found any.
Row map_row(const KernelSnapshot& now, const MapInfo& map, const RegisteredInstance* owner, const MapUsers& users);

// A light skeleton's loader map that no program uses: it lives only while a program
// loads (bpfstats' own map iterator makes one), then waits to be freed.
bool loader_leftover(const MapInfo& map, const MapUsers& users);

// The instance a map belongs to: the first that registered it, else the first whose
// programs use it.
std::unordered_map<std::uint32_t, const RegisteredInstance*> owners(const KernelSnapshot& now,
                                                                    const std::vector<RegisteredInstance>& registry);

}  // namespace ig::bpfstats
