// Turns an event record into a line of aligned columns or a JSON object, following the
// plugin's field schema. Formatting happens here, in the client, never in the gadget.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ig/result.h>
#include <ig/schema.h>

namespace ig::host {

enum class OutputFormat { Columns, Json };

Result<OutputFormat> parse_output_format(const std::string& text);

class RecordFormatter {
 public:
  // `fields` picks and orders columns by name; empty means the description's defaults.
  static Result<RecordFormatter> create(const Description& description, OutputFormat format,
                                        const std::vector<std::string>& fields = {});

  // The header line (columns only; empty for JSON), without newline.
  std::string header() const;
  // Append one formatted record and a newline to `out`. A record shorter than the
  // description's fixed part is shown with the fields it has.
  void append(const void* record, std::size_t size, std::string& out) const;

  // Offset between CLOCK_BOOTTIME and CLOCK_REALTIME, for Timestamp fields. Fixed
  // at creation; tests set it.
  void set_boot_to_realtime_ns(std::int64_t offset) { boot_to_realtime_ns_ = offset; }

 private:
  RecordFormatter(OutputFormat format, std::vector<Field> fields);
  bool format_value(const Field& f, const unsigned char* base, std::size_t size, bool json, std::string& text) const;

  OutputFormat format_;
  std::vector<Field> fields_;
  std::vector<std::size_t> widths_;
  std::vector<std::string> json_keys_;  // `"name":` per field, rendered once
  std::int64_t boot_to_realtime_ns_ = 0;
  mutable std::string scratch_;  // one field's text, reused by append()
};

// Helpers shared by the formatter and its tests.
std::string format_flags(std::uint32_t value, const std::vector<FlagName>& names);
std::string errno_name(std::int32_t error);

}  // namespace ig::host
