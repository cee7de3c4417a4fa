#include "aggregate.h"

#include <algorithm>
#include <cctype>
#include <compare>
#include <set>

namespace ig::bpfstats {
namespace {

struct Counters {
  std::uint64_t runtime = 0;
  std::uint64_t runcount = 0;
  std::uint64_t misses = 0;
};

Counters growth(const ProgramInfo& now, const KernelSnapshot* before) {
  if (!before) return {};
  auto it = before->programs.find(now.id);
  // Not there before (or counters went backwards, i.e. a reused id): it is newer
  // than `before`, so everything it has counted happened since.
  if (it == before->programs.end() || it->second.run_time_ns > now.run_time_ns ||
      it->second.run_cnt > now.run_cnt || it->second.recursion_misses > now.recursion_misses)
    return {now.run_time_ns, now.run_cnt, now.recursion_misses};
  return {now.run_time_ns - it->second.run_time_ns, now.run_cnt - it->second.run_cnt,
          now.recursion_misses - it->second.recursion_misses};
}

std::uint64_t elapsed_ns(const KernelSnapshot& now, const KernelSnapshot* before) {
  if (!before) return 0;
  auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(now.taken - before->taken).count();
  return elapsed > 0 ? static_cast<std::uint64_t>(elapsed) : 0;
}

// elapsed, cpu, avgRuntime and runsPerSecond, once the row's counters are summed.
void add_rates(Row& row, const KernelSnapshot& now, const KernelSnapshot* before) {
  row.elapsed = elapsed_ns(now, before);
  if (row.elapsed > 0) {
    row.cpu = static_cast<double>(row.runtime_delta) * 100.0 / static_cast<double>(row.elapsed);
    row.runs_per_second = static_cast<double>(row.runcount_delta) * 1e9 / static_cast<double>(row.elapsed);
  }
  if (before)
    row.avg_runtime = row.runcount_delta ? row.runtime_delta / row.runcount_delta : 0;
  else
    row.avg_runtime = row.runcount ? row.runtime / row.runcount : 0;
}

// Adds the maps that exist in `now` to `distinct`.
void add_maps(std::set<std::uint32_t>& distinct, const std::vector<std::uint32_t>& ids, const KernelSnapshot& now) {
  for (std::uint32_t id : ids)
    if (now.maps.count(id)) distinct.insert(id);
}

// Counts the maps of `distinct` (each id once) that exist in `now` into the row.
template <class Ids>
void count_maps(Row& row, const Ids& distinct, const KernelSnapshot& now) {
  for (std::uint32_t id : distinct) {
    auto map = now.maps.find(id);
    if (map == now.maps.end()) continue;
    ++row.map_count;
    row.map_memory += map->second.memlock;
  }
}

void add_program(Row& row, const ProgramInfo& prog, const KernelSnapshot* before) {
  Counters delta = growth(prog, before);
  row.runtime += prog.run_time_ns;
  row.runcount += prog.run_cnt;
  row.runtime_delta += delta.runtime;
  row.runcount_delta += delta.runcount;
  row.recursion_misses += prog.recursion_misses;
  row.recursion_misses_delta += delta.misses;
  row.verified_insns += prog.verified_insns;
  row.prog_memory += prog.memlock + prog.jited_len;
}

template <class T>
std::weak_ordering order_of(const T& a, const T& b) {
  if (a < b) return std::weak_ordering::less;
  if (b < a) return std::weak_ordering::greater;
  return std::weak_ordering::equivalent;
}

std::vector<std::string> comms_of(const Row& row) {
  std::vector<std::string> comms;
  for (const Holder& h : row.holders) comms.push_back(h.comm);
  return comms;
}

std::weak_ordering compare(const Row& a, const Row& b, Column column) {
  switch (column) {
    case Column::GadgetId: return order_of(a.gadget_id, b.gadget_id);
    case Column::GadgetName: return order_of(a.gadget_name, b.gadget_name);
    case Column::GadgetImage: return order_of(a.gadget_image, b.gadget_image);
    case Column::ProgId: return order_of(a.prog_id, b.prog_id);
    case Column::ProgName: return order_of(a.prog_name, b.prog_name);
    case Column::ProgType: return order_of(a.prog_type, b.prog_type);
    case Column::Runtime: return order_of(a.runtime, b.runtime);
    case Column::Runcount: return order_of(a.runcount, b.runcount);
    case Column::RuntimeDelta: return order_of(a.runtime_delta, b.runtime_delta);
    case Column::RuncountDelta: return order_of(a.runcount_delta, b.runcount_delta);
    case Column::Cpu: return order_of(a.cpu, b.cpu);
    case Column::MapMemory: return order_of(a.map_memory, b.map_memory);
    case Column::MapCount: return order_of(a.map_count, b.map_count);
    case Column::Pids: {
      std::uint32_t pa = a.holders.empty() ? 0 : a.holders.front().pid;
      std::uint32_t pb = b.holders.empty() ? 0 : b.holders.front().pid;
      return order_of(pa, pb);
    }
    case Column::Comms: return order_of(comms_of(a), comms_of(b));
    case Column::Elapsed: return order_of(a.elapsed, b.elapsed);
    case Column::Batch:
    case Column::BatchRows: break;  // the same for every row of a batch
    case Column::AvgRuntime: return order_of(a.avg_runtime, b.avg_runtime);
    case Column::RunsPerSecond: return order_of(a.runs_per_second, b.runs_per_second);
    case Column::RecursionMisses: return order_of(a.recursion_misses, b.recursion_misses);
    case Column::VerifiedInsns: return order_of(a.verified_insns, b.verified_insns);
    case Column::ProgMemory: return order_of(a.prog_memory, b.prog_memory);
    case Column::MapMemoryReal: return order_of(a.map_memory_real, b.map_memory_real);
    case Column::MapMemoryShared: return order_of(a.map_memory_shared, b.map_memory_shared);
    case Column::MapId: return order_of(a.map_id, b.map_id);
    case Column::MapName: return order_of(a.map_name, b.map_name);
    case Column::MapType: return order_of(a.map_type, b.map_type);
    case Column::KeySize: return order_of(a.key_size, b.key_size);
    case Column::ValueSize: return order_of(a.value_size, b.value_size);
    case Column::Entries: return order_of(a.entries, b.entries);
    case Column::MaxEntries: return order_of(a.max_entries, b.max_entries);
    case Column::Fill: return order_of(a.fill, b.fill);
    case Column::Preallocated: return order_of(a.preallocated, b.preallocated);
    case Column::MapMemoryIdle: return order_of(a.map_memory_idle, b.map_memory_idle);
    case Column::ProgIds: return order_of(a.prog_ids, b.prog_ids);
    case Column::Total: return order_of(a.total, b.total);
  }
  return std::weak_ordering::equivalent;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<Row> instance_row(const KernelSnapshot& now, const RegisteredInstance& instance,
                                const KernelSnapshot* before, const MapUsers& users) {
  Row row;
  row.gadget_id = instance.id;
  row.gadget_name = instance.name;
  row.gadget_image = instance.gadget;
  std::set<std::uint32_t> maps;
  add_maps(maps, instance.objects.maps, now);
  std::set<std::uint32_t> seen;
  for (std::uint32_t id : instance.objects.programs) {
    auto it = now.programs.find(id);
    if (it == now.programs.end() || !seen.insert(id).second) continue;
    add_program(row, it->second, before);
    add_maps(maps, it->second.map_ids, now);
  }
  if (seen.empty() && maps.empty()) return std::nullopt;
  count_maps(row, maps, now);
  const std::vector<std::uint32_t> ids(maps.begin(), maps.end());
  row.map_memory_real = real_memory(ids, now);
  row.map_memory_shared = users.shared_memory(ids, users.user_of_instance(instance.id), now);
  add_rates(row, now, before);
  return row;
}

void attribute(Row& row, std::uint32_t id, const RegisteredInstance* owner,
               const std::map<std::uint32_t, std::vector<Holder>>& holders) {
  if (owner) {
    row.gadget_id = owner->id;
    row.gadget_name = owner->name;
    row.gadget_image = owner->gadget;
  } else if (auto it = holders.find(id); it != holders.end()) {
    row.holders = it->second;
  }
}

Row program_row(const KernelSnapshot& now, const ProgramInfo& prog, const RegisteredInstance* owner,
                const KernelSnapshot* before, const MapUsers& users) {
  Row row;
  attribute(row, prog.id, owner, now.holders);
  row.prog_id = prog.id;
  row.prog_name = prog.name;
  row.prog_type = prog.type;
  add_program(row, prog, before);
  // The maps of one program: a handful, each listed once by the kernel (made unique
  // here anyway, as the instance rows' set would).
  std::vector<std::uint32_t> ids = prog.map_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  count_maps(row, ids, now);
  row.map_memory_real = real_memory(ids, now);
  row.map_memory_shared = users.shared_memory(ids, users.user_of_program(prog.id), now);
  add_rates(row, now, before);
  return row;
}

Row total_row(const KernelSnapshot& now, const std::set<std::uint32_t>& programs,
              const std::set<std::uint32_t>& maps, const KernelSnapshot* before, const MapUsers& users) {
  Row row;
  row.total = true;
  for (std::uint32_t id : programs)
    if (auto it = now.programs.find(id); it != now.programs.end()) add_program(row, it->second, before);
  count_maps(row, maps, now);
  row.map_memory_real = real_memory(std::vector<std::uint32_t>(maps.begin(), maps.end()), now);
  for (std::uint32_t id : maps)
    if (auto it = now.maps.find(id); it != now.maps.end() && users.shared(id)) row.map_memory_shared += it->second.memlock;
  add_rates(row, now, before);
  return row;
}

Result<SortOrder> parse_sort(std::string_view spec) {
  SortOrder order;
  order.descending = spec.starts_with('-');
  std::string_view name = order.descending ? spec.substr(1) : spec;
  if (name.starts_with('+')) name.remove_prefix(1);
  for (std::size_t i = 0; i < kColumnNames.size(); ++i) {
    if (iequals(name, kColumnNames[i])) {
      order.column = static_cast<Column>(i);
      return order;
    }
  }
  std::string valid;
  for (std::string_view n : kColumnNames) valid += (valid.empty() ? "" : ",") + std::string(n);
  return make_error("unknown column '" + std::string(name) + "' for '--sort'; valid columns: " + valid +
                    " ('-' prefix for descending)");
}

void sort_rows(std::vector<Row>& rows, const SortOrder& order) {
  // Sort positions, then move each row once: a Row is several strings and a vector.
  std::vector<std::size_t> at(rows.size());
  for (std::size_t i = 0; i < at.size(); ++i) at[i] = i;
  std::stable_sort(at.begin(), at.end(), [&](std::size_t x, std::size_t y) {
    const Row& a = rows[x];
    const Row& b = rows[y];
    std::weak_ordering by_column = compare(a, b, order.column);
    if (by_column != 0) return order.descending ? by_column > 0 : by_column < 0;
    if (a.gadget_id != b.gadget_id) return a.gadget_id < b.gadget_id;
    return a.prog_id < b.prog_id;
  });
  std::vector<Row> sorted;
  sorted.reserve(rows.size());
  for (std::size_t i : at) sorted.push_back(std::move(rows[i]));
  rows = std::move(sorted);
}

}  // namespace ig::bpfstats
