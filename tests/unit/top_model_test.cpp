// ig top's model without a terminal: batches in, rows out at each level, sorted,
// filtered, the selection following its row, history kept per row.
#include <doctest/doctest.h>

#include "top/top_model.h"

using namespace ig::host::top;

namespace {

TopRow instance(const std::string& id, const std::string& name, double cpu, std::uint64_t runs = 0) {
  TopRow r;
  r.kind = RowKind::Instance;
  r.gadget_id = id;
  r.gadget_name = name;
  r.gadget_image = "trace_open";
  r.cpu = cpu;
  r.runtime_delta = static_cast<std::uint64_t>(cpu * 1e7);
  r.runcount_delta = runs;
  r.elapsed_ns = 1'000'000'000;
  r.map_count = 3;
  r.map_memory = 4096;
  return r;
}

TopRow program(std::uint32_t id, const std::string& name, const std::string& owner_id, double cpu) {
  TopRow r;
  r.kind = RowKind::Program;
  r.prog_id = id;
  r.prog_name = name;
  r.gadget_id = owner_id;
  r.gadget_name = owner_id.empty() ? "" : "inst-" + owner_id;
  r.comms = owner_id.empty() ? "bpftrace" : "";
  r.cpu = cpu;
  r.elapsed_ns = 1'000'000'000;
  return r;
}

std::vector<TopRow> batch(double open_cpu = 2.0, double exec_cpu = 0.5) {
  return {instance("a", "myopen", open_cpu, 1000), instance("b", "myexec", exec_cpu, 10),
          program(10, "ig_openat", "a", open_cpu * 0.75), program(11, "ig_open", "a", open_cpu * 0.25),
          program(20, "ig_exec_e", "b", exec_cpu), program(30, "kprobe_x", "", 1.0)};
}

std::vector<std::string> names(const TopModel& model) {
  std::vector<std::string> out;
  for (const TopRow* row : model.visible()) out.push_back(row->name());
  return out;
}

}  // namespace

TEST_CASE("the list shows one row per instance, hottest first; --all one per program") {
  TopModel model(Scope::Instances);
  CHECK_FALSE(model.has_data());
  model.apply(batch());
  CHECK(names(model) == std::vector<std::string>{"myopen", "myexec"});
  TopModel all(Scope::AllPrograms);
  all.apply(batch());
  CHECK(names(all) == std::vector<std::string>{"ig_openat", "kprobe_x", "ig_exec_e", "ig_open"});
}

TEST_CASE("the header totals every program on the node and the instances' maps") {
  TopModel model(Scope::Instances);
  model.apply(batch());
  const Totals& t = model.totals();
  CHECK(t.cpu == doctest::Approx(2.0 + 0.5 + 1.0));  // programs only: instance rows would count twice
  CHECK(t.programs == 4);
  CHECK(t.instances == 2);
  CHECK(t.ig_maps == 6);
  CHECK(t.ig_map_memory == 8192);
  CHECK(t.elapsed_ns == 1'000'000'000);
}

TEST_CASE("bpfstats' total row gives the node's maps, and is never a row of the list") {
  TopModel model(Scope::AllPrograms);
  model.apply(batch());
  CHECK_FALSE(model.totals().node_maps.has_value());
  std::vector<TopRow> with_total = batch();
  TopRow total = program(0, "TOTAL", "", 3.5);
  total.kind = RowKind::Total;
  total.map_count = 42;
  total.map_memory = 1 << 20;
  total.map_memory_real = 3 << 20;
  with_total.push_back(total);
  model.apply(with_total);
  const Totals& t = model.totals();
  CHECK(t.node_maps == 42u);
  CHECK(t.node_map_memory == std::uint64_t{1} << 20);
  CHECK(t.node_map_memory_real == std::uint64_t{3} << 20);
  CHECK(t.programs == 4);                             // the total is not a program
  CHECK(t.cpu == doctest::Approx(2.0 + 0.5 + 1.0));  // nor counted twice
  CHECK(names(model) == std::vector<std::string>{"ig_openat", "kprobe_x", "ig_exec_e", "ig_open"});
}

TEST_CASE("an instance's maps show with its programs, never in the list, and have no graphs") {
  std::vector<TopRow> rows = batch();
  TopRow map = program(0, "", "a", 0);
  map.kind = RowKind::Map;
  map.map_id = 77;
  map.map_name = "aa_events";  // first by name, yet after the programs
  map.map_type = "ringbuf";
  map.map_memory = 4 << 20;
  rows.push_back(map);
  TopModel model(Scope::Instances);
  model.apply(rows);
  CHECK(names(model) == std::vector<std::string>{"myopen", "myexec"});
  CHECK(model.totals().instances == 2);
  model.enter();  // myopen
  CHECK(names(model) == std::vector<std::string>{"ig_openat", "ig_open", "aa_events"});  // maps last
  model.move_to_last();
  CHECK(model.selected()->key() == "m:77");
  model.enter();
  CHECK(model.level() == Level::Programs);  // a map has no run graphs to open
  CHECK(model.history("m:77") == nullptr);
}

TEST_CASE("sorting: by a column, again to reverse, r to reverse; text columns start A to Z") {
  TopModel model(Scope::Instances);
  model.apply(batch());
  model.set_sort(SortKey::Name);
  CHECK_FALSE(model.descending());
  CHECK(names(model) == std::vector<std::string>{"myexec", "myopen"});
  model.set_sort(SortKey::Name);
  CHECK(names(model) == std::vector<std::string>{"myopen", "myexec"});
  model.set_sort(SortKey::RunsPerS);
  CHECK(model.descending());
  CHECK(names(model) == std::vector<std::string>{"myopen", "myexec"});
  model.reverse();
  CHECK(names(model) == std::vector<std::string>{"myexec", "myopen"});
  model.next_sort();
  CHECK(model.sort_key() == SortKey::AvgNs);
}

TEST_CASE("Enter drills into an instance's programs, then a program's detail; Esc comes back") {
  TopModel model(Scope::Instances);
  model.apply(batch());
  CHECK(model.selected()->name() == "myopen");
  model.enter();
  CHECK(model.level() == Level::Programs);
  CHECK(model.focused_row()->gadget_name == "myopen");
  CHECK(names(model) == std::vector<std::string>{"ig_openat", "ig_open"});
  model.move(1);
  model.enter();
  CHECK(model.level() == Level::Detail);
  CHECK(model.focused_row()->name() == "ig_open");
  model.enter();  // nothing deeper
  CHECK(model.level() == Level::Detail);
  CHECK(model.back());
  CHECK(model.selected()->name() == "ig_open");  // the selection of that level is kept
  CHECK(model.back());
  CHECK_FALSE(model.back());
  CHECK(model.level() == Level::List);
}

TEST_CASE("the selection follows its row when the order changes, and stays in range when it goes") {
  TopModel model(Scope::Instances);
  model.apply(batch(2.0, 0.5));
  model.move(1);
  CHECK(model.selected()->name() == "myexec");
  model.apply(batch(0.1, 0.5));  // myexec is now first
  CHECK(model.selected_index() == 0);
  CHECK(model.selected()->name() == "myexec");
  model.apply({instance("a", "myopen", 1)});  // myexec went
  CHECK(model.selected()->name() == "myopen");
  model.move(-5);
  model.move(+5);
  CHECK(model.selected_index() == 0);
}

TEST_CASE("/ filters by name, instance, gadget or holder, ignoring case") {
  TopModel model(Scope::AllPrograms);
  model.apply(batch());
  model.set_filter("OPEN");
  CHECK(names(model) == std::vector<std::string>{"ig_openat", "ig_open"});
  model.set_filter("bpftrace");
  CHECK(names(model) == std::vector<std::string>{"kprobe_x"});
  model.set_filter("inst-b");
  CHECK(names(model) == std::vector<std::string>{"ig_exec_e"});
  model.set_filter("nothing");
  CHECK(model.visible().empty());
  CHECK(model.selected() == nullptr);
}

TEST_CASE("each row keeps the last 60 samples of %CPU and runs/s; a row that goes loses its history") {
  TopModel model(Scope::Instances);
  for (int i = 1; i <= 70; ++i) model.apply(batch(i, 0.5));
  const History* h = model.history("i:a");
  REQUIRE(h);
  CHECK(h->cpu.size() == kHistorySamples);
  CHECK(h->cpu.at(0) == doctest::Approx(11));
  CHECK(h->cpu.last() == doctest::Approx(70));
  CHECK(h->runs.last() == doctest::Approx(1000));
  model.apply({instance("b", "myexec", 1)});
  CHECK(model.history("i:a") == nullptr);
  CHECK(model.history("i:b")->cpu.size() == kHistorySamples);
}

TEST_CASE("while paused the view holds still; on resume it shows the newest batch") {
  TopModel model(Scope::Instances);
  model.apply(batch(2.0, 0.5));
  model.toggle_pause();
  model.apply(batch(0.1, 0.5));
  model.apply(batch(0.2, 3.0));
  CHECK(model.selected()->name() == "myopen");
  CHECK(model.batches() == 1);
  model.toggle_pause();
  CHECK(model.batches() == 2);
  CHECK(names(model) == std::vector<std::string>{"myexec", "myopen"});
}
