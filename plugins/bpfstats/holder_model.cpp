#include "holder_model.h"

#include <charconv>

#include "fdinfo.h"

namespace ig::bpfstats {

HoldersByProgram with_comms(const PidsByProgram& pids_by_prog, const CommReader& comm_of) {
  HoldersByProgram holders;
  std::map<std::uint32_t, std::string> comms;
  for (const auto& [prog_id, pid_set] : pids_by_prog) {
    for (std::uint32_t pid : pid_set) {
      auto [it, fresh] = comms.try_emplace(pid);
      if (fresh) it->second = comm_of(pid);
      holders[prog_id].push_back(Holder{pid, it->second});
    }
  }
  return holders;
}

std::string read_comm(int proc_fd, std::uint32_t pid) {
  char path[32];
  auto [end, ec] = std::to_chars(path, path + 20, pid);
  const char suffix[] = "/comm";
  std::copy(suffix, suffix + sizeof(suffix), end);
  std::string comm = read_small_file(proc_fd, path);
  while (!comm.empty() && comm.back() == '\n') comm.pop_back();
  return comm;
}

std::optional<PidsByProgram> pids_from_iterator(const std::vector<holder_record>& pairs, std::uint32_t own_program,
                                                std::uint32_t self_pid, bool list_own, HeldObject what) {
  bool saw_self = false;
  PidsByProgram pids_by_prog;
  for (const holder_record& pair : pairs) {
    if (pair.prog_id && pair.prog_id == own_program) {
      if (pair.tgid != self_pid) return std::nullopt;
      saw_self = true;
      if (!list_own) continue;
    }
    const std::uint32_t id = what == HeldObject::Program ? pair.prog_id : pair.map_id;
    if (id) pids_by_prog[id].insert(pair.tgid);
  }
  if (!saw_self) return std::nullopt;
  return pids_by_prog;
}

}  // namespace ig::bpfstats
