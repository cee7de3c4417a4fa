#include "cli/commands.h"

#include <algorithm>
#include <cstdio>

#include "bpf/libbpf_log.h"
#include "cli/command_options.h"
#include "cli/gadget_list.h"
#include "cli/version_report.h"
#include "common/log.h"
#include "loader/plugin_loader.h"

namespace ig::host {
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
  CommandOptions options("gadgets", "ig gadgets [-o columns|json|jsonpretty|yaml]",
                         "List the gadgets found in the plugin directories, by name: version, the host powers\n"
                         "each declares beyond tracing (CAPABILITIES: registry, bpf-stats, metrics; - for\n"
                         "none) and a one-line description; an example built with ig says so. -o json (and\n"
                         "jsonpretty, yaml) also gives each gadget's parameters and columns.");
  add_output_option(options);
  ParsedCommand parsed;
  if (auto done = options.parse_or_exit(args, parsed)) return *done;
  auto format = parse_output_format(parsed.options["output"].as<std::string>());
  if (!format) return fail(format.error().message);
  std::vector<std::string> warnings;
  auto plugins = cli.catalog().all(warnings);
  for (const auto& w : warnings) log(LogLevel::Warning, w);
  std::vector<GadgetEntry> gadgets;
  for (const auto& p : plugins) gadgets.push_back({&p->description(), p->path.string(), is_build_tree_example(p->path)});
  std::fputs(format_gadget_list(std::move(gadgets), format.value()).c_str(), stdout);
  return 0;
}

}  // namespace ig::host
