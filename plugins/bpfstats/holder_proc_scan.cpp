#include "holder_proc_scan.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include <ig/unique_fd.h>

#include "fdinfo.h"

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

// Program fds and link fds are the anon inodes whose fdinfo names a prog_id; map
// fds those whose fdinfo names a map_id.
bool may_hold(int fd_dir, const char* name, HeldObject what) {
  char target[64];
  ssize_t n = ::readlinkat(fd_dir, name, target, sizeof(target) - 1);
  if (n <= 0) return false;
  std::string_view link(target, static_cast<std::size_t>(n));
  if (what == HeldObject::Map) return link == "anon_inode:bpf-map";
  return link == "anon_inode:bpf-prog" || link == "anon_inode:bpf_link";
}

}  // namespace

HoldersByProgram find_program_holders_in_proc(const std::string& proc_root, HeldObject what) {
  const char* key = what == HeldObject::Map ? "map_id" : "prog_id";
  UniqueFd proc(::open(proc_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!proc) return {};
  DirPtr pids = open_dir(proc.get(), ".");
  if (!pids) return {};

  PidsByProgram pids_by_prog;
  while (dirent* entry = ::readdir(pids.get())) {
    if (!is_number(entry->d_name)) continue;
    const std::string pid = entry->d_name;
    const auto pid_number = static_cast<std::uint32_t>(std::strtoul(pid.c_str(), nullptr, 10));
    DirPtr fds = open_dir(proc.get(), (pid + "/fd").c_str());
    if (!fds) continue;  // exited, or not ours to read
    const int fd_dir = ::dirfd(fds.get());
    UniqueFd fdinfo_dir;  // PID/fdinfo, opened at the first BPF fd: most processes have none
    while (dirent* fd_entry = ::readdir(fds.get())) {
      if (!is_number(fd_entry->d_name) || !may_hold(fd_dir, fd_entry->d_name, what)) continue;
      if (!fdinfo_dir) {
        fdinfo_dir = UniqueFd(::openat(proc.get(), (pid + "/fdinfo").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!fdinfo_dir) break;
      }
      if (auto prog_id = read_fdinfo_value(fdinfo_dir.get(), fd_entry->d_name, key);
          prog_id && *prog_id <= UINT32_MAX)
        pids_by_prog[static_cast<std::uint32_t>(*prog_id)].insert(pid_number);
    }
  }
  const int proc_fd = proc.get();
  return with_comms(pids_by_prog, [proc_fd](std::uint32_t pid) { return read_comm(proc_fd, pid); });
}

}  // namespace ig::bpfstats
