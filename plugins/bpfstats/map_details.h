// Every map's details in one read(): map_details.bpf.c, a bpf_map iterator in a
// light skeleton (light_skeletons.h). It gives what neither bpf_map_info nor fdinfo
// has: how many elements a map holds (hash maps through the bpf_map_sum_elem_count
// kfunc, Linux 6.6+; fd arrays, LPM tries, queues and stacks from their own
// counters), and the perf ring buffers behind a perf event array's events.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <ig/context.h>
#include <ig/result.h>

#include "light_skeletons.h"
#include "snapshot.h"

namespace ig::bpfstats {

struct MapDetails {
  std::uint32_t id = 0;
  std::uint32_t type = 0;
  std::uint32_t flags = 0;
  std::uint32_t key_size = 0;
  std::uint32_t value_size = 0;
  std::uint32_t max_entries = 0;
  std::string name;
  std::optional<std::uint64_t> entries;  // where the iterator can count them
  std::vector<PerfBuffer> perf_buffers;  // perf event arrays
};

class MapDetailsReader {
 public:
  // Load and attach the iterator, with the kfunc where the kernel has it. An error
  // says why it cannot run here (no bpf_map iterator before 5.9, no BTF, no
  // in-kernel CO-RE before 5.17); callers then know no perf buffers and fewer counts.
  static Result<std::unique_ptr<MapDetailsReader>> load();
  ~MapDetailsReader();
  MapDetailsReader(const MapDetailsReader&) = delete;
  MapDetailsReader& operator=(const MapDetailsReader&) = delete;

  // One pass over every map, ids ascending. Maps created or freed meanwhile may be
  // missed or included, as with id enumeration.
  Result<std::vector<MapDetails>> read();

  // The iterator's program, to register with the bpfstats instance.
  BpfObjectIds ids() const;

 private:
  MapDetailsReader() = default;
  bpfstats_light_iter iter_{};
  std::uint32_t program_id_ = 0;
};

}  // namespace ig::bpfstats
