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
template <class Item>
std::string join_fitting(const std::vector<Holder>& holders, Item item, std::size_t capacity) {
  static constexpr std::string_view kMore = ",...";
  std::string out;
  for (std::size_t i = 0; i < holders.size(); ++i) {
    std::string next = (out.empty() ? "" : ",") + item(holders[i]);
    bool last = i + 1 == holders.size();
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
  if (!row.holders.empty()) {  // rows of ours have none
    copy_text(r.pids, join_fitting(row.holders, [](const Holder& h) { return std::to_string(h.pid); }, sizeof(r.pids)));
    copy_text(r.comms, join_fitting(row.holders, [](const Holder& h) { return h.comm; }, sizeof(r.comms)));
  }
  return r;
}

}  // namespace ig::bpfstats
