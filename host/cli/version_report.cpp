#include "cli/version_report.h"

#include <bpf/libbpf.h>
#include <bpf/libbpf_version.h>
#include <sys/utsname.h>

#include <array>

#include <ig/version.h>

#include "cli/command_options.h"
#include "output/object_output.h"

#ifndef IG_VERSION
#define IG_VERSION "0.0.0"
#endif

namespace ig::host {
namespace {

std::string major_minor(unsigned major, unsigned minor) { return std::to_string(major) + "." + std::to_string(minor); }

const char* availability_json(FeatureProbe::State state) {
  switch (state) {
    case FeatureProbe::State::Yes: return "true";
    case FeatureProbe::State::No: return "false";
    case FeatureProbe::State::Unknown: return "null";
  }
  return "null";
}

template <class Writer>
void write_report(Writer& writer, const VersionReport& r) {
  writer.begin_object()
      .member("version", r.ig)
      .member("pluginAbi", r.plugin_abi)
      .member("cxxLibrary", r.cxx_library)
      .member("libbpf", r.libbpf)
      .member("libbpfBuiltAgainst", r.libbpf_built)
      .member("kernel", r.kernel)
      .member("kernelBuild", r.kernel_build)
      .member("machine", r.machine)
      .key("features")
      .begin_object();
  for (const FeatureProbe& f : r.features)
    writer.key(f.name).begin_object().raw_member("available", availability_json(f.state)).member("detail", f.detail).end_object();
  writer.end_object().end_object();
}

std::string columns(const VersionReport& r) {
  std::string out = "ig " + r.ig + " (plugin ABI " + r.plugin_abi + ", C++ library " + r.cxx_library + ")\n";
  auto row = [&](const std::string& name, const std::string& value) { out += help_row(name, value, 13).substr(2) + "\n"; };
  row("libbpf", r.libbpf + (r.libbpf == r.libbpf_built ? "" : " (built against " + r.libbpf_built + ")"));
  row("kernel", r.kernel + " " + r.machine + " " + r.kernel_build);
  for (const FeatureProbe& f : r.features) {
    std::string state = state_name(f.state);
    row(f.name, state + std::string(state.size() < 8 ? 8 - state.size() : 1, ' ') + f.detail);
  }
  return out;
}

}  // namespace

VersionReport collect_version_report() {
  VersionReport r;
  r.ig = IG_VERSION;
  r.plugin_abi = major_minor(IG_ABI_MAJOR, IG_ABI_MINOR);
  r.cxx_library = IG_CXX_LIBRARY;
  r.libbpf = major_minor(libbpf_major_version(), libbpf_minor_version());
  r.libbpf_built = major_minor(LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION);
  utsname uts{};
  if (uname(&uts) == 0) {
    r.kernel = std::string(uts.sysname) + " " + uts.release;
    r.kernel_build = uts.version;
    r.machine = uts.machine;
  }
  r.features = probe_kernel_features();
  return r;
}

std::string format_version_report(const VersionReport& report, OutputFormat format) {
  if (format == OutputFormat::Columns) return columns(report);
  return write_objects(std::array{&report}, format, [](auto& writer, const VersionReport* r) { write_report(writer, *r); });
}

}  // namespace ig::host
