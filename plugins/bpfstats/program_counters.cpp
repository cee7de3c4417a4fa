#include "program_counters.h"

#include <bpf/bpf.h>
#include <fcntl.h>
#include <linux/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <string_view>

#include <ig/bpf.h>
#include <ig/unique_fd.h>

#include "cpu_list.h"
#include "iterator_records.h"
#include "program_counters.skel.h"
#include "program_counters_record.h"

namespace ig::bpfstats {
namespace {

using bpf::errno_text;

constexpr std::uint32_t kMaxCpus = 1024;  // MAX_CPUS in program_counters.bpf.c

std::uint32_t possible_cpus() {
  UniqueFd fd(::open("/sys/devices/system/cpu/possible", O_RDONLY | O_CLOEXEC));
  if (!fd) return 0;
  char text[64];
  ssize_t n = ::read(fd.get(), text, sizeof(text));
  if (n <= 0) return 0;
  return contiguous_cpu_count(std::string_view(text, static_cast<std::size_t>(n)), kMaxCpus);
}

}  // namespace

Result<std::unique_ptr<ProgramCounterReader>> ProgramCounterReader::load() {
  std::uint32_t cpus = possible_cpus();
  if (cpus == 0) return make_error("the possible CPUs are not numbered 0..N-1 with N at most " + std::to_string(kMaxCpus));
  std::unique_ptr<ProgramCounterReader> reader(new ProgramCounterReader());
  reader->skel_ = program_counters_bpf__open();
  if (!reader->skel_) return make_error("cannot open the program counter iterator: " + errno_text(errno));
  reader->skel_->rodata->nr_cpus = cpus;
  if (int err = program_counters_bpf__load(reader->skel_); err)
    return make_error("cannot load the program counter iterator: " + errno_text(err));
  if (int err = program_counters_bpf__attach(reader->skel_); err)
    return make_error("cannot attach the program counter iterator: " + errno_text(err));
  reader->ids_ = bpf::detail::collect_ids(reader->skel_->obj);  // the program; cpu_probe, .rodata, .bss
  if (reader->ids_.programs.size() != 1)
    return make_error("cannot read the program counter iterator's id: " + errno_text(errno));
  if (auto checked = reader->check_against_syscall(); !checked) return checked.error();
  return reader;
}

// The iterator computes addresses the verifier cannot check, so its counters are
// trusted only once they agree with the syscall's. Its own program runs once per
// program it visits: read its counters through the syscall, through the iterator,
// and through the syscall again; the middle reading must lie between the others and,
// once the program has run with stats on, be non-zero.
Result<void> ProgramCounterReader::check_against_syscall() {
  const int prog_fd = bpf_program__fd(skel_->progs.bpfstats_progs);
  const std::uint32_t own = ids_.programs.front();
  auto syscall_counters = [prog_fd](bpf_prog_info& info) {
    info = {};
    __u32 len = sizeof(info);
    return bpf_obj_get_info_by_fd(prog_fd, &info, &len) == 0;
  };
  for (int round = 0; round < 2; ++round) {
    bpf_prog_info before{}, after{};
    if (!syscall_counters(before)) return make_error("cannot read the program counter iterator's counters");
    auto read = this->read();
    if (!read) return read.error();
    if (!syscall_counters(after)) return make_error("cannot read the program counter iterator's counters");
    auto it = std::find_if(read.value().begin(), read.value().end(),
                           [own](const ProgramCounters& c) { return c.id == own; });
    if (it == read.value().end()) return make_error("the program counter iterator did not list itself");
    bool inside = before.run_cnt <= it->run_cnt && it->run_cnt <= after.run_cnt &&
                  before.run_time_ns <= it->run_time_ns && it->run_time_ns <= after.run_time_ns;
    bool seen = before.run_cnt == 0 || it->run_cnt != 0;
    if (!inside || !seen)
      return make_error("the program counter iterator disagrees with the kernel's bpf_prog_info (run_cnt " +
                        std::to_string(it->run_cnt) + " outside " + std::to_string(before.run_cnt) + ".." +
                        std::to_string(after.run_cnt) + ")");
  }
  return {};
}

ProgramCounterReader::~ProgramCounterReader() { program_counters_bpf__destroy(skel_); }

Result<std::vector<ProgramCounters>> ProgramCounterReader::read() {
  std::vector<program_counters_record> records;
  if (int err = read_iterator_records(bpf_link__fd(skel_->links.bpfstats_progs), records); err)
    return make_error("cannot read the program counter iterator: " + errno_text(err));
  std::vector<ProgramCounters> out;
  out.reserve(records.size());
  for (const program_counters_record& r : records) out.push_back({r.id, r.map_count, r.run_cnt, r.run_time_ns, r.recursion_misses});
  return out;
}

}  // namespace ig::bpfstats
