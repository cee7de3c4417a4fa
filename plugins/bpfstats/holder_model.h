// Holders as bpfstats reports them: for each program id, the processes holding it,
// pids ascending, each with its comm. Both ways of finding them (holders.h) first
// gather pids by program; this turns those into holders. No kernel access here.
#pragma once

#include <linux/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "holder_record.h"
#include "snapshot.h"

namespace ig::bpfstats {

// Pids (or holders) by program id, or by map id for map holders.
using PidsByProgram = std::map<std::uint32_t, std::set<std::uint32_t>>;
using HoldersByProgram = std::map<std::uint32_t, std::vector<Holder>>;

// What a holder scan looks for: fds of programs (and links to them), or fds of maps.
enum class HeldObject : std::uint8_t { Program, Map };

// A process's comm; empty when the process is gone.
using CommReader = std::function<std::string(std::uint32_t pid)>;

// The holders of each program with their comms, `comm_of` asked once per pid.
HoldersByProgram with_comms(const PidsByProgram& pids_by_prog, const CommReader& comm_of);

// /proc/PID/comm without its newline, read under `proc_fd` (an open /proc).
std::string read_comm(int proc_fd, std::uint32_t pid);

// The holder iterator's (tgid, program id) pairs as pids by program; nullopt when
// they cannot be trusted. The iterator reports pids of the kernel's initial pid
// namespace, while /proc (and the user) see those of ours: the pairs of the
// iterator's own program (`own_program`, held by us alone) must name `self_pid`.
// `list_own`: keep that program's pair, as a kept iterator is a program like others
// (a fresh one is gone before its holders are shown). With HeldObject::Map, the
// pairs kept are the map fds', by map id.
std::optional<PidsByProgram> pids_from_iterator(const std::vector<holder_record>& pairs, std::uint32_t own_program,
                                                std::uint32_t self_pid, bool list_own,
                                                HeldObject what = HeldObject::Program);

}  // namespace ig::bpfstats
