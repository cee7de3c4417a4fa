#include "top/units.h"

#include <cmath>
#include <cstdio>

namespace ig::host::top {
namespace {

// Three significant digits at most: "4.56", "45.6", "456".
std::string scaled(double value, const char* unit) {
  char buf[32];
  if (value < 10)
    std::snprintf(buf, sizeof(buf), "%.2f%s", value, unit);
  else if (value < 100)
    std::snprintf(buf, sizeof(buf), "%.1f%s", value, unit);
  else
    std::snprintf(buf, sizeof(buf), "%.0f%s", value, unit);
  return buf;
}

}  // namespace

std::string percent_text(double percent) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), percent < 100 ? "%.2f" : "%.1f", percent);
  return buf;
}

std::string duration_text(double ns) {
  if (ns < 1000) return std::to_string(static_cast<long long>(std::llround(ns))) + "ns";
  if (ns < 1e6) return scaled(ns / 1e3, "us");
  if (ns < 1e9) return scaled(ns / 1e6, "ms");
  return scaled(ns / 1e9, "s");
}

std::string count_text(double value) {
  if (value < 1000) return std::to_string(static_cast<long long>(std::llround(value)));
  if (value < 1e6) return scaled(value / 1e3, "k");
  if (value < 1e9) return scaled(value / 1e6, "M");
  return scaled(value / 1e9, "G");
}

std::string bytes_text(std::uint64_t bytes) {
  double b = static_cast<double>(bytes);
  if (b < 1024) return std::to_string(bytes) + "B";
  if (b < 1024.0 * 1024) return scaled(b / 1024, "K");
  if (b < 1024.0 * 1024 * 1024) return scaled(b / (1024.0 * 1024), "M");
  return scaled(b / (1024.0 * 1024 * 1024), "G");
}

}  // namespace ig::host::top
