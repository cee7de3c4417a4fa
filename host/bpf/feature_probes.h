// What this kernel offers ig, probed from the calling process with no daemon: BTF,
// BPF run-time stats, ring buffers, iterators and trampolines. For `ig version`,
// the first thing a bug report needs. A probe that needs privileges the caller lacks
// says so instead of guessing.
#pragma once

#include <string>
#include <vector>

namespace ig::host {

struct FeatureProbe {
  enum class State { Yes, No, Unknown };
  std::string name;    // "btf", "bpf_stats", "ring_buffer", "iterators", "trampolines"
  State state = State::Unknown;
  std::string detail;  // how it was decided, or why it could not be
};

const char* state_name(FeatureProbe::State state);  // "yes", "no", "unknown"

// Each probe loads at most one tiny program or map and closes it again.
std::vector<FeatureProbe> probe_kernel_features();

}  // namespace ig::host
