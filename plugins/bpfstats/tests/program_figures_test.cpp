// What each program weighs beyond IG's four columns: progMemory, verifiedInsns,
// recursionMisses, and the rates avgRuntime and runsPerSecond.
#include <doctest/doctest.h>

#include "aggregate.h"
#include "record.h"
#include "view.h"

using namespace ig::bpfstats;
using ig::RegisteredInstance;
using namespace std::chrono_literals;

namespace {

ProgramInfo weighed(std::uint32_t id, std::uint64_t runtime, std::uint64_t runcount, std::uint64_t misses) {
  ProgramInfo p{id, "p", "tracing", runtime, runcount, {}};
  p.recursion_misses = misses;
  p.memlock = 4096 * id;
  p.jited_len = 100 * id;
  p.verified_insns = 10 * id;
  return p;
}

KernelSnapshot snapshot(std::vector<ProgramInfo> programs, std::chrono::seconds taken = 10s) {
  KernelSnapshot s;
  for (ProgramInfo& p : programs) s.programs.emplace(p.id, std::move(p));
  s.taken = std::chrono::steady_clock::time_point(taken);
  return s;
}

std::vector<Row> rows_of(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry, ViewKind kind,
                         const KernelSnapshot* before) {
  return make_view(ViewSpec{kind, false})->rows(now, registry, before);
}

const std::string kId = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

}  // namespace

TEST_CASE("a program row carries its image size, verified instructions and recursion misses") {
  auto now = snapshot({weighed(2, 0, 0, 7)});
  auto rows = rows_of(now, {}, ViewKind::Programs, nullptr);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].prog_memory == 2 * 4096 + 200);
  CHECK(rows[0].verified_insns == 20);
  CHECK(rows[0].recursion_misses == 7);
  Record r = to_record(rows[0]);
  CHECK(r.prog_memory == 2 * 4096 + 200);
  CHECK(r.verified_insns == 20);
  CHECK(r.recursion_misses == 7);
}

TEST_CASE("an instance row sums them over its distinct programs") {
  auto now = snapshot({weighed(1, 0, 0, 1), weighed(2, 0, 0, 2), weighed(3, 0, 0, 4)});
  auto rows = rows_of(now, {{kId, "a", "trace_open", {{1, 2, 2}, {}}}}, ViewKind::Instances, nullptr);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].prog_memory == 3 * 4096 + 300);
  CHECK(rows[0].verified_insns == 30);
  CHECK(rows[0].recursion_misses == 3);
}

TEST_CASE("avgRuntime is per run since load without an earlier snapshot, over the interval with one") {
  auto before = snapshot({weighed(1, 1000, 10, 0)}, 10s);
  auto now = snapshot({weighed(1, 4000, 20, 0)}, 12s);
  auto lifetime = rows_of(now, {}, ViewKind::Programs, nullptr);
  CHECK(lifetime[0].avg_runtime == 200);
  CHECK(lifetime[0].runs_per_second == 0);
  auto interval = rows_of(now, {}, ViewKind::Programs, &before);
  CHECK(interval[0].avg_runtime == 300);  // 3000 ns over 10 runs
  CHECK(interval[0].runs_per_second == doctest::Approx(5.0));  // 10 runs over 2 s
  auto idle = rows_of(before, {}, ViewKind::Programs, &before);
  CHECK(idle[0].avg_runtime == 0);
}

TEST_CASE("an instance's avgRuntime divides its summed runtime by its summed runs") {
  auto now = snapshot({weighed(1, 1000, 1, 0), weighed(2, 3000, 3, 0)});
  auto rows = rows_of(now, {{kId, "a", "trace_open", {{1, 2}, {}}}}, ViewKind::Instances, nullptr);
  CHECK(rows[0].avg_runtime == 1000);
}
