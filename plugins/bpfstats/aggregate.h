// The join at the heart of bpfstats, free of any kernel access: a KernelSnapshot
// plus the registry's view of which ids belong to which instance become rows, with
// deltas and cpu against an earlier snapshot, sorted by a column.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <ig/context.h>
#include <ig/result.h>

#include "columns.h"
#include "snapshot.h"

namespace ig::bpfstats {

enum class Mode : std::uint8_t {
  Instances,  // one row per instance that owns BPF objects
  Programs,   // --all: one row per program the kernel holds
};

struct View {
  Mode mode = Mode::Instances;
  bool gadgets_only = false;  // Programs mode: only programs of ig instances
};

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
  std::uint64_t map_memory = 0;  // bytes, over distinct maps
  std::uint32_t map_count = 0;
  std::vector<Holder> holders;  // only for programs no instance owns
};

struct SortOrder {
  Column column = Column::Runtime;
  bool descending = true;
};

// What the kernel snapshot must read for this view: every program for --all, else
// only the ids the registry lists.
SnapshotRequest plan_snapshot(const std::vector<RegisteredInstance>& registry, const View& view);

// Rows for `now`. Objects the registry names but `now` lacks are gone and skipped;
// an instance with nothing left is not a row. With `before`, a program's delta is
// its growth since then (all of its counters if it is newer than `before`).
std::vector<Row> build_rows(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry,
                            const View& view, const KernelSnapshot* before);

// "-runtime", "mapCount", ...: a column name (any case), '-' prefix for descending.
Result<SortOrder> parse_sort(std::string_view spec);
// Ties keep a stable order: by gadgetID, then progID.
void sort_rows(std::vector<Row>& rows, const SortOrder& order);

}  // namespace ig::bpfstats
