#include "top/table.h"

#include <algorithm>

#include "top/units.h"

namespace ig::host::top {
namespace {

constexpr std::size_t kMinSpark = 12;

// In display order.
std::vector<TableColumn> all_columns(const TableContext& context) {
  return {
      {ColumnId::Name, "NAME", 16, false, SortKey::Name},
      {ColumnId::Gadget, gadget_title(context), context.scope == Scope::AllPrograms ? 16u : 12u, false, SortKey::Gadget},
      {ColumnId::Cpu, "%CPU", 6, true, SortKey::Cpu},
      {ColumnId::RuntimePerS, "RUNTIME/s", 9, true, SortKey::RuntimePerS},
      {ColumnId::RunsPerS, "RUNS/s", 7, true, SortKey::RunsPerS},
      {ColumnId::AvgNs, "AVG/run", 8, true, SortKey::AvgNs},
      {ColumnId::MapMemory, "MAPMEM", 7, true, SortKey::MapMemory},
      {ColumnId::MapUsed, "USED", 7, true, SortKey::MapMemory},
      {ColumnId::MapCount, "MAPS", 4, true, SortKey::MapCount},
      {ColumnId::ProgMemory, "PROGMEM", 7, true, SortKey::MapMemory},
      {ColumnId::Spark, "%CPU, 60s", kMinSpark, false, SortKey::Cpu},
  };
}

// Which columns give way first when the terminal is narrow: the last here.
constexpr ColumnId kPriority[] = {ColumnId::Name,     ColumnId::Cpu,      ColumnId::Spark,     ColumnId::Gadget,
                                  ColumnId::RuntimePerS, ColumnId::RunsPerS, ColumnId::MapMemory, ColumnId::AvgNs,
                                  ColumnId::MapCount, ColumnId::MapUsed,   ColumnId::ProgMemory};

bool applies(ColumnId id, const TableContext& context) {
  if (id == ColumnId::MapUsed) return context.has_used;
  if (id == ColumnId::ProgMemory) return context.has_prog_memory;
  return true;
}

// "bpftrace 1234", "+N" when more processes hold it, "-" when only a pin or a link does.
std::string holders_text(const TopRow& row) {
  if (row.comms.empty()) return "-";
  std::size_t more = static_cast<std::size_t>(std::count(row.pids.begin(), row.pids.end(), ','));
  std::string text = row.comms.substr(0, row.comms.find(',')) + " " + row.pids.substr(0, row.pids.find(','));
  return more ? text + " +" + std::to_string(more) : text;
}

std::string rate_or_blank(double value, std::uint64_t elapsed) { return elapsed ? count_text(value) : "-"; }

}  // namespace

const char* gadget_title(const TableContext& context) {
  if (context.level == Level::Programs) return "TYPE";  // every row has the same instance
  if (context.scope == Scope::Instances) return "GADGET";
  return "OWNER";  // the instance, or the processes holding another tool's program
}

std::vector<TableColumn> layout_columns(std::size_t width, const TableContext& context) {
  std::vector<TableColumn> columns = all_columns(context);
  std::vector<bool> chosen(columns.size(), false);
  std::size_t used = 0;
  for (ColumnId id : kPriority) {
    auto it = std::find_if(columns.begin(), columns.end(), [id](const TableColumn& c) { return c.id == id; });
    if (!applies(id, context)) continue;
    std::size_t need = it->width + (used ? 1 : 0);
    if (used + need > width) continue;
    used += need;
    chosen[static_cast<std::size_t>(it - columns.begin())] = true;
  }
  std::vector<TableColumn> out;
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (chosen[i]) out.push_back(columns[i]);
  for (TableColumn& c : out)
    if (c.id == ColumnId::Spark) c.width = std::min(kHistorySamples, c.width + (width - used));
  return out;
}

std::string cell_text(const TopRow& row, ColumnId column, Level level) {
  const bool runs = row.kind != RowKind::Map;  // a map's row has no run figures
  switch (column) {
    case ColumnId::Name: return row.name();
    case ColumnId::Gadget:
      if (row.kind == RowKind::Instance) return row.gadget_image;
      if (row.kind == RowKind::Map) return row.map_type;
      if (level == Level::Programs) return row.prog_type;
      return row.gadget_name.empty() ? holders_text(row) : row.gadget_name;
    case ColumnId::Cpu: return runs ? percent_text(row.cpu) : "";
    case ColumnId::RuntimePerS: return !runs ? "" : row.elapsed_ns ? duration_text(row.runtime_per_s()) : "-";
    case ColumnId::RunsPerS: return runs ? rate_or_blank(row.runs_per_s(), row.elapsed_ns) : "";
    case ColumnId::AvgNs: return !runs ? "" : row.avg_ns() ? duration_text(*row.avg_ns()) : "-";
    case ColumnId::MapMemory: return bytes_text(row.map_memory);
    case ColumnId::MapUsed: return row.map_memory_real ? bytes_text(*row.map_memory_real) : "-";
    case ColumnId::MapCount: return std::to_string(row.map_count);
    case ColumnId::ProgMemory: return row.prog_memory ? bytes_text(*row.prog_memory) : "-";
    case ColumnId::Spark: return "";
  }
  return "";
}

}  // namespace ig::host::top
