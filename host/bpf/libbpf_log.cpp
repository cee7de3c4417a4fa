#include "bpf/libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <string>

#include "common/log.h"

namespace ig::host {
namespace {

int print(enum libbpf_print_level, const char* format, va_list args) {
  if (!log_enabled(LogLevel::Debug)) return 0;
  char buf[1024];
  int n = std::vsnprintf(buf, sizeof(buf), format, args);
  log(LogLevel::Debug, std::string("libbpf: ") + buf);
  return n;
}

}  // namespace

void route_libbpf_logs() { libbpf_set_print(print); }

}  // namespace ig::host
