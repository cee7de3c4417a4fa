// The plugin ABI version. A host loads a plugin only when the majors are equal, the
// host's minor is at least the plugin's, and both were built against the same C++
// standard library ABI (see CHANGELOG.md and docs/architecture.md).
#pragma once

#include <cstddef>  // defines the standard library's own macros used below
#include <cstdint>

#define IG_ABI_MAJOR 2
#define IG_ABI_MINOR 1

// The C++ standard library ABI this translation unit is compiled against.
// std::string, std::vector and std::function cross the plugin boundary, so their
// layouts must be the host's: the library, libstdc++'s dual string ABI
// (_GLIBCXX_USE_CXX11_ABI) and its debug mode (_GLIBCXX_DEBUG) all change them.
// The compiler does not: g++ and clang++ share the Itanium C++ ABI.
#define IG_CXX_STR_(x) #x
#define IG_CXX_STR(x) IG_CXX_STR_(x)
#if defined(_LIBCPP_ABI_VERSION)
#define IG_CXX_LIBRARY "libc++ abi " IG_CXX_STR(_LIBCPP_ABI_VERSION)
#elif defined(__GLIBCXX__) && _GLIBCXX_USE_CXX11_ABI && !defined(_GLIBCXX_DEBUG)
#define IG_CXX_LIBRARY "libstdc++ cxx11"
#elif defined(__GLIBCXX__) && _GLIBCXX_USE_CXX11_ABI
#define IG_CXX_LIBRARY "libstdc++ cxx11 debug"
#elif defined(__GLIBCXX__) && !defined(_GLIBCXX_DEBUG)
#define IG_CXX_LIBRARY "libstdc++ pre-cxx11"
#elif defined(__GLIBCXX__)
#define IG_CXX_LIBRARY "libstdc++ pre-cxx11 debug"
#else
#define IG_CXX_LIBRARY "unknown"
#endif

extern "C" {
struct ig_abi_version {
  // Every ig, of any major, reads these two first: they never move.
  std::uint16_t major;
  std::uint16_t minor;
  // Since 2.0, read only once the major is 2: IG_CXX_LIBRARY, NUL-terminated.
  char cxx_library[28];
};
}

namespace ig {
inline constexpr ig_abi_version kAbiVersion{IG_ABI_MAJOR, IG_ABI_MINOR, IG_CXX_LIBRARY};
}  // namespace ig
