#include "bpf/feature_probes.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include <ig/unique_fd.h>

#include "bpf/privileges.h"

namespace ig::host {
namespace {

using State = FeatureProbe::State;
constexpr const char* kVmlinuxBtf = "/sys/kernel/btf/vmlinux";

struct BtfFree {
  void operator()(btf* b) const { btf__free(b); }
};
using Btf = std::unique_ptr<btf, BtfFree>;

Btf load_vmlinux_btf() {
  btf* b = btf__load_vmlinux_btf();
  return Btf(libbpf_get_error(b) ? nullptr : b);
}

bool has_function(const btf* vmlinux, const char* name) {
  return vmlinux && btf__find_by_name_kind(vmlinux, name, BTF_KIND_FUNC) > 0;
}

// Without the privileges to load BPF a refusal says nothing about the kernel (and
// libbpf's probes read any refusal as "no"), so such probes are not run.
FeatureProbe not_checked(std::string name) {
  return {std::move(name), State::Unknown, "not checked: run as root (needs CAP_BPF,CAP_PERFMON)"};
}

// Refused although this process may load BPF: a security policy (lockdown, seccomp,
// a BPF LSM) forbids it, which for ig is a "no".
FeatureProbe refused(std::string name, const char* what, int error) {
  std::string why = std::string(what) + " refused: " + std::strerror(error);
  if (error == EPERM) why += " (a security policy forbids it)";
  return {std::move(name), State::No, why};
}

FeatureProbe probe_btf(const btf* vmlinux) {
  if (vmlinux) return {"btf", State::Yes, kVmlinuxBtf};
  if (access(kVmlinuxBtf, F_OK) != 0) return {"btf", State::No, std::string(kVmlinuxBtf) + " missing: CONFIG_DEBUG_INFO_BTF=n"};
  return {"btf", State::No, std::string(kVmlinuxBtf) + " does not parse"};
}

// BPF_ENABLE_STATS (Linux 5.8) turns stats on while its fd is open, so the probe
// leaves the kernel as it was; older kernels (5.1+) have only the sysctl.
FeatureProbe probe_bpf_stats() {
  std::string now;
  std::ifstream("/proc/sys/kernel/bpf_stats_enabled") >> now;
  std::string sysctl = now.empty() ? "no kernel.bpf_stats_enabled" : "kernel.bpf_stats_enabled=" + now;
  UniqueFd fd(bpf_enable_stats(BPF_STATS_RUN_TIME));
  int error = fd ? 0 : errno;
  if (fd) return {"bpf_stats", State::Yes, "BPF_ENABLE_STATS; " + sysctl};
  if (now.empty()) return {"bpf_stats", State::No, sysctl};
  if (error == EPERM) return {"bpf_stats", State::Yes, sysctl + "; BPF_ENABLE_STATS not checked: needs root"};
  return {"bpf_stats", State::Yes, sysctl + " only (no BPF_ENABLE_STATS: Linux 5.8+)"};
}

FeatureProbe probe_ring_buffer(bool privileged) {
  if (!privileged) return not_checked("ring_buffer");
  int rc = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr);
  if (rc == 1) return {"ring_buffer", State::Yes, "BPF_MAP_TYPE_RINGBUF"};
  if (rc == 0) return {"ring_buffer", State::No, "no BPF_MAP_TYPE_RINGBUF (Linux 5.8+)"};
  return refused("ring_buffer", "BPF_MAP_TYPE_RINGBUF", -rc);
}

// libbpf attaches an iterator through the kernel's bpf_iter_<target> function in
// BTF: its presence is the kernel's support, readable without privileges.
FeatureProbe probe_iterators(const btf* vmlinux) {
  if (!vmlinux) return {"iterators", State::Unknown, "needs BTF"};
  std::string found, missing;
  for (const char* target : {"bpf_iter_task_file", "bpf_iter_bpf_prog"}) {
    std::string& list = has_function(vmlinux, target) ? found : missing;
    list += (list.empty() ? "" : ", ") + std::string(target + 9);
  }
  if (found.empty()) return {"iterators", State::No, "no task_file or bpf_prog iterator (Linux 5.8+)"};
  return {"iterators", State::Yes, missing.empty() ? found : found + "; missing " + missing};
}

// An empty fentry program on bpf_fentry_test1 (a function only BPF_PROG_TEST_RUN
// calls): loading checks the verifier, attaching checks that this architecture
// builds trampolines (x86_64 since 5.5, arm64 since 6.0).
FeatureProbe probe_trampolines(const btf* vmlinux, bool privileged) {
  if (!privileged) return not_checked("trampolines");
  if (!vmlinux) return {"trampolines", State::Unknown, "needs BTF"};
  int target = btf__find_by_name_kind(vmlinux, "bpf_fentry_test1", BTF_KIND_FUNC);
  if (target <= 0) return {"trampolines", State::Unknown, "no bpf_fentry_test1 in BTF to try"};
  const bpf_insn program[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .src_reg = 0, .off = 0, .imm = 0},
      {.code = BPF_JMP | BPF_EXIT, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
              .attach_btf_id = static_cast<__u32>(target));
  UniqueFd prog(bpf_prog_load(BPF_PROG_TYPE_TRACING, "ig_probe_fentry", "GPL", program, 2, &opts));
  if (!prog) return refused("trampolines", "an fentry program", errno);
  UniqueFd link(bpf_link_create(prog.get(), 0, BPF_TRACE_FENTRY, nullptr));
  if (!link) return refused("trampolines", "attaching an fentry program", errno);
  return {"trampolines", State::Yes, "fentry/fexit"};
}

}  // namespace

const char* state_name(State state) {
  switch (state) {
    case State::Yes: return "yes";
    case State::No: return "no";
    case State::Unknown: return "unknown";
  }
  return "unknown";
}

std::vector<FeatureProbe> probe_kernel_features() {
  Btf vmlinux = load_vmlinux_btf();
  bool privileged = check_bpf_privileges().ok();
  return {probe_btf(vmlinux.get()), probe_bpf_stats(), probe_ring_buffer(privileged), probe_iterators(vmlinux.get()),
          probe_trampolines(vmlinux.get(), privileged)};
}

}  // namespace ig::host
