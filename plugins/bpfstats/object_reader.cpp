#include "object_reader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "fdinfo.h"

namespace ig::bpfstats {
namespace {

// libbpf 1.x returns -errno (and sets errno).
int error_code(int ret) { return ret < 0 ? -ret : errno; }

}  // namespace

Error kernel_error(const std::string& what, int err) {
  std::string message = what + ": " + std::strerror(err);
  if (err == EPERM || err == EACCES)
    message += "; listing and opening BPF objects by id needs CAP_SYS_ADMIN: run as root or grant CAP_SYS_ADMIN";
  else if (err == ENOSYS || err == EINVAL)
    message += "; this kernel has no BPF object enumeration (Linux 4.13+ with CONFIG_BPF_SYSCALL)";
  return make_error(message);
}

Result<std::vector<std::uint32_t>> all_program_ids() {
  std::vector<std::uint32_t> ids;
  for (std::uint32_t id = 0;;) {
    int ret = bpf_prog_get_next_id(id, &id);
    if (ret == 0) {
      ids.push_back(id);
      continue;
    }
    int err = error_code(ret);
    if (err == ENOENT) return ids;
    return kernel_error("cannot list BPF programs (bpf_prog_get_next_id)", err);
  }
}

// Map types whose memlock is set when the map is created and never changes, on every
// kernel: the charge at creation (before 5.11), a footprint from key size, value
// size and max entries (5.11 to 6.3), and map_mem_usage() (6.4+), which for arrays
// and ring buffers counts only what creation allocated. Hash maps, tries, local
// storage and the like may report use (6.4+) and are read every time.
bool memlock_is_fixed(std::uint64_t map_type) {
  switch (map_type) {
    case BPF_MAP_TYPE_ARRAY:
    case BPF_MAP_TYPE_PERCPU_ARRAY:
    case BPF_MAP_TYPE_PROG_ARRAY:
    case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
    case BPF_MAP_TYPE_CGROUP_ARRAY:
    case BPF_MAP_TYPE_ARRAY_OF_MAPS:
    case BPF_MAP_TYPE_RINGBUF: return true;
    default: return false;
  }
}

MemlockReader::MemlockReader() : dir_(::open("/proc/self/fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
  text_.reserve(1024);
}

MapMemory MemlockReader::map(int map_fd) {
  std::string_view text = fdinfo(map_fd);
  auto memlock = fdinfo_value(text, "memlock");
  auto type = fdinfo_value(text, "map_type");  // printed before memlock
  return MapMemory{memlock.value_or(0), memlock && type && memlock_is_fixed(*type)};
}

std::uint64_t MemlockReader::program(int prog_fd) { return fdinfo_value(fdinfo(prog_fd), "memlock").value_or(0); }

std::string_view MemlockReader::fdinfo(int fd) {
  if (fd != slot_ || !info_) {
    char name[16];
    *std::to_chars(name, name + sizeof(name) - 1, fd).ptr = '\0';
    info_ = UniqueFd(::openat(dir_.get(), name, O_RDONLY | O_CLOEXEC));
    slot_ = fd;
    if (!info_) return {};
  }
  return reread_fdinfo(info_.get(), "memlock", text_);
}

Result<std::optional<ProgramInfo>> read_program(std::uint32_t id, MemlockReader& memlock) {
  UniqueFd fd(bpf_prog_get_fd_by_id(id));
  if (!fd) {
    int err = errno;
    if (err == ENOENT) return std::optional<ProgramInfo>();
    return kernel_error("cannot open BPF program '" + std::to_string(id) + "'", err);
  }
  // The map list can grow (BPF_PROG_BIND_MAP), so ask until it fits.
  std::vector<std::uint32_t> map_ids(16);
  bpf_prog_info info{};
  for (;;) {
    info = {};
    info.nr_map_ids = static_cast<__u32>(map_ids.size());
    info.map_ids = reinterpret_cast<std::uintptr_t>(map_ids.data());
    __u32 len = sizeof(info);
    if (int ret = bpf_obj_get_info_by_fd(fd.get(), &info, &len); ret != 0)
      return kernel_error("cannot read BPF program '" + std::to_string(id) + "'", error_code(ret));
    if (info.nr_map_ids <= map_ids.size()) break;
    map_ids.resize(info.nr_map_ids);
  }
  map_ids.resize(info.nr_map_ids);

  ProgramInfo prog;
  prog.id = info.id;
  prog.name.assign(info.name, strnlen(info.name, sizeof(info.name)));
  const char* type = libbpf_bpf_prog_type_str(static_cast<bpf_prog_type>(info.type));
  prog.type = type ? type : "type" + std::to_string(info.type);
  prog.run_time_ns = info.run_time_ns;
  prog.run_cnt = info.run_cnt;
  prog.recursion_misses = info.recursion_misses;
  prog.map_ids = std::move(map_ids);
  prog.memlock = memlock.program(fd.get());
  prog.jited_len = info.jited_prog_len;
  prog.verified_insns = info.verified_insns;
  return std::optional<ProgramInfo>(std::move(prog));
}

Result<std::optional<MapMemory>> read_map(std::uint32_t id, MemlockReader& memlock,
                                          std::optional<std::uint64_t> known) {
  UniqueFd fd(bpf_map_get_fd_by_id(id));
  if (!fd) {
    int err = errno;
    if (err == ENOENT) return std::optional<MapMemory>();
    return kernel_error("cannot open BPF map '" + std::to_string(id) + "'", err);
  }
  if (known) return std::optional<MapMemory>(MapMemory{*known, true});
  // memlock: what the kernel charges for the map (mapMemory's help says what that covers).
  return std::optional<MapMemory>(memlock.map(fd.get()));
}

}  // namespace ig::bpfstats
