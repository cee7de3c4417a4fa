#include "object_reader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "fdinfo.h"

namespace ig::bpfstats {

std::string program_type_name(std::uint32_t type) {
  const char* name = libbpf_bpf_prog_type_str(static_cast<bpf_prog_type>(type));
  return name ? name : "type" + std::to_string(type);
}

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

namespace {

Result<std::vector<std::uint32_t>> all_ids(int (*next)(__u32, __u32*), const char* what) {
  std::vector<std::uint32_t> ids;
  for (std::uint32_t id = 0;;) {
    int ret = next(id, &id);
    if (ret == 0) {
      ids.push_back(id);
      continue;
    }
    int err = error_code(ret);
    if (err == ENOENT) return ids;
    return kernel_error(what, err);
  }
}

// The maps in a map-of-maps' slots: a lookup from user space gives the inner map's id.
std::vector<std::uint32_t> inner_maps(int fd, const MapInfo& outer) {
  std::vector<std::uint32_t> ids;
  std::uint32_t inner = 0;
  if (outer.type == BPF_MAP_TYPE_ARRAY_OF_MAPS) {
    for (std::uint32_t slot = 0; slot < outer.max_entries; ++slot)
      if (bpf_map_lookup_elem(fd, &slot, &inner) == 0) ids.push_back(inner);
    return ids;
  }
  std::vector<unsigned char> key(outer.key_size), next(outer.key_size);
  for (void* at = nullptr; bpf_map_get_next_key(fd, at, next.data()) == 0; at = key.data()) {
    key.swap(next);
    if (bpf_map_lookup_elem(fd, key.data(), &inner) == 0) ids.push_back(inner);
  }
  return ids;
}

}  // namespace

Result<std::vector<std::uint32_t>> all_program_ids() {
  return all_ids(bpf_prog_get_next_id, "cannot list BPF programs (bpf_prog_get_next_id)");
}

Result<std::vector<std::uint32_t>> all_map_ids() {
  return all_ids(bpf_map_get_next_id, "cannot list BPF maps (bpf_map_get_next_id)");
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

bool is_map_of_maps(std::uint32_t map_type) {
  return map_type == BPF_MAP_TYPE_ARRAY_OF_MAPS || map_type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

MemlockReader::MemlockReader() : dir_(::open("/proc/self/fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
  text_.reserve(1024);
}

MapMemory MemlockReader::map(int map_fd) {
  std::string_view text = fdinfo(map_fd);
  auto memlock = fdinfo_value(text, "memlock");
  auto type = fdinfo_value(text, "map_type");  // printed before memlock
  return MapMemory{memlock.value_or(0), static_cast<std::uint32_t>(type.value_or(0)),
                   memlock && type && memlock_is_fixed(*type) && !is_map_of_maps(*type)};
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
  prog.type = program_type_name(info.type);
  prog.run_time_ns = info.run_time_ns;
  prog.run_cnt = info.run_cnt;
  prog.recursion_misses = info.recursion_misses;
  prog.map_ids = std::move(map_ids);
  prog.memlock = memlock.program(fd.get());
  prog.jited_len = info.jited_prog_len;
  prog.verified_insns = info.verified_insns;
  return std::optional<ProgramInfo>(std::move(prog));
}

Result<std::optional<MapInfo>> read_map(std::uint32_t id, MemlockReader& memlock, const std::optional<MapMemory>& known,
                                        bool with_info) {
  UniqueFd fd(bpf_map_get_fd_by_id(id));
  if (!fd) {
    int err = errno;
    if (err == ENOENT) return std::optional<MapInfo>();
    return kernel_error("cannot open BPF map '" + std::to_string(id) + "'", err);
  }
  // memlock: what the kernel charges for the map (mapMemory's help says what that covers).
  MapMemory memory = known ? *known : memlock.map(fd.get());
  MapInfo map;
  map.id = id;
  map.memlock = memory.memlock;
  map.type = memory.type;
  if (with_info || is_map_of_maps(map.type)) {
    bpf_map_info info{};
    __u32 len = sizeof(info);
    if (int ret = bpf_obj_get_info_by_fd(fd.get(), &info, &len); ret != 0)
      return kernel_error("cannot read BPF map '" + std::to_string(id) + "'", error_code(ret));
    map.type = info.type;
    map.name.assign(info.name, strnlen(info.name, sizeof(info.name)));
    map.key_size = info.key_size;
    map.value_size = info.value_size;
    map.max_entries = info.max_entries;
    map.flags = info.map_flags;
  }
  if (is_map_of_maps(map.type)) map.inner_map_ids = inner_maps(fd.get(), map);
  return std::optional<MapInfo>(std::move(map));
}

}  // namespace ig::bpfstats
