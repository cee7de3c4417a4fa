#include "program_counters.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <linux/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <cerrno>
#include <string>
#include <string_view>

#include <ig/bpf.h>
#include <ig/unique_fd.h>

#include "cpu_list.h"
#include "iterator_records.h"
#include "object_reader.h"
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

template <class Info>
std::uint32_t id_of(int fd) {
  Info info{};
  __u32 len = sizeof(info);
  return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
}

}  // namespace

std::optional<ProgramInfo> whole_program(const program_counters_record& r) {
  if (r.map_count > PROGRAM_COUNTERS_MAP_IDS) return std::nullopt;
  static const std::uint64_t page_size = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  ProgramInfo prog;
  prog.id = r.id;
  prog.name.assign(r.name, strnlen(r.name, sizeof(r.name)));
  prog.type = program_type_name(r.type);
  prog.run_time_ns = r.run_time_ns;
  prog.run_cnt = r.run_cnt;
  prog.recursion_misses = r.recursion_misses;
  prog.map_ids.assign(r.map_ids, r.map_ids + std::min<std::uint32_t>(r.map_count, PROGRAM_COUNTERS_MAP_IDS));
  prog.memlock = r.pages * page_size;  // what the program's fdinfo prints as memlock
  prog.jited_len = r.jited_len;
  prog.verified_insns = r.verified_insns;
  return prog;
}

namespace {

}  // namespace

Result<std::unique_ptr<ProgramCounterReader>> ProgramCounterReader::load() {
  std::uint32_t cpus = possible_cpus();
  if (cpus == 0) return make_error("the possible CPUs are not numbered 0..N-1 with N at most " + std::to_string(kMaxCpus));
  std::unique_ptr<ProgramCounterReader> reader(new ProgramCounterReader());
  if (int err = bpfstats_program_counters_load(&reader->iter_, cpus); err)
    return make_error("cannot load the program counter iterator: " + errno_text(err));
  reader->ids_.programs.push_back(id_of<bpf_prog_info>(reader->iter_.prog_fd));
  for (int i = 0; i < reader->iter_.map_count; ++i)  // cpu_probe, .rodata, .bss
    reader->ids_.maps.push_back(id_of<bpf_map_info>(reader->iter_.map_fds[i]));
  if (reader->ids_.programs.front() == 0)
    return make_error("cannot read the program counter iterator's id: " + errno_text(errno));
  // The first read learns the per-CPU offsets, and is checked only loosely (the
  // program has not run before it); every later read is checked in full.
  if (auto first = reader->read(); !first) return first.error();
  return reader;
}

// The iterator computes addresses the verifier cannot check, so each read is trusted
// only when it agrees with the syscall on the iterator's own program, which runs once
// per program it visits: its counters through the syscall, through the iterator, and
// through the syscall again; the middle reading must lie between the others and,
// once the program has run with stats on, be non-zero.
Result<void> ProgramCounterReader::check_own(const bpf_prog_info& before, const bpf_prog_info& after,
                                             const std::vector<program_counters_record>& records) const {
  const std::uint32_t own = ids_.programs.front();
  auto it = std::find_if(records.begin(), records.end(), [own](const program_counters_record& r) { return r.id == own; });
  if (it == records.end()) return make_error("the program counter iterator did not list itself");
  bool inside = before.run_cnt <= it->run_cnt && it->run_cnt <= after.run_cnt &&
                before.run_time_ns <= it->run_time_ns && it->run_time_ns <= after.run_time_ns;
  bool seen = before.run_cnt == 0 || it->run_cnt != 0;
  if (!inside || !seen)
    return make_error("the program counter iterator disagrees with the kernel's bpf_prog_info (run_cnt " +
                      std::to_string(it->run_cnt) + " outside " + std::to_string(before.run_cnt) + ".." +
                      std::to_string(after.run_cnt) + ")");
  return {};
}

ProgramCounterReader::~ProgramCounterReader() { bpfstats_light_iter_destroy(&iter_); }

Result<std::vector<ProgramCounters>> ProgramCounterReader::read(bool whole) {
  bpfstats_program_counters_full(&iter_, whole);
  auto syscall_counters = [this](bpf_prog_info& info) {
    info = {};
    __u32 len = sizeof(info);
    return bpf_obj_get_info_by_fd(iter_.prog_fd, &info, &len) == 0;
  };
  bpf_prog_info before{}, after{};
  std::vector<program_counters_record> records;
  if (!syscall_counters(before)) return make_error("cannot read the program counter iterator's counters");
  if (int err = read_iterator_records(iter_.link_fd, records); err)
    return make_error("cannot read the program counter iterator: " + errno_text(err));
  if (!syscall_counters(after)) return make_error("cannot read the program counter iterator's counters");
  if (auto checked = check_own(before, after, records); !checked) return checked.error();
  std::vector<ProgramCounters> out;
  out.reserve(records.size());
  for (const program_counters_record& r : records)
    out.push_back({r.id, r.map_count, r.run_cnt, r.run_time_ns, r.recursion_misses, r});
  return out;
}

}  // namespace ig::bpfstats
