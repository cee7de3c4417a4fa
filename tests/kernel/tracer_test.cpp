// ig::bpf::Tracer against the real kernel, with a fake host: start() is all or
// nothing, and stop() drops the event stream, then the registry entry, then the
// kernel's objects. Needs root (or CAP_BPF,CAP_PERFMON) and BTF; exits 77 without.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <ig/tracer.h>

#include "tracer_test.skel.h"

namespace {

using namespace std::chrono_literals;
using Tracer = ig::bpf::Tracer<tracer_test_bpf>;

bool program_exists(std::uint32_t id) {
  int fd = bpf_prog_get_fd_by_id(id);
  if (fd >= 0) ::close(fd);
  return fd >= 0;
}

bool map_exists(std::uint32_t id) {
  int fd = bpf_map_get_fd_by_id(id);
  if (fd >= 0) ::close(fd);
  return fd >= 0;
}

bool any_exists(const ig::BpfObjectIds& ids) {
  return std::any_of(ids.programs.begin(), ids.programs.end(), program_exists) ||
         std::any_of(ids.maps.begin(), ids.maps.end(), map_exists);
}

bool all_exist(const ig::BpfObjectIds& ids) {
  return std::all_of(ids.programs.begin(), ids.programs.end(), program_exists) &&
         std::all_of(ids.maps.begin(), ids.maps.end(), map_exists);
}

// The kernel frees a program after its last link and fd, sometimes from a work
// queue: give it a moment.
bool all_gone(const ig::BpfObjectIds& ids) {
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (any_exists(ids)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

bool fd_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

// The host as a tracer sees it: records what the tracer asks of it. Its watchers and
// timers run only when the test calls drain(), as the host's loop would.
class FakeHost final : public ig::Context {
 public:
  std::vector<std::uint32_t> events;  // each record is the tgid that called getppid()
  std::uint64_t lost = 0;
  std::vector<int> watched_fds;
  int timers = 0;
  std::optional<ig::BpfObjectIds> registered;
  int unregistrations = 0;
  bool stream_open_at_unregister = false;
  bool objects_alive_at_unregister = false;

  void drain() {
    for (auto& callback : callbacks_) callback();
  }

  const ig::Params& params() const override { return params_; }
  std::string_view instance_id() const override { return "00000000000000000000000000000001"; }
  std::string_view instance_name() const override { return "tracer_test"; }
  void emit(const void* record, std::size_t size) override {
    std::uint32_t tgid = 0;
    REQUIRE(size == sizeof(tgid));
    std::memcpy(&tgid, record, size);
    events.push_back(tgid);
  }
  void report_lost(std::uint64_t count) override { lost += count; }
  void log(ig::LogLevel, std::string_view) override {}
  void watch_fd(int fd, std::function<void()> on_readable) override {
    watched_fds.push_back(fd);
    callbacks_.push_back(std::move(on_readable));
  }
  void every(std::chrono::nanoseconds, std::function<void()> tick) override {
    ++timers;
    callbacks_.push_back(std::move(tick));
  }
  void finish(ig::Result<void>) override {}
  void register_bpf(const ig::BpfObjectIds& ids) override { registered = ids; }
  void unregister_bpf(const ig::BpfObjectIds& ids) override {
    ++unregistrations;
    REQUIRE(registered);
    CHECK(ids.programs == registered->programs);
    CHECK(ids.maps == registered->maps);
    // The stream's fd first: checking the objects opens fds that could reuse its number.
    stream_open_at_unregister = std::any_of(watched_fds.begin(), watched_fds.end(), fd_open);
    objects_alive_at_unregister = all_exist(ids);
  }
  // A tracer declares no capability, so the host grants it none of these.
  ig::RegistryAccess* registry() override { return nullptr; }
  ig::BpfStatsAccess* bpf_stats() override { return nullptr; }
  ig::MetricsAccess* metrics() override { return nullptr; }
  void finishes_by_itself() override {}
  ig::Result<void> default_fields(std::vector<std::string>) override { return {}; }

 private:
  ig::Params params_;
  std::vector<std::function<void()>> callbacks_;
};

std::uint32_t own_tgid() { return static_cast<std::uint32_t>(::getpid()); }

// What a gadget's configure does: filter to this process, turn off the hook this
// kernel lacks, stream from the ring buffer.
ig::bpf::EventSource usual_configure(tracer_test_bpf& s) {
  s.rodata->targ_tgid = own_tgid();
  bpf_program__set_autoload(s.progs.ig_tt_missing, false);
  return {s.maps.ig_tt_events, &s.bss->lost};
}

void require_started(const ig::Result<void>& started) {
  INFO("start() failed: " << (started ? std::string() : started.error().message));
  REQUIRE(started.ok());
}

// Starts a tracer that must fail, checks that it left nothing behind (it left the
// registry before the kernel freed its objects), and returns the error.
template <class Configure>
std::string failed_start(Configure configure) {
  FakeHost host;
  Tracer tracer;
  ig::Result<void> started = tracer.start(host, configure);
  REQUIRE_FALSE(started.ok());
  INFO(started.error().message);
  REQUIRE(host.registered);
  CHECK(host.unregistrations == 1);
  CHECK(host.objects_alive_at_unregister);
  CHECK(host.watched_fds.empty());
  CHECK(host.timers == 0);
  CHECK(tracer.get() == nullptr);
  CHECK(all_gone(*host.registered));
  return started.error().message;
}

TEST_CASE("a started tracer streams its events and lost count until stopped") {
  FakeHost host;
  Tracer tracer;
  require_started(tracer.start(host, usual_configure));
  REQUIRE(host.registered);
  CHECK(host.registered->programs.size() == 1);  // ig_tt_missing is not loaded
  CHECK(all_exist(*host.registered));
  CHECK(host.watched_fds.size() == 1);
  CHECK(host.timers == 1);
  REQUIRE(tracer.get() != nullptr);

  for (int i = 0; i < 3; ++i) ::syscall(SYS_getppid);
  host.drain();
  CHECK(host.events == std::vector<std::uint32_t>(3, own_tgid()));

  tracer.get()->bss->lost += 2;  // .bss is the kernel's memory: as if BPF dropped two
  host.drain();
  host.drain();
  CHECK(host.lost == 2);
  CHECK(host.unregistrations == 0);
}

TEST_CASE("stop() drops the stream, then the registry entry, then the kernel's objects") {
  FakeHost host;
  Tracer tracer;
  require_started(tracer.start(host, usual_configure));
  REQUIRE(host.registered);
  REQUIRE(host.watched_fds.size() == 1);
  REQUIRE(fd_open(host.watched_fds[0]));

  tracer.stop();
  CHECK(host.unregistrations == 1);
  CHECK_FALSE(host.stream_open_at_unregister);
  CHECK(host.objects_alive_at_unregister);
  CHECK(tracer.get() == nullptr);
  CHECK(all_gone(*host.registered));

  tracer.stop();  // again, as after a failed start: nothing to do
  CHECK(host.unregistrations == 1);
}

TEST_CASE("an error from configure is returned as it is, and nothing is loaded") {
  FakeHost host;
  Tracer tracer;
  int calls = 0;
  ig::Result<void> started = tracer.start(host, [&](tracer_test_bpf&) -> ig::Result<ig::bpf::EventSource> {
    ++calls;
    return ig::make_error("invalid value 'x' for '--comm': deliberate");
  });
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().message == "invalid value 'x' for '--comm': deliberate");
  CHECK(calls == 1);
  CHECK_FALSE(host.registered);
  CHECK(host.unregistrations == 0);
  CHECK(host.watched_fds.empty());
  CHECK(host.timers == 0);
  CHECK(tracer.get() == nullptr);
  tracer.stop();
}

TEST_CASE("an attach failure names the program and leaves nothing loaded or registered") {
  std::string error = failed_start([](tracer_test_bpf& s) {
    s.rodata->targ_tgid = own_tgid();  // ig_tt_missing stays on: its tracepoint does not exist
    return ig::bpf::EventSource{s.maps.ig_tt_events, &s.bss->lost};
  });
  CHECK(error.starts_with("failed to attach 'ig_tt_missing': "));
}

TEST_CASE("a map that is no ring buffer fails the start and leaves nothing loaded or registered") {
  std::string error = failed_start([](tracer_test_bpf& s) {
    usual_configure(s);
    return ig::bpf::EventSource{s.maps.ig_tt_array, &s.bss->lost};
  });
  CHECK(error.starts_with("failed to open ring buffer 'ig_tt_array': "));
}

TEST_CASE("a second start() is refused and leaves the running tracer alone") {
  FakeHost host;
  Tracer tracer;
  require_started(tracer.start(host, usual_configure));
  tracer_test_bpf* running = tracer.get();
  ig::Result<void> again = tracer.start(host, usual_configure);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message.find("running already") != std::string::npos);
  CHECK(tracer.get() == running);
  CHECK(host.unregistrations == 0);
  CHECK(all_exist(*host.registered));
}

// Why this machine cannot run the test, or "" when it can.
std::string missing_requirements() {
  std::string missing;
  auto add = [&](const std::string& what) { missing += (missing.empty() ? "" : ", ") + what; };
  std::ifstream status("/proc/self/status");
  std::uint64_t caps = 0;
  for (std::string line; std::getline(status, line);)
    if (line.starts_with("CapEff:")) caps = std::strtoull(line.c_str() + 7, nullptr, 16);
  auto has = [caps](int cap) { return (caps >> cap) & 1; };
  constexpr int kCapSysAdmin = 21, kCapPerfmon = 38, kCapBpf = 39;
  if (!has(kCapSysAdmin) && !(has(kCapBpf) && has(kCapPerfmon))) add("root or CAP_BPF,CAP_PERFMON");
  if (::access("/sys/kernel/btf/vmlinux", F_OK) != 0) add("kernel BTF (/sys/kernel/btf/vmlinux)");
  if (::access("/sys/kernel/tracing/events/syscalls/sys_enter_getppid", F_OK) != 0)
    add("tracepoint syscalls/sys_enter_getppid in a mounted tracefs");
  return missing;
}

}  // namespace

int main(int argc, char** argv) {
  if (std::string missing = missing_requirements(); !missing.empty()) {
    std::printf("SKIP tracer: needs %s; run: sudo meson test --suite kernel\n", missing.c_str());
    const char* require = std::getenv("IG_REQUIRE_KERNEL");
    return require && std::string(require) == "1" ? 1 : 77;
  }
  libbpf_set_print(nullptr);  // the failures under test are expected; their messages are checked
  doctest::Context context(argc, argv);
  return context.run();
}
