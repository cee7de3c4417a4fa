#include "holder_iterator.h"

#include <bpf/bpf.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>

#include "holder_iterator_load.h"
#include "iterator_records.h"

namespace ig::bpfstats {
namespace {

std::atomic<bool> iterator_unusable{false};  // it failed once: /proc from then on

}  // namespace

std::unique_ptr<HolderIterator> HolderIterator::load() {
  if (iterator_unusable.load(std::memory_order_relaxed)) return nullptr;
  std::unique_ptr<HolderIterator> it = load_once();
  if (!it) iterator_unusable.store(true, std::memory_order_relaxed);
  return it;
}

std::unique_ptr<HolderIterator> HolderIterator::load_once() {
  int prog_fd = -1, link_fd = -1;
  if (holder_iterator_load(&prog_fd, &link_fd) != 0) return nullptr;
  std::unique_ptr<HolderIterator> it(new HolderIterator());
  it->prog_ = UniqueFd(prog_fd);
  it->link_ = UniqueFd(link_fd);
  bpf_prog_info info{};
  __u32 len = sizeof(info);
  if (bpf_obj_get_info_by_fd(it->prog_.get(), &info, &len) != 0) return nullptr;
  it->program_id_ = info.id;
  return it;
}

int HolderIterator::read(std::vector<holder_record>& out) const { return read_iterator_records(link_.get(), out); }

bool find_program_holders_by_iterator(HoldersByProgram& out, HolderIterator* kept, HeldObject what) {
  std::unique_ptr<HolderIterator> fresh;
  if (!kept) {
    fresh = HolderIterator::load();
    kept = fresh.get();
  }
  std::vector<holder_record> pairs;
  std::optional<PidsByProgram> pids;
  if (kept && kept->read(pairs) == 0)
    pids = pids_from_iterator(pairs, kept->program_id(), static_cast<std::uint32_t>(::getpid()), !fresh, what);
  if (!pids) {
    iterator_unusable.store(true, std::memory_order_relaxed);
    return false;
  }
  UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  const int proc_fd = proc.get();
  out = with_comms(*pids, [proc_fd](std::uint32_t pid) { return read_comm(proc_fd, pid); });
  return true;
}

}  // namespace ig::bpfstats
