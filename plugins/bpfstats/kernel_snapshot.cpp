#include "kernel_snapshot.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <set>

#include "fdinfo.h"
#include "holders.h"
#include "unique_fd.h"

namespace ig::bpfstats {
namespace {

// libbpf 1.x returns -errno (and sets errno).
int error_code(int ret) { return ret < 0 ? -ret : errno; }

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

// nullopt: the program went away before we could open it.
Result<std::optional<ProgramInfo>> read_program(std::uint32_t id) {
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
  prog.map_ids = std::move(map_ids);
  return std::optional<ProgramInfo>(std::move(prog));
}

// nullopt: the map went away before we could open it.
Result<std::optional<MapInfo>> read_map(std::uint32_t id) {
  UniqueFd fd(bpf_map_get_fd_by_id(id));
  if (!fd) {
    int err = errno;
    if (err == ENOENT) return std::optional<MapInfo>();
    return kernel_error("cannot open BPF map '" + std::to_string(id) + "'", err);
  }
  // memlock: what the kernel charges for the map (mapMemory's help says what that covers).
  std::string info = read_small_file(AT_FDCWD, ("/proc/self/fdinfo/" + std::to_string(fd.get())).c_str());
  return std::optional<MapInfo>(MapInfo{id, fdinfo_value(info, "memlock").value_or(0)});
}

}  // namespace

Result<KernelSnapshot> take_kernel_snapshot(const SnapshotRequest& request) {
  KernelSnapshot snapshot;
  std::vector<std::uint32_t> program_ids = request.program_ids;
  if (request.all_programs) {
    auto ids = all_program_ids();
    if (!ids) return ids.error();
    program_ids = std::move(ids).value();
  }

  std::set<std::uint32_t> map_ids(request.map_ids.begin(), request.map_ids.end());
  for (std::uint32_t id : program_ids) {
    if (snapshot.programs.count(id)) continue;
    auto prog = read_program(id);
    if (!prog) return prog.error();
    if (!prog.value()) continue;
    map_ids.insert(prog.value()->map_ids.begin(), prog.value()->map_ids.end());
    snapshot.programs.emplace(id, std::move(*prog.value()));
  }
  // The counters were read just now; cpu % divides by the time between two of these.
  snapshot.taken = std::chrono::steady_clock::now();
  for (std::uint32_t id : map_ids) {
    auto map = read_map(id);
    if (!map) return map.error();
    if (map.value()) snapshot.maps.emplace(id, *map.value());
  }
  if (request.holders) snapshot.holders = find_program_holders();
  return snapshot;
}

}  // namespace ig::bpfstats
