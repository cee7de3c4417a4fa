// The three modes driven with a fake Context and prepared snapshots: when each one
// reads the kernel, what it emits or publishes, and that all of them end the same way
// (after --count passes, at the first error, never twice).
#include <doctest/doctest.h>

#include <poll.h>

#include <map>
#include <memory>
#include <string>

#include "config.h"
#include "fake_run.h"
#include "params.h"
#include "runner.h"

using namespace ig;
using namespace ig::bpfstats;
using namespace std::chrono_literals;
using ig::bpfstats::testing::FakeContext;
using ig::bpfstats::testing::FakeSource;
using ig::bpfstats::testing::params;

namespace {

const std::string kIdA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kIdB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const std::string kSampled =
    "log sampled BPF run-time stats for 1s; the kernel counts runtime and runcount only while stats are on "
    "('ig daemon --enable-bpfstats' keeps them on)";

RegisteredInstance instance_a() { return {kIdA, "mytraceopen", "trace_open", {{10, 11}, {1}}}; }
RegisteredInstance instance_b() { return {kIdB, "myexec", "trace_exec", {{20}, {}}}; }

// Programs 10 and 11 (instance A) and 20 (instance B): 10 has run `runtime` ns, 11
// twice as long, 20 for 1 ns per second of `at`.
KernelSnapshot snapshot(std::uint64_t runtime, std::chrono::seconds at) {
  KernelSnapshot s;
  s.programs.emplace(10, ProgramInfo{10, "ig_openat_e", "tracepoint", runtime, runtime / 10, {1}});
  s.programs.emplace(11, ProgramInfo{11, "ig_openat_x", "tracepoint", 2 * runtime, runtime / 10, {1, 2}});
  s.programs.emplace(20, ProgramInfo{20, "ig_exec_e", "tracepoint", static_cast<std::uint64_t>(at.count()), 1, {}});
  s.maps.emplace(1, MapInfo{1, 4096});
  s.maps.emplace(2, MapInfo{2, 8192});
  s.taken = std::chrono::steady_clock::time_point(at);
  return s;
}

// One bpfstats run against the fakes; the runner goes first, as in the plugin.
struct Run {
  FakeContext ctx;
  FakeSource source;
  std::unique_ptr<Runner> runner;

  explicit Run(std::vector<RegisteredInstance> registry = {instance_a()}) { ctx.registry_entries = std::move(registry); }

  Result<void> start(std::map<std::string, std::string> given, bool stats_were_on = false) {
    auto config = parse_config(params(std::move(given)));
    REQUIRE(config.ok());
    runner = make_runner(config.value(), RunEnv{ctx, HostPowers(ctx), source}, stats_were_on);
    return runner->start();
  }

  // Snapshots at 10 s, 11 s, ..., program 10 gaining 30 ns a second.
  void prepare(int count) {
    for (int i = 0; i < count; ++i) source.add(snapshot(100 + 30 * i, std::chrono::seconds(10 + i)));
  }

  // A collector's pass: wait for the worker's fd, then let the loop take the result.
  void collect() {
    REQUIRE(ctx.watches.size() == 1);
    pollfd p{ctx.watches[0].first, POLLIN, 0};
    REQUIRE(::poll(&p, 1, 5000) == 1);
    ctx.watches[0].second();
  }
};

using Journal = std::vector<std::string>;

}  // namespace

TEST_CASE("a one-shot with stats already on emits one batch at once and finishes") {
  Run run;
  run.prepare(1);
  REQUIRE(run.start({}, true).ok());
  CHECK(run.ctx.journal == Journal{"emit mytraceopen/0 +0", "finish ok"});
  CHECK(run.ctx.timers.empty());
  auto calls = run.source.calls();
  REQUIRE(calls.size() == 1);
  CHECK_FALSE(calls[0].baseline);
  CHECK_FALSE(calls[0].had_before);
  CHECK_FALSE(run.source.repeated);
}

TEST_CASE("a one-shot without stats samples one second, says so, emits once and finishes") {
  Run run;
  run.prepare(2);
  REQUIRE(run.start({}).ok());
  CHECK(run.ctx.journal.empty());
  REQUIRE(run.ctx.timers.size() == 1);
  CHECK(run.ctx.timers[0].first == 1s);
  run.ctx.tick();
  // Programs 10 and 11 grew by 30 and 60 ns over the sampled second.
  CHECK(run.ctx.journal == Journal{kSampled, "emit mytraceopen/0 +90", "finish ok"});
  run.ctx.tick();  // the host has not stopped the instance yet: nothing more happens
  CHECK(run.ctx.journal.size() == 3);
  auto calls = run.source.calls();
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].baseline);
  CHECK(calls[1].had_before);
  CHECK_FALSE(run.source.repeated);  // one pass: no iterators kept
}

TEST_CASE("--count N emits N batches, each against the one before, then finishes") {
  Run run;
  run.prepare(4);
  REQUIRE(run.start({{"count", "3"}}).ok());
  REQUIRE(run.ctx.timers.size() == 1);
  CHECK(run.ctx.timers[0].first == 1s);
  run.ctx.tick();
  run.ctx.tick();
  CHECK(run.ctx.finished.empty());
  run.ctx.tick();
  CHECK(run.ctx.journal ==
        Journal{"emit mytraceopen/0 +90", "emit mytraceopen/0 +90", "emit mytraceopen/0 +90", "finish ok"});
  run.ctx.tick();
  CHECK(run.source.calls().size() == 4);  // the baseline and three passes
  CHECK(run.ctx.finished.size() == 1);
  // Every row says which batch it belongs to and how many rows that batch has.
  REQUIRE(run.ctx.records.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(run.ctx.records[i].batch == i + 1);
    CHECK(run.ctx.records[i].batch_rows == 1);
  }
}

TEST_CASE("--interval without --count runs until stopped") {
  Run run;
  run.prepare(6);
  REQUIRE(run.start({{"interval", "500000000"}}).ok());
  CHECK(run.ctx.timers[0].first == 500ms);
  for (int i = 0; i < 5; ++i) run.ctx.tick();
  CHECK(run.ctx.records.size() == 5);
  CHECK(run.ctx.finished.empty());
}

TEST_CASE("a failed pass finishes the run with its error, and no pass follows") {
  Run run;
  run.prepare(2);
  run.source.add(make_error("cannot list BPF programs (bpf_prog_get_next_id): Operation not permitted"));
  REQUIRE(run.start({{"interval", "1000000000"}}).ok());
  run.ctx.tick();
  run.ctx.tick();
  run.ctx.tick();
  CHECK(run.ctx.journal ==
        Journal{"emit mytraceopen/0 +90",
                "finish cannot list BPF programs (bpf_prog_get_next_id): Operation not permitted"});
  CHECK(run.source.calls().size() == 3);
}

TEST_CASE("a one-shot with stats on that cannot read the kernel finishes with the error") {
  Run run;
  run.source.add(make_error("no BPF here"));
  REQUIRE(run.start({}, true).ok());  // the start itself succeeded; the pass failed
  CHECK(run.ctx.journal == Journal{"finish no BPF here"});
}

TEST_CASE("a baseline that cannot be read fails the start, in every mode that takes one") {
  for (auto given : std::vector<std::map<std::string, std::string>>{{}, {{"count", "2"}}, {{"metrics", "true"}}}) {
    Run run;
    run.source.add(make_error("cannot open BPF program '10': Operation not permitted"));
    auto started = run.start(given);
    REQUIRE_FALSE(started.ok());
    CHECK(started.error().message == "cannot open BPF program '10': Operation not permitted");
    CHECK(run.ctx.timers.empty());
    CHECK(run.ctx.published.empty());
  }
}

TEST_CASE("only runs that read every program again and again keep iterators; a collector never scans holders") {
  Run run;
  run.prepare(2);
  SUBCASE("--all --interval: every program, with holders") {
    REQUIRE(run.start({{"all", "true"}, {"interval", "1000000000"}}).ok());
    REQUIRE(run.source.repeated);
    CHECK(run.source.repeated->all_programs);
    CHECK(run.source.repeated->holders);
  }
  SUBCASE("--all one-shot: nothing kept") {
    REQUIRE(run.start({{"all", "true"}}).ok());
    CHECK_FALSE(run.source.repeated);
  }
  SUBCASE("--all --metrics: every program, no holders, in the baseline and every pass") {
    REQUIRE(run.start({{"all", "true"}, {"metrics", "true"}}).ok());
    REQUIRE(run.source.repeated);
    CHECK(run.source.repeated->all_programs);
    CHECK_FALSE(run.source.repeated->holders);
    run.ctx.tick();
    run.collect();
    auto calls = run.source.calls();
    REQUIRE(calls.size() == 2);
    for (const auto& call : calls) CHECK_FALSE(call.request.holders);
    CHECK(run.ctx.journal.at(0).find("mapCount per program to the daemon's metrics endpoint") != std::string::npos);
  }
}

TEST_CASE("rows come from the chosen view, sorted by --sort") {
  Run run({instance_a(), instance_b()});
  run.prepare(2);
  REQUIRE(run.start({{"all", "true"}, {"count", "1"}}).ok());
  run.ctx.tick();
  CHECK(run.ctx.journal == Journal{"emit mytraceopen/11 +60", "emit mytraceopen/10 +30", "emit myexec/20 +1",
                                   "finish ok"});

  Run by_id({instance_a(), instance_b()});
  by_id.prepare(2);
  REQUIRE(by_id.start({{"all", "true"}, {"gadgets-only", "true"}, {"count", "1"}, {"sort", "progID"}}).ok());
  by_id.ctx.tick();
  CHECK(by_id.ctx.journal == Journal{"emit mytraceopen/10 +30", "emit mytraceopen/11 +60", "emit myexec/20 +1",
                                     "finish ok"});
}

TEST_CASE("an empty batch of instances says once how to see every program; --all does not") {
  Run run(std::vector<RegisteredInstance>{});
  run.prepare(3);
  REQUIRE(run.start({{"count", "2"}}).ok());
  run.ctx.tick();
  run.ctx.tick();
  CHECK(run.ctx.journal ==
        Journal{"log no running ig instance owns BPF objects; '--all' shows every BPF program on the system",
                "finish ok"});

  Run ours(std::vector<RegisteredInstance>{});
  ours.prepare(2);
  REQUIRE(ours.start({{"all", "true"}, {"gadgets-only", "true"}, {"count", "1"}}).ok());
  ours.ctx.tick();
  CHECK(ours.ctx.journal == Journal{"finish ok"});
}

TEST_CASE("a collector publishes at once, then every pass from its worker, --count times") {
  Run run;
  run.prepare(4);
  REQUIRE(run.start({{"metrics", "true"}, {"count", "2"}}).ok());
  REQUIRE(run.ctx.published.size() == 1);  // before the first scrape can come
  CHECK(run.ctx.journal ==
        Journal{"log publishing runtime_total, runcount_total, mapMemory and mapCount per instance to the daemon's "
                "metrics endpoint; no rows are printed"});
  REQUIRE(run.ctx.timers.size() == 1);
  CHECK(run.ctx.timers[0].first == 1s);
  run.ctx.tick();
  run.collect();
  CHECK(run.ctx.published.size() == 2);
  CHECK(run.ctx.finished.empty());
  run.ctx.tick();
  run.collect();
  CHECK(run.ctx.published.size() == 3);
  REQUIRE(run.ctx.finished.size() == 1);
  CHECK(run.ctx.finished[0].ok());
  run.ctx.tick();  // done: no pass is submitted
  CHECK(run.source.calls().size() == 3);
  CHECK(run.ctx.records.empty());
  // runtime_total of instance A grew by the 90 ns of each pass.
  const MetricFamily& runtime = run.ctx.published.back()[0];
  REQUIRE(runtime.name == "runtime_total");
  REQUIRE(runtime.samples.size() == 1);
  CHECK(runtime.samples[0].value == 3 * 100 + 2 * 90);
}

TEST_CASE("a collector refused at start fails the start; refused later, it finishes with the reason") {
  Run refused;
  refused.prepare(1);
  refused.ctx.refuse_publish =
      make_error("this ig daemon serves no metrics; start it with 'ig daemon --metrics-listen'");
  auto started = refused.start({{"metrics", "true"}});
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().message.find("serves no metrics") != std::string::npos);
  CHECK(refused.ctx.watches.empty());
  CHECK(refused.ctx.timers.empty());

  Run later;
  later.prepare(2);
  REQUIRE(later.start({{"metrics", "true"}}).ok());
  later.ctx.refuse_publish = make_error("family 'runtime_total' is published by instance 'other'");
  later.ctx.tick();
  later.collect();
  CHECK(later.ctx.journal.back() == "finish family 'runtime_total' is published by instance 'other'");
}

TEST_CASE("a collector's failed pass finishes the run with its error") {
  Run run;
  run.prepare(1);
  REQUIRE(run.start({{"metrics", "true"}}).ok());
  run.ctx.tick();
  run.collect();
  CHECK(run.ctx.journal.back() == "finish the test prepared no more snapshots");
}

TEST_CASE("a collector leaves out the series of an instance removed while its pass ran") {
  Run run({instance_a(), instance_b()});
  run.prepare(2);
  REQUIRE(run.start({{"metrics", "true"}}).ok());
  run.ctx.tick();                      // the pass joins with a copy that still has B
  run.ctx.registry_entries = {instance_a()};  // B is removed before the loop publishes
  run.collect();
  REQUIRE(run.ctx.published.size() == 2);
  for (const MetricFamily& family : run.ctx.published.back()) {
    REQUIRE(family.samples.size() == 1);
    CHECK(family.samples[0].instance_id == kIdA);
  }
}

TEST_CASE("a run tells the client whether it ends by itself and which columns fit its rows") {
  auto presented = [](std::map<std::string, std::string> given) {
    FakeContext ctx;
    auto config = parse_config(params(std::move(given)));
    REQUIRE(config.ok());
    REQUIRE(present_run(ctx, config.value()).ok());
    return std::pair{ctx.finishes_by_itself_called, ctx.default_fields_given};
  };
  CHECK(presented({}) == std::pair{true, std::vector<std::string>{}});
  CHECK(presented({{"count", "3"}}).first);
  CHECK_FALSE(presented({{"interval", "1000000000"}}).first);
  CHECK_FALSE(presented({{"metrics", "true"}}).first);
  auto maps = presented({{"maps", "true"}, {"interval", "2000000000"}});
  CHECK_FALSE(maps.first);
  REQUIRE(maps.second.size() >= 4);
  CHECK(maps.second[0] == "mapID");
  CHECK(maps.second[1] == "mapName");
}
