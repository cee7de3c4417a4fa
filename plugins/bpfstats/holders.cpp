#include "holders.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <string_view>

#include "fdinfo.h"
#include "unique_fd.h"

namespace ig::bpfstats {
namespace {

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirPtr = std::unique_ptr<DIR, DirCloser>;

// Opens a directory relative to `dir_fd`; the DIR owns the new fd.
DirPtr open_dir(int dir_fd, const char* path) {
  int fd = ::openat(dir_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  DIR* dir = ::fdopendir(fd);
  if (!dir) ::close(fd);
  return DirPtr(dir);
}

bool is_number(const char* name) {
  if (!*name) return false;
  for (const char* p = name; *p; ++p)
    if (*p < '0' || *p > '9') return false;
  return true;
}

// Program fds and link fds are the anon inodes whose fdinfo names a prog_id.
bool may_hold_program(int fd_dir, const char* name) {
  char target[64];
  ssize_t n = ::readlinkat(fd_dir, name, target, sizeof(target) - 1);
  if (n <= 0) return false;
  std::string_view link(target, static_cast<std::size_t>(n));
  return link == "anon_inode:bpf-prog" || link == "anon_inode:bpf_link";
}

std::string comm_of(int proc_fd, const std::string& pid) {
  std::string comm = read_small_file(proc_fd, (pid + "/comm").c_str());
  while (!comm.empty() && comm.back() == '\n') comm.pop_back();
  return comm;
}

}  // namespace

std::map<std::uint32_t, std::vector<Holder>> find_program_holders(const std::string& proc_root) {
  std::map<std::uint32_t, std::vector<Holder>> holders;
  UniqueFd proc(::open(proc_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!proc) return holders;
  DirPtr pids = open_dir(proc.get(), ".");
  if (!pids) return holders;

  std::map<std::uint32_t, std::set<std::uint32_t>> pids_by_prog;
  std::map<std::uint32_t, std::string> comms;
  while (dirent* entry = ::readdir(pids.get())) {
    if (!is_number(entry->d_name)) continue;
    const std::string pid = entry->d_name;
    const auto pid_number = static_cast<std::uint32_t>(std::strtoul(pid.c_str(), nullptr, 10));
    DirPtr fds = open_dir(proc.get(), (pid + "/fd").c_str());
    if (!fds) continue;  // exited, or not ours to read
    const int fd_dir = ::dirfd(fds.get());
    bool holds_any = false;
    while (dirent* fd_entry = ::readdir(fds.get())) {
      if (!is_number(fd_entry->d_name) || !may_hold_program(fd_dir, fd_entry->d_name)) continue;
      std::string info = read_small_file(proc.get(), (pid + "/fdinfo/" + fd_entry->d_name).c_str());
      if (auto prog_id = fdinfo_value(info, "prog_id"); prog_id && *prog_id <= UINT32_MAX) {
        pids_by_prog[static_cast<std::uint32_t>(*prog_id)].insert(pid_number);
        holds_any = true;
      }
    }
    if (holds_any) comms[pid_number] = comm_of(proc.get(), pid);
  }
  for (const auto& [prog_id, pid_set] : pids_by_prog)
    for (std::uint32_t pid : pid_set) holders[prog_id].push_back(Holder{pid, comms[pid]});
  return holders;
}

}  // namespace ig::bpfstats
