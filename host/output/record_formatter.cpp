#include "output/record_formatter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "output/json_writer.h"

namespace ig::host {
namespace {

template <class T>
T read_at(const unsigned char* base, std::uint32_t offset) {
  T value;
  std::memcpy(&value, base + offset, sizeof(T));
  return value;
}

std::size_t default_width(const Field& f) {
  switch (f.type) {
    case FieldType::U32:
    case FieldType::I32: return 7;
    case FieldType::U64:
    case FieldType::I64: return 12;
    case FieldType::Bool: return 5;
    case FieldType::String: return std::min<std::size_t>(std::max<std::size_t>(f.size, 8), 16);
    case FieldType::StringList: return 0;
    case FieldType::Errno: return 8;
    case FieldType::Timestamp: return 15;
    case FieldType::Flags: return 16;
    case FieldType::Octal: return 6;
    case FieldType::F64: return 6;
  }
  return 8;
}

bool is_text(const Field& f) {
  return f.type == FieldType::String || f.type == FieldType::Errno || f.type == FieldType::Flags ||
         f.type == FieldType::Timestamp || f.type == FieldType::Octal;
}

bool is_number(const Field& f) {
  return f.type == FieldType::U32 || f.type == FieldType::I32 || f.type == FieldType::U64 ||
         f.type == FieldType::I64 || f.type == FieldType::F64;
}

// Numbers align right, text left; the last column is never padded.
void append_cell(std::string& out, const std::string& text, std::size_t width, bool right, bool first, bool last) {
  if (!first) out += ' ';
  std::size_t pad = width > text.size() ? width - text.size() : 0;
  if (right) out.append(pad, ' ');
  out += text;
  if (!right && !last) out.append(pad, ' ');
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string timestamp_text(std::uint64_t boot_ns, std::int64_t offset, bool full) {
  std::int64_t wall = static_cast<std::int64_t>(boot_ns) + offset;
  std::time_t secs = wall / 1'000'000'000;
  long nanos = wall % 1'000'000'000;
  std::tm tm{};
  char buf[64];
  if (full) {
    gmtime_r(&secs, &tm);
    std::size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof(buf) - n, ".%09ldZ", nanos);
  } else {
    localtime_r(&secs, &tm);
    std::size_t n = std::strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof(buf) - n, ".%06ld", nanos / 1000);
  }
  return buf;
}

std::string bounded_string(const unsigned char* p, std::size_t max) {  // up to the NUL
  const void* nul = std::memchr(p, 0, max);
  return std::string(reinterpret_cast<const char*>(p), nul ? static_cast<const unsigned char*>(nul) - p : max);
}

std::vector<std::string> string_list(const unsigned char* p, std::size_t size) {
  std::vector<std::string> items;
  std::size_t i = 0;
  while (i < size) {
    std::string item = bounded_string(p + i, size - i);
    i += item.size() + 1;
    items.push_back(std::move(item));
  }
  return items;
}

std::int64_t boot_to_realtime() {
  timespec real{}, boot{};
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_BOOTTIME, &boot);
  return (real.tv_sec - boot.tv_sec) * 1'000'000'000LL + (real.tv_nsec - boot.tv_nsec);
}

}  // namespace

Result<OutputFormat> parse_output_format(const std::string& text) {
  if (text == "columns") return OutputFormat::Columns;
  if (text == "json") return OutputFormat::Json;
  return make_error("invalid output format '" + text + "'; use -o columns or -o json");
}

std::string format_flags(std::uint32_t value, const std::vector<FlagName>& names) {
  std::string out;
  std::uint32_t explained = 0;
  for (const FlagName& f : names) {
    if ((value & f.mask) == f.bits) {
      out += (out.empty() ? "" : "|") + f.name;
      explained |= f.mask;
    }
  }
  if (std::uint32_t rest = value & ~explained) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "0x%x", rest);
    out += (out.empty() ? "" : "|") + std::string(buf);
  }
  return out.empty() ? "0" : out;
}

std::string errno_name(std::int32_t error) {
  if (error == 0) return "";
  const char* name = strerrorname_np(error < 0 ? -error : error);
  return name ? name : "E" + std::to_string(error < 0 ? -error : error);
}

RecordFormatter::RecordFormatter(OutputFormat format, std::vector<Field> fields)
    : format_(format), fields_(std::move(fields)), boot_to_realtime_ns_(boot_to_realtime()) {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    std::size_t width = f.width ? f.width : default_width(f);
    if (f.max_width) width = std::min<std::size_t>(width, f.max_width);
    widths_.push_back(std::max(width, f.name.size()));
    json_keys_.push_back(JsonWriter::prepare_key(f.name));
  }
}

Result<RecordFormatter> RecordFormatter::create(const Description& description, OutputFormat format,
                                                const std::vector<std::string>& names) {
  std::vector<Field> chosen;
  if (names.empty()) {
    for (const Field& f : description.fields)
      if (!f.hidden || format == OutputFormat::Json) chosen.push_back(f);
  } else {
    for (const std::string& name : names) {
      auto it = std::find_if(description.fields.begin(), description.fields.end(),
                             [&](const Field& f) { return f.name == name; });
      if (it == description.fields.end()) {
        std::string valid;
        for (const Field& f : description.fields) valid += (valid.empty() ? "" : ",") + f.name;
        return make_error("unknown field '" + name + "' for '" + description.name + "'; valid fields: " + valid);
      }
      chosen.push_back(*it);
    }
  }
  return RecordFormatter(format, std::move(chosen));
}

std::string RecordFormatter::header() const {
  if (format_ == OutputFormat::Json) return "";
  std::string out;
  for (std::size_t i = 0; i < fields_.size(); ++i)
    append_cell(out, upper(fields_[i].name), widths_[i], is_number(fields_[i]), i == 0, i + 1 == fields_.size());
  return out;
}

// One field's value as text into `text` (cleared first); false when the record is too
// short to hold it.
bool RecordFormatter::format_value(const Field& f, const unsigned char* base, std::size_t size, bool json,
                                   std::string& text) const {
  text.clear();
  std::size_t available = f.offset < size ? size - f.offset : 0;
  if (f.type != FieldType::StringList && available < f.size) return false;
  char buf[64];
  auto number = [&](auto value) { text.append(buf, std::to_chars(buf, buf + sizeof(buf), value).ptr); };
  switch (f.type) {
    case FieldType::U32: number(read_at<std::uint32_t>(base, f.offset)); break;
    case FieldType::I32: number(read_at<std::int32_t>(base, f.offset)); break;
    case FieldType::U64: number(read_at<std::uint64_t>(base, f.offset)); break;
    case FieldType::I64: number(read_at<std::int64_t>(base, f.offset)); break;
    case FieldType::Bool: text = base[f.offset] ? "true" : "false"; break;
    case FieldType::String: {
      const auto* p = reinterpret_cast<const char*>(base + f.offset);
      text.append(p, strnlen(p, f.size));
      break;
    }
    case FieldType::Errno: text = errno_name(read_at<std::int32_t>(base, f.offset)); break;
    case FieldType::Flags: text = format_flags(read_at<std::uint32_t>(base, f.offset), f.flags); break;
    case FieldType::Timestamp: text = timestamp_text(read_at<std::uint64_t>(base, f.offset), boot_to_realtime_ns_, json); break;
    case FieldType::F64:
      text.append(buf, std::to_chars(buf, buf + sizeof(buf), read_at<double>(base, f.offset), std::chars_format::fixed, 2).ptr);
      break;
    case FieldType::Octal: {
      std::snprintf(buf, sizeof(buf), "%04o", read_at<std::uint32_t>(base, f.offset));
      text = buf;
      break;
    }
    case FieldType::StringList: {
      auto items = string_list(base + f.offset, std::min<std::size_t>(available, f.size));
      if (json) {
        JsonWriter array(text);
        array.begin_array();
        for (const std::string& item : items) array.string(item);
        array.end_array();
        break;
      }
      for (const std::string& item : items) {  // quote what would otherwise read as several items
        if (!text.empty()) text += ' ';
        text += item.empty() || item.find_first_of(" \t\"'") != std::string::npos ? "'" + item + "'" : item;
      }
      break;
    }
  }
  return true;
}

void RecordFormatter::append(const void* record, std::size_t size, std::string& out) const {
  const auto* base = static_cast<const unsigned char*>(record);
  std::string& text = scratch_;  // reused: no allocation per field once it has grown
  if (format_ == OutputFormat::Json) {
    JsonWriter object(out);
    object.begin_object();
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      const Field& f = fields_[i];
      object.prepared_key(json_keys_[i]);
      if (!format_value(f, base, size, true, text))
        object.raw("null");
      else if (is_text(f))
        object.string(text);
      else
        object.raw(text);
    }
    object.end_object();
  } else {
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      const Field& f = fields_[i];
      if (!format_value(f, base, size, false, text)) text = "-";
      if (f.max_width && text.size() > f.max_width) text.resize(f.max_width);
      append_cell(out, text, widths_[i], is_number(f), i == 0, i + 1 == fields_.size());
    }
  }
  out += '\n';
}

}  // namespace ig::host
