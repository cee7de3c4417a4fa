#include "fdinfo.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include <ig/unique_fd.h>

namespace ig::bpfstats {

std::optional<std::uint64_t> fdinfo_value(std::string_view text, std::string_view key) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.size() <= key.size() || !line.starts_with(key) || line[key.size()] != ':') continue;
    std::size_t i = key.size() + 1;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == line.size() || line[i] < '0' || line[i] > '9') return std::nullopt;
    std::uint64_t value = 0;
    for (; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
      std::uint64_t digit = static_cast<std::uint64_t>(line[i] - '0');
      if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
      value = value * 10 + digit;
    }
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i != line.size()) return std::nullopt;  // "0x0", a hex tag: not a decimal number
    return value;
  }
  return std::nullopt;
}

namespace {

// True when `text` holds the whole of the first line that starts with "KEY:", so
// fdinfo_value gives the same answer on `text` as on anything that continues it.
bool has_key_line(std::string_view text, std::string_view key) {
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) return false;  // an unfinished last line
    std::string_view line = text.substr(pos, end - pos);
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ':') return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

std::string_view reread_fdinfo(int file_fd, std::string_view until, std::string& buf) {
  buf.clear();
  char chunk[4096];
  for (;;) {
    ssize_t n = ::pread(file_fd, chunk, sizeof(chunk), static_cast<off_t>(buf.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buf.append(chunk, static_cast<std::size_t>(n));
    if (has_key_line(buf, until)) break;
  }
  return buf;
}

std::optional<std::uint64_t> reread_fdinfo_value(int file_fd, std::string_view key) {
  std::string buf;
  return fdinfo_value(reread_fdinfo(file_fd, key, buf), key);
}

std::optional<std::uint64_t> read_fdinfo_value(int dir_fd, const char* path, std::string_view key) {
  UniqueFd fd(::openat(dir_fd, path, O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  return reread_fdinfo_value(fd.get(), key);
}

std::string read_small_file(int dir_fd, const char* path) {
  UniqueFd fd(::openat(dir_fd, path, O_RDONLY | O_CLOEXEC));
  if (!fd) return {};
  std::string text;
  char buf[1024];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text;
}

}  // namespace ig::bpfstats
