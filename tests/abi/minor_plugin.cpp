// A sound plugin that claims ABI minor IG_ABI_MINOR + IG_TEST_MINOR_DELTA, clamped
// at 0 (see meson.build): with delta -1 it stands for a plugin built against the
// previous minor's SDK, and the host must load it. Unlike tests/plugins/abi_version.cpp,
// whose entry aborts because the host must refuse it, this one loads and describes
// itself. The two exported symbols are written by hand, as IG_PLUGIN would write
// them, so the version can differ from the headers'.
#include <ig/plugin.h>

#if !defined(IG_TEST_MINOR_DELTA) || !defined(IG_TEST_NAME)
#error "build with -DIG_TEST_MINOR_DELTA=N -DIG_TEST_NAME=\"name\""
#endif

#define IG_TEST_MINOR (IG_ABI_MINOR + IG_TEST_MINOR_DELTA < 0 ? 0 : IG_ABI_MINOR + IG_TEST_MINOR_DELTA)

namespace {

class Idle final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context&) override { return {}; }
};

const ig::Plugin* entry() {
  static const ig::Plugin plugin{
      {IG_TEST_NAME, "1.0.0", "claims an older plugin ABI minor; loads, does nothing", {}, {}, 0, {}},
      []() -> std::unique_ptr<ig::Gadget> { return std::make_unique<Idle>(); }};
  return &plugin;
}

}  // namespace

extern "C" {
__attribute__((visibility("default"))) extern const ig_abi_version ig_plugin_abi_version;
const ig_abi_version ig_plugin_abi_version = {IG_ABI_MAJOR, IG_TEST_MINOR, IG_CXX_LIBRARY};
__attribute__((visibility("default"), section("boostdll"))) const void* ig_plugin_entry =
    reinterpret_cast<const void*>(&entry);
}
