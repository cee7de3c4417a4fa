#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "holder_proc_scan.h"

namespace fs = std::filesystem;
using ig::bpfstats::find_program_holders_in_proc;

namespace {

// A throwaway /proc look-alike: PID/fd/N symlinks, PID/fdinfo/N, PID/comm.
class FakeProc {
 public:
  FakeProc() {
    char tmpl[] = "/tmp/bpfstats-proc-XXXXXX";
    root_ = ::mkdtemp(tmpl);
  }
  ~FakeProc() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void process(const std::string& pid, const std::string& comm) {
    fs::create_directories(root_ / pid / "fd");
    fs::create_directories(root_ / pid / "fdinfo");
    std::ofstream(root_ / pid / "comm") << comm << "\n";
  }
  void fd(const std::string& pid, const std::string& fd, const std::string& target, const std::string& fdinfo) {
    fs::create_symlink(target, root_ / pid / "fd" / fd);
    std::ofstream(root_ / pid / "fdinfo" / fd) << fdinfo;
  }
  std::string root() const { return root_.string(); }

 private:
  fs::path root_;
};

}  // namespace

TEST_CASE("holders are the processes with a program fd or a link fd to the program") {
  FakeProc proc;
  proc.process("4242", "bpftrace");
  proc.fd("4242", "3", "anon_inode:bpf-prog", "pos:\t0\nprog_type:\t5\nprog_id:\t42\nrun_cnt:\t0\n");
  proc.fd("4242", "4", "anon_inode:bpf-map", "pos:\t0\nmap_id:\t42\n");
  proc.process("17", "systemd");
  proc.fd("17", "9", "anon_inode:bpf_link", "link_type:\tperf\nlink_id:\t3\nprog_id:\t42\n");
  proc.fd("17", "10", "anon_inode:bpf_link", "link_type:\tperf\nlink_id:\t4\nprog_id:\t43\n");
  proc.process("99", "bash");
  proc.fd("99", "1", "/dev/null", "prog_id:\t42\n");  // not a BPF fd, whatever its fdinfo says
  fs::create_directories(proc.root() + "/self/fd");

  auto holders = find_program_holders_in_proc(proc.root());
  REQUIRE(holders.size() == 2);
  REQUIRE(holders[42].size() == 2);
  CHECK(holders[42][0].pid == 17);
  CHECK(holders[42][0].comm == "systemd");
  CHECK(holders[42][1].pid == 4242);
  CHECK(holders[42][1].comm == "bpftrace");
  REQUIRE(holders[43].size() == 1);
  CHECK(holders[43][0].pid == 17);
}

TEST_CASE("map holders are the processes with a map fd, by map id") {
  FakeProc proc;
  proc.process("4242", "bpftrace");
  proc.fd("4242", "3", "anon_inode:bpf-prog", "pos:\t0\nprog_type:\t5\nprog_id:\t42\n");
  proc.fd("4242", "4", "anon_inode:bpf-map", "pos:\t0\nmap_type:\t1\nmap_id:\t7\n");
  proc.process("17", "systemd");
  proc.fd("17", "5", "anon_inode:bpf-map", "pos:\t0\nmap_type:\t2\nmap_id:\t7\n");
  auto holders = find_program_holders_in_proc(proc.root(), ig::bpfstats::HeldObject::Map);
  REQUIRE(holders.size() == 1);
  REQUIRE(holders[7].size() == 2);
  CHECK(holders[7][0].pid == 17);
  CHECK(holders[7][1].comm == "bpftrace");
}

TEST_CASE("a missing /proc gives no holders, not an error") {
  CHECK(find_program_holders_in_proc("/nonexistent-bpfstats-proc").empty());
}
