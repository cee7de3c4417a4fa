// Holders through /proc, the fallback wherever the holder iterator cannot load: a
// readlink per fd of every process, and the fdinfo `prog_id:` line of each program
// fd ("anon_inode:bpf-prog") and link fd ("anon_inode:bpf_link"), or the `map_id:`
// line of each map fd ("anon_inode:bpf-map").
#pragma once

#include <string>

#include "holder_model.h"

namespace ig::bpfstats {

// Holders by program id, pids ascending. Processes that vanish or cannot be read
// during the scan are left out, never an error; a missing `proc_root` gives none.
// `proc_root` is for tests (a fake /proc).
HoldersByProgram find_program_holders_in_proc(const std::string& proc_root = "/proc",
                                              HeldObject what = HeldObject::Program);

}  // namespace ig::bpfstats
