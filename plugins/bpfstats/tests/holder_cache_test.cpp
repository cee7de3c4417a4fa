#include <doctest/doctest.h>

#include <map>

#include "holder_cache.h"

using namespace ig::bpfstats;
using namespace std::chrono_literals;

namespace {

// Processes by pid, as a test controls them: start time and comm.
struct FakeProcesses {
  std::map<std::uint32_t, ProcessIdentity> alive;
  IdentityReader reader() {
    return [this](std::uint32_t pid) -> std::optional<ProcessIdentity> {
      auto it = alive.find(pid);
      if (it == alive.end()) return std::nullopt;
      return it->second;
    };
  }
};

const HolderCache::Clock::time_point t0{};

HoldersByProgram scan() { return {{10, {{100, "bpftrace"}}}, {11, {{100, "bpftrace"}, {200, "tool"}}}}; }

}  // namespace

TEST_CASE("a kept scan is used again while programs and holders stay, with fresh comms") {
  FakeProcesses procs;
  procs.alive = {{100, {5, "bpftrace"}}, {200, {7, "tool"}}};
  HolderCache cache(10s);
  CHECK_FALSE(cache.reuse({10, 11, 12}, t0, procs.reader()));  // nothing kept yet
  cache.keep(scan(), {10, 11, 12}, t0, procs.reader());

  procs.alive[200].comm = "tool-v2";  // exec'd: same process, new comm
  auto reused = cache.reuse({10, 11, 12}, t0 + 9s, procs.reader());
  REQUIRE(reused);
  REQUIRE(reused->at(11).size() == 2);
  CHECK(reused->at(11)[0].pid == 100);
  CHECK(reused->at(11)[1].comm == "tool-v2");
  CHECK(reused->at(10)[0].comm == "bpftrace");
  CHECK_FALSE(reused->count(12));  // held by no process (pinned or attached without an fd)
}

TEST_CASE("a new or vanished program, a dead or reused holder pid, or age makes a scan due") {
  FakeProcesses procs;
  procs.alive = {{100, {5, "bpftrace"}}, {200, {7, "tool"}}};
  HolderCache cache(10s);
  cache.keep(scan(), {10, 11}, t0, procs.reader());
  REQUIRE(cache.reuse({10, 11}, t0 + 1s, procs.reader()));

  CHECK_FALSE(cache.reuse({10, 11, 13}, t0 + 1s, procs.reader()));  // a program appeared
  CHECK_FALSE(cache.reuse({10}, t0 + 1s, procs.reader()));          // one went
  CHECK_FALSE(cache.reuse({10, 11}, t0 + 10s, procs.reader()));     // too old

  FakeProcesses reused_pid = procs;
  reused_pid.alive[200].start_time = 99;  // pid 200 is another process now
  CHECK_FALSE(cache.reuse({10, 11}, t0 + 1s, reused_pid.reader()));

  FakeProcesses exited = procs;
  exited.alive.erase(100);
  CHECK_FALSE(cache.reuse({10, 11}, t0 + 1s, exited.reader()));
}

TEST_CASE("a scan whose holder already exited is not kept") {
  FakeProcesses procs;
  procs.alive = {{100, {5, "bpftrace"}}};  // 200 is gone by the time the scan is kept
  HolderCache cache(10s);
  cache.keep(scan(), {10, 11}, t0, procs.reader());
  CHECK_FALSE(cache.reuse({10, 11}, t0 + 1s, procs.reader()));
}

TEST_CASE("/proc/PID/stat gives the start time and the comm, even one with spaces and parentheses") {
  auto plain = parse_process_stat(
      "1234 (bpftrace) S 1 1234 1234 0 -1 4194560 5000 0 0 0 10 20 0 0 20 0 3 0 987654 123456789 4000 "
      "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n");
  REQUIRE(plain);
  CHECK(plain->comm == "bpftrace");
  CHECK(plain->start_time == 987654u);

  auto odd = parse_process_stat("77 (a (b) c) R 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 42 0 0\n");
  REQUIRE(odd);
  CHECK(odd->comm == "a (b) c");
  CHECK(odd->start_time == 42u);

  CHECK_FALSE(parse_process_stat(""));
  CHECK_FALSE(parse_process_stat("77 (x) R 1 2 3"));  // cut short before field 22
}
