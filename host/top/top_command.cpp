// `ig top`: runs bpfstats in the daemon (every program and every instance, one
// snapshot per interval) for as long as it shows them, full screen.
#include <unistd.h>

#include <boost/program_options/value_semantic.hpp>

#include "bpf/privileges.h"
#include "cli/cli_context.h"
#include "cli/command_options.h"
#include "cli/commands.h"
#include "cli/run_options.h"
#include "client/daemon_client.h"
#include "top/controller.h"
#include "top/record_reader.h"
#include "top/stats_origin.h"
#include "top/terminal.h"
#include "top/top_model.h"
#include "top/view.h"

namespace po = boost::program_options;

namespace ig::host {
namespace {

CommandOptions top_options() {
  CommandOptions options(
      "top", "ig top [--all] [--interval DURATION]",
      "A live, full-screen view of what every ig instance costs the kernel: %CPU, runtime and runs per second,\n"
      "average ns per run, map memory and maps, each with a sparkline of its last 60 samples; Enter shows an\n"
      "instance's programs, and a program's graphs. --all shows every BPF program on the node, ours and other\n"
      "tools' (with the processes holding them). BPF stats stay on while it runs. Keys: arrows or j/k move,\n"
      "Enter into, Esc back, s or F2-F9 sort, r reverse, / filter, p pause, ? help, q quit.\n"
      "Needs a terminal; for text, use 'ig run bpfstats --interval 1s' (with --all for every program).");
  options.add()
      ("all", po::bool_switch(), "one row per BPF program on the node instead of one per ig instance")
      ("interval", po::value<std::string>()->default_value("1s")->value_name("DURATION"),
       "time between snapshots (at least 10ms)");
  return options;
}

}  // namespace

int cmd_top(const CliContext& cli, const std::vector<std::string>& args) {
  CommandOptions options = top_options();
  ParsedCommand parsed;
  if (auto done = options.parse_or_exit(args, parsed)) return *done;
  if (!::isatty(STDOUT_FILENO) || !::isatty(STDIN_FILENO))
    return fail("'ig top' needs a terminal (stdin and stdout); for text output use 'ig run bpfstats --interval 1s'");
  std::string interval = parsed.options["interval"].as<std::string>();
  bool all = parsed.options["all"].as<bool>();

  auto plugin = cli.catalog().find("bpfstats");
  if (!plugin) return fail(plugin.error().message);
  const Description& description = plugin.value()->description();
  auto reader = top::RecordReader::create(description);
  if (!reader) return fail(reader.error().message);
  // bpfstats checks its own parameters; this normalises them as `ig run` would.
  auto run_options = parse_run_options({"bpfstats", "--all", "--instances", "--total", "--interval", interval}, description);
  if (!run_options) return fail(run_options.error().message);
  if (auto privileged = check_bpf_privileges(); !privileged) return fail(privileged.error().message);

  auto client = DaemonClient::connect(cli.config, cli.daemon_command);
  if (!client) return fail(client.error().message);
  top::UiState ui;
  ui.interval = interval;
  ui.stats_origin = top::describe_stats_origin(top::gather_stats_facts(client.value()));
  protocol::Message run(protocol::Type::Run);
  run.add("gadget", cli.from_env_path(*plugin.value()) ? plugin.value()->path.string() : "bpfstats");
  // Named for what it is: `ig list` and `ig top` itself show what measuring costs.
  run.add("name", "top-" + std::to_string(::getpid())).add("detach", "0");
  for (const auto& [k, v] : run_options->params) run.add("param." + k, v);
  auto started = client->request(run);
  if (!started) return fail(started.error().message);

  top::catch_signals();
  auto terminal = top::Terminal::open();
  if (!terminal) return fail(terminal.error().message);
  top::TopModel model(all ? top::Scope::AllPrograms : top::Scope::Instances);
  top::View view(terminal->utf8());
  top::Controller controller(client.value(), std::move(reader).value(), model, view, terminal.value(), ui);
  top::Outcome outcome = controller.run();
  terminal->restore();
  if (!outcome.error.empty()) fail(outcome.error);
  return outcome.exit_code;
}

}  // namespace ig::host
