#include "cpu_list.h"

#include <charconv>

namespace ig::bpfstats {

std::uint32_t contiguous_cpu_count(std::string_view text, std::uint32_t max) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  std::uint32_t count = 0;
  if (text == "0") {
    count = 1;
  } else if (text.substr(0, 2) == "0-") {
    std::uint32_t last = 0;
    auto [end, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), last);
    if (ec != std::errc() || end != text.data() + text.size()) return 0;
    count = last + 1;
  }
  return count <= max ? count : 0;
}

}  // namespace ig::bpfstats
