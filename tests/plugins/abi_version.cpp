// A plugin whose ABI version the host must refuse. Built several times (see
// meson.build): IG_TEST_MAJOR_DELTA / IG_TEST_MINOR_DELTA are added to the SDK's
// version; IG_TEST_ABI_1_1 exports exactly what a plugin built against ig's 1.1 SDK
// did (the four-byte {major, minor} struct, no C++ library tag). The two exported
// symbols are written by hand, not with IG_PLUGIN, so the version can lie. The entry
// point aborts: a host that refuses the version must never call it.
#include <cstdint>
#include <cstdlib>

#include <ig/plugin.h>

namespace {

const ig::Plugin* refused_entry() { std::abort(); }

}  // namespace

extern "C" {
#ifdef IG_TEST_ABI_1_1
struct ig_abi_version_1 {
  std::uint16_t major;
  std::uint16_t minor;
};
__attribute__((visibility("default"))) extern const ig_abi_version_1 ig_plugin_abi_version;
const ig_abi_version_1 ig_plugin_abi_version = {1, 1};
#else
__attribute__((visibility("default"))) extern const ig_abi_version ig_plugin_abi_version;
const ig_abi_version ig_plugin_abi_version = {IG_ABI_MAJOR + IG_TEST_MAJOR_DELTA,
                                              IG_ABI_MINOR + IG_TEST_MINOR_DELTA, IG_CXX_LIBRARY};
#endif
__attribute__((visibility("default"), section("boostdll"))) const void* ig_plugin_entry =
    reinterpret_cast<const void*>(&refused_entry);
}
