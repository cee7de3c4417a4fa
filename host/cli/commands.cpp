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

int fail(const std::string& message) {
  log(LogLevel::Error, message);
  return 1;
}

int cmd_version(const CliContext&, const std::vector<std::string>& args) {
  CommandOptions options("version", "ig version", "Print ig's version and the plugin ABI it loads.");
  ParsedCommand parsed;
  if (auto done = options.parse_or_exit(args, parsed)) return *done;
  std::printf("ig %s (plugin ABI %d.%d)\n", IG_VERSION, IG_ABI_MAJOR, IG_ABI_MINOR);
  return 0;
}

int cmd_gadgets(const CliContext& cli, const std::vector<std::string>& args) {
  CommandOptions options("gadgets", "ig gadgets",
                         "List the gadgets found in the plugin directories, with one-line descriptions.");
  ParsedCommand parsed;
  if (auto done = options.parse_or_exit(args, parsed)) return *done;
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
