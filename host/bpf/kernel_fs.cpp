#include "bpf/kernel_fs.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <cerrno>
#include <cstring>
#include <tuple>

namespace ig::host {
namespace {

constexpr long kTracefsMagic = 0x74726163;
constexpr long kBpffsMagic = 0xcafe4a11;

bool is_mounted(const char* path, long magic) {
  struct statfs st {};
  return ::statfs(path, &st) == 0 && st.f_type == magic;
}

Result<bool> ensure_mounted(const char* type, const char* path, long magic) {
  if (is_mounted(path, magic)) return false;
  ::mkdir(path, 0700);
  if (::mount(type, path, type, 0, nullptr) != 0 && !is_mounted(path, magic))
    return make_error(std::string("failed to mount ") + type + " at '" + path + "': " + std::strerror(errno) +
                      "; mount it by hand: mount -t " + type + " " + type + " " + path);
  return true;
}

}  // namespace

Result<std::vector<std::string>> mount_kernel_filesystems() {
  std::vector<std::string> done;
  struct Mount {
    const char* type;
    const char* path;
    long magic;
  };
  for (const Mount& m : {Mount{"tracefs", "/sys/kernel/tracing", kTracefsMagic}, Mount{"bpf", "/sys/fs/bpf", kBpffsMagic}}) {
    auto [type, path, magic] = m;
    auto mounted = ensure_mounted(type, path, magic);
    if (!mounted) return mounted.error();
    if (mounted.value()) done.push_back(std::string("mounted ") + type + " at " + path);
  }
  return done;
}

}  // namespace ig::host
