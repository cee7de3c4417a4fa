// Which processes hold a BPF program: a program fd or a link fd to it (Linux 5.7+
// links). Two ways to find them, with the same answer:
//  * a BPF task_file iterator (Linux 5.8+, kernel BTF): one read() walks every
//    process's fd table in the kernel and returns (pid, program id) pairs;
//  * /proc/*/fd and the matching fdinfo `prog_id:` line: a readlink per fd of every
//    process and a file read per BPF fd, the fallback wherever the iterator cannot
//    load (no BTF, no iterator, lockdown, a pid namespace of our own).
// The iterator is a short-lived program of bpfstats' own: it exists only during the
// scan, after the enumeration of programs, so it never shows as a row.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "snapshot.h"

namespace ig::bpfstats {

using HoldersByProgram = std::map<std::uint32_t, std::vector<Holder>>;

// Holders by program id, pids ascending. Processes that vanish or cannot be read
// during the scan are left out, never an error. `proc_root` is for tests: any other
// root than "/proc" is scanned as files, without the iterator.
HoldersByProgram find_program_holders(const std::string& proc_root = "/proc");

// The /proc scan alone (the fallback; tests and benchmarks call it directly).
HoldersByProgram find_program_holders_in_proc(const std::string& proc_root = "/proc");

// The iterator alone; false when it cannot run here (then `out` is untouched).
bool find_program_holders_by_iterator(HoldersByProgram& out);

}  // namespace ig::bpfstats
