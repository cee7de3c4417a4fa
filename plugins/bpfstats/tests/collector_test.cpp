// --metrics: rows become the four families, counters never go backwards while a
// series lives, and the seed's --annotate spelling turns the collector on.
#include <doctest/doctest.h>

#include <poll.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "collector.h"
#include "config.h"
#include "params.h"
#include "worker.h"

using namespace ig;
using namespace ig::bpfstats;
using ig::bpfstats::testing::params;

namespace {

Row instance_row(std::string id, std::uint64_t runtime, std::uint64_t runcount, std::uint64_t runtime_delta,
                 std::uint64_t runcount_delta) {
  Row row;
  row.gadget_id = std::move(id);
  row.gadget_name = "mytraceopen";
  row.gadget_image = "trace_open";
  row.runtime = runtime;
  row.runcount = runcount;
  row.runtime_delta = runtime_delta;
  row.runcount_delta = runcount_delta;
  row.map_memory = 4096;
  row.map_count = 2;
  return row;
}

const MetricSample* find(const MetricFamily& family, const std::string& label, const std::string& value) {
  for (const MetricSample& s : family.samples)
    for (const MetricLabel& l : s.labels)
      if (l.name == label && l.value == value) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("four families with HELP, type and the five labels, in the seed's names") {
  Collector collector;
  Row prog = instance_row("aaaa", 100, 3, 0, 0);
  prog.prog_id = 42;
  prog.prog_name = "ig_openat_e";
  auto families = collector.families({instance_row("bbbb", 5, 1, 0, 0), prog});
  REQUIRE(families.size() == 4);
  CHECK(families[0].name == "runtime_total");
  CHECK(families[0].type == MetricType::Counter);
  CHECK(families[1].name == "runcount_total");
  CHECK(families[1].type == MetricType::Counter);
  CHECK(families[2].name == "mapMemory");
  CHECK(families[2].type == MetricType::Gauge);
  CHECK(families[3].name == "mapCount");
  CHECK(families[3].type == MetricType::Gauge);
  for (const MetricFamily& f : families) {
    CHECK_FALSE(f.help.empty());
    REQUIRE(f.samples.size() == 2);
    std::vector<std::string> names;
    for (const MetricLabel& l : f.samples[1].labels) names.push_back(l.name);
    CHECK(names == std::vector<std::string>{"gadgetID", "gadgetName", "gadgetImage", "progID", "progName"});
  }
  const MetricSample* s = find(families[0], "progID", "42");
  REQUIRE(s);
  CHECK(s->value == 100);
  CHECK(s->labels[4].value == "ig_openat_e");
  CHECK(find(families[2], "gadgetID", "bbbb")->value == 4096);
  CHECK(find(families[3], "gadgetID", "bbbb")->value == 2);
  CHECK(find(families[0], "gadgetID", "bbbb")->labels[3].value == "0");
  // Each series names its instance, so the host can drop it when the instance goes.
  CHECK(find(families[1], "gadgetID", "bbbb")->instance_id == "bbbb");
  CHECK(find(families[3], "progID", "42")->instance_id == "aaaa");
}

TEST_CASE("two programs with the same truncated name stay two series") {
  Collector collector;
  Row a = instance_row("", 1, 1, 0, 0), b = instance_row("", 2, 2, 0, 0);
  a.prog_id = 10;
  b.prog_id = 11;
  a.prog_name = b.prog_name = "a_very_long_nam";
  auto families = collector.families({a, b});
  CHECK(families[0].samples.size() == 2);
  CHECK(find(families[0], "progID", "10")->value == 1);
  CHECK(find(families[0], "progID", "11")->value == 2);
}

TEST_CASE("counters grow by the deltas and never go backwards when a program goes away") {
  Collector collector;
  auto first = collector.families({instance_row("aaaa", 1000, 10, 0, 0)});
  CHECK(first[0].samples[0].value == 1000);
  CHECK(first[1].samples[0].value == 10);
  // One of the instance's programs went: the sum fell to 700, but 50 ns and 5 runs
  // were added by the programs that are left.
  auto second = collector.families({instance_row("aaaa", 700, 8, 50, 5)});
  CHECK(second[0].samples[0].value == 1050);
  CHECK(second[1].samples[0].value == 15);
  auto third = collector.families({instance_row("aaaa", 760, 9, 60, 1)});
  CHECK(third[0].samples[0].value == 1110);
  CHECK(third[1].samples[0].value == 16);
}

TEST_CASE("a series whose row is gone is forgotten and starts afresh") {
  Collector collector;
  collector.families({instance_row("aaaa", 1000, 10, 0, 0)});
  auto without = collector.families({});
  CHECK(without[0].samples.empty());
  auto again = collector.families({instance_row("aaaa", 30, 3, 30, 3)});
  CHECK(again[0].samples[0].value == 30);
}

TEST_CASE("--metrics makes a collector: no one-shot, every second by default") {
  auto c = parse_config(params({{"metrics", "true"}}));
  REQUIRE(c.ok());
  CHECK(c->mode == RunMode::Metrics);
  CHECK(c->interval == std::chrono::seconds(1));
  CHECK(c->count == 0);
  auto all = parse_config(params({{"metrics", "true"}, {"all", "true"}, {"interval", "5000000000"}}));
  REQUIRE(all.ok());
  CHECK(all->view.kind == ViewKind::Programs);
  CHECK(all->interval == std::chrono::seconds(5));
}

TEST_CASE("the seed's spelling: --otel-metrics-name bpfstats:bpfstats --annotate bpfstats:metrics.collect=true") {
  auto c = parse_config(params({{"otel-metrics-name", "bpfstats:bpfstats"}, {"annotate", "bpfstats:metrics.collect=true"}}));
  REQUIRE(c.ok());
  CHECK(c->mode == RunMode::Metrics);
  auto plain = parse_config(params({{"annotate", "metrics.collect=true"}}));
  REQUIRE(plain.ok());
  CHECK(plain->mode == RunMode::Metrics);
  auto off = parse_config(params({{"annotate", "bpfstats:metrics.collect=false"}}));
  REQUIRE(off.ok());
  CHECK(off->mode == RunMode::OneShot);
}

TEST_CASE("bad --annotate and --otel-metrics-name values name the fix") {
  auto other_source = parse_config(params({{"annotate", "trace_open:metrics.collect=true"}}));
  REQUIRE_FALSE(other_source.ok());
  CHECK(other_source.error().message.find("use --annotate bpfstats:metrics.collect=true") != std::string::npos);
  auto unknown = parse_config(params({{"annotate", "bpfstats:metrics.print=true"}}));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("unknown annotation 'metrics.print'") == 0);
  auto value = parse_config(params({{"annotate", "bpfstats:metrics.collect=yes please"}}));
  REQUIRE_FALSE(value.ok());
  CHECK(value.error().message.find("expected true or false") != std::string::npos);
  auto name = parse_config(params({{"otel-metrics-name", "other:x"}}));
  REQUIRE_FALSE(name.ok());
  CHECK(name.error().message.find("--otel-metrics-name bpfstats:NAME") != std::string::npos);
}

namespace {

bool readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) == 1;
}

}  // namespace

TEST_CASE("the worker runs one job at a time off the caller's thread and signals its fd") {
  std::atomic<int> passes{0};
  std::atomic<bool> release{false};
  std::thread::id caller = std::this_thread::get_id(), worker_thread;
  Worker<std::vector<std::uint32_t>, KernelSnapshot> worker([&](std::vector<std::uint32_t>& ids) -> Result<KernelSnapshot> {
    worker_thread = std::this_thread::get_id();
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    KernelSnapshot snapshot;
    for (std::uint32_t id : ids) snapshot.programs[id].id = id;
    ++passes;
    return snapshot;
  });
  REQUIRE(worker.start("test-worker").ok());
  CHECK_FALSE(readable(worker.fd(), 0));
  CHECK(worker.submit({7, 9}));
  CHECK_FALSE(worker.submit({1}));  // one in flight: this tick is skipped
  CHECK(worker.skipped() == 1);
  CHECK_FALSE(worker.take_result());
  release = true;
  REQUIRE(readable(worker.fd(), 5000));
  auto result = worker.take_result();
  REQUIRE(result);
  REQUIRE(result->ok());
  CHECK(result->value().programs.size() == 2);
  CHECK(worker_thread != caller);
  CHECK_FALSE(readable(worker.fd(), 0));
  CHECK(worker.submit({3}));  // free again
  REQUIRE(readable(worker.fd(), 5000));
  CHECK(worker.take_result());
  CHECK(passes == 2);
}

TEST_CASE("the worker reports errors and exceptions as results, and joins on destruction") {
  using IntWorker = Worker<int, int>;
  {
    IntWorker worker([](int&) -> Result<int> { return make_error("no BPF here"); });
    REQUIRE(worker.start("test-worker").ok());
    CHECK(worker.submit(1));
    REQUIRE(readable(worker.fd(), 5000));
    auto result = worker.take_result();
    REQUIRE(result);
    REQUIRE_FALSE(result->ok());
    CHECK(result->error().message == "no BPF here");
  }
  {
    IntWorker worker([](int&) -> Result<int> { throw std::runtime_error("boom"); });
    REQUIRE(worker.start("test-worker").ok());
    CHECK(worker.submit(1));
    REQUIRE(readable(worker.fd(), 5000));
    auto result = worker.take_result();
    REQUIRE(result);
    CHECK(result->error().message.find("boom") != std::string::npos);
  }
  // Destroyed with a job in flight: waits for it, then ends.
  std::atomic<bool> started{false}, finished{false};
  {
    IntWorker worker([&](int& n) -> Result<int> {
      started = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      finished = true;
      return n;
    });
    REQUIRE(worker.start("test-worker").ok());
    CHECK(worker.submit(1));
    while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  CHECK(finished);
}

TEST_CASE("the collector also publishes mapMemoryReal, progMemory and recursionMisses_total, same labels") {
  Collector collector;
  Row known = instance_row("aaaa", 100, 3, 0, 0);
  known.map_memory_real = 9000;
  known.prog_memory = 4200;
  known.recursion_misses = 5;
  Row unknown = instance_row("bbbb", 5, 1, 0, 0);  // mapMemoryReal unknown: no sample
  auto families = collector.published_families({known, unknown});
  REQUIRE(families.size() == 7);
  CHECK(families[4].name == "mapMemoryReal");
  CHECK(families[4].type == MetricType::Gauge);
  CHECK(families[5].name == "progMemory");
  CHECK(families[5].type == MetricType::Gauge);
  CHECK(families[6].name == "recursionMisses_total");
  CHECK(families[6].type == MetricType::Counter);
  REQUIRE(families[4].samples.size() == 1);
  CHECK(families[4].samples[0].value == 9000);
  CHECK(find(families[5], "gadgetID", "aaaa")->value == 4200);
  CHECK(find(families[6], "gadgetID", "aaaa")->value == 5);
  CHECK(families[6].samples[0].labels.size() == 5);

  // An instance's misses counter grows by its deltas, like runtime_total.
  known.recursion_misses = 2;  // it lost a program
  known.recursion_misses_delta = 1;
  families = collector.published_families({known, unknown});
  CHECK(find(families[6], "gadgetID", "aaaa")->value == 6);
}
