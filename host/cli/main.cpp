// ig: run eBPF gadgets as named instances and see what they cost the kernel.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/cli_context.h"
#include "cli/commands.h"

namespace {

const char* kUsage =
    "Usage: ig [global options] COMMAND [options]\n"
    "\n"
    "Commands:\n"
    "  gadgets                 list the gadgets ig can run\n"
    "  run GADGET [...]        run a gadget (ig run GADGET --help); --detach keeps it running\n"
    "  list                    the daemon's instances\n"
    "  attach NAME|ID          stream a detached instance's events\n"
    "  remove NAME|ID...       stop and forget instances (also: delete; --all)\n"
    "  daemon                  run the daemon in the foreground\n"
    "  version                 print ig's version and plugin ABI\n"
    "\n"
    "Environment: IG_CONFIG (config file), IG_PLUGIN_PATH (extra plugin dirs, colon-separated,\n"
    "searched first by this command)\n"
    "\n";

// `ig daemon --socket X` works as well as `ig --socket X daemon`: move the daemon's
// global options in front of the command, keep its own flags after it.
std::vector<std::string> hoist_daemon_globals(const std::vector<std::string>& args, std::size_t command_at) {
  std::vector<std::string> out(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(command_at));
  std::vector<std::string> own;
  for (std::size_t i = command_at + 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool global = a == "--config" || a == "--socket" || a == "--pid-file" || a == "--state-dir" || a == "--plugin-dir";
    if (global && i + 1 < args.size()) {
      out.push_back(a);
      out.push_back(args[++i]);
    } else {
      own.push_back(a);
    }
  }
  out.push_back("daemon");
  out.insert(out.end(), own.begin(), own.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::FILE* out = args.empty() ? stderr : stdout;
    std::fputs(kUsage, out);
    std::fputs(ig::host::kGlobalOptionsHelp, out);
    return args.empty() ? 1 : 0;
  }
  for (std::size_t i = 0; i < args.size(); ++i)
    if (args[i] == "daemon") {
      args = hoist_daemon_globals(args, i);
      break;
    } else if (!args[i].starts_with("--")) {
      break;
    } else {
      ++i;  // a global option's value
    }
  try {
    auto cli = ig::host::parse_global_options(args);
    if (!cli) return ig::host::fail(cli.error().message);
    if (args.empty()) return ig::host::fail("no command given; see 'ig --help'");
    std::string command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "gadgets") return ig::host::cmd_gadgets(cli.value(), rest);
    if (command == "run") return ig::host::cmd_run(cli.value(), rest);
    if (command == "list" || command == "ls") return ig::host::cmd_list(cli.value(), rest);
    if (command == "remove" || command == "delete" || command == "rm") return ig::host::cmd_remove(cli.value(), rest);
    if (command == "attach") return ig::host::cmd_attach(cli.value(), rest);
    if (command == "daemon") return ig::host::cmd_daemon(cli.value(), rest);
    if (command == "version" || command == "--version") return ig::host::cmd_version(rest);
    return ig::host::fail("unknown command '" + command +
                          "'; commands: gadgets, run, list, attach, remove, daemon, version (see 'ig --help')");
  } catch (const std::exception& e) {
    return ig::host::fail(e.what());
  }
}
