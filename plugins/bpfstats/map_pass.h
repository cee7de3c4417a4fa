// The maps of one snapshot: every map the request names or the programs just read
// reference (every map on the system with all_maps), the inner maps of each
// map-of-maps, and what the map iterator knows (map_details.h) where the request
// asks for details or a perf event array's buffers need it.
#pragma once

#include <cstdint>
#include <set>

#include <ig/result.h>

#include "map_details.h"
#include "object_reader.h"
#include "snapshot.h"

namespace ig::bpfstats {

// `referenced`: the maps the read programs reference, which exist. `kept`: an
// iterator a repeated run keeps loaded; without one, a pass that needs it loads one
// for itself. A map that vanishes meanwhile is skipped, and so are the `own` maps
// of a pass's own iterators.
Result<void> read_maps(const SnapshotRequest& request, const std::set<std::uint32_t>& referenced,
                       KernelSnapshot& snapshot, MemlockReader& memlock, MapDetailsReader* kept,
                       const std::vector<std::uint32_t>& own);

}  // namespace ig::bpfstats
