// bpfstats_snapshot_bench [--cold] [ROUNDS [OWNED_FIRST OWNED_LAST]]: times, in-process,
// the code the bpfstats plugin runs in the daemon for one `--all` tick, built from the
// plugin's own sources (no plugin change, no daemon). Needs CAP_SYS_ADMIN.
//
// Warm (the default; what every tick of an --interval run costs, the plugin staying
// loaded), ROUNDS rounds of:
//   kernel        take_kernel_snapshot, every program, no holders, through the bpf() syscall
//   counters      one read of the program counter iterator alone
//   kernel_iter   the same with the previous snapshot and the program counter iterator
//                 (what a warm --all pass does); its counters are checked against the
//                 syscall's read just before and just after
//   holders       find_program_holders (the task_file iterator where it loads, else /proc)
//   holders_kept  the same with an iterator loaded once (what a warm --all pass does)
//   holders_proc  find_program_holders_in_proc (the /proc scan, the fallback)
//   holder_load   loading the holder iterator and freeing it, without a scan
//   holder_load_full  the same through a full libbpf skeleton of the same program
//                 (the plugin uses a light one: docs/benchmarks.md says why)
//   snapshot      take_kernel_snapshot with holders: what one --all tick reads (with
//                 the kept iterators where they load, as the plugin does)
//   tick          the view's plan + snapshot + its rows (the previous round as
//                 `before`) + sort_rows + to_record for every row: a tick minus emit
// --cold (what a one-shot `ig run bpfstats --all` costs: the daemon loads the plugin
// for each run, so nothing learnt by an earlier run is left), once, in this fresh
// process: cold_kernel, cold_holders (this one also reads the kernel's BTF) and
// cold_rows (the view's rows + sort_rows + to_record). A one-shot tick is their sum.
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

#include <ig/unique_fd.h>

#include "aggregate.h"
#include "fdinfo.h"
#include "holder_iterator_full.skel.h"
#include "holders.h"
#include "kernel_snapshot.h"
#include "record.h"
#include "view.h"

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

// The view's rows + sort_rows + to_record for every row; the number of rows.
std::size_t rows_and_records(const KernelSnapshot& now, const std::vector<ig::RegisteredInstance>& registry,
                             const View& view, const KernelSnapshot* before, unsigned long long& sink) {
  std::vector<Row> rows = view.rows(now, registry, before);
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

// Programs whose iterator-read counters fall outside the syscall's before/after
// readings, or whose name, type or maps differ from the syscall's.
std::size_t counter_mismatches(const KernelSnapshot& before, const KernelSnapshot& by_iterator,
                               const KernelSnapshot& after, std::size_t& moving) {
  std::size_t bad = 0;
  for (const auto& [id, prog] : by_iterator.programs) {
    auto b = before.programs.find(id);
    auto a = after.programs.find(id);
    if (b == before.programs.end() || a == after.programs.end()) continue;  // came or went meanwhile
    bool inside = b->second.run_cnt <= prog.run_cnt && prog.run_cnt <= a->second.run_cnt &&
                  b->second.run_time_ns <= prog.run_time_ns && prog.run_time_ns <= a->second.run_time_ns;
    if (a->second.run_cnt != b->second.run_cnt) ++moving;
    bool same = prog.name == a->second.name && prog.type == a->second.type && prog.map_ids == a->second.map_ids;
    if (!inside || !same) {
      if (bad < 5)
        std::fprintf(stderr, "program %u: syscall %llu/%llu, iterator %llu/%llu, then syscall %llu/%llu\n", id,
                     (unsigned long long)b->second.run_cnt, (unsigned long long)b->second.run_time_ns,
                     (unsigned long long)prog.run_cnt, (unsigned long long)prog.run_time_ns,
                     (unsigned long long)a->second.run_cnt, (unsigned long long)a->second.run_time_ns);
      ++bad;
    }
  }
  return bad;
}

// Open, load, attach and free the holder iterator as a full skeleton; false if it failed.
bool load_full_holder_iterator() {
  holder_iterator_full_bpf* skel = holder_iterator_full_bpf__open_and_load();
  bool ok = skel && holder_iterator_full_bpf__attach(skel) == 0;
  holder_iterator_full_bpf__destroy(skel);
  return ok;
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
  const std::unique_ptr<View> all = make_view({ViewKind::Programs, false});
  const View& view = *all;
  SnapshotRequest no_holders;
  no_holders.all_programs = true;
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

  // Counters run while this fd is open (as under bpfstats), so the iterator's check
  // below compares counters that move.
  ig::UniqueFd stats(bpf_enable_stats(BPF_STATS_RUN_TIME));
  std::string why_not;
  SnapshotRequest every_program;
  every_program.all_programs = every_program.holders = true;
  PassCache kept = PassCache::load(every_program, why_not);
  PassCache* counters = kept.counters ? &kept : nullptr;
  std::printf("program counter iterator: %s; holder iterator kept: %s\n", counters ? "yes" : why_not.c_str(),
              kept.holders ? "yes" : "no");

  Samples kernel, counters_read, kernel_iter, holders, holders_kept, holders_proc, holder_load, holder_load_full,
      snapshot, tick;
  std::size_t programs = 0, holder_progs = 0, holder_progs_proc = 0, rows_out = 0, mismatches = 0, compared = 0, moving = 0;
  KernelSnapshot previous;
  bool has_previous = false;
  for (int r = 0; r < rounds; ++r) {
    auto k = kernel.time([&] { return take_kernel_snapshot(no_holders); });
    if (!k) return fail(k.error());
    programs = k.value().programs.size();
    if (counters) {
      auto c = counters_read.time([&] { return kept.counters->read(); });
      if (!c) return fail(c.error());
      auto ki = kernel_iter.time([&] { return take_kernel_snapshot(no_holders, &k.value(), counters); });
      if (!ki) return fail(ki.error());
      auto after = take_kernel_snapshot(no_holders);
      if (!after) return fail(after.error());
      mismatches += counter_mismatches(k.value(), ki.value(), after.value(), moving);
      compared += ki.value().programs.size();
    }

    auto by_default = holders.time([] { return find_program_holders(); });
    if (kept.holders) holders_kept.time([&] { return find_program_holders(kept.holders.get()); });
    auto by_proc = holders_proc.time([] { return find_program_holders_in_proc(); });
    if (kept.holders) holder_load.time([] { return HolderIterator::load() != nullptr; });
    if (kept.holders) holder_load_full.time(load_full_holder_iterator);
    holder_progs = by_default.size();
    holder_progs_proc = by_proc.size();
    if (r == 0) {
      HoldersByProgram by_iterator;
      bool iterator = find_program_holders_by_iterator(by_iterator);
      std::printf("holders by iterator: %s; same as /proc: %s\n", iterator ? "yes" : "no (not usable here)",
                  iterator ? (same(by_iterator, by_proc) ? "yes" : "NO") : "-");
    }

    auto s = snapshot.time([&] { return take_kernel_snapshot(view.plan(registry), &k.value(), &kept); });
    if (!s) return fail(s.error());

    auto now = tick.time([&] {
      auto now = take_kernel_snapshot(view.plan(registry), has_previous ? &previous : nullptr, &kept);
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
  if (counters)
    std::printf("iterator counters outside the syscall's before/after readings: %zu of %zu (%zu of them running)\n",
                mismatches, compared, moving);
  report("kernel", kernel, programs);
  if (counters) report("counters", counters_read, programs);
  if (counters) report("kernel_iter", kernel_iter, programs);
  report("holders", holders, holder_progs);
  if (kept.holders) report("holders_kept", holders_kept, holder_progs);
  report("holders_proc", holders_proc, holder_progs_proc);
  if (kept.holders) report("holder_load", holder_load, 1);
  if (kept.holders) report("holder_load_full", holder_load_full, 1);
  report("snapshot", snapshot, programs);
  report("tick", tick, rows_out);
  return 0;
}
