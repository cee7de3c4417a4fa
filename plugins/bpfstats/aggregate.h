// The join at the heart of bpfstats, free of any kernel access: a KernelSnapshot
// plus the registry's view of which ids belong to which instance become rows, with
// deltas and cpu against an earlier snapshot, sorted by a column. Which rows a run
// shows is its view's choice (view.h); how each row adds up is here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ig/host_access.h>
#include <ig/result.h>

#include "columns.h"
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
  std::uint64_t verified_insns = 0;
  std::uint64_t prog_memory = 0;  // bytes: memlock plus JIT image, over distinct programs
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
// referenced by its programs) counted once. Nothing when none of its objects is in
// `now` (it owns none, or they went).
std::optional<Row> instance_row(const KernelSnapshot& now, const RegisteredInstance& instance,
                                const KernelSnapshot* before);
// One program, with the maps it references. `owner` is the instance it belongs to;
// without one, the row names the program's holders instead.
Row program_row(const KernelSnapshot& now, const ProgramInfo& prog, const RegisteredInstance* owner,
                const KernelSnapshot* before);

// "-runtime", "mapCount", ...: a column name (any case), '-' prefix for descending.
Result<SortOrder> parse_sort(std::string_view spec);
// Ties keep a stable order: by gadgetID, then progID.
void sort_rows(std::vector<Row>& rows, const SortOrder& order);

}  // namespace ig::bpfstats
