#include "bpf/privileges.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace ig::host {
namespace {

bool has_effective(const __user_cap_data_struct (&data)[2], int cap) {
  return data[cap / 32].effective & (1u << (cap % 32));
}

}  // namespace

Result<void> check_bpf_privileges(int pid) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, pid};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0)
    return make_error("cannot read this process's capabilities; run as root");
  if (has_effective(data, CAP_SYS_ADMIN)) return {};
  std::string missing;
  if (!has_effective(data, CAP_BPF)) missing += "CAP_BPF";
  if (!has_effective(data, CAP_PERFMON)) missing += std::string(missing.empty() ? "" : ",") + "CAP_PERFMON";
  if (missing.empty()) return {};
  return make_error("missing capability " + missing + " (or CAP_SYS_ADMIN) to load BPF programs; run as root or grant " +
                    missing);
}

}  // namespace ig::host
