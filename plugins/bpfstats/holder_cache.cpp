#include "holder_cache.h"

#include <charconv>

#include "fdinfo.h"

namespace ig::bpfstats {

std::optional<HoldersByProgram> HolderCache::reuse(const std::vector<std::uint32_t>& programs,
                                                   Clock::time_point now, const IdentityReader& identify) const {
  if (!kept_ || now - scanned_ >= max_age_ || programs != programs_) return std::nullopt;
  std::map<std::uint32_t, std::string> comms;
  for (const auto& [pid, start_time] : start_times_) {
    auto identity = identify(pid);
    if (!identity || identity->start_time != start_time) return std::nullopt;
    comms.emplace(pid, std::move(identity->comm));
  }
  HoldersByProgram holders;
  for (const auto& [prog_id, pids] : pids_) {
    std::vector<Holder>& list = holders[prog_id];
    for (std::uint32_t pid : pids) list.push_back(Holder{pid, comms.at(pid)});
  }
  return holders;
}

void HolderCache::keep(const HoldersByProgram& holders, std::vector<std::uint32_t> programs, Clock::time_point now,
                       const IdentityReader& identify) {
  kept_ = false;
  pids_.clear();
  start_times_.clear();
  for (const auto& [prog_id, list] : holders) {
    std::vector<std::uint32_t>& pids = pids_[prog_id];
    for (const Holder& holder : list) {
      pids.push_back(holder.pid);
      if (start_times_.count(holder.pid)) continue;
      auto identity = identify(holder.pid);
      // Gone already: the next pass scans again rather than trust a scan with a dead holder.
      if (!identity) return;
      start_times_.emplace(holder.pid, identity->start_time);
    }
  }
  programs_ = std::move(programs);
  scanned_ = now;
  kept_ = true;
}

std::optional<ProcessIdentity> parse_process_stat(std::string_view stat) {
  std::size_t open = stat.find('(');
  std::size_t close = stat.rfind(')');  // a comm may itself hold ')'
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
  ProcessIdentity identity;
  identity.comm.assign(stat.substr(open + 1, close - open - 1));
  // After ") ": state is field 3; starttime is field 22, so 19 more fields on.
  std::string_view rest = stat.substr(close + 1);
  for (int field = 3; field < 22; ++field) {
    std::size_t space = rest.find(' ', 1);
    if (space == std::string_view::npos) return std::nullopt;
    rest = rest.substr(space);
  }
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), identity.start_time);
  if (ec != std::errc() || end == rest.data()) return std::nullopt;
  return identity;
}

std::optional<ProcessIdentity> read_process_identity(int proc_fd, std::uint32_t pid) {
  char path[32];
  auto [end, ec] = std::to_chars(path, path + 20, pid);
  const char suffix[] = "/stat";
  std::copy(suffix, suffix + sizeof(suffix), end);
  std::string text = read_small_file(proc_fd, path);
  if (text.empty()) return std::nullopt;
  return parse_process_stat(text);
}

}  // namespace ig::bpfstats
