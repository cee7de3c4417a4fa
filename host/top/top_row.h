// One row of `ig top`: an instance or a program, as one bpfstats batch reports it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ig::host::top {

// Map: one of an instance's maps. Total: bpfstats' --total row, every program and
// map of the batch counted once.
enum class RowKind : std::uint8_t { Instance, Program, Map, Total };

struct TopRow {
  RowKind kind = RowKind::Program;
  std::string gadget_id;    // the owning instance's id; empty for another tool's program
  std::string gadget_name;  // that instance's name
  std::string gadget_image; // the gadget it runs
  std::uint32_t prog_id = 0;
  std::string prog_name;
  std::string prog_type;
  std::uint32_t map_id = 0;  // a Map row's
  std::string map_name;
  std::string map_type;
  double cpu = 0;                 // % of one CPU over `elapsed_ns`
  std::uint64_t runtime_delta = 0;  // ns run during `elapsed_ns`
  std::uint64_t runcount_delta = 0;
  std::uint64_t elapsed_ns = 0;     // what bpfstats measured the deltas over
  std::uint64_t map_memory = 0;     // bytes (memlock), distinct maps
  std::uint32_t map_count = 0;
  std::optional<std::uint64_t> map_memory_real;  // what the maps really hold, where bpfstats reports it
  std::optional<std::uint64_t> prog_memory;      // the program images' bytes, likewise
  std::string pids;   // holders of another tool's program
  std::string comms;

  // Instances by id, programs by kernel id: stable across batches. Made once, on first
  // use (sorting and selection ask often): set the fields before asking.
  const std::string& key() const {
    if (key_.empty())
      key_ = kind == RowKind::Instance ? "i:" + gadget_id
             : kind == RowKind::Map    ? "m:" + std::to_string(map_id)
                                       : "p:" + std::to_string(prog_id);
    return key_;
  }
  // What the NAME column shows.
  const std::string& name() const {
    return kind == RowKind::Instance ? gadget_name : kind == RowKind::Map ? map_name : prog_name;
  }
  // Runtime per second of wall time, in ns (equals cpu * 1e7).
  double runtime_per_s() const { return per_second(runtime_delta); }
  double runs_per_s() const { return per_second(runcount_delta); }
  // Mean ns per run over the interval; nothing when it did not run.
  std::optional<double> avg_ns() const {
    if (runcount_delta == 0) return std::nullopt;
    return static_cast<double>(runtime_delta) / static_cast<double>(runcount_delta);
  }

 private:
  mutable std::string key_;
  double per_second(std::uint64_t delta) const {
    return elapsed_ns ? static_cast<double>(delta) * 1e9 / static_cast<double>(elapsed_ns) : 0;
  }
};

}  // namespace ig::host::top
