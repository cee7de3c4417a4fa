#include "common/log.h"

#include <cstdio>
#include <mutex>
#include <string>

namespace ig::host {
namespace {
LogLevel g_max_level = LogLevel::Info;
std::mutex g_mutex;

const char* prefix(LogLevel level) {
  switch (level) {
    case LogLevel::Error: return "error: ";
    case LogLevel::Warning: return "warning: ";
    case LogLevel::Info: return "";
    case LogLevel::Debug: return "debug: ";
  }
  return "";
}
}  // namespace

void set_log_level(LogLevel max_level) { g_max_level = max_level; }

bool log_enabled(LogLevel level) { return level <= g_max_level; }

void log(LogLevel level, std::string_view message) {
  if (!log_enabled(level)) return;
  std::string line = "ig: ";
  line += prefix(level);
  // One message, one line: a newline inside (say, from a user's value) is shown escaped.
  while (!message.empty() && message.back() == '\n') message.remove_suffix(1);
  for (char c : message) line += c == '\n' ? std::string("\\n") : std::string(1, c);
  line += '\n';
  std::lock_guard lock(g_mutex);
  std::fflush(stdout);
  std::fputs(line.c_str(), stderr);
}

}  // namespace ig::host
