// Reads bpfstats' records by column name, as its self-description lays them out, and
// puts rows back together into whole batches. Reading by name keeps `ig top` working
// as bpfstats gains columns; the columns it cannot do without are checked once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ig/result.h>
#include <ig/schema.h>

#include "top/top_row.h"

namespace ig::host::top {

struct DecodedRecord {
  TopRow row;
  std::uint64_t batch = 0;
  std::uint32_t batch_rows = 0;
};

class RecordReader {
 public:
  // Fails, naming the column, when `bpfstats` lacks one that ig top needs.
  static Result<RecordReader> create(const Description& bpfstats);

  // A record shorter than the columns it needs is an error (a plugin of another build).
  Result<DecodedRecord> read(const void* record, std::size_t size) const;

 private:
  // A column only some bpfstats builds have (mapMemoryReal, progMemory): nothing without it.
  std::optional<std::uint64_t> optional_number(const unsigned char* base, std::size_t size, std::size_t index) const;
  std::string optional_text(const unsigned char* base, std::size_t size, std::size_t index) const;

  enum Index : std::size_t {
    kGadgetId, kGadgetName, kGadgetImage, kProgId, kProgName, kProgType, kRuntimeDelta, kRuncountDelta, kCpu,
    kElapsed, kMapMemory, kMapCount, kPids, kComms, kBatch, kBatchRows, kMapMemoryReal, kProgMemory, kTotal,
    kMapId, kMapName, kMapType, kCount
  };
  explicit RecordReader(std::vector<Field> fields);

  std::vector<Field> fields_;            // the description's, owned
  std::vector<std::optional<std::size_t>> at_;  // Index -> position in fields_
  std::size_t needed_size_ = 0;
};

// Collects rows until their batch is whole. A batch cut short (rows of the next one
// arriving first) is dropped: ig top shows whole snapshots only.
class BatchAssembler {
 public:
  // The whole batch, once `record` completes it.
  std::optional<std::vector<TopRow>> add(DecodedRecord record);

 private:
  std::uint64_t batch_ = 0;
  std::vector<TopRow> rows_;
};

}  // namespace ig::host::top
