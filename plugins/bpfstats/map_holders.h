// Which processes hold a BPF map, for --maps rows of maps no ig instance owns: the
// task_file iterator of map_holders.bpf.c in a light skeleton (Linux 5.17+ with
// BTF). Where it cannot load, maps show no holders. Program holders are holders.h's.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include <ig/host_access.h>
#include <ig/result.h>

#include "light_skeletons.h"
#include "snapshot.h"

namespace ig::bpfstats {

using HoldersByMap = std::map<std::uint32_t, std::vector<Holder>>;

class MapHolderIterator {
 public:
  static Result<std::unique_ptr<MapHolderIterator>> load();
  ~MapHolderIterator();
  MapHolderIterator(const MapHolderIterator&) = delete;
  MapHolderIterator& operator=(const MapHolderIterator&) = delete;

  // One scan: holders by map id, pids ascending, each with its comm. Processes that
  // exit meanwhile may be missed or kept without a comm.
  Result<HoldersByMap> scan();

  BpfObjectIds ids() const { return BpfObjectIds{{program_id_}, {}}; }

 private:
  MapHolderIterator() = default;
  bpfstats_light_iter iter_{};
  std::uint32_t program_id_ = 0;
};

// One scan with `kept`, or with an iterator loaded for it; empty where none loads.
HoldersByMap find_map_holders(MapHolderIterator* kept);

}  // namespace ig::bpfstats
