// Which processes hold a BPF program (a program fd or a link fd to it, Linux 5.7+
// links), or a map (a map fd). Two ways to find them, with the same answer:
//  * the task_file iterator (holder_iterator.h): one read() in the kernel;
//  * /proc/*/fd and fdinfo (holder_proc_scan.h): the fallback wherever the iterator
//    cannot load.
// A one-shot loads the iterator for its one scan, after the enumeration of programs,
// so it never shows as a row. A run that scans again and again keeps one loaded
// (HolderIterator) and registers it as its own, so it shows as bpfstats' row.
#pragma once

#include "holder_iterator.h"
#include "holder_model.h"
#include "holder_proc_scan.h"

namespace ig::bpfstats {

// Holders by program id, pids ascending: through `kept`, or an iterator loaded for
// this scan, else through /proc. Processes that vanish or cannot be read during the
// scan are left out, never an error.
HoldersByProgram find_program_holders(HolderIterator* kept = nullptr);

// The same for map fds: holders by map id.
HoldersByProgram find_map_holders(HolderIterator* kept = nullptr);

}  // namespace ig::bpfstats
