// The plugin boundary: a plugin exports exactly two symbols, made by IG_PLUGIN():
//   ig_plugin_abi_version  (extern "C" ig_abi_version: ABI major, minor and the C++
//                          standard library ABI) read first by the host;
//   ig_plugin_entry        a Boost.DLL alias to `const ig::Plugin* ()`, imported only
//                          once the ABI version is accepted.
#pragma once

#include <memory>

#include "ig/context.h"
#include "ig/result.h"
#include "ig/schema.h"
#include "ig/version.h"

namespace ig {

// One running instance of a gadget. The host calls start() once, then stop() once
// (also after a failed start), then destroys it, all on the event loop thread.
// Exceptions are caught by the host and fail only this instance, but prefer Result.
class Gadget {
 public:
  virtual ~Gadget() = default;
  // Load, attach, and register watchers; return once events can flow.
  virtual Result<void> start(Context& ctx) = 0;
  // Detach. Release every BPF object here or in the destructor.
  virtual void stop() noexcept {}
};

struct Plugin {
  Description description;
  std::unique_ptr<Gadget> (*create)();
};

using PluginEntry = const Plugin*();

}  // namespace ig

// Define the plugin's exported symbols. `describe` is an expression of type
// ig::Description, `GadgetType` a default-constructible ig::Gadget.
#define IG_PLUGIN(describe, GadgetType)                                                    \
  namespace {                                                                              \
  const ::ig::Plugin* ig_plugin_entry_impl() {                                             \
    static const ::ig::Plugin plugin{(describe),                                           \
                                     []() -> std::unique_ptr<::ig::Gadget> {               \
                                       return std::make_unique<GadgetType>();              \
                                     }};                                                   \
    return &plugin;                                                                        \
  }                                                                                        \
  }                                                                                        \
  extern "C" {                                                                             \
  __attribute__((visibility("default"))) extern const ig_abi_version ig_plugin_abi_version; \
  const ig_abi_version ig_plugin_abi_version = ::ig::kAbiVersion;                          \
  /* The layout Boost.DLL's BOOST_DLL_ALIAS produces, without needing Boost here. */      \
  __attribute__((visibility("default"), section("boostdll"))) const void* ig_plugin_entry = \
      reinterpret_cast<const void*>(&ig_plugin_entry_impl);                                \
  }
