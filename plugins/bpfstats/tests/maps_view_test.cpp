// --maps, --total and the bad input that goes with them; mapMemoryReal and
// mapMemoryShared on every view. No kernel: prepared snapshots.
#include <doctest/doctest.h>

#include <linux/bpf.h>

#include "config.h"
#include "params.h"
#include "record.h"
#include "view.h"

using namespace ig::bpfstats;
using ig::RegisteredInstance;
using ig::bpfstats::testing::params;

namespace {

const std::string kIdA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kIdB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

MapInfo hash(std::uint32_t id, std::uint64_t memlock, std::uint64_t entries, std::uint32_t max, std::uint32_t flags = 0) {
  MapInfo m{id, memlock, BPF_MAP_TYPE_HASH};
  m.name = "h" + std::to_string(id);
  m.max_entries = max;
  m.entries = entries;
  m.flags = flags;
  return m;
}

KernelSnapshot snapshot(std::vector<MapInfo> maps, std::vector<ProgramInfo> programs = {}) {
  KernelSnapshot s;
  for (MapInfo& m : maps) s.maps.emplace(m.id, std::move(m));
  for (ProgramInfo& p : programs) s.programs.emplace(p.id, std::move(p));
  return s;
}

ProgramInfo prog(std::uint32_t id, std::vector<std::uint32_t> maps) { return ProgramInfo{id, "p", "kprobe", 0, 0, std::move(maps)}; }

std::vector<Row> rows_of(ViewKind kind, const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry = {}) {
  return make_view(ViewSpec{kind, false})->rows(now, registry, nullptr);
}

const Row& row_of_map(const std::vector<Row>& rows, std::uint32_t id) {
  for (const Row& row : rows)
    if (row.map_id == id) return row;
  FAIL("no row for map " << id);
  return rows.front();
}

}  // namespace

TEST_CASE("--maps: a preallocated hash holding 1234 of 10000 is 12.34 % full, the rest of its memlock idle") {
  auto now = snapshot({hash(1, 1'000'000, 1234, 10000), hash(2, 50'000, 1234, 10000, BPF_F_NO_PREALLOC)});
  auto rows = rows_of(ViewKind::Maps, now);
  REQUIRE(rows.size() == 2);
  const Row& pre = row_of_map(rows, 1);
  CHECK(pre.map_type == "hash");
  CHECK(pre.entries == 1234u);
  CHECK(*pre.fill == doctest::Approx(12.34));
  CHECK(pre.preallocated);
  CHECK(*pre.map_memory_idle == 876'600u);
  const Row& dynamic = row_of_map(rows, 2);
  CHECK_FALSE(dynamic.preallocated);
  CHECK(dynamic.map_memory_idle == 0u);  // its memlock already follows its use
}

TEST_CASE("--maps: unknown entries are unknown, not 0, in the record") {
  MapInfo m = hash(1, 4096, 0, 100);
  m.entries.reset();
  auto rows = rows_of(ViewKind::Maps, snapshot({m}));
  REQUIRE(rows.size() == 1);
  CHECK_FALSE(rows[0].entries);
  CHECK_FALSE(rows[0].fill);
  CHECK(known_size(rows[0]) == offsetof(Record, entries));  // mapMemoryReal still known
}

TEST_CASE("mapMemoryReal adds inner maps and perf buffers, each once; unknown buffers make it unknown") {
  MapInfo outer{1, 100, BPF_MAP_TYPE_ARRAY_OF_MAPS};
  outer.inner_map_ids = {2, 3};
  MapInfo perf{4, 50, BPF_MAP_TYPE_PERF_EVENT_ARRAY};
  perf.perf_buffers = std::vector<PerfBuffer>{{0xa, 8192}, {0xb, 8192}, {0xa, 8192}};  // 0xa shared by two slots
  auto now = snapshot({outer, MapInfo{2, 10, BPF_MAP_TYPE_ARRAY}, MapInfo{3, 20, BPF_MAP_TYPE_ARRAY}, perf},
                      {prog(7, {1, 4})});
  auto programs = rows_of(ViewKind::Programs, now);
  REQUIRE(programs.size() == 1);
  CHECK(programs[0].map_memory == 150);  // IG's figure: the program's own maps
  CHECK(programs[0].map_memory_real == 100u + 10 + 20 + 50 + 16384);

  now.maps.at(4).perf_buffers.reset();
  programs = rows_of(ViewKind::Programs, now);
  CHECK_FALSE(programs[0].map_memory_real);
  CHECK(known_size(programs[0]) == offsetof(Record, map_memory_real));
}

TEST_CASE("mapMemoryShared: maps another instance or another tool's program also uses") {
  // Map 1 is registered by both instances, map 2 is used by A's program and a foreign
  // one, map 3 only by A.
  auto now = snapshot({hash(1, 1000, 0, 1), hash(2, 200, 0, 1), hash(3, 30, 0, 1)}, {prog(10, {2, 3}), prog(20, {2})});
  std::vector<RegisteredInstance> registry = {{kIdA, "a", "g", {{10}, {1}}}, {kIdB, "b", "g", {{}, {1}}}};
  auto rows = rows_of(ViewKind::Instances, now, registry);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].map_memory == 1230);
  CHECK(rows[0].map_memory_shared == 1200);
  CHECK(rows[1].map_memory_shared == 1000);
  auto maps = rows_of(ViewKind::Maps, now, registry);
  CHECK(row_of_map(maps, 3).map_memory_shared == 0);
  CHECK(row_of_map(maps, 2).map_memory_shared == 200);
  CHECK(row_of_map(maps, 2).gadget_name == "a");  // the instance whose program uses it
  CHECK(row_of_map(maps, 2).prog_ids == std::vector<std::uint32_t>{10, 20});
}

TEST_CASE("--total counts every program and map once, however many rows share them") {
  auto now = snapshot({hash(1, 1000, 10, 100), hash(2, 200, 30, 100)}, {prog(10, {1, 2}), prog(11, {1})});
  now.programs.at(10).run_time_ns = 70;
  now.programs.at(11).run_time_ns = 30;
  for (ViewKind kind : {ViewKind::Programs, ViewKind::Maps}) {
    auto view = make_view(ViewSpec{kind, false});
    auto rows = view->rows(now, {}, nullptr);
    Row total = view->total(now, {}, nullptr, rows);
    CHECK(total.total);
    CHECK(total.map_count == 2);
    CHECK(total.map_memory == 1200);
    CHECK(total.map_memory_real == 1200u);
    CHECK(total.runtime == (kind == ViewKind::Programs ? 100u : 0u));
  }
  auto maps = make_view(ViewSpec{ViewKind::Maps, false});
  Row total = maps->total(now, {}, nullptr, maps->rows(now, {}, nullptr));
  CHECK(total.entries == 40u);
  CHECK(total.max_entries == 200);
  CHECK(total.map_name == "TOTAL");
}

TEST_CASE("--maps: views that make no sense together, and sort keys of another view, are one-line errors") {
  auto both = parse_config(params({{"all", "true"}, {"maps", "true"}}));
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().message.find("choose one") != std::string::npos);
  auto gadgets_only = parse_config(params({{"maps", "true"}, {"gadgets-only", "true"}}));
  REQUIRE_FALSE(gadgets_only.ok());
  CHECK(gadgets_only.error().message.find("valid with --all") != std::string::npos);
  auto sort = parse_config(params({{"maps", "true"}, {"sort", "-runtime"}}));
  REQUIRE_FALSE(sort.ok());
  CHECK(sort.error().message.find("not a column of --maps; valid columns: gadgetID,") != std::string::npos);
  CHECK(sort.error().message.find('\n') == std::string::npos);
  CHECK_FALSE(parse_config(params({{"all", "true"}, {"sort", "fill"}})).ok());
  CHECK_FALSE(parse_config(params({{"total", "true"}, {"metrics", "true"}})).ok());
  auto maps = parse_config(params({{"maps", "true"}, {"total", "true"}}));
  REQUIRE(maps.ok());
  CHECK(maps->view.kind == ViewKind::Maps);
  CHECK(maps->sort.column == Column::MapMemory);
  CHECK(maps->total);
}
