#include "record.h"

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace ig::bpfstats {
namespace {

template <std::size_t N>
void copy_text(char (&dst)[N], std::string_view text) {
  std::size_t n = std::min(text.size(), N - 1);
  std::memcpy(dst, text.data(), n);
  dst[n] = '\0';
}

// "a,b,c", ending in ",..." when the rest does not fit in `capacity` bytes (with NUL).
template <class Items, class Item>
std::string join_fitting(const Items& items, Item item, std::size_t capacity) {
  static constexpr std::string_view kMore = ",...";
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string next = (out.empty() ? "" : ",") + item(items[i]);
    bool last = i + 1 == items.size();
    if (out.size() + next.size() + (last ? 0 : kMore.size()) >= capacity) {
      out += out.empty() ? kMore.substr(1) : kMore;
      break;
    }
    out += next;
  }
  return out;
}

}  // namespace

Record to_record(const Row& row) {
  Record r{};
  r.runtime = row.runtime;
  r.runcount = row.runcount;
  r.runtime_delta = row.runtime_delta;
  r.runcount_delta = row.runcount_delta;
  r.map_memory = row.map_memory;
  r.prog_id = row.prog_id;
  r.map_count = row.map_count;
  copy_text(r.gadget_id, row.gadget_id);
  copy_text(r.gadget_name, row.gadget_name);
  copy_text(r.gadget_image, row.gadget_image);
  copy_text(r.prog_name, row.prog_name);
  copy_text(r.prog_type, row.prog_type);
  r.cpu = row.cpu;
  r.elapsed = row.elapsed;
  r.avg_runtime = row.avg_runtime;
  r.runs_per_second = row.runs_per_second;
  r.recursion_misses = row.recursion_misses;
  r.verified_insns = row.verified_insns;
  r.prog_memory = row.prog_memory;
  r.map_memory_shared = row.map_memory_shared;
  r.max_entries = row.max_entries;
  r.map_id = row.map_id;
  r.key_size = row.key_size;
  r.value_size = row.value_size;
  r.preallocated = row.preallocated;
  r.total = row.total;
  copy_text(r.map_name, row.map_name);
  copy_text(r.map_type, row.map_type);
  copy_text(r.prog_ids, join_fitting(row.prog_ids, [](std::uint32_t id) { return std::to_string(id); }, sizeof(r.prog_ids)));
  r.map_memory_real = row.map_memory_real.value_or(0);
  r.entries = row.entries.value_or(0);
  r.fill = row.fill.value_or(0);
  r.map_memory_idle = row.map_memory_idle.value_or(0);
  if (!row.holders.empty()) {  // rows of ours have none
    copy_text(r.pids, join_fitting(row.holders, [](const Holder& h) { return std::to_string(h.pid); }, sizeof(r.pids)));
    copy_text(r.comms, join_fitting(row.holders, [](const Holder& h) { return h.comm; }, sizeof(r.comms)));
  }
  return r;
}

std::size_t known_size(const Row& row) {
  if (!row.map_memory_real) return offsetof(Record, map_memory_real);
  if (!row.entries) return offsetof(Record, entries);
  if (!row.fill) return offsetof(Record, fill);
  if (!row.map_memory_idle) return offsetof(Record, map_memory_idle);
  return sizeof(Record);
}

}  // namespace ig::bpfstats
