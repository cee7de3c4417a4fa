// The join at the heart of bpfstats, free of any kernel access: a KernelSnapshot
// plus the registry's view of which ids belong to which instance become rows, with
// deltas and cpu against an earlier snapshot, sorted by a column. Which rows a run
// shows is its view's choice (view.h); how each row adds up is here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <ig/host_access.h>
#include <ig/result.h>

#include "columns.h"
#include "map_memory.h"
#include "snapshot.h"

namespace ig::bpfstats {

struct Row {
  std::string gadget_id;  // empty for a program no instance owns
  std::string gadget_name;
  std::string gadget_image;
  std::uint32_t prog_id = 0;  // 0 on an instance row
  std::string prog_name;
  std::string prog_type;
  std::uint64_t runtime = 0;  // ns, since load
  std::uint64_t runcount = 0;
  std::uint64_t runtime_delta = 0;  // since the previous snapshot
  std::uint64_t runcount_delta = 0;
  double cpu = 0;  // runtime_delta as % of one CPU over the time between snapshots
  std::uint64_t elapsed = 0;  // ns between the snapshots; 0 without an earlier one
  std::uint64_t map_memory = 0;  // bytes, over distinct maps
  std::uint32_t map_count = 0;
  std::vector<Holder> holders;  // only for programs no instance owns
  // ns per run: over the time since `before` when there is one, else since load
  std::uint64_t avg_runtime = 0;
  double runs_per_second = 0;  // runcount_delta over the time since `before`; 0 without
  std::uint64_t recursion_misses = 0;
  std::uint64_t recursion_misses_delta = 0;  // since the previous snapshot, as runtime_delta
  std::uint64_t verified_insns = 0;
  std::uint64_t prog_memory = 0;  // bytes: memlock plus JIT image, over distinct programs
  std::optional<std::uint64_t> map_memory_real;  // map_memory.h; nullopt: the kernel cannot tell
  std::uint64_t map_memory_shared = 0;  // of map_memory, in maps another user also uses
  // A map row (--maps):
  std::uint32_t map_id = 0;
  std::string map_name;
  std::string map_type;
  std::uint32_t key_size = 0;
  std::uint32_t value_size = 0;
  std::optional<std::uint64_t> entries;  // summed over a total row's maps
  std::uint64_t max_entries = 0;
  std::optional<double> fill;  // entries as % of max_entries
  bool preallocated = false;
  std::optional<std::uint64_t> map_memory_idle;  // held for the empty slots of a preallocated hash map
  std::vector<std::uint32_t> prog_ids;  // the programs that use the map
  bool total = false;  // --total's last row
};

struct SortOrder {
  Column column = Column::Runtime;
  bool descending = true;
};

// Rows for `now`. Objects the registry names but `now` lacks are gone and skipped.
// With `before`, a program's delta is its growth since then (all of its counters if
// it is newer than `before`), and cpu is that growth over the time between the two.
//
// One instance: its programs' counters summed, its distinct maps (registered or
// referenced by its programs) counted once. `users` says who else uses them. Nothing when none of its objects is in
// `now` (it owns none, or they went).
std::optional<Row> instance_row(const KernelSnapshot& now, const RegisteredInstance& instance,
                                const KernelSnapshot* before, const MapUsers& users);
// Who a row's object belongs to: its instance, or else the processes holding it
// (`holders`, by object id).
void attribute(Row& row, std::uint32_t id, const RegisteredInstance* owner,
               const std::map<std::uint32_t, std::vector<Holder>>& holders);

// One program, with the maps it references. `owner` is the instance it belongs to;
// without one, the row names the program's holders instead.
Row program_row(const KernelSnapshot& now, const ProgramInfo& prog, const RegisteredInstance* owner,
                const KernelSnapshot* before, const MapUsers& users);

// --total's row over `programs` and `maps`, each counted once: counters and program
// figures summed over the programs; mapCount, mapMemory and mapMemoryReal over the
// maps, and mapMemoryShared over those of them that more than one user uses.
Row total_row(const KernelSnapshot& now, const std::set<std::uint32_t>& programs,
              const std::set<std::uint32_t>& maps, const KernelSnapshot* before, const MapUsers& users);

// "-runtime", "mapCount", ...: a column name (any case), '-' prefix for descending.
Result<SortOrder> parse_sort(std::string_view spec);
// Ties keep a stable order: by gadgetID, then progID.
void sort_rows(std::vector<Row>& rows, const SortOrder& order);

}  // namespace ig::bpfstats
