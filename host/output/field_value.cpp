#include "output/field_value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace ig::host {
namespace {

template <class T>
T read_at(const unsigned char* base, std::uint32_t offset) {
  T value;
  std::memcpy(&value, base + offset, sizeof(T));
  return value;
}

std::string timestamp_text(std::uint64_t boot_ns, std::int64_t offset, bool full) {
  // A record's time is whatever the gadget wrote: add without overflow (wrapping
  // garbage to other garbage), and keep the nanoseconds positive before 1970.
  auto wall = static_cast<std::int64_t>(boot_ns + static_cast<std::uint64_t>(offset));
  std::time_t secs = wall / 1'000'000'000;
  long nanos = wall % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --secs;
  }
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

}  // namespace

bool field_present(const Field& f, std::size_t size) {
  std::size_t available = f.offset < size ? size - f.offset : 0;
  return f.type == FieldType::StringList || available >= f.size;
}

std::vector<std::string> field_list(const Field& f, const unsigned char* record, std::size_t size) {
  std::size_t available = f.offset < size ? std::min<std::size_t>(size - f.offset, f.size) : 0;
  const unsigned char* p = record + f.offset;
  std::vector<std::string> items;
  std::size_t i = 0;
  while (i < available) {
    std::string item = bounded_string(p + i, available - i);
    i += item.size() + 1;
    items.push_back(std::move(item));
  }
  return items;
}

void field_text(const Field& f, const unsigned char* base, std::size_t size, TextStyle style,
                std::int64_t boot_to_realtime_ns, std::string& text) {
  text.clear();
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
    case FieldType::Timestamp:
      text = timestamp_text(read_at<std::uint64_t>(base, f.offset), boot_to_realtime_ns, style == TextStyle::Full);
      break;
    case FieldType::F64: {
      double value = read_at<double>(base, f.offset);
      if (!std::isfinite(value)) {  // JSON has no NaN or infinity
        text = style == TextStyle::Full ? "null" : std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf";
        break;
      }
      char wide[320];  // DBL_MAX in fixed notation is 309 digits
      text.append(wide, std::to_chars(wide, wide + sizeof(wide), value, std::chars_format::fixed, 2).ptr);
      break;
    }
    case FieldType::Octal: {
      std::snprintf(buf, sizeof(buf), "%04o", read_at<std::uint32_t>(base, f.offset));
      text = buf;
      break;
    }
    case FieldType::StringList:
      for (const std::string& item : field_list(f, base, size)) {  // quote what would otherwise read as several items
        if (!text.empty()) text += ' ';
        text += item.empty() || item.find_first_of(" \t\"'") != std::string::npos ? "'" + item + "'" : item;
      }
      break;
  }
}

bool is_integer_field(const Field& f) {
  return f.type == FieldType::U32 || f.type == FieldType::I32 || f.type == FieldType::U64 ||
         f.type == FieldType::I64 || f.type == FieldType::Octal;
}

__int128 field_integer(const Field& f, const unsigned char* base) {
  switch (f.type) {
    case FieldType::U32:
    case FieldType::Octal: return read_at<std::uint32_t>(base, f.offset);
    case FieldType::I32: return read_at<std::int32_t>(base, f.offset);
    case FieldType::U64: return read_at<std::uint64_t>(base, f.offset);
    case FieldType::I64: return read_at<std::int64_t>(base, f.offset);
    default: return 0;
  }
}

double field_real(const Field& f, const unsigned char* base) {
  return f.type == FieldType::F64 ? read_at<double>(base, f.offset) : static_cast<double>(field_integer(f, base));
}

bool is_bare_json(const Field& f) { return is_number_field(f) || f.type == FieldType::Bool; }

bool is_number_field(const Field& f) {
  return f.type == FieldType::U32 || f.type == FieldType::I32 || f.type == FieldType::U64 ||
         f.type == FieldType::I64 || f.type == FieldType::F64;
}

std::int64_t boot_to_realtime() {
  timespec real{}, boot{};
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_BOOTTIME, &boot);
  return (real.tv_sec - boot.tv_sec) * 1'000'000'000LL + (real.tv_nsec - boot.tv_nsec);
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
  std::int64_t number = error < 0 ? -std::int64_t{error} : error;  // INT32_MIN has no int32 negation
  const char* name = number <= INT32_MAX ? strerrorname_np(static_cast<int>(number)) : nullptr;
  return name ? name : "E" + std::to_string(number);
}

}  // namespace ig::host
