// bpfstats' columns: one list, in display order, shared by the record schema
// (description.cpp) and --sort (aggregate.cpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ig::bpfstats {

enum class Column : std::uint8_t {
  GadgetId,
  GadgetName,
  GadgetImage,
  ProgId,
  ProgName,
  ProgType,
  Runtime,
  Runcount,
  RuntimeDelta,
  RuncountDelta,
  Cpu,
  MapMemory,
  MapCount,
  Pids,
  Comms,
  Elapsed,
  Batch,
  BatchRows,
  AvgRuntime,
  RunsPerSecond,
  RecursionMisses,
  VerifiedInsns,
  ProgMemory,
  MapMemoryReal,
  MapMemoryShared,
  MapId,
  MapName,
  MapType,
  KeySize,
  ValueSize,
  Entries,
  MaxEntries,
  Fill,
  Preallocated,
  MapMemoryIdle,
  ProgIds,
  Total,
};

// The JSON keys users already parse; column headers are these upper-cased.
inline constexpr std::array<std::string_view, 37> kColumnNames = {
    "gadgetID",        "gadgetName",      "gadgetImage",     "progID",        "progName",
    "progType",        "runtime",         "runcount",        "runtimeDelta",  "runcountDelta",
    "cpu",             "mapMemory",       "mapCount",        "pids",          "comms",
    "elapsed",         "batch",           "batchRows",       "avgRuntime",    "runsPerSecond",
    "recursionMisses", "verifiedInsns",   "progMemory",      "mapMemoryReal", "mapMemoryShared",
    "mapID",           "mapName",         "mapType",         "keySize",       "valueSize",
    "entries",         "maxEntries",      "fill",            "preallocated",  "mapMemoryIdle",
    "progIDs",         "total",
};

constexpr std::string_view column_name(Column c) { return kColumnNames[static_cast<std::size_t>(c)]; }

}  // namespace ig::bpfstats
