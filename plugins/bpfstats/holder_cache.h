// Who holds each program, kept between the passes of a run that takes a snapshot
// every interval. A holder scan walks every fd of every process (about 1 µs per BPF
// fd, the largest part of a warm --all pass), yet holders change far less often than
// counters. A kept scan is used again while
//   * the set of programs is the one it scanned (a new program gets its holders at once),
//   * every holder it found is still the same process (pid and start time, so a pid
//     reused by another process is noticed), and
//   * it is younger than `max_age`.
// What it can miss, for at most max_age, is a process that starts holding a program
// that others already hold (a fork, an fd passed over a socket). Comms are read
// afresh on every use, so an exec shows at once. No kernel access here.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "holder_model.h"

namespace ig::bpfstats {

struct ProcessIdentity {
  std::uint64_t start_time = 0;  // /proc/PID/stat field 22, clock ticks since boot
  std::string comm;
};

// The identity of a live process; nullopt once it has exited.
using IdentityReader = std::function<std::optional<ProcessIdentity>(std::uint32_t pid)>;

class HolderCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit HolderCache(Clock::duration max_age) : max_age_(max_age) {}

  // The kept holders of `programs` (ids ascending) with their current comms, or
  // nullopt when a scan is due.
  std::optional<HoldersByProgram> reuse(const std::vector<std::uint32_t>& programs, Clock::time_point now,
                                        const IdentityReader& identify) const;

  // Keep a fresh scan of `programs`, taken at `now`.
  void keep(const HoldersByProgram& holders, std::vector<std::uint32_t> programs, Clock::time_point now,
            const IdentityReader& identify);

 private:
  Clock::duration max_age_;
  bool kept_ = false;
  Clock::time_point scanned_{};
  std::vector<std::uint32_t> programs_;
  std::map<std::uint32_t, std::vector<std::uint32_t>> pids_;  // by program id, ascending
  std::map<std::uint32_t, std::uint64_t> start_times_;        // of every pid in pids_
};

// /proc/PID/stat's start time and comm, read under `proc_fd` (an open /proc).
std::optional<ProcessIdentity> read_process_identity(int proc_fd, std::uint32_t pid);

// Parses the text of /proc/PID/stat: "pid (comm) state ppid ... starttime ...".
std::optional<ProcessIdentity> parse_process_stat(std::string_view stat);

}  // namespace ig::bpfstats
