// What a plugin may ask of the host beyond tracing. A plugin declares the powers it
// needs in Description::capabilities; the host grants exactly those through Context
// (registry(), bpf_stats(), metrics() in ig/context.h) and null for the rest, so a
// tracer that declares nothing cannot read other instances. `ig gadgets` shows them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace ig {

// One power each; the values are bits of Capabilities.
enum class Capability : std::uint32_t {
  Registry = 1u << 0,  // read the central registry: every instance and its BPF object ids
  BpfStats = 1u << 1,  // keep the kernel's BPF run-time statistics on
  Metrics = 1u << 2,   // publish Prometheus series on the daemon's metrics endpoint
};

inline constexpr Capability kAllCapabilities[] = {Capability::Registry, Capability::BpfStats, Capability::Metrics};

// The name `ig gadgets` shows.
constexpr std::string_view capability_name(Capability capability) {
  switch (capability) {
    case Capability::Registry: return "registry";
    case Capability::BpfStats: return "bpf-stats";
    case Capability::Metrics: return "metrics";
  }
  return "unknown";
}

// A set of capabilities, e.g. `{ig::Capability::Registry, ig::Capability::Metrics}`;
// `{}` is none, what a tracer declares. It crosses the boundary as one uint32_t.
class Capabilities {
 public:
  constexpr Capabilities() = default;
  constexpr Capabilities(std::initializer_list<Capability> capabilities) {
    for (Capability c : capabilities) bits_ |= static_cast<std::uint32_t>(c);
  }

  constexpr bool has(Capability capability) const { return (bits_ & static_cast<std::uint32_t>(capability)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  // The raw bits, for the host's check that none is unknown.
  constexpr std::uint32_t bits() const { return bits_; }

 private:
  std::uint32_t bits_ = 0;
};

}  // namespace ig
