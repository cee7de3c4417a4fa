// The client's record formatter, fed what a gadget could send: a description built
// from the input (any field types, offsets, sizes, widths and flag names that
// check_description accepts, as the loader does), a --fields choice, then records of
// any length, including short ones. Never a crash or a read outside the record;
// every JSON line is one valid JSON object and every record ends in one newline.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "json_check.h"
#include "loader/plugin_loader.h"
#include "output/record_formatter.h"

using namespace ig;
using namespace ig::host;

namespace {

constexpr std::uint32_t kMaxRecord = 512;

Field field(FuzzedDataProvider& in, std::size_t index, std::uint32_t record_size) {
  Field f;
  f.name = in.ConsumeBool() ? "f" + std::to_string(index) : in.ConsumeRandomLengthString(34);
  f.type = static_cast<FieldType>(in.ConsumeIntegralInRange(0, static_cast<int>(FieldType::F64)));
  f.offset = in.ConsumeIntegralInRange<std::uint32_t>(0, record_size);
  f.size = f.type == FieldType::F64 ? 8 : in.ConsumeIntegralInRange<std::uint32_t>(0, record_size - f.offset);
  f.width = in.ConsumeBool() ? in.ConsumeIntegral<std::uint16_t>() % 64 : 0;
  f.max_width = in.ConsumeBool() ? in.ConsumeIntegral<std::uint16_t>() % 64 : 0;
  f.hidden = in.ConsumeBool();
  std::size_t flags = in.ConsumeIntegralInRange(0, 3);
  for (std::size_t i = 0; i < flags; ++i)
    f.flags.push_back(
        {in.ConsumeIntegral<std::uint32_t>(), in.ConsumeIntegral<std::uint32_t>(), in.ConsumeRandomLengthString(12)});
  return f;
}

Description description(FuzzedDataProvider& in) {
  Description d;
  d.name = "fuzz";
  d.version = "1";
  d.record_size = in.ConsumeIntegralInRange<std::uint32_t>(0, kMaxRecord);
  std::size_t count = in.ConsumeIntegralInRange(0, 10);
  for (std::size_t i = 0; i < count; ++i) d.fields.push_back(field(in, i, static_cast<std::uint32_t>(d.record_size)));
  return d;
}

void check_line(const std::string& line, OutputFormat format) {
  IG_FUZZ_CHECK(!line.empty() && line.back() == '\n', "a record ends in a newline");
  if (format == OutputFormat::Json) {
    IG_FUZZ_CHECK(line.find('\n') == line.size() - 1, "a JSON record is one line");
    bool valid = ig::fuzz::JsonCheck::valid(std::string_view(line).substr(0, line.size() - 1));
    if (!valid) std::fprintf(stderr, "not JSON: %s", line.c_str());
    IG_FUZZ_CHECK(valid, "a JSON record is valid JSON");
    IG_FUZZ_CHECK(line.front() == '{', "a JSON record is an object");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  Description d = description(in);
  if (!check_description(d).empty()) return 0;  // the loader refuses it; no client formats with it

  std::vector<std::string> chosen;  // --fields: empty for the defaults
  std::size_t picks = in.ConsumeIntegralInRange(0, 4);
  for (std::size_t i = 0; i < picks; ++i)
    chosen.push_back(in.ConsumeBool() && !d.fields.empty()
                         ? d.fields[in.ConsumeIntegralInRange<std::size_t>(0, d.fields.size() - 1)].name
                         : in.ConsumeRandomLengthString(8));
  std::int64_t clock_offset = in.ConsumeIntegral<std::int64_t>();

  std::vector<RecordFormatter> formatters;
  std::vector<OutputFormat> formats;
  for (OutputFormat format : {OutputFormat::Columns, OutputFormat::Json}) {
    auto created = RecordFormatter::create(d, format, chosen);
    if (!created) return 0;  // an unknown --fields name: one error, nothing formatted
    created->set_boot_to_realtime_ns(in.ConsumeBool() ? clock_offset : 0);
    std::string header = created->header();
    IG_FUZZ_CHECK(header.find('\n') == std::string::npos, "the header is one line");
    formatters.push_back(std::move(created).value());
    formats.push_back(format);
  }
  // Records as they come off the wire: each one its own buffer of exactly its size.
  while (in.remaining_bytes() > 0) {
    std::size_t length = in.ConsumeIntegralInRange<std::size_t>(0, d.record_size + 8);
    std::vector<std::uint8_t> bytes = in.ConsumeBytes<std::uint8_t>(length);
    // new[] even for 0 bytes: the client's buffer is never null, and ASan sees its exact end.
    std::unique_ptr<std::uint8_t[]> record(new std::uint8_t[bytes.size()]);
    std::copy(bytes.begin(), bytes.end(), record.get());
    for (std::size_t i = 0; i < formatters.size(); ++i) {
      std::string line;
      formatters[i].append(record.get(), bytes.size(), line);
      check_line(line, formats[i]);
    }
  }
  return 0;
}
