// What a plugin says about itself: its parameters and the fields of its event record.
// The host builds the command line, `--help` and the output columns from this.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ig/capability.h"

namespace ig {

enum class ParamType : std::uint8_t {
  Bool,      // a switch: `--failed`
  Int,       // signed 64-bit
  Uint,      // unsigned 64-bit
  String,
  Duration,  // "500ms", "2s", "1m"; a bare number is seconds
};

struct Param {
  std::string name;           // `^[a-z0-9_-]{1,32}$`, used as `--name`
  ParamType type = ParamType::String;
  std::string default_value;  // as the user would type it; empty means "unset"
  std::string help;
};

enum class FieldType : std::uint8_t {
  U32,
  I32,
  U64,
  I64,
  Bool,       // one byte, 0 or 1
  String,     // char[size], NUL-terminated unless full
  StringList, // NUL-separated strings filling the rest of the record (must be last)
  Errno,      // i32: 0 or a negative errno; shown as its name (ENOENT)
  Timestamp,  // u64 nanoseconds since boot (bpf_ktime_get_boot_ns); shown as wall time
  Flags,      // u32 bit set, named through Field::flags
  Octal,      // u32 shown in octal (file modes)
  F64,        // double, shown with two decimals (percentages)
};

// One named value of a Flags field: shown when (value & mask) == bits.
struct FlagName {
  std::uint32_t mask;
  std::uint32_t bits;
  std::string name;
};

struct Field {
  std::string name;  // `^[A-Za-z][A-Za-z0-9_]{0,31}$`; the JSON key and, upper-cased, the column header
  FieldType type = FieldType::U32;
  std::uint32_t offset = 0;  // in the event record
  std::uint32_t size = 0;    // bytes
  std::string help;
  std::uint16_t width = 0;   // column width hint; 0 picks one from the type
  std::vector<FlagName> flags;
  bool hidden = false;       // left out of the default columns (still in JSON)
  std::uint16_t max_width = 0;  // columns cut the value to this many characters; JSON never
};

inline Field make_field(std::string name, FieldType type, std::size_t offset, std::size_t size, std::string help) {
  Field f;
  f.name = std::move(name);
  f.type = type;
  f.offset = static_cast<std::uint32_t>(offset);
  f.size = static_cast<std::uint32_t>(size);
  f.help = std::move(help);
  return f;
}

// Describe a member of a standard-layout event struct; the member's name is the field's.
#define IG_FIELD(Struct, member, field_type, help_text) \
  ::ig::make_field(#member, field_type, offsetof(Struct, member), sizeof(Struct::member), help_text)

struct Description {
  std::string name;     // the gadget name, `^[a-z0-9_]{1,32}$`; the plugin file must be NAME.so
  std::string version;  // the plugin's own version
  std::string summary;  // one line for `ig gadgets`
  std::vector<Param> params;
  std::vector<Field> fields;
  std::size_t record_size = 0;  // the largest record emit() is given
  // The host's powers the plugin needs beyond tracing (ig/capability.h); `{}` for a
  // tracer. Context grants these and nothing else.
  Capabilities capabilities;
};

// Parameter values, validated and normalised by the host against the Description
// before the instance starts (bools are "true"/"false", durations nanoseconds),
// so the getters below never fail.
class Params {
 public:
  Params() = default;
  explicit Params(std::map<std::string, std::string> values) : values_(std::move(values)) {}

  bool has(const std::string& name) const {
    auto it = values_.find(name);
    return it != values_.end() && !it->second.empty();
  }
  std::string get_string(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::string() : it->second;
  }
  bool get_bool(const std::string& name) const { return get_string(name) == "true"; }
  std::int64_t get_int(const std::string& name) const {
    return has(name) ? std::stoll(get_string(name)) : 0;
  }
  std::uint64_t get_uint(const std::string& name) const {
    return has(name) ? std::stoull(get_string(name)) : 0;
  }
  // Durations arrive normalised to nanoseconds.
  std::chrono::nanoseconds get_duration(const std::string& name) const {
    return std::chrono::nanoseconds(get_int(name));
  }
  const std::map<std::string, std::string>& all() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace ig
