// Which processes hold a BPF program: a program fd or a link fd to it (Linux 5.7+
// links). Two ways to find them, with the same answer:
//  * a BPF task_file iterator (Linux 5.8+, kernel BTF): one read() walks every
//    process's fd table in the kernel and returns (pid, program id) pairs;
//  * /proc/*/fd and the matching fdinfo `prog_id:` line: a readlink per fd of every
//    process and a file read per BPF fd, the fallback wherever the iterator cannot
//    load (no BTF, no iterator, lockdown, a pid namespace of our own).
// A one-shot loads the iterator for its one scan, after the enumeration of programs,
// so it never shows as a row. A run that scans again and again keeps one loaded
// (HolderIterator) and registers it as its own, so it shows as bpfstats' row.
#pragma once

#include <cstdint>
#include <memory>

#include <ig/unique_fd.h>

#include "holder_model.h"
#include "holder_proc_scan.h"

namespace ig::bpfstats {

// The task_file iterator program and its link, loaded once for many scans.
class HolderIterator {
 public:
  // nullptr where the iterator cannot load (see above); scans then use /proc.
  static std::unique_ptr<HolderIterator> load();
  std::uint32_t program_id() const { return program_id_; }
  int link_fd() const { return link_.get(); }

 private:
  HolderIterator() = default;
  static std::unique_ptr<HolderIterator> load_once();
  UniqueFd prog_;
  UniqueFd link_;
  std::uint32_t program_id_ = 0;
};

// Holders by program id, pids ascending. Processes that vanish or cannot be read
// during the scan are left out, never an error. With `kept`, the scan uses that
// iterator instead of loading one, and lists its holder (us) like any other.
HoldersByProgram find_program_holders(HolderIterator* kept = nullptr);

// The iterator alone; false when it cannot run here (then `out` is untouched).
bool find_program_holders_by_iterator(HoldersByProgram& out, HolderIterator* kept = nullptr);

}  // namespace ig::bpfstats
