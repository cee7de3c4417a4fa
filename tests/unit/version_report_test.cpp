// `ig version`: the report's columns and its one object, from a fixed report.
#include <doctest/doctest.h>

#include <string>

#include "cli/version_report.h"

using ig::host::FeatureProbe;
using ig::host::format_version_report;
using ig::host::OutputFormat;
using ig::host::VersionReport;

namespace {

VersionReport fixed() {
  VersionReport r;
  r.ig = "0.1.0";
  r.plugin_abi = "2.0";
  r.cxx_library = "libstdc++ cxx11";
  r.libbpf = "1.3";
  r.libbpf_built = "1.1";
  r.kernel = "Linux 6.1.0-18-amd64";
  r.kernel_build = "#1 SMP Debian";
  r.machine = "x86_64";
  r.features = {{"btf", FeatureProbe::State::Yes, "/sys/kernel/btf/vmlinux"},
                {"ring_buffer", FeatureProbe::State::No, "no BPF_MAP_TYPE_RINGBUF (Linux 5.8+)"},
                {"trampolines", FeatureProbe::State::Unknown, "Operation not permitted; run as root"}};
  return r;
}

}  // namespace

TEST_CASE("ig version: the classic first line, then one aligned line per item") {
  CHECK(format_version_report(fixed(), OutputFormat::Columns) ==
        "ig 0.1.0 (plugin ABI 2.0, C++ library libstdc++ cxx11)\n"
        "libbpf       1.3 (built against 1.1)\n"
        "kernel       Linux 6.1.0-18-amd64 x86_64 #1 SMP Debian\n"
        "btf          yes     /sys/kernel/btf/vmlinux\n"
        "ring_buffer  no      no BPF_MAP_TYPE_RINGBUF (Linux 5.8+)\n"
        "trampolines  unknown Operation not permitted; run as root\n");
}

TEST_CASE("ig version -o json: one object; a feature it could not tell is null") {
  CHECK(format_version_report(fixed(), OutputFormat::Json) ==
        R"({"version":"0.1.0","pluginAbi":"2.0","cxxLibrary":"libstdc++ cxx11","libbpf":"1.3","libbpfBuiltAgainst":"1.1",)"
        R"("kernel":"Linux 6.1.0-18-amd64","kernelBuild":"#1 SMP Debian","machine":"x86_64","features":{)"
        R"("btf":{"available":true,"detail":"/sys/kernel/btf/vmlinux"},)"
        R"x("ring_buffer":{"available":false,"detail":"no BPF_MAP_TYPE_RINGBUF (Linux 5.8+)"},)x"
        R"("trampolines":{"available":null,"detail":"Operation not permitted; run as root"}}})"
        "\n");
  std::string yaml = format_version_report(fixed(), OutputFormat::Yaml);
  CHECK(yaml.starts_with("---\nversion: 0.1.0\npluginAbi: '2.0'\ncxxLibrary: libstdc++ cxx11\n"));
  CHECK(yaml.find("  trampolines:\n    available: null\n") != std::string::npos);
}
