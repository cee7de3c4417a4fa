#include "cli/commands.h"

#include <algorithm>
#include <cstdio>

#include <ig/version.h>

#include "cli/command_options.h"
#include "common/log.h"
#include "loader/plugin_loader.h"

#ifndef IG_VERSION
#define IG_VERSION "0.0.0"
#endif

namespace ig::host {
namespace {

// "registry,metrics", or "-" for a tracer that declares none.
std::string capabilities_text(const Capabilities& capabilities) {
  std::string text;
  for (Capability c : kAllCapabilities)
    if (capabilities.has(c)) text += (text.empty() ? "" : ",") + std::string(capability_name(c));
  return text.empty() ? "-" : text;
}

}  // namespace

int fail(const std::string& message) {
  log(LogLevel::Error, message);
  return 1;
}

int cmd_version(const CliContext&, const std::vector<std::string>& args) {
  CommandOptions options("version", "ig version", "Print ig's version and the plugin ABI it loads.");
  ParsedCommand parsed;
  if (auto done = options.parse_or_exit(args, parsed)) return *done;
  std::printf("ig %s (plugin ABI %d.%d, C++ library %s)\n", IG_VERSION, IG_ABI_MAJOR, IG_ABI_MINOR, IG_CXX_LIBRARY);
  return 0;
}

int cmd_gadgets(const CliContext& cli, const std::vector<std::string>& args) {
  CommandOptions options("gadgets", "ig gadgets",
                         "List the gadgets found in the plugin directories: name, version, the host powers\n"
                         "each declares beyond tracing (CAPABILITIES: registry, bpf-stats, metrics; - for\n"
                         "none) and a one-line description.");
  ParsedCommand parsed;
  if (auto done = options.parse_or_exit(args, parsed)) return *done;
  std::vector<std::string> warnings;
  auto plugins = cli.catalog().all(warnings);
  for (const auto& w : warnings) log(LogLevel::Warning, w);
  std::size_t name_width = 6, version_width = 7, capabilities_width = 12;
  for (const auto& p : plugins) {
    name_width = std::max(name_width, p->description().name.size());
    version_width = std::max(version_width, p->description().version.size());
    capabilities_width = std::max(capabilities_width, capabilities_text(p->description().capabilities).size());
  }
  std::printf("%-*s  %-*s  %-*s  %s\n", int(name_width), "GADGET", int(version_width), "VERSION",
              int(capabilities_width), "CAPABILITIES", "DESCRIPTION");
  for (const auto& p : plugins)
    std::printf("%-*s  %-*s  %-*s  %s\n", int(name_width), p->description().name.c_str(), int(version_width),
                p->description().version.c_str(), int(capabilities_width),
                capabilities_text(p->description().capabilities).c_str(), p->description().summary.c_str());
  return 0;
}

}  // namespace ig::host
