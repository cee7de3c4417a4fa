// `--filter 'comm==nginx,fd>=0'`: which records to show, in Inspektor Gadget's syntax.
// Parsed and checked against the plugin's description in the client, before anything
// attaches, and applied to every record the client receives (bpfstats rows included).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <ig/result.h>
#include <ig/schema.h>

namespace ig::host {

class RecordFilter {
 public:
  RecordFilter();
  RecordFilter(RecordFilter&&) noexcept;
  RecordFilter& operator=(RecordFilter&&) noexcept;
  ~RecordFilter();

  // Comma-separated terms COLUMN OP VALUE, all of which must hold. OP is ==, !=, >=,
  // <=, >, <, ~ (the value is a POSIX extended regular expression found anywhere in
  // the column's text) or !~ (not found). `\,` is a comma inside a value. An unknown
  // column, a missing or unknown operator, a value that is not a number for a number
  // column, or a regex that does not compile is a one-line error.
  static Result<RecordFilter> parse(std::string_view text, const Description& description);

  // Leave out records whose integer column `column` holds `value` (no-op when the
  // description has no such column). True when the column exists.
  bool exclude(const Description& description, std::string_view column, std::int64_t value);

  bool empty() const { return conditions_.empty(); }
  // True when `record` meets every condition; a record too short to hold a column
  // meets no condition on it.
  bool matches(const void* record, std::size_t size) const;

  // Offset between CLOCK_BOOTTIME and CLOCK_REALTIME for timestamp columns; tests set it.
  void set_boot_to_realtime_ns(std::int64_t offset) { boot_to_realtime_ns_ = offset; }

  struct Condition;

 private:
  std::vector<Condition> conditions_;
  std::int64_t boot_to_realtime_ns_;
  mutable std::string scratch_;
};

// What `ig run --help` says about --filter: syntax and how each column type compares.
std::string_view filter_help();

}  // namespace ig::host
