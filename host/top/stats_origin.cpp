#include "top/stats_origin.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace ig::host::top {
namespace {

bool is_bpfstats(const std::string& gadget) { return gadget == "bpfstats" || gadget.ends_with("/bpfstats.so"); }

// A BPF_ENABLE_STATS fd is an anonymous inode the kernel names "bpf-stats".
bool holds_stats_fd(const std::string& pid) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc/" + pid + "/fd", ec)) {
    std::error_code link_ec;
    if (fs::read_symlink(entry.path(), link_ec).string() == "anon_inode:bpf-stats") return true;
  }
  return false;
}

}  // namespace

std::string describe_stats_origin(const StatsFacts& facts) {
  if (!facts.bpfstats_runs.empty()) {
    std::string names;
    for (const std::string& name : facts.bpfstats_runs) names += (names.empty() ? "'" : ", '") + name + "'";
    return "bpfstats run " + names + (facts.sysctl_on ? " and kernel.bpf_stats_enabled=1" : "");
  }
  if (facts.daemon_holds_fd) return "ig daemon --enable-bpfstats";
  if (facts.sysctl_on) return "kernel.bpf_stats_enabled=1";
  return "this view (off when it quits)";
}

StatsFacts gather_stats_facts(DaemonClient& client) {
  StatsFacts facts;
  std::ifstream sysctl("/proc/sys/kernel/bpf_stats_enabled");
  std::string value;
  facts.sysctl_on = (sysctl >> value) && value == "1";
  if (auto reply = client.request(protocol::Message(protocol::Type::List)))
    for (const std::string& nested : reply->get_all("instance"))
      if (auto entry = protocol::Message::decode_fields(protocol::Type::ListReply, nested);
          entry && is_bpfstats(entry->get("gadget")) && entry->get("status") == "running")
        facts.bpfstats_runs.push_back(entry->get("name"));
  if (auto pong = client.request(protocol::Message(protocol::Type::Ping)))
    facts.daemon_holds_fd = holds_stats_fd(pong->get("pid"));
  return facts;
}

}  // namespace ig::host::top
