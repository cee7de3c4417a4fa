// The fixed-size record bpfstats emits, one per row, and its schema.
#pragma once

#include <cstddef>
#include <cstdint>

#include <ig/schema.h>

#include "aggregate.h"

namespace ig::bpfstats {

struct Record {
  std::uint64_t runtime;
  std::uint64_t runcount;
  std::uint64_t runtime_delta;
  std::uint64_t runcount_delta;
  std::uint64_t map_memory;
  double cpu;  // percent of one CPU over the last interval
  std::uint64_t elapsed;  // ns between this batch's snapshot and the one before
  std::uint64_t batch;    // this batch's number in the run, from 1
  std::uint32_t batch_rows;  // rows in this batch: a stream reader knows when it has them all
  std::uint64_t avg_runtime;
  double runs_per_second;
  std::uint64_t recursion_misses;
  std::uint64_t verified_insns;
  std::uint64_t prog_memory;
  std::uint64_t map_memory_shared;
  std::uint64_t max_entries;
  std::uint32_t prog_id;
  std::uint32_t map_count;
  std::uint32_t map_id;
  std::uint32_t key_size;
  std::uint32_t value_size;
  bool preallocated;
  bool total;
  char gadget_id[33];  // all 32 hex characters: JSON consumers need the full id
  char gadget_name[33];
  char gadget_image[33];
  char prog_name[16];
  char prog_type[32];
  char pids[64];
  char comms[128];
  char map_name[16];
  char map_type[32];
  char prog_ids[64];
  // Values the kernel may not be able to give, last and in this order: the host shows
  // a field that a record does not reach as unknown ('-' in columns, null in JSON), so
  // a record that stops before one of them leaves it and those after it unknown.
  std::uint64_t map_memory_real;
  std::uint64_t entries;
  double fill;
  std::uint64_t map_memory_idle;
};

Record to_record(const Row& row);
// The bytes of to_record(row) to emit: up to the first value the row does not know.
std::size_t known_size(const Row& row);

// Name, parameters and columns, with the help text `ig run bpfstats --help` shows.
Description describe();

}  // namespace ig::bpfstats
