// The table's columns: which fit in the terminal's width, and each cell's text.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "top/top_model.h"

namespace ig::host::top {

enum class ColumnId : std::uint8_t { Name, Gadget, Cpu, Spark, RuntimePerS, RunsPerS, AvgNs, MapMemory, MapUsed, MapCount, ProgMemory };

struct TableColumn {
  ColumnId id;
  const char* title;
  std::size_t width;  // the sparkline's is set by the layout
  bool right;         // numbers align right
  SortKey sort;       // what `s` and the F-keys sort by; the sparkline sorts by %CPU
};

struct TableContext {
  Scope scope = Scope::Instances;
  Level level = Level::List;
  bool has_used = false;         // bpfstats reports mapMemoryReal
  bool has_prog_memory = false;  // bpfstats reports progMemory
};

// The columns that fit in `width` (one space between each), most useful first, shown
// in their natural order; the sparkline takes what is left, up to 60 samples.
std::vector<TableColumn> layout_columns(std::size_t width, const TableContext& context);

// A cell's text, not padded, at `level`.
std::string cell_text(const TopRow& row, ColumnId column, Level level);

// The GADGET column's title: the gadget an instance runs, a program's owner (its
// instance, or the processes holding it), or among one instance's programs their type.
const char* gadget_title(const TableContext& context);

}  // namespace ig::host::top
