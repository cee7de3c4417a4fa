// Which processes hold a BPF program: a program fd or a link fd to it, found by
// reading /proc/*/fd and the matching fdinfo `prog_id:` line, which program and link
// fds (Linux 5.7+) both carry. A BPF task_file iterator would be cheaper on hosts
// with very many fds; /proc needs no BPF of our own and works everywhere.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "snapshot.h"

namespace ig::bpfstats {

// Holders by program id, pids ascending. Processes that vanish or cannot be read
// during the scan are left out, never an error. `proc_root` is for tests.
std::map<std::uint32_t, std::vector<Holder>> find_program_holders(const std::string& proc_root = "/proc");

}  // namespace ig::bpfstats
