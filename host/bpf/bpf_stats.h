// Switching the kernel's BPF run-time statistics on, shared by everything in the process.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <ig/result.h>

namespace ig::host {

// BPF_ENABLE_STATS (Linux 5.8) returns an fd that keeps stats on while open; the
// kernel counts those fds itself. Only where that call fails does this write the
// kernel.bpf_stats_enabled sysctl, and then it restores the value it found when the
// last handle goes. Setting IG_BPF_STATS_FORCE_SYSCTL=1 forces that fallback (tests).
class BpfStatsSwitch {
 public:
  explicit BpfStatsSwitch(std::string sysctl_path = "/proc/sys/kernel/bpf_stats_enabled");
  ~BpfStatsSwitch();
  BpfStatsSwitch(const BpfStatsSwitch&) = delete;
  BpfStatsSwitch& operator=(const BpfStatsSwitch&) = delete;

  // Stats stay on while the returned handle (or a copy) lives.
  Result<std::shared_ptr<void>> acquire();
  // Someone holds stats on: a handle of ours, or kernel.bpf_stats_enabled is 1.
  bool already_on() const;
  // How stats are held right now: "off", "fd" or "sysctl".
  std::string mode() const;

 private:
  void release();
  void turn_off_locked();

  std::string sysctl_path_;
  mutable std::mutex mutex_;
  int users_ = 0;
  int stats_fd_ = -1;
  bool via_sysctl_ = false;
  std::string sysctl_before_;
};

}  // namespace ig::host
