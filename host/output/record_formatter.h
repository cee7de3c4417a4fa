// Turns an event record into a line of aligned columns, a JSON object (one line or
// indented) or a YAML document, following the plugin's field schema. Formatting
// happens here, in the client, never in the gadget.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <ig/result.h>
#include <ig/schema.h>

#include "output/field_value.h"

namespace ig::host {

class YamlWriter;

enum class OutputFormat { Columns, Json, JsonPretty, Yaml };

// `-o columns|json|jsonpretty|yaml`.
Result<OutputFormat> parse_output_format(const std::string& text);
inline constexpr const char* kOutputFormatNames = "columns, json, jsonpretty or yaml";

class RecordFormatter {
 public:
  // `fields` picks and orders columns by name; empty means the description's defaults.
  static Result<RecordFormatter> create(const Description& description, OutputFormat format,
                                        const std::vector<std::string>& fields = {});
  RecordFormatter(RecordFormatter&&) noexcept;
  RecordFormatter& operator=(RecordFormatter&&) noexcept;
  ~RecordFormatter();

  // The header line (columns only; empty otherwise), without newline.
  std::string header() const;
  // Append one formatted record to `out`: a line (columns, json), an indented object
  // and a newline (jsonpretty), or a YAML document. A record shorter than the
  // description's fixed part is shown with the fields it has.
  void append(const void* record, std::size_t size, std::string& out) const;

  // Offset between CLOCK_BOOTTIME and CLOCK_REALTIME, for Timestamp fields. Fixed
  // at creation; tests set it.
  void set_boot_to_realtime_ns(std::int64_t offset) { boot_to_realtime_ns_ = offset; }

 private:
  RecordFormatter(OutputFormat format, std::vector<Field> fields);
  void append_columns(const unsigned char* base, std::size_t size, std::string& out) const;
  template <class Writer>
  void write_object(Writer& writer, const unsigned char* base, std::size_t size) const;

  OutputFormat format_;
  std::vector<Field> fields_;
  std::vector<std::size_t> widths_;
  std::vector<std::string> json_keys_;  // `"name":` per field, rendered once
  std::int64_t boot_to_realtime_ns_ = 0;
  mutable std::string scratch_;  // one field's text, reused by append()
  std::unique_ptr<YamlWriter> yaml_;  // -o yaml: one emitter for the whole stream
};

}  // namespace ig::host
