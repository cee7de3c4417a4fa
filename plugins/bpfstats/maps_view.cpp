// --maps: one row per BPF map the kernel holds: its shape, how full it is, what it
// costs, who owns or holds it and which programs use it.
#include <set>

#include "map_rows.h"
#include "view.h"

namespace ig::bpfstats {
namespace {

class MapsView final : public View {
 public:
  SnapshotRequest plan(const std::vector<RegisteredInstance>&) const override {
    SnapshotRequest request;
    request.all_maps = true;
    request.map_details = true;
    request.map_holders = true;
    request.map_users = true;  // which programs use each map
    return request;
  }

  std::vector<Row> rows(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry,
                        const KernelSnapshot*) const override {
    const auto owner = owners(now, registry);
    MapUsers users(now, registry);
    std::vector<Row> rows;
    rows.reserve(now.maps.size());
    for (const auto& [id, map] : now.maps) {
      if (loader_leftover(map, users)) continue;
      auto it = owner.find(id);
      rows.push_back(map_row(now, map, it == owner.end() ? nullptr : it->second, users));
    }
    return rows;
  }

  std::string_view row_per() const override { return "map"; }

  std::span<const Column> columns() const override {
    static constexpr Column kColumns[] = {
        Column::GadgetId,    Column::GadgetName,   Column::GadgetImage,   Column::MapId,
        Column::MapName,     Column::MapType,      Column::KeySize,       Column::ValueSize,
        Column::Entries,     Column::MaxEntries,   Column::Fill,          Column::Preallocated,
        Column::MapMemory,   Column::MapCount,     Column::MapMemoryReal, Column::MapMemoryIdle,
        Column::MapMemoryShared, Column::Pids,     Column::Comms,         Column::ProgIds,
        Column::Batch,       Column::BatchRows,    Column::Total,
    };
    return kColumns;
  }

  bool counts_runs() const override { return false; }

  SortOrder default_sort() const override { return SortOrder{Column::MapMemory, true}; }
  // The description's defaults are the instance columns, which say nothing of a map.
  std::span<const Column> default_fields() const override {
    static constexpr Column kShown[] = {
        Column::MapId,   Column::MapName,       Column::MapType,       Column::Entries,
        Column::Fill,    Column::MapMemory,     Column::MapMemoryReal, Column::MapMemoryIdle,
        Column::GadgetName, Column::Comms,
    };
    return kShown;
  }

  Row total(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry, const KernelSnapshot* before,
            const std::vector<Row>& rows) const override {
    std::set<std::uint32_t> maps;
    for (const Row& row : rows) maps.insert(row.map_id);
    Row total = total_row(now, {}, maps, before, MapUsers(now, registry));
    total.map_name = "TOTAL";
    std::uint64_t entries = 0, idle = 0;
    bool known = true;
    for (const Row& row : rows) {
      total.max_entries += row.max_entries;
      known = known && row.entries && row.map_memory_idle;
      entries += row.entries.value_or(0);
      idle += row.map_memory_idle.value_or(0);
    }
    if (known) {
      total.entries = entries;
      total.map_memory_idle = idle;
      if (total.max_entries) total.fill = static_cast<double>(entries) * 100.0 / total.max_entries;
    }
    return total;
  }
};

}  // namespace

std::unique_ptr<View> make_maps_view() { return std::make_unique<MapsView>(); }

}  // namespace ig::bpfstats
