#include "top/record_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace ig::host::top {
namespace {

constexpr std::array<std::string_view, 22> kNames = {
    "gadgetID", "gadgetName", "gadgetImage", "progID", "progName", "progType", "runtimeDelta", "runcountDelta",
    "cpu",      "elapsed",    "mapMemory",   "mapCount", "pids",   "comms",    "batch",        "batchRows",
    "mapMemoryReal", "progMemory", "total", "mapID", "mapName", "mapType"};

// Columns a row cannot be shown without; the others are shown when bpfstats has them.
constexpr std::size_t kRequired = 16;

template <class T>
T number(const unsigned char* base, const Field& f) {
  T value{};
  std::memcpy(&value, base + f.offset, sizeof(T));
  return value;
}

std::uint64_t unsigned_value(const unsigned char* base, const Field& f) {
  switch (f.type) {
    case FieldType::U32: return number<std::uint32_t>(base, f);
    case FieldType::U64: return number<std::uint64_t>(base, f);
    case FieldType::F64: return static_cast<std::uint64_t>(number<double>(base, f));
    default: return 0;
  }
}

std::string text(const unsigned char* base, const Field& f) {
  const auto* p = reinterpret_cast<const char*>(base + f.offset);
  return std::string(p, strnlen(p, f.size));
}

bool readable_as_number(const Field& f) {
  return f.type == FieldType::U32 || f.type == FieldType::U64 || f.type == FieldType::F64;
}

}  // namespace

RecordReader::RecordReader(std::vector<Field> fields) : fields_(std::move(fields)), at_(kCount) {
  for (std::size_t i = 0; i < kCount; ++i)
    for (std::size_t j = 0; j < fields_.size(); ++j)
      if (fields_[j].name == kNames[i]) at_[i] = j;
  for (std::size_t i = 0; i < kRequired; ++i)
    needed_size_ = std::max<std::size_t>(needed_size_, fields_[*at_[i]].offset + fields_[*at_[i]].size);
}

Result<RecordReader> RecordReader::create(const Description& bpfstats) {
  for (std::size_t i = 0; i < kCount; ++i) {
    const Field* found = nullptr;
    for (const Field& f : bpfstats.fields)
      if (f.name == kNames[i]) found = &f;
    bool is_text = i == kGadgetId || i == kGadgetName || i == kGadgetImage || i == kProgName || i == kProgType ||
                   i == kPids || i == kComms;
    bool fits = found && (is_text       ? found->type == FieldType::String
                          : i == kCpu   ? found->type == FieldType::F64
                                        : readable_as_number(*found));
    if (i < kRequired && !fits)
      return make_error("cannot show bpfstats '" + bpfstats.version + "' rows: its column '" + std::string(kNames[i]) +
                        "' is " + (found ? "of another type" : "missing") +
                        "; use the bpfstats plugin built with this ig (see 'ig gadgets')");
  }
  return RecordReader(bpfstats.fields);
}

Result<DecodedRecord> RecordReader::read(const void* record, std::size_t size) const {
  if (size < needed_size_)
    return make_error("a bpfstats record of " + std::to_string(size) + " bytes is shorter than its columns (" +
                      std::to_string(needed_size_) + "); the daemon runs another bpfstats build: restart it");
  const auto* base = static_cast<const unsigned char*>(record);
  auto field = [&](Index i) -> const Field& { return fields_[*at_[i]]; };
  DecodedRecord out;
  TopRow& row = out.row;
  row.gadget_id = text(base, field(kGadgetId));
  row.gadget_name = text(base, field(kGadgetName));
  row.gadget_image = text(base, field(kGadgetImage));
  row.prog_id = static_cast<std::uint32_t>(unsigned_value(base, field(kProgId)));
  bool total = at_[kTotal] && field(kTotal).type == FieldType::Bool && field(kTotal).offset < size &&
               base[field(kTotal).offset] != 0;
  row.map_id = static_cast<std::uint32_t>(optional_number(base, size, kMapId).value_or(0));
  row.kind = total             ? RowKind::Total
             : row.prog_id != 0 ? RowKind::Program
             : row.map_id != 0  ? RowKind::Map
                                : RowKind::Instance;
  if (row.kind == RowKind::Map) {
    row.map_name = optional_text(base, size, kMapName);
    row.map_type = optional_text(base, size, kMapType);
  }
  row.prog_name = text(base, field(kProgName));
  row.prog_type = text(base, field(kProgType));
  row.runtime_delta = unsigned_value(base, field(kRuntimeDelta));
  row.runcount_delta = unsigned_value(base, field(kRuncountDelta));
  row.cpu = number<double>(base, field(kCpu));
  row.elapsed_ns = unsigned_value(base, field(kElapsed));
  row.map_memory = unsigned_value(base, field(kMapMemory));
  row.map_count = static_cast<std::uint32_t>(unsigned_value(base, field(kMapCount)));
  row.pids = text(base, field(kPids));
  row.comms = text(base, field(kComms));
  row.map_memory_real = optional_number(base, size, kMapMemoryReal);
  row.prog_memory = optional_number(base, size, kProgMemory);
  out.batch = unsigned_value(base, field(kBatch));
  out.batch_rows = static_cast<std::uint32_t>(unsigned_value(base, field(kBatchRows)));
  return out;
}

std::string RecordReader::optional_text(const unsigned char* base, std::size_t size, std::size_t index) const {
  if (!at_[index]) return {};
  const Field& f = fields_[*at_[index]];
  if (f.type != FieldType::String || f.offset + f.size > size) return {};
  return text(base, f);
}

std::optional<std::uint64_t> RecordReader::optional_number(const unsigned char* base, std::size_t size,
                                                           std::size_t index) const {
  if (!at_[index]) return std::nullopt;
  const Field& f = fields_[*at_[index]];
  if (!readable_as_number(f) || f.offset + f.size > size) return std::nullopt;
  return unsigned_value(base, f);
}

std::optional<std::vector<TopRow>> BatchAssembler::add(DecodedRecord record) {
  if (record.batch != batch_) {
    batch_ = record.batch;
    rows_.clear();
  }
  rows_.push_back(std::move(record.row));
  if (rows_.size() < record.batch_rows) return std::nullopt;
  std::vector<TopRow> whole = std::move(rows_);
  rows_.clear();
  return whole;
}

}  // namespace ig::host::top
