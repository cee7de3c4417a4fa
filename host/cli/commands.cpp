#include "cli/commands.h"

#include <algorithm>
#include <cstdio>

#include "bpf/libbpf_log.h"
#include "cli/command_options.h"
#include "cli/version_report.h"
#include "common/log.h"
#include "loader/plugin_loader.h"

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
  CommandOptions options("version", "ig version [-o columns|json|jsonpretty|yaml]",
                         "Print ig's version, the plugin ABI it loads, the libbpf it runs with, the kernel, and whether\n"
                         "the kernel offers what ig uses: BTF, BPF run-time stats, ring buffers, iterators and\n"
                         "trampolines (fentry). The probes run here, as you, without the daemon; one that needs root\n"
                         "says so.");
  add_output_option(options);
  ParsedCommand parsed;
  if (auto done = options.parse_or_exit(args, parsed)) return *done;
  auto format = parse_output_format(parsed.options["output"].as<std::string>());
  if (!format) return fail(format.error().message);
  route_libbpf_logs();
  std::fputs(format_version_report(collect_version_report(), format.value()).c_str(), stdout);
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
