// A test description with one field of every type, and records for it: what the
// formatter and filter tests read.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include <ig/schema.h>

namespace ig::test {

using namespace std::string_view_literals;
using ig::FieldType;

// 2024-01-02T03:04:05.123456789Z, five seconds after boot.
constexpr std::uint64_t kBootNs = 5'123'456'789;
constexpr std::int64_t kBootToRealtime = 1'704'164'640'000'000'000;

// Layout of the test record (128 bytes):
//   0 timestamp u64 | 8 pid u32 | 12 fd i32 | 16 error i32 | 20 flags u32 | 24 mode u32
//  28 ok u8 | 32 big u64 | 40 delta i64 | 48 comm char[16] | 64 args (string list, 64)
inline ig::Description demo() {
  auto f = [](const char* name, FieldType type, std::uint32_t offset, std::uint32_t size) {
    return ig::make_field(name, type, offset, size, "help");
  };
  ig::Field flags = f("flags", FieldType::Flags, 20, 4);
  flags.flags = {{3, 0, "RDONLY"}, {3, 1, "WRONLY"}, {3, 2, "RDWR"}, {0x40, 0x40, "CREAT"}, {0x200, 0x200, "TRUNC"}};
  flags.width = 24;
  ig::Field delta = f("delta", FieldType::I64, 40, 8);
  delta.hidden = true;
  ig::Description d;
  d.name = "demo";
  d.fields = {f("timestamp", FieldType::Timestamp, 0, 8), f("pid", FieldType::U32, 8, 4),
              f("fd", FieldType::I32, 12, 4),          f("error", FieldType::Errno, 16, 4),
              flags,                                    f("mode", FieldType::Octal, 24, 4),
              f("ok", FieldType::Bool, 28, 1),          f("big", FieldType::U64, 32, 8),
              delta,                                    f("comm", FieldType::String, 48, 16),
              f("args", FieldType::StringList, 64, 64)};
  d.record_size = 128;
  return d;
}

struct Record {
  std::vector<unsigned char> bytes = std::vector<unsigned char>(128, 0);
  template <class T>
  Record& put(std::size_t offset, T value) {
    std::memcpy(bytes.data() + offset, &value, sizeof(T));
    return *this;
  }
  Record& text(std::size_t offset, std::string_view s) {
    std::memcpy(bytes.data() + offset, s.data(), s.size());
    return *this;
  }
};

// A successful open by 'cat': every field set; args "ls", "-l" (70 bytes used).
inline Record sample() {
  Record r;
  r.put<std::uint64_t>(0, kBootNs).put<std::uint32_t>(8, 4321).put<std::int32_t>(12, 3).put<std::int32_t>(16, 0);
  r.put<std::uint32_t>(20, 0x241).put<std::uint32_t>(24, 0644).put<std::uint8_t>(28, 1);
  r.put<std::uint64_t>(32, 18446744073709551615ull).put<std::int64_t>(40, -42);
  r.text(48, "cat").text(64, "ls\0-l\0"sv);
  return r;
}

}  // namespace ig::test
