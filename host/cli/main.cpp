// ig: run eBPF gadgets as named instances and see what they cost the kernel.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/cli_context.h"
#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/global_options.h"

int main(int argc, char** argv) {
  using namespace ig::host;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(usage_text().c_str(), stderr);
    return 1;
  }
  try {
    auto line = split_command_line(args);
    if (!line) return fail(line.error().message);
    if (line->help) {
      std::fputs(usage_text().c_str(), stdout);
      return 0;
    }
    auto config = resolve_config(line->globals);
    if (!config) return fail(config.error().message);
    return line->command->run(make_cli_context(std::move(config).value()), line->args);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}
