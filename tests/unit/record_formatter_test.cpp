// Event records to aligned columns and to JSON lines, checked against golden strings.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>
#include <string>
#include <vector>

#include "demo_record.h"
#include "output/record_formatter.h"

using namespace std::string_view_literals;
using ig::FieldType;
using ig::host::OutputFormat;
using ig::host::RecordFormatter;
using namespace ig::test;

namespace {

RecordFormatter formatter(OutputFormat format, const std::vector<std::string>& names = {}) {
  auto f = RecordFormatter::create(demo(), format, names);
  REQUIRE(f.ok());
  f.value().set_boot_to_realtime_ns(kBootToRealtime);
  return std::move(f).value();
}

std::string format(const RecordFormatter& f, const Record& r, std::size_t size) {
  std::string out;
  f.append(r.bytes.data(), size, out);
  return out;
}

// Columns show local time; pin the zone so the golden strings hold anywhere.
struct UtcZone {
  UtcZone() {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

}  // namespace

TEST_CASE("json: every field type, with a fixed clock offset") {
  auto f = formatter(OutputFormat::Json);
  CHECK(f.header() == "");
  CHECK(format(f, sample(), 70) ==
        "{\"timestamp\":\"2024-01-02T03:04:05.123456789Z\",\"pid\":4321,\"fd\":3,\"error\":\"\","
        "\"flags\":\"WRONLY|CREAT|TRUNC\",\"mode\":\"0644\",\"ok\":true,\"big\":18446744073709551615,"
        "\"delta\":-42,\"comm\":\"cat\",\"args\":[\"ls\",\"-l\"]}\n");
}

TEST_CASE("json: errno names and negative numbers") {
  auto f = formatter(OutputFormat::Json, {"fd", "error"});
  Record r = sample();
  r.put<std::int32_t>(12, -1).put<std::int32_t>(16, -2);
  CHECK(format(f, r, 70) == "{\"fd\":-1,\"error\":\"ENOENT\"}\n");
}

TEST_CASE("json: quotes, backslashes, newlines and control characters are escaped") {
  auto f = formatter(OutputFormat::Json, {"comm", "args"});
  Record r = sample();
  r.text(48, "q\"b\\s\n\t\x01\x7f\r"sv);
  constexpr auto args = "say \"hi\"\0a\\b\0"sv;
  r.text(64, args);
  CHECK(format(f, r, 64 + args.size()) ==
        "{\"comm\":\"q\\\"b\\\\s\\n\\t\\u0001\\u007f\\r\","
        "\"args\":[\"say \\\"hi\\\"\",\"a\\\\b\"]}\n");
}

TEST_CASE("json: a record shorter than the struct gives null for missing fields") {
  auto f = formatter(OutputFormat::Json, {"pid", "fd", "comm", "args"});
  CHECK(format(f, sample(), 12) == "{\"pid\":4321,\"fd\":null,\"comm\":null,\"args\":[]}\n");
  // A string list cut short keeps the complete items it has.
  CHECK(format(f, sample(), 67) == "{\"pid\":4321,\"fd\":3,\"comm\":\"cat\",\"args\":[\"ls\"]}\n");
}

TEST_CASE("json: a full string field without NUL stops at its size") {
  auto f = formatter(OutputFormat::Json, {"comm"});
  Record r = sample();
  r.text(48, "0123456789abcdefXYZ");  // spills into args: must not be shown
  CHECK(format(f, r, 128) == "{\"comm\":\"0123456789abcdef\"}\n");
}

TEST_CASE("json: hidden fields are included by default") {
  auto f = formatter(OutputFormat::Json);
  CHECK(format(f, sample(), 70).find("\"delta\":-42") != std::string::npos);
}

TEST_CASE("columns: header and rows align, numbers right and text left") {
  UtcZone utc;
  auto f = formatter(OutputFormat::Columns, {"pid", "comm", "fd", "error"});
  CHECK(f.header() == "    PID COMM                  FD ERROR");
  Record r = sample();
  r.put<std::int32_t>(12, -1).put<std::int32_t>(16, -2);
  CHECK(format(f, r, 70) == "   4321 cat                   -1 ENOENT\n");
  // A number wider than its column pushes the rest right instead of being cut.
  r.put<std::uint32_t>(8, 4294967295u).text(48, "0123456789abcdef");
  CHECK(format(f, r, 70) == "4294967295 0123456789abcdef      -1 ENOENT\n");
}

TEST_CASE("columns: time, bool, octal and flags with a width hint") {
  UtcZone utc;
  auto f = formatter(OutputFormat::Columns, {"timestamp", "ok", "mode", "flags", "pid"});
  CHECK(f.header() == "TIMESTAMP       OK    MODE   FLAGS                        PID");
  CHECK(format(f, sample(), 70) == "03:04:05.123456 true  0644   WRONLY|CREAT|TRUNC          4321\n");
}

TEST_CASE("columns: the default set leaves hidden fields out, and a string list is the last column") {
  UtcZone utc;
  auto f = formatter(OutputFormat::Columns);
  std::string header = f.header();
  CHECK(header.find("DELTA") == std::string::npos);
  CHECK(header.ends_with(" COMM             ARGS"));
  CHECK(format(f, sample(), 70).ends_with(" cat              ls -l\n"));
  // Named explicitly, a hidden field is shown.
  CHECK(formatter(OutputFormat::Columns, {"delta"}).header() == "       DELTA");
  CHECK(format(formatter(OutputFormat::Columns, {"delta", "pid"}), sample(), 70) == "         -42    4321\n");
}

TEST_CASE("columns: a record shorter than the struct shows '-' for missing fields") {
  auto f = formatter(OutputFormat::Columns, {"pid", "fd", "comm", "args"});
  CHECK(format(f, sample(), 12) == "   4321       - -                \n");
}

TEST_CASE("an unknown field name is refused with the list of valid ones") {
  auto f = RecordFormatter::create(demo(), OutputFormat::Columns, {"pid", "nope"});
  REQUIRE_FALSE(f.ok());
  CHECK(f.error().message ==
        "unknown field 'nope' for 'demo'; valid fields: timestamp,pid,fd,error,flags,mode,ok,big,delta,comm,args");
}

TEST_CASE("flags: masks pick one value, bits name themselves, leftovers show in hex") {
  using ig::host::format_flags;
  const std::vector<ig::FlagName> names = {
      {3, 0, "RDONLY"}, {3, 1, "WRONLY"}, {3, 2, "RDWR"}, {0x40, 0x40, "CREAT"}, {0x200, 0x200, "TRUNC"}};
  CHECK(format_flags(0, names) == "RDONLY");
  CHECK(format_flags(0x241, names) == "WRONLY|CREAT|TRUNC");
  CHECK(format_flags(0x1002, names) == "RDWR|0x1000");
  CHECK(format_flags(3, names) == "0x3");  // no name for access mode 3
  CHECK(format_flags(0, {}) == "0");
  CHECK(format_flags(0x300, {}) == "0x300");
  const std::vector<ig::FlagName> bits = {{0x40, 0x40, "CREAT"}};
  CHECK(format_flags(0, bits) == "0");
  CHECK(format_flags(0xc0, bits) == "CREAT|0x80");
}

TEST_CASE("errno values show as names, either sign, empty for success") {
  using ig::host::errno_name;
  CHECK(errno_name(0) == "");
  CHECK(errno_name(-2) == "ENOENT");
  CHECK(errno_name(2) == "ENOENT");
  CHECK(errno_name(-13) == "EACCES");
  CHECK(errno_name(-9999) == "E9999");
  CHECK(errno_name(INT32_MIN) == "E2147483648");  // found by fuzz_record_formatter: no overflow
}

TEST_CASE("timestamps before and after a second boundary keep their nanoseconds") {
  auto f = formatter(OutputFormat::Json, {"timestamp"});
  Record r = sample();
  r.put<std::uint64_t>(0, 5'000'000'007);
  CHECK(format(f, r, 8) == "{\"timestamp\":\"2024-01-02T03:04:05.000000007Z\"}\n");
  r.put<std::uint64_t>(0, 4'999'999'999);
  CHECK(format(f, r, 8) == "{\"timestamp\":\"2024-01-02T03:04:04.999999999Z\"}\n");
}

TEST_CASE("columns: text wider than its column ends in an ellipsis, and the next columns stay aligned") {
  UtcZone utc;
  auto f = formatter(OutputFormat::Columns, {"comm", "flags", "mode", "args"});
  CHECK(f.header() == "COMM             FLAGS                    MODE   ARGS");
  Record r = sample();
  r.put<std::uint32_t>(20, 0x242 | 0x1000000);  // RDWR|CREAT|TRUNC|0x1000000: 28 characters
  CHECK(format(f, r, 70) == "cat              RDWR|CREAT|TRUNC|0x1000\xe2\x80\xa6 0644   ls -l\n");
  // The last column is never cut.
  auto last = formatter(OutputFormat::Columns, {"mode", "flags"});
  CHECK(format(last, r, 70) == "0644   RDWR|CREAT|TRUNC|0x1000000\n");
}

TEST_CASE("columns: an ellipsis never splits a UTF-8 character") {
  ig::Description d = demo();
  ig::Field text = ig::make_field("text", FieldType::String, 64, 64, "help");
  text.width = 6;
  d.fields = {text, d.fields[1]};
  auto f = RecordFormatter::create(d, OutputFormat::Columns).value();
  Record r = sample();
  r.text(64, "abcd\xc3\xa9xyz");  // the cut at 5 bytes falls inside the 'é'
  CHECK(format(f, r, 128) == "abcd\xe2\x80\xa6     4321\n");
  r.text(64, "abcd\xc3\xa9\0"sv);  // 6 bytes: fits, shown as it is
  CHECK(format(f, r, 128) == "abcd\xc3\xa9    4321\n");
}

TEST_CASE("jsonpretty: the json keys and values, indented, one object after another") {
  auto f = formatter(OutputFormat::JsonPretty, {"pid", "comm", "mode", "args"});
  CHECK(f.header() == "");
  CHECK(format(f, sample(), 70) ==
        "{\n"
        "  \"pid\": 4321,\n"
        "  \"comm\": \"cat\",\n"
        "  \"mode\": \"0644\",\n"
        "  \"args\": [\n"
        "    \"ls\",\n"
        "    \"-l\"\n"
        "  ]\n"
        "}\n");
}

TEST_CASE("yaml: every field type, the json keys and values, one document per record") {
  auto f = formatter(OutputFormat::Yaml);
  CHECK(f.header() == "");
  std::string out;
  Record r = sample();
  f.append(r.bytes.data(), 70, out);
  f.append(r.bytes.data(), 12, out);
  CHECK(out ==
        "---\n"
        "timestamp: '2024-01-02T03:04:05.123456789Z'\n"
        "pid: 4321\n"
        "fd: 3\n"
        "error: ''\n"
        "flags: WRONLY|CREAT|TRUNC\n"
        "mode: '0644'\n"
        "ok: true\n"
        "big: 18446744073709551615\n"
        "delta: -42\n"
        "comm: cat\n"
        "args:\n"
        "- ls\n"
        "- -l\n"
        "---\n"
        "timestamp: '2024-01-02T03:04:05.123456789Z'\n"
        "pid: 4321\n"
        "fd: null\n"
        "error: null\n"
        "flags: null\n"
        "mode: null\n"
        "ok: null\n"
        "big: null\n"
        "delta: null\n"
        "comm: null\n"
        "args: []\n");
}

TEST_CASE("-o takes columns, json, jsonpretty and yaml") {
  using ig::host::parse_output_format;
  CHECK(parse_output_format("jsonpretty").value() == OutputFormat::JsonPretty);
  CHECK(parse_output_format("yaml").value() == OutputFormat::Yaml);
  CHECK(parse_output_format("yml").error().message ==
        "invalid output format 'yml'; use -o columns, json, jsonpretty or yaml");
}
TEST_CASE("timestamps a gadget got wrong print as some time, never overflow (fuzz_record_formatter)") {
  auto f = formatter(OutputFormat::Json, {"timestamp"});
  Record r = sample();
  r.put<std::uint64_t>(0, ~0ull);  // -1 ns after boot
  CHECK(format(f, r, 8) == "{\"timestamp\":\"2024-01-02T03:03:59.999999999Z\"}\n");
  r.put<std::uint64_t>(0, 0x7fffffffffffffffull);  // past INT64_MAX once the offset is added
  std::string wrapped = format(f, r, 8);
  CHECK(wrapped.starts_with("{\"timestamp\":\""));
  CHECK(wrapped.ends_with("Z\"}\n"));
  CHECK(wrapped.find('-', 15) != std::string::npos);
}

TEST_CASE("f64: NaN and infinities are null in JSON, named in columns; huge values print whole (fuzz_record_formatter)") {
  ig::Description d;
  d.name = "cpu";
  d.fields = {ig::make_field("cpu", FieldType::F64, 0, 8, "help")};
  d.record_size = 8;
  auto json = RecordFormatter::create(d, OutputFormat::Json).value();
  auto columns = RecordFormatter::create(d, OutputFormat::Columns).value();
  auto both = [&](double value) {
    std::string out;
    json.append(&value, sizeof(value), out);
    columns.append(&value, sizeof(value), out);
    return out;
  };
  CHECK(both(12.345) == "{\"cpu\":12.35}\n 12.35\n");
  CHECK(both(std::nan("")) == "{\"cpu\":null}\n   nan\n");
  CHECK(both(-std::numeric_limits<double>::infinity()) == "{\"cpu\":null}\n  -inf\n");
  std::string huge = both(1e300);
  CHECK(huge.starts_with("{\"cpu\":1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.00}\n"));  // 301 digits, as printf("%.2f") gives
}
