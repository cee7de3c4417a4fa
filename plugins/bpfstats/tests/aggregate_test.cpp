#include <doctest/doctest.h>

#include <algorithm>

#include "aggregate.h"
#include "view.h"

using namespace ig::bpfstats;
using ig::RegisteredInstance;
using namespace std::chrono_literals;

namespace {

const std::string kIdA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kIdB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

ProgramInfo prog(std::uint32_t id, std::uint64_t runtime, std::uint64_t runcount, std::vector<std::uint32_t> maps,
                 std::string name = "p") {
  return ProgramInfo{id, std::move(name), "tracepoint", runtime, runcount, std::move(maps)};
}

// Maps 1..n, map i charging i * 1000 bytes.
KernelSnapshot snapshot(std::vector<ProgramInfo> programs, std::uint32_t maps = 10) {
  KernelSnapshot s;
  for (ProgramInfo& p : programs) s.programs.emplace(p.id, std::move(p));
  for (std::uint32_t id = 1; id <= maps; ++id) s.maps.emplace(id, MapInfo{id, id * 1000ull});
  s.taken = std::chrono::steady_clock::time_point(10s);
  return s;
}

RegisteredInstance instance(const std::string& id, const std::string& name, std::vector<std::uint32_t> programs,
                            std::vector<std::uint32_t> maps = {}) {
  return RegisteredInstance{id, name, "trace_open", {std::move(programs), std::move(maps)}};
}

const ViewSpec kInstances{ViewKind::Instances, false};
const ViewSpec kAll{ViewKind::Programs, false};
const ViewSpec kAllGadgetsOnly{ViewKind::Programs, true};
const ViewSpec kAllWithInstances{ViewKind::Programs, false, true};

// The rows and the snapshot plan of the view `spec` chooses.
std::vector<Row> build_rows(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry,
                            const ViewSpec& spec, const KernelSnapshot* before) {
  return make_view(spec)->rows(now, registry, before);
}

SnapshotRequest plan_snapshot(const std::vector<RegisteredInstance>& registry, const ViewSpec& spec) {
  return make_view(spec)->plan(registry);
}

}  // namespace

TEST_CASE("a map shared by two programs of an instance counts once") {
  // The seed's example: programs with 4 and 3 maps sharing one make 6 maps.
  auto now = snapshot({prog(10, 0, 0, {1, 2, 3, 4}), prog(11, 0, 0, {4, 5, 6})});
  auto rows = build_rows(now, {instance(kIdA, "mytraceopen", {10, 11}, {1, 2, 3, 4, 5, 6})}, kInstances, nullptr);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].map_count == 6);
  CHECK(rows[0].map_memory == (1 + 2 + 3 + 4 + 5 + 6) * 1000u);
}

TEST_CASE("an instance counts its registered maps and the maps its programs use, each once") {
  // Map 7 is registered but no program uses it; map 5 is used but was not registered.
  auto now = snapshot({prog(10, 0, 0, {1, 2}), prog(11, 0, 0, {2, 5})});
  auto rows = build_rows(now, {instance(kIdA, "a", {10, 11}, {1, 2, 7})}, kInstances, nullptr);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].map_count == 4);
  CHECK(rows[0].map_memory == (1 + 2 + 5 + 7) * 1000u);
}

TEST_CASE("an instance row sums runtime and runcount over its programs and names the instance") {
  auto now = snapshot({prog(10, 1000, 10, {}), prog(11, 234, 5, {}), prog(12, 99999, 99, {})});
  auto rows = build_rows(now, {instance(kIdA, "mytraceopen", {10, 11})}, kInstances, nullptr);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].gadget_id == kIdA);
  CHECK(rows[0].gadget_name == "mytraceopen");
  CHECK(rows[0].gadget_image == "trace_open");
  CHECK(rows[0].prog_id == 0);
  CHECK(rows[0].prog_name.empty());
  CHECK(rows[0].runtime == 1234);
  CHECK(rows[0].runcount == 15);
}

TEST_CASE("a map shared between instances counts in each") {
  auto now = snapshot({prog(10, 0, 0, {1, 3}), prog(20, 0, 0, {2, 3})});
  auto rows = build_rows(now, {instance(kIdA, "a", {10}), instance(kIdB, "b", {20})}, kInstances, nullptr);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].map_memory == 4000);
  CHECK(rows[1].map_memory == 5000);
}

TEST_CASE("instances without BPF objects, or whose objects are gone, are not rows") {
  auto now = snapshot({prog(10, 5, 1, {1})});
  std::vector<RegisteredInstance> registry = {
      instance(kIdA, "bpfstats", {}),           // owns nothing, like bpfstats itself
      instance(kIdB, "stopping", {99}, {42}),   // its objects left the kernel mid-snapshot
      instance("cccccccccccccccccccccccccccccccc", "live", {10, 98}, {41}),
  };
  auto rows = build_rows(now, registry, kInstances, nullptr);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].gadget_name == "live");
  CHECK(rows[0].runcount == 1);
  CHECK(rows[0].map_count == 1);
}

TEST_CASE("--all: one row per program; ours carry the instance, others their holders") {
  auto now = snapshot({prog(10, 100, 1, {1, 2}, "ig_open_e"), prog(20, 200, 2, {2, 3}, "getpid")});
  now.holders[20] = {Holder{4242, "bpftrace"}};
  now.holders[10] = {Holder{1, "ig"}};
  auto rows = build_rows(now, {instance(kIdA, "a", {10}, {1, 2, 9})}, kAll, nullptr);
  REQUIRE(rows.size() == 2);
  const Row& ours = rows[0].prog_id == 10 ? rows[0] : rows[1];
  const Row& theirs = rows[0].prog_id == 20 ? rows[0] : rows[1];
  CHECK(ours.gadget_id == kIdA);
  CHECK(ours.prog_name == "ig_open_e");
  CHECK(ours.prog_type == "tracepoint");
  CHECK(ours.holders.empty());
  CHECK(ours.map_count == 2);  // the maps the program uses, not the instance's map 9
  CHECK(ours.map_memory == 3000);
  CHECK(theirs.gadget_id.empty());
  CHECK(theirs.gadget_name.empty());
  CHECK(theirs.gadget_image.empty());
  REQUIRE(theirs.holders.size() == 1);
  CHECK(theirs.holders[0].pid == 4242);
  CHECK(theirs.runtime == 200);
  CHECK(theirs.map_memory == 5000);
}

TEST_CASE("--all --gadgets-only keeps only our programs") {
  auto now = snapshot({prog(10, 0, 0, {}), prog(20, 0, 0, {}), prog(30, 0, 0, {})});
  auto rows = build_rows(now, {instance(kIdA, "a", {10}), instance(kIdB, "b", {30})}, kAllGadgetsOnly, nullptr);
  REQUIRE(rows.size() == 2);
  for (const Row& row : rows) CHECK(!row.gadget_id.empty());
}

TEST_CASE("a map that vanished during the snapshot is skipped") {
  auto now = snapshot({prog(10, 0, 0, {1, 77})});
  auto rows = build_rows(now, {}, kAll, nullptr);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].map_count == 1);
  CHECK(rows[0].map_memory == 1000);
}

TEST_CASE("deltas and cpu cover the time since the previous snapshot") {
  auto before = snapshot({prog(10, 1'000'000, 10, {}), prog(11, 0, 0, {})});
  auto now = snapshot({prog(10, 501'000'000, 25, {}), prog(11, 250'000'000, 5, {})});
  now.taken = before.taken + 1s;

  SUBCASE("per program") {
    auto rows = build_rows(now, {}, kAll, &before);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].runtime_delta == 500'000'000);
    CHECK(rows[0].runcount_delta == 15);
    CHECK(rows[0].cpu == doctest::Approx(50.0));
    CHECK(rows[1].cpu == doctest::Approx(25.0));
    CHECK(rows[0].elapsed == 1'000'000'000);
  }
  SUBCASE("per instance: the sum of its programs' deltas") {
    auto rows = build_rows(now, {instance(kIdA, "a", {10, 11})}, kInstances, &before);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].runtime_delta == 750'000'000);
    CHECK(rows[0].runcount_delta == 20);
    CHECK(rows[0].cpu == doctest::Approx(75.0));
  }
  SUBCASE("over two seconds, half the percentage") {
    now.taken = before.taken + 2s;
    auto rows = build_rows(now, {}, kAll, &before);
    CHECK(rows[0].cpu == doctest::Approx(25.0));
  }
}

TEST_CASE("a program newer than the previous snapshot counts everything as delta") {
  auto before = snapshot({});
  auto now = snapshot({prog(10, 300, 3, {})});
  now.taken = before.taken + 1s;
  auto rows = build_rows(now, {}, kAll, &before);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].runtime_delta == 300);
  CHECK(rows[0].runcount_delta == 3);
}

TEST_CASE("without a previous snapshot deltas and cpu are zero") {
  auto rows = build_rows(snapshot({prog(10, 300, 3, {})}), {}, kAll, nullptr);
  CHECK(rows[0].runtime_delta == 0);
  CHECK(rows[0].cpu == 0);
  CHECK(rows[0].elapsed == 0);
}

TEST_CASE("the snapshot plan reads only what the view needs") {
  std::vector<RegisteredInstance> registry = {instance(kIdA, "a", {10, 11}, {1, 2}), instance(kIdB, "b", {20}, {3})};
  SUBCASE("per instance: the registered programs and maps") {
    SnapshotRequest r = plan_snapshot(registry, kInstances);
    CHECK_FALSE(r.all_programs);
    CHECK_FALSE(r.holders);
    CHECK(r.program_ids == std::vector<std::uint32_t>{10, 11, 20});
    CHECK(r.map_ids == std::vector<std::uint32_t>{1, 2, 3});
  }
  SUBCASE("--all: every program, with holders") {
    SnapshotRequest r = plan_snapshot(registry, kAll);
    CHECK(r.all_programs);
    CHECK(r.holders);
  }
  SUBCASE("--all --gadgets-only: our programs, the maps they use") {
    SnapshotRequest r = plan_snapshot(registry, kAllGadgetsOnly);
    CHECK_FALSE(r.all_programs);
    CHECK_FALSE(r.holders);
    CHECK(r.program_ids == std::vector<std::uint32_t>{10, 11, 20});
    CHECK(r.map_ids.empty());
  }
}

TEST_CASE("--sort parses a column name in any case, '-' for descending") {
  auto order = parse_sort("-runtime");
  REQUIRE(order.ok());
  CHECK(order->column == Column::Runtime);
  CHECK(order->descending);
  order = parse_sort("MAPCOUNT");
  REQUIRE(order.ok());
  CHECK(order->column == Column::MapCount);
  CHECK_FALSE(order->descending);
  order = parse_sort("gadgetid");
  REQUIRE(order.ok());
  CHECK(order->column == Column::GadgetId);
}

TEST_CASE("--sort with an unknown column is one line listing the valid names") {
  auto order = parse_sort("-cost");
  REQUIRE_FALSE(order.ok());
  const std::string& message = order.error().message;
  CHECK(message.find("'cost'") != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
  for (std::string_view name : kColumnNames) CHECK(message.find(std::string(name)) != std::string::npos);
}

TEST_CASE("rows sort by the chosen column, ties by gadgetID then progID") {
  auto now = snapshot({prog(10, 5, 1, {1}, "b"), prog(11, 7, 1, {1, 2, 3}, "a"), prog(12, 5, 1, {}, "c"),
                       prog(13, 9, 1, {2}, "d")});
  auto rows = build_rows(now, {instance(kIdA, "a", {13})}, kAll, nullptr);
  auto ids = [&] {
    std::vector<std::uint32_t> out;
    for (const Row& r : rows) out.push_back(r.prog_id);
    return out;
  };
  sort_rows(rows, SortOrder{Column::Runtime, true});
  CHECK(ids() == std::vector<std::uint32_t>{13, 11, 10, 12});
  sort_rows(rows, SortOrder{Column::Runtime, false});
  CHECK(ids() == std::vector<std::uint32_t>{10, 12, 11, 13});
  sort_rows(rows, SortOrder{Column::ProgName, false});
  CHECK(ids() == std::vector<std::uint32_t>{11, 10, 12, 13});
  sort_rows(rows, SortOrder{Column::MapMemory, true});
  CHECK(ids() == std::vector<std::uint32_t>{11, 13, 10, 12});
  sort_rows(rows, SortOrder{Column::GadgetId, true});
  CHECK(ids().front() == 13);
}

TEST_CASE("--all --instances: every program and every instance from one snapshot") {
  // Map 7 is registered but unused: only the instance row counts it.
  std::vector<RegisteredInstance> registry = {instance(kIdA, "a", {10, 11}, {7})};
  auto before = snapshot({prog(10, 0, 0, {1}), prog(11, 0, 0, {1, 2}), prog(20, 0, 0, {3})});
  auto now = snapshot({prog(10, 100, 1, {1}), prog(11, 200, 2, {1, 2}), prog(20, 400, 4, {3})});
  now.taken = before.taken + 1s;

  SnapshotRequest plan = plan_snapshot(registry, kAllWithInstances);
  CHECK(plan.all_programs);
  CHECK(plan.holders);
  CHECK(plan.map_ids == std::vector<std::uint32_t>{7});

  CHECK(plan.map_info_ids == std::vector<std::uint32_t>{7});  // the owned maps' rows need their names

  auto rows = build_rows(now, registry, kAllWithInstances, &before);
  REQUIRE(rows.size() == 4 + 3);  // 3 programs, 1 instance, its maps 1, 2 and 7
  std::size_t instance_rows = 0;
  std::vector<std::uint32_t> map_rows;
  for (const Row& row : rows) {
    if (row.prog_id != 0) continue;
    if (row.map_id != 0) {
      map_rows.push_back(row.map_id);
      CHECK(row.gadget_id == kIdA);
      CHECK(row.map_count == 1);
      continue;
    }
    ++instance_rows;
    CHECK(row.gadget_id == kIdA);
    CHECK(row.runtime_delta == 300);
    CHECK(row.map_count == 3);  // maps 1 and 2 its programs use, and 7 it registered
  }
  CHECK(instance_rows == 1);
  std::sort(map_rows.begin(), map_rows.end());
  CHECK(map_rows == std::vector<std::uint32_t>{1, 2, 7});  // not map 3, another tool's
}
