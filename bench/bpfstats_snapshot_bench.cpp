// bpfstats_snapshot_bench [--cold] [ROUNDS [OWNED_FIRST OWNED_LAST]]: times, in-process,
// the code the bpfstats plugin runs in the daemon for one `--all` tick, built from the
// plugin's own sources (no plugin change, no daemon). Needs CAP_SYS_ADMIN.
//
// Warm (the default; what every tick of an --interval run costs, the plugin staying
// loaded), ROUNDS rounds of:
//   kernel        take_kernel_snapshot, every program, no holders
//   holders       find_program_holders (the task_file iterator where it loads, else /proc)
//   holders_proc  find_program_holders_in_proc (the /proc scan, the fallback)
//   snapshot      take_kernel_snapshot with holders: what one --all tick reads
//   tick          plan_snapshot + snapshot + build_rows (the previous round as
//                 `before`) + sort_rows + to_record for every row: a tick minus emit
// --cold (what a one-shot `ig run bpfstats --all` costs: the daemon loads the plugin
// for each run, so nothing learnt by an earlier run is left), once, in this fresh
// process: cold_kernel, cold_holders (this one also reads the kernel's BTF) and
// cold_rows (build_rows + sort_rows + to_record). A one-shot tick is their sum.
//
// Each part is timed in wall time and in process CPU time (CLOCK_PROCESS_CPUTIME_ID).
// Program ids OWNED_FIRST..OWNED_LAST are given to one fake registry instance, so the
// join attributes them as it would an instance's. Prints one line per part:
//   part NAME median_us=... min_us=... max_us=... cpu_median_us=... cpu_min_us=... rows=...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <bpf/bpf.h>
#include <fcntl.h>
#include <unistd.h>

#include "aggregate.h"
#include "fdinfo.h"
#include "holders.h"
#include "kernel_snapshot.h"
#include "record.h"

using namespace ig::bpfstats;
using Clock = std::chrono::steady_clock;

namespace {

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

double cpu_micros() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// Wall and CPU samples of one part.
struct Samples {
  std::vector<double> wall, cpu;
  template <class F>
  auto time(F&& f) {
    double c0 = cpu_micros();
    auto t0 = Clock::now();
    auto result = f();
    wall.push_back(micros(Clock::now() - t0));
    cpu.push_back(cpu_micros() - c0);
    return result;
  }
};

void report(const char* name, Samples s, std::size_t rows) {
  std::sort(s.wall.begin(), s.wall.end());
  std::sort(s.cpu.begin(), s.cpu.end());
  std::printf("part %s median_us=%.0f min_us=%.0f max_us=%.0f cpu_median_us=%.0f cpu_min_us=%.0f rows=%zu\n", name,
              s.wall[s.wall.size() / 2], s.wall.front(), s.wall.back(), s.cpu[s.cpu.size() / 2], s.cpu.front(), rows);
}

// Same programs, same pids and comms in the same order.
bool same(const HoldersByProgram& a, const HoldersByProgram& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.first == y.first && std::equal(x.second.begin(), x.second.end(), y.second.begin(), y.second.end(),
                                            [](const Holder& h, const Holder& g) {
                                              return h.pid == g.pid && h.comm == g.comm;
                                            });
  });
}

// build_rows + sort_rows + to_record for every row; the number of rows.
std::size_t rows_and_records(const KernelSnapshot& now, const std::vector<ig::RegisteredInstance>& registry,
                             const View& view, const KernelSnapshot* before, unsigned long long& sink) {
  std::vector<Row> rows = build_rows(now, registry, view, before);
  sort_rows(rows, SortOrder{});  // the default: -runtime
  for (const Row& row : rows) {
    Record record = to_record(row);
    sink += record.prog_id + static_cast<unsigned char>(record.pids[0]);
  }
  return rows.size();
}

// How many of the snapshot's maps have a memlock other than what their fdinfo,
// opened afresh, says now (maps that went away meanwhile are not counted).
std::size_t memlock_mismatches(const KernelSnapshot& snapshot) {
  std::size_t bad = 0;
  for (const auto& [id, map] : snapshot.maps) {
    int fd = bpf_map_get_fd_by_id(id);
    if (fd < 0) continue;
    std::string path = "/proc/self/fdinfo/" + std::to_string(fd);
    auto memlock = fdinfo_value(read_small_file(AT_FDCWD, path.c_str()), "memlock");
    ::close(fd);
    if (memlock.value_or(0) != map.memlock) ++bad;
  }
  return bad;
}

int fail(const ig::Error& error) {
  std::fprintf(stderr, "bpfstats_snapshot_bench: %s\n", error.message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  bool cold = argc > 1 && std::strcmp(argv[1], "--cold") == 0;
  if (cold) {
    --argc;
    ++argv;
  }
  int rounds = argc > 1 ? std::atoi(argv[1]) : 20;
  if (rounds <= 0) rounds = 20;
  std::vector<ig::RegisteredInstance> registry;
  if (argc > 3) {
    ig::RegisteredInstance instance;
    instance.id = std::string(32, 'b');
    instance.name = "bench";
    instance.gadget = "bpf_loader";
    for (unsigned long id = std::strtoul(argv[2], nullptr, 10); id <= std::strtoul(argv[3], nullptr, 10); ++id)
      instance.objects.programs.push_back(static_cast<std::uint32_t>(id));
    registry.push_back(std::move(instance));
  }
  const View view{Mode::Programs, false};
  const SnapshotRequest no_holders{.all_programs = true, .program_ids = {}, .map_ids = {}, .holders = false};
  unsigned long long sink = 0;

  if (cold) {
    Samples kernel, holders, rows;
    auto k = kernel.time([&] { return take_kernel_snapshot(no_holders); });
    if (!k) return fail(k.error());
    KernelSnapshot now = std::move(k).value();
    now.holders = holders.time([] { return find_program_holders(); });
    std::size_t n = rows.time([&] { return rows_and_records(now, registry, view, nullptr, sink); });
    report("cold_kernel", kernel, now.programs.size());
    report("cold_holders", holders, now.holders.size());
    report("cold_rows", rows, n);
    return 0;
  }

  Samples kernel, holders, holders_proc, snapshot, tick;
  std::size_t programs = 0, holder_progs = 0, holder_progs_proc = 0, rows_out = 0;
  KernelSnapshot previous;
  bool has_previous = false;
  for (int r = 0; r < rounds; ++r) {
    auto k = kernel.time([&] { return take_kernel_snapshot(no_holders); });
    if (!k) return fail(k.error());
    programs = k.value().programs.size();

    auto by_default = holders.time([] { return find_program_holders(); });
    auto by_proc = holders_proc.time([] { return find_program_holders_in_proc(); });
    holder_progs = by_default.size();
    holder_progs_proc = by_proc.size();
    if (r == 0) {
      HoldersByProgram by_iterator;
      bool iterator = find_program_holders_by_iterator(by_iterator);
      std::printf("holders by iterator: %s; same as /proc: %s\n", iterator ? "yes" : "no (not usable here)",
                  iterator ? (same(by_iterator, by_proc) ? "yes" : "NO") : "-");
    }

    auto s = snapshot.time([&] { return take_kernel_snapshot(plan_snapshot(registry, view)); });
    if (!s) return fail(s.error());

    auto now = tick.time([&] {
      auto now = take_kernel_snapshot(plan_snapshot(registry, view));
      if (now) rows_out = rows_and_records(now.value(), registry, view, has_previous ? &previous : nullptr, sink);
      return now;
    });
    if (!now) return fail(now.error());
    previous = std::move(now).value();
    has_previous = true;
  }
  std::printf("programs=%zu maps=%zu programs_with_holders=%zu sink=%llu\n", programs, previous.maps.size(),
              holder_progs, sink % 10);
  std::printf("memlock of the last warm snapshot's %zu maps against a fresh fdinfo read: %zu differ\n",
              previous.maps.size(), memlock_mismatches(previous));
  report("kernel", kernel, programs);
  report("holders", holders, holder_progs);
  report("holders_proc", holders_proc, holder_progs_proc);
  report("snapshot", snapshot, programs);
  report("tick", tick, rows_out);
  return 0;
}
