// The plugin ABI version. A host loads a plugin only when the majors are equal
// and the host's minor is at least the plugin's (see CHANGELOG.md).
#pragma once

#include <cstdint>

#define IG_ABI_MAJOR 1
#define IG_ABI_MINOR 1

extern "C" {
struct ig_abi_version {
  std::uint16_t major;
  std::uint16_t minor;
};
}

namespace ig {
inline constexpr ig_abi_version kAbiVersion{IG_ABI_MAJOR, IG_ABI_MINOR};
}  // namespace ig
