// What ig top draws, as data: sparklines and graphs, the columns that fit a width,
// the figures in them, and bpfstats' records read back by column name.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstring>

#include "loader/plugin_loader.h"
#include "test_plugin_path.h"
#include "top/graph.h"
#include "top/record_reader.h"
#include "top/table.h"
#include "top/units.h"

using namespace ig::host::top;

namespace {

Series series(std::initializer_list<double> values) {
  Series s;
  for (double v : values) s.push(v);
  return s;
}

std::size_t total_width(const std::vector<TableColumn>& columns) {
  std::size_t w = 0;
  for (const TableColumn& c : columns) w += c.width + (w ? 1 : 0);
  return w;
}

bool has(const std::vector<TableColumn>& columns, ColumnId id) {
  for (const TableColumn& c : columns)
    if (c.id == id) return true;
  return false;
}

}  // namespace

TEST_CASE("a series keeps the newest 60 samples; its moving average covers the window it has") {
  Series s;
  for (int i = 0; i < 65; ++i) s.push(i);
  CHECK(s.size() == kHistorySamples);
  CHECK(s.at(0) == 5);
  CHECK(s.last() == 64);
  CHECK(s.max() == 64);
  CHECK(s.tail(3) == std::vector<double>{62, 63, 64});
  CHECK(s.moving_average(59, 5) == doctest::Approx(62));
  CHECK(s.moving_average(0, 5) == doctest::Approx(5));
}

TEST_CASE("a sparkline scales to its maximum, right-aligned; UTF-8 blocks or ASCII") {
  Series s = series({0, 1, 2, 4, 8});
  CHECK(sparkline(s, 7, true) == "   \u2581\u2582\u2584\u2588");
  CHECK(sparkline(s, 7, false) == "   ..:#");
  CHECK(sparkline(s, 3, true) == "\u2582\u2584\u2588");  // only the newest fit
  CHECK(sparkline(series({0.001, 100}), 2, true) == "\u2581\u2588");  // tiny but not nothing
  CHECK(sparkline(series({0, 0}), 2, true) == "  ");
}

TEST_CASE("a bar graph stacks eighths from the bottom and marks the moving average above the bars") {
  // Two rows: 16 eighths. Samples 8 and 16 fill one and two rows.
  Graph g = bar_graph(series({16, 0, 8}), 2, 4, 16, 2);
  CHECK(g.at(0, 0) == Cell::Empty);  // the column before the first sample
  CHECK(g.at(0, 1) == Cell::Bar);
  CHECK(g.eighths(0, 1) == 8);
  CHECK(g.at(1, 1) == Cell::Bar);
  CHECK(g.at(1, 2) == Cell::Average);  // sample 0, average of 16 and 0: 8 eighths, the bottom row
  CHECK(g.at(0, 2) == Cell::Empty);
  CHECK(g.at(1, 3) == Cell::Bar);
  CHECK(g.at(0, 3) == Cell::Empty);  // its average, (0 + 8) / 2, lies inside the bar: not marked
}

TEST_CASE("at 80 columns the table keeps name, %CPU, the sparkline and the rates") {
  TableContext context;
  auto columns = layout_columns(80, context);
  CHECK(total_width(columns) == 80);
  for (ColumnId id : {ColumnId::Name, ColumnId::Cpu, ColumnId::Spark, ColumnId::Gadget, ColumnId::RuntimePerS,
                      ColumnId::RunsPerS, ColumnId::MapMemory})
    CHECK(has(columns, id));
  CHECK_FALSE(has(columns, ColumnId::MapUsed));  // this bpfstats does not report it
  auto wide = layout_columns(200, TableContext{Scope::AllPrograms, Level::List, true, true});
  for (ColumnId id : {ColumnId::AvgNs, ColumnId::MapCount, ColumnId::MapUsed, ColumnId::ProgMemory})
    CHECK(has(wide, id));
  for (const TableColumn& c : wide)
    if (c.id == ColumnId::Spark) CHECK(c.width == kHistorySamples);
  CHECK(total_width(layout_columns(30, context)) <= 30);
}

TEST_CASE("cells: rates over the measured time, '-' where nothing ran") {
  TopRow row;
  row.kind = RowKind::Program;
  row.prog_name = "ig_openat";
  row.runtime_delta = 4'560'000;
  row.runcount_delta = 6000;
  row.elapsed_ns = 2'000'000'000;
  row.cpu = 0.228;
  CHECK(cell_text(row, ColumnId::Cpu, Level::List) == "0.23");
  CHECK(cell_text(row, ColumnId::RuntimePerS, Level::List) == "2.28ms");
  CHECK(cell_text(row, ColumnId::RunsPerS, Level::List) == "3.00k");
  CHECK(cell_text(row, ColumnId::AvgNs, Level::List) == "760ns");
  CHECK(cell_text(row, ColumnId::Gadget, Level::List) == "-");  // no instance, no holder: pinned or attached
  row.comms = "bpftrace,sh";
  row.pids = "1234,99";
  CHECK(cell_text(row, ColumnId::Gadget, Level::List) == "bpftrace 1234 +1");
  row.runcount_delta = 0;
  CHECK(cell_text(row, ColumnId::AvgNs, Level::List) == "-");
  CHECK(bytes_text(4'236'288) == "4.04M");
  CHECK(duration_text(1.5e9) == "1.50s");
  CHECK(percent_text(123.45) == "123.5");
}

TEST_CASE("bpfstats' own records read back by column name, and batches come whole") {
  auto bpfstats = ig::host::load_plugin(test_plugin_path("IG_PLUGIN_BPFSTATS"));
  REQUIRE(bpfstats.ok());
  const ig::Description& d = bpfstats.value()->description();
  auto reader = RecordReader::create(d);
  REQUIRE(reader.ok());
  std::vector<unsigned char> record(d.record_size, 0);
  auto put = [&](const char* name, const void* value, std::size_t size) {
    for (const ig::Field& f : d.fields)
      if (f.name == name) std::memcpy(record.data() + f.offset, value, std::min<std::size_t>(size, f.size));
  };
  std::uint32_t prog_id = 42, rows = 2;
  std::uint64_t runs = 300, elapsed = 1'000'000'000, batch = 7;
  double cpu = 1.5;
  put("gadgetName", "myopen", 7);
  put("progID", &prog_id, 4);
  put("progName", "ig_openat", 10);
  put("runcountDelta", &runs, 8);
  put("elapsed", &elapsed, 8);
  put("cpu", &cpu, 8);
  put("batch", &batch, 8);
  put("batchRows", &rows, 4);
  auto decoded = reader->read(record.data(), record.size());
  REQUIRE(decoded.ok());
  CHECK(decoded->row.kind == RowKind::Program);
  CHECK(decoded->row.name() == "ig_openat");
  CHECK(decoded->row.gadget_name == "myopen");
  CHECK(decoded->row.cpu == doctest::Approx(1.5));
  CHECK(decoded->row.runs_per_s() == doctest::Approx(300));
  CHECK(decoded->batch == 7);
  CHECK(decoded->row.prog_memory == 0u);  // this bpfstats has progMemory (issue 12): the record's zero
  CHECK_FALSE(reader->read(record.data(), 16).ok());
  bool total = true;
  std::vector<unsigned char> saved = record;
  put("total", &total, 1);
  CHECK(reader->read(record.data(), record.size())->row.kind == RowKind::Total);
  record = saved;

  // A bpfstats with progMemory (issue 12) fills that column too.
  ig::Description newer = d;
  newer.fields.push_back(ig::make_field("progMemory", ig::FieldType::U64, d.record_size, 8, "bytes"));
  std::vector<unsigned char> longer = record;
  std::uint64_t image = 8192;
  longer.resize(d.record_size + 8);
  std::memcpy(longer.data() + d.record_size, &image, 8);
  auto newer_reader = RecordReader::create(newer);
  REQUIRE(newer_reader.ok());
  CHECK(newer_reader->read(longer.data(), longer.size())->row.prog_memory == 8192u);

  BatchAssembler assembler;
  CHECK_FALSE(assembler.add(*decoded));
  auto whole = assembler.add(*decoded);
  REQUIRE(whole);
  CHECK(whole->size() == 2);
  // A batch cut short is dropped when the next one begins.
  CHECK_FALSE(assembler.add(*decoded));
  decoded->batch = 8;
  CHECK_FALSE(assembler.add(*decoded));
  CHECK(assembler.add(*decoded)->size() == 2);
}

TEST_CASE("a bpfstats without the batch columns is refused by name") {
  ig::Description d;
  d.name = "bpfstats";
  d.version = "0.9";
  auto reader = RecordReader::create(d);
  REQUIRE_FALSE(reader.ok());
  CHECK(reader.error().message.find("'gadgetID' is missing") != std::string::npos);
}
