// One field of an event record, read by its schema entry: as text, as a number, or as
// a list. The formatter and the filter read records through here, so a filter compares
// exactly what the output shows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <ig/schema.h>

namespace ig::host {

// Columns show a timestamp as local time of day; JSON and YAML hold the full UTC time
// (2024-01-02T03:04:05.123456789Z). Everything else reads the same either way.
enum class TextStyle { Columns, Full };

// Whether a record of `size` bytes holds the field (a string list always does: it
// has the items that fit).
bool field_present(const Field& f, std::size_t size);

// The field's text into `text` (cleared first); the field must be present. A string
// list reads as its items joined by spaces, an item that would read as several quoted.
void field_text(const Field& f, const unsigned char* record, std::size_t size, TextStyle style,
                std::int64_t boot_to_realtime_ns, std::string& text);

// A StringList field's items.
std::vector<std::string> field_list(const Field& f, const unsigned char* record, std::size_t size);

// Integer fields (U32, I32, U64, I64, Octal) as one signed 128-bit value, so every one
// of them compares exactly; F64 reads with field_real.
bool is_integer_field(const Field& f);
__int128 field_integer(const Field& f, const unsigned char* record);
double field_real(const Field& f, const unsigned char* record);

// Numbers (and bools) are bare JSON; everything else is a JSON string.
bool is_bare_json(const Field& f);
// Numbers align right in columns.
bool is_number_field(const Field& f);

// Offset between CLOCK_BOOTTIME and CLOCK_REALTIME now, for Timestamp fields.
std::int64_t boot_to_realtime();

std::string format_flags(std::uint32_t value, const std::vector<FlagName>& names);
std::string errno_name(std::int32_t error);

}  // namespace ig::host
