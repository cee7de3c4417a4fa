// A plugin whose ABI version the host must refuse. Built twice (see meson.build):
// IG_TEST_MAJOR_DELTA / IG_TEST_MINOR_DELTA are added to the SDK's version.
// The two exported symbols are written by hand, not with IG_PLUGIN, so the
// version can lie. The entry point aborts: a host that refuses the version
// must never call it.
#include <cstdlib>

#include <ig/plugin.h>

namespace {

const ig::Plugin* refused_entry() { std::abort(); }

}  // namespace

extern "C" {
__attribute__((visibility("default"))) extern const ig_abi_version ig_plugin_abi_version;
const ig_abi_version ig_plugin_abi_version = {IG_ABI_MAJOR + IG_TEST_MAJOR_DELTA,
                                              IG_ABI_MINOR + IG_TEST_MINOR_DELTA};
__attribute__((visibility("default"), section("boostdll"))) const void* ig_plugin_entry =
    reinterpret_cast<const void*>(&refused_entry);
}
