#include "map_holders.h"

#include <bpf/bpf.h>
#include <fcntl.h>
#include <linux/types.h>

#include <cerrno>
#include <set>

#include <ig/bpf.h>
#include <ig/unique_fd.h>

#include "holder_cache.h"
#include "iterator_records.h"
#include "map_holders_record.h"

namespace ig::bpfstats {

using bpf::errno_text;

Result<std::unique_ptr<MapHolderIterator>> MapHolderIterator::load() {
  std::unique_ptr<MapHolderIterator> it(new MapHolderIterator());
  if (int err = bpfstats_map_holders_load(&it->iter_); err)
    return make_error("cannot load the map holder iterator: " + errno_text(-err));
  bpf_prog_info info{};
  __u32 len = sizeof(info);
  if (bpf_obj_get_info_by_fd(it->iter_.prog_fd, &info, &len) != 0)
    return make_error("cannot read the map holder iterator's id: " + errno_text(errno));
  it->program_id_ = info.id;
  return it;
}

MapHolderIterator::~MapHolderIterator() { bpfstats_light_iter_destroy(&iter_); }

Result<HoldersByMap> MapHolderIterator::scan() {
  std::vector<map_holders_record> records;
  if (int err = read_iterator_records(iter_.link_fd, records); err)
    return make_error("cannot read the map holder iterator: " + errno_text(err));
  std::map<std::uint32_t, std::set<std::uint32_t>> pids;  // by map id
  for (const map_holders_record& r : records) pids[r.map_id].insert(r.pid);
  UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  std::map<std::uint32_t, std::string> comms;
  HoldersByMap holders;
  for (const auto& [map_id, holder_pids] : pids) {
    for (std::uint32_t pid : holder_pids) {
      auto [comm, fresh] = comms.try_emplace(pid);
      if (fresh)
        if (auto identity = read_process_identity(proc.get(), pid)) comm->second = identity->comm;
      holders[map_id].push_back(Holder{pid, comm->second});
    }
  }
  return holders;
}

HoldersByMap find_map_holders(MapHolderIterator* kept) {
  std::unique_ptr<MapHolderIterator> own;
  if (!kept) {
    auto loaded = MapHolderIterator::load();
    if (!loaded) return {};
    own = std::move(loaded).value();
    kept = own.get();
  }
  auto scanned = kept->scan();
  return scanned ? std::move(scanned).value() : HoldersByMap{};
}

}  // namespace ig::bpfstats
