#include "map_details.h"

#include <bpf/bpf.h>
#include <linux/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <ig/bpf.h>

#include "iterator_records.h"
#include "map_details_record.h"

namespace ig::bpfstats {

using bpf::errno_text;

Result<std::unique_ptr<MapDetailsReader>> MapDetailsReader::load() {
  std::unique_ptr<MapDetailsReader> reader(new MapDetailsReader());
  // Without the kfunc (before Linux 6.6) the first load fails at once.
  int err = bpfstats_map_details_load(&reader->iter_, 1);
  if (err) err = bpfstats_map_details_load(&reader->iter_, 0);
  if (err) return make_error("cannot load the map iterator: " + errno_text(-err));
  bpf_prog_info info{};
  __u32 len = sizeof(info);
  if (bpf_obj_get_info_by_fd(reader->iter_.prog_fd, &info, &len) != 0)
    return make_error("cannot read the map iterator's id: " + errno_text(errno));
  reader->program_id_ = info.id;
  return reader;
}

MapDetailsReader::~MapDetailsReader() { bpfstats_light_iter_destroy(&iter_); }

BpfObjectIds MapDetailsReader::ids() const { return BpfObjectIds{{program_id_}, {}}; }

Result<std::vector<MapDetails>> MapDetailsReader::read() {
  std::vector<map_details_record> records;
  if (int err = read_iterator_records(iter_.link_fd, records); err)
    return make_error("cannot read the map iterator: " + errno_text(err));
  std::vector<MapDetails> out;
  out.reserve(records.size());
  std::vector<PerfBuffer> buffers;  // of the map whose record comes next
  for (const map_details_record& r : records) {
    if (r.kind == MAP_DETAILS_PERF_BUFFER) {
      buffers.push_back({r.buffer, r.pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE))});
      continue;
    }
    MapDetails& map = out.emplace_back();
    map.id = r.id;
    map.type = r.type;
    map.flags = r.flags;
    map.key_size = r.key_size;
    map.value_size = r.value_size;
    map.max_entries = r.max_entries;
    map.name.assign(r.name, strnlen(r.name, sizeof(r.name)));
    if (r.entries >= 0) map.entries = static_cast<std::uint64_t>(r.entries);
    map.perf_buffers = std::move(buffers);
    buffers.clear();
  }
  return out;
}

}  // namespace ig::bpfstats
