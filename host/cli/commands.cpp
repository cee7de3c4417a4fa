#include "cli/commands.h"

#include <algorithm>
#include <cstdio>

#include <ig/version.h>

#include "common/log.h"
#include "loader/plugin_loader.h"

#ifndef IG_VERSION
#define IG_VERSION "0.0.0"
#endif

namespace ig::host {

int fail(const std::string& message) {
  log(LogLevel::Error, message);
  return 1;
}

int cmd_version(const std::vector<std::string>&) {
  std::printf("ig %s (plugin ABI %d.%d)\n", IG_VERSION, IG_ABI_MAJOR, IG_ABI_MINOR);
  return 0;
}

int cmd_gadgets(const CliContext& cli, const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::puts("Usage: ig gadgets\n\nList the gadgets found in the plugin directories, with one-line descriptions.");
    return 0;
  }
  if (!args.empty()) return fail("unexpected argument '" + args[0] + "'; usage: ig gadgets");
  std::vector<std::string> warnings;
  auto plugins = cli.catalog().all(warnings);
  for (const auto& w : warnings) log(LogLevel::Warning, w);
  std::size_t name_width = 6, version_width = 7;
  for (const auto& p : plugins) {
    name_width = std::max(name_width, p->description().name.size());
    version_width = std::max(version_width, p->description().version.size());
  }
  std::printf("%-*s  %-*s  %s\n", int(name_width), "GADGET", int(version_width), "VERSION", "DESCRIPTION");
  for (const auto& p : plugins)
    std::printf("%-*s  %-*s  %s\n", int(name_width), p->description().name.c_str(), int(version_width),
                p->description().version.c_str(), p->description().summary.c_str());
  return 0;
}

}  // namespace ig::host
