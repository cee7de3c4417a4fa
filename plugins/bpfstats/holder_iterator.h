// Holders through a BPF task_file iterator (holder_iterator.bpf.c): one read() walks
// every process's fd table in the kernel and returns (pid, program id) pairs.
//
// It is built as a light skeleton (bpftool gen skeleton -L), where the kernel applies
// the CO-RE relocations from its own BTF: Linux 5.17+. A one-shot loads it for its
// one scan, and libbpf's full skeleton would read and index the kernel's whole BTF
// in user space first: 17-21 ms of CPU a load on Linux 6.18, against about 1 ms for
// the light one (docs/benchmarks.md, "The holder iterator in C with CO-RE").
// Elsewhere (older kernels, no BTF, lockdown, a pid namespace of the daemon's own)
// scans use /proc.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <ig/unique_fd.h>

#include "holder_model.h"

namespace ig::bpfstats {

// The iterator program and its link, loaded once for many scans.
class HolderIterator {
 public:
  // nullptr where the iterator cannot load (see above). After one failure, to load or
  // to give pairs that can be trusted, it is not tried again while the plugin lives.
  static std::unique_ptr<HolderIterator> load();
  std::uint32_t program_id() const { return program_id_; }

  // One pass: every (tgid, program id) pair, in the kernel's pids. 0 or an errno.
  int read(std::vector<holder_record>& out) const;

 private:
  HolderIterator() = default;
  static std::unique_ptr<HolderIterator> load_once();
  UniqueFd prog_;
  UniqueFd link_;
  std::uint32_t program_id_ = 0;
};

// Holders by program id (or by map id) through the iterator, `kept` or one loaded
// for this scan; false when it cannot run here (then `out` is untouched). A kept
// iterator lists its holder (us) like any other program's.
bool find_program_holders_by_iterator(HoldersByProgram& out, HolderIterator* kept = nullptr,
                                      HeldObject what = HeldObject::Program);

}  // namespace ig::bpfstats
