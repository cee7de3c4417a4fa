// `ig version`: ig's version, the plugin ABI, the libbpf it runs with, the kernel and
// what the kernel offers ig. What a bug report starts with.
#pragma once

#include <string>
#include <vector>

#include "bpf/feature_probes.h"
#include "output/record_formatter.h"

namespace ig::host {

struct VersionReport {
  std::string ig;           // "0.1.0"
  std::string plugin_abi;   // "2.0"
  std::string cxx_library;  // the C++ standard library ABI plugins must share: "libstdc++ cxx11"
  std::string libbpf;       // the library loaded now: "1.1"
  std::string libbpf_built; // the headers ig was built with: "1.1"
  std::string kernel;       // uname: "Linux 6.1.0-18-amd64"
  std::string kernel_build; // uname -v: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"
  std::string machine;      // "x86_64"
  std::vector<FeatureProbe> features;
};

// This process's view: versions, uname, and the kernel probes.
VersionReport collect_version_report();

// Columns ("name  value" lines, the first line the classic `ig X (plugin ABI M.N, C++
// library L)`), or
// one object (json, jsonpretty, yaml) whose features map name to {available, detail},
// available being true, false or null (could not tell).
std::string format_version_report(const VersionReport& report, OutputFormat format);

}  // namespace ig::host
