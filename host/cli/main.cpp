// ig: run eBPF gadgets and see what they cost the kernel.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

const char* kUsage =
    "Usage: ig COMMAND [options]\n"
    "\n"
    "Commands:\n"
    "  gadgets            list the gadgets ig can run\n"
    "  run GADGET [...]   run a gadget and stream its events (ig run GADGET --help)\n"
    "  version            print ig's version and plugin ABI\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 1 : 0;
  }
  std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (command == "gadgets") return ig::host::cmd_gadgets(rest);
    if (command == "run") return ig::host::cmd_run(rest);
    if (command == "version" || command == "--version") return ig::host::cmd_version(rest);
  } catch (const std::exception& e) {
    return ig::host::fail(e.what());
  }
  return ig::host::fail("unknown command '" + command + "'; commands: gadgets, run, version (see 'ig --help')");
}
