// `ig daemon`: the daemon in the foreground. It takes the global options after its
// name too (command_line.cpp moves them to the others), so they show in its help.
#include "cli/cli_context.h"
#include "cli/command_options.h"
#include "cli/commands.h"
#include "cli/global_options.h"
#include "common/log.h"
#include "daemon/daemon.h"

namespace po = boost::program_options;

namespace ig::host {

int cmd_daemon(const CliContext& cli, const std::vector<std::string>& args) {
  CommandOptions options("daemon", "ig daemon [--enable-bpfstats] [--metrics-listen ADDR:PORT] [-v] [global options]",
                         "Run the ig daemon in the foreground (systemd, tests). Other commands start one when none "
                         "answers.");
  options.add()
      ("enable-bpfstats", po::bool_switch(), "keep BPF run-time stats on for the daemon's whole life")
      ("metrics-listen", po::value<std::string>()->value_name("ADDR:PORT"),
       "serve Prometheus metrics at http://ADDR:PORT/metrics (e.g. 127.0.0.1:2224; ':PORT' is 127.0.0.1; off by "
       "default)")
      ("verbose,v", po::bool_switch(), "debug logging");
  options.add(global_options_description());
  ParsedCommand parsed;
  if (auto done = options.parse_or_exit(args, parsed)) return *done;
  Config config = cli.config;
  if (parsed.options.count("metrics-listen")) {
    config.metrics_listen = parsed.options["metrics-listen"].as<std::string>();
    if (config.metrics_listen.empty())
      return fail("option '--metrics-listen' needs ADDR:PORT, e.g. --metrics-listen 127.0.0.1:2224");
  }
  if (parsed.options["enable-bpfstats"].as<bool>()) config.enable_bpfstats = true;
  if (parsed.options["verbose"].as<bool>()) set_log_level(LogLevel::Debug);
  return run_daemon(config);
}

}  // namespace ig::host
