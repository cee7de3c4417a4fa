// Short human figures for narrow columns: "12.3ms", "4.5k", "1.2M" (bytes in 1024s).
#pragma once

#include <cstdint>
#include <string>

namespace ig::host::top {

std::string percent_text(double percent);       // "0.00", "12.34", "123.4"
std::string duration_text(double ns);           // "850ns", "12.3us", "4.56ms", "1.20s"
std::string count_text(double value);           // "0", "950", "12.3k", "4.56M", "1.2G"
std::string bytes_text(std::uint64_t bytes);    // "512B", "12.0K", "4.5M", "1.2G"

}  // namespace ig::host::top
