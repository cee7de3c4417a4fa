#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <regex>
#include <set>

#include "record.h"

using namespace ig::bpfstats;

TEST_CASE("the schema's columns are bpfstats' columns, in order, every one explained") {
  ig::Description d = describe();
  REQUIRE(d.fields.size() == kColumnNames.size());
  const std::regex field_name("^[A-Za-z][A-Za-z0-9_]{0,31}$");
  for (std::size_t i = 0; i < d.fields.size(); ++i) {
    CAPTURE(d.fields[i].name);
    CHECK(d.fields[i].name == kColumnNames[i]);
    CHECK(std::regex_match(d.fields[i].name, field_name));
    CHECK(!d.fields[i].help.empty());
    CHECK(d.fields[i].offset + d.fields[i].size <= d.record_size);
  }
  CHECK(d.record_size == sizeof(Record));
}

TEST_CASE("the default columns are the issue's, the mode-specific ones hidden") {
  std::vector<std::string> shown;
  for (const ig::Field& f : describe().fields)
    if (!f.hidden) shown.push_back(f.name);
  CHECK(shown == std::vector<std::string>{"gadgetID", "gadgetName", "gadgetImage", "progID", "progName", "runtime",
                                          "runcount", "mapMemory", "mapCount"});
}

TEST_CASE("--help states the map memory limitations") {
  for (const ig::Field& f : describe().fields) {
    if (f.name != "mapMemory") continue;
    CHECK(f.help.find("maximum size, not current use") != std::string::npos);
    CHECK(f.help.find("perf event arrays and map-of-maps") != std::string::npos);
    CHECK(f.help.find("shared between instances counts in each") != std::string::npos);
  }
}

TEST_CASE("parameter names are valid and none is one the host reserves") {
  const std::regex param_name("^[a-z0-9_-]{1,32}$");
  const std::set<std::string> reserved = {"help", "output", "timeout", "name", "detach", "verbose", "fields"};
  for (const ig::Param& p : describe().params) {
    CAPTURE(p.name);
    CHECK(std::regex_match(p.name, param_name));
    CHECK(reserved.count(p.name) == 0);
  }
}

TEST_CASE("a record keeps the full 32-character gadget id and every value") {
  Row row;
  row.gadget_id = "0123456789abcdef0123456789abcdef";
  row.gadget_name = "mytraceopen";
  row.gadget_image = "trace_open";
  row.prog_id = 42;
  row.prog_name = "ig_openat_e";
  row.prog_type = "tracepoint";
  row.runtime = 95233;
  row.runcount = 242;
  row.runtime_delta = 7;
  row.runcount_delta = 3;
  row.cpu = 12.345;
  row.map_memory = 1710240;
  row.map_count = 6;
  Record r = to_record(row);
  CHECK(std::string(r.gadget_id) == row.gadget_id);
  CHECK(std::string(r.gadget_name) == "mytraceopen");
  CHECK(std::string(r.gadget_image) == "trace_open");
  CHECK(std::string(r.prog_name) == "ig_openat_e");
  CHECK(std::string(r.prog_type) == "tracepoint");
  CHECK(r.cpu == doctest::Approx(12.345));
  CHECK(r.prog_id == 42);
  CHECK(r.runtime == 95233);
  CHECK(r.runcount == 242);
  CHECK(r.runtime_delta == 7);
  CHECK(r.runcount_delta == 3);
  CHECK(r.map_memory == 1710240);
  CHECK(r.map_count == 6);
  CHECK(r.pids[0] == '\0');
}

TEST_CASE("holders become comma-separated pids and comms, cut with ',...' when too many") {
  Row row;
  row.holders = {{4242, "bpftrace"}, {17, "systemd"}};
  Record r = to_record(row);
  CHECK(std::string(r.pids) == "4242,17");
  CHECK(std::string(r.comms) == "bpftrace,systemd");

  row.holders.clear();
  for (std::uint32_t pid = 1000000; pid < 1000030; ++pid) row.holders.push_back({pid, "worker"});
  r = to_record(row);
  std::string pids = r.pids;
  CHECK(pids.size() < sizeof(r.pids));
  CHECK(pids.ends_with(",..."));
  CHECK(pids.starts_with("1000000,1000001,"));
}

TEST_CASE("a name longer than its column is cut, still NUL-terminated") {
  Row row;
  row.prog_name = std::string(40, 'x');
  Record r = to_record(row);
  CHECK(std::strlen(r.prog_name) == sizeof(r.prog_name) - 1);
}
