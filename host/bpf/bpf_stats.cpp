#include "bpf/bpf_stats.h"

#include <bpf/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace ig::host {
namespace {

bool force_sysctl() {
  const char* env = std::getenv("IG_BPF_STATS_FORCE_SYSCTL");
  return env && std::string(env) == "1";
}

Result<std::string> read_sysctl(const std::string& path) {
  std::ifstream in(path);
  std::string value;
  if (!(in >> value)) return make_error("cannot read '" + path + "': " + std::strerror(errno));
  return value;
}

Result<void> write_sysctl(const std::string& path, const std::string& value) {
  std::ofstream out(path);
  out << value << "\n";
  out.flush();
  if (!out)
    return make_error("cannot write '" + path + "': " + std::strerror(errno) +
                      "; run as root with CAP_SYS_ADMIN to switch BPF stats on");
  return {};
}

}  // namespace

BpfStatsSwitch::BpfStatsSwitch(std::string sysctl_path) : sysctl_path_(std::move(sysctl_path)) {}

// Handles must not outlive the switch; if they do, the kernel is still put back.
BpfStatsSwitch::~BpfStatsSwitch() {
  std::lock_guard lock(mutex_);
  if (users_ > 0) turn_off_locked();
}

Result<std::shared_ptr<void>> BpfStatsSwitch::acquire() {
  std::lock_guard lock(mutex_);
  if (users_ == 0) {
    int fd = force_sysctl() ? -1 : bpf_enable_stats(BPF_STATS_RUN_TIME);
    if (fd >= 0) {
      stats_fd_ = fd;
    } else {
      int err = errno;
      if (err == EPERM || err == EACCES)
        return make_error("cannot enable BPF run-time stats: " + std::string(std::strerror(err)) +
                          "; run as root or grant CAP_SYS_ADMIN");
      auto before = read_sysctl(sysctl_path_);
      if (!before)
        return make_error("this kernel supports neither BPF_ENABLE_STATS nor kernel.bpf_stats_enabled (" +
                          before.error().message + "); BPF run-time stats need Linux 5.1 or later");
      if (before.value() != "1")
        if (auto written = write_sysctl(sysctl_path_, "1"); !written) return written.error();
      sysctl_before_ = before.value();
      via_sysctl_ = true;
    }
  }
  ++users_;
  return std::shared_ptr<void>(this, [](BpfStatsSwitch* self) { self->release(); });
}

void BpfStatsSwitch::release() {
  std::lock_guard lock(mutex_);
  if (users_ == 0 || --users_ > 0) return;
  turn_off_locked();
}

void BpfStatsSwitch::turn_off_locked() {
  users_ = 0;
  if (stats_fd_ >= 0) {
    ::close(stats_fd_);
    stats_fd_ = -1;
  }
  if (via_sysctl_) {
    if (sysctl_before_ != "1") (void)write_sysctl(sysctl_path_, sysctl_before_);
    via_sysctl_ = false;
  }
}

bool BpfStatsSwitch::already_on() const {
  {
    std::lock_guard lock(mutex_);
    if (users_ > 0) return true;
  }
  auto value = read_sysctl(sysctl_path_);
  return value && value.value() == "1";
}

std::string BpfStatsSwitch::mode() const {
  std::lock_guard lock(mutex_);
  if (users_ == 0) return "off";
  return via_sysctl_ ? "sysctl" : "fd";
}

}  // namespace ig::host
