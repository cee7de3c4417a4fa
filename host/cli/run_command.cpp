// `ig run GADGET`: the client validates the request against the plugin's own
// description, the daemon runs the instance, and events stream back here to be
// formatted. With --detach the daemon keeps it and we print its id.
#include <unistd.h>

#include <cstdio>

#include "bpf/privileges.h"
#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/event_stream.h"
#include "cli/ig_exclusion.h"
#include "cli/output_sink.h"
#include "cli/run_options.h"
#include "cli/run_presentation.h"
#include "client/daemon_client.h"
#include "common/log.h"
#include "runtime/identity.h"

namespace ig::host {
namespace {

const char* kRunUsage =
    "Usage: ig run [--name NAME] [--detach] GADGET [options] [gadget parameters]\n"
    "\n"
    "Run a gadget as an instance in the ig daemon. In the foreground its events stream\n"
    "here until Ctrl-C (or --timeout) and the instance goes with the client; with\n"
    "--detach it keeps running, is persisted, and 'ig list' shows it.\n"
    "'ig gadgets' lists gadgets; 'ig run GADGET --help' shows parameters and columns.\n";

}  // namespace

int cmd_run(const CliContext& cli, const std::vector<std::string>& args) {
  std::string token = find_gadget_token(args);
  if (token.empty()) {
    for (const std::string& a : args)
      if (a == "--help" || a == "-h") {
        std::printf("%s\n%s", kRunUsage, run_options_help().c_str());
        return 0;
      }
    return fail("no gadget given; usage: ig run GADGET [options] (see 'ig gadgets')");
  }
  auto plugin = cli.catalog().find(token);
  if (!plugin) {
    std::size_t at = *find_gadget_index(args);
    bool after_option = at > 0 && args[at - 1].starts_with("-");
    return fail(plugin.error().message +
                (after_option ? "; gadget parameters go after the gadget: ig run GADGET " + args[at - 1] + " " + token
                              : ""));
  }
  const Description& description = plugin.value()->description();

  auto options = parse_run_options(args, description);
  if (!options) return fail(options.error().message);
  if (options->help) {
    std::fputs(run_help(description).c_str(), stdout);
    return 0;
  }
  if (options->verbose) set_log_level(LogLevel::Debug);
  if (options->name)
    if (auto name = InstanceName::parse(*options->name); !name) return fail(name.error().message);
  if (options->detach && options->timeout) return fail("'--timeout' has no meaning with '--detach'; drop one");
  auto formatter = RecordFormatter::create(description, options->output, options->fields);
  if (!formatter) return fail(formatter.error().message);
  auto filter = RecordFilter::parse(options->filter, description);
  if (!filter) return fail(filter.error().message);
  if (auto privileged = check_bpf_privileges(); !privileged) return fail(privileged.error().message);

  auto client = DaemonClient::connect(cli.config, cli.daemon_command);
  if (!client) return fail(client.error().message);
  if (!options->include_ig) leave_out_ig(filter.value(), description, client.value());
  protocol::Message run(protocol::Type::Run);
  bool by_file = is_explicit_plugin_path(token) || cli.from_env_path(*plugin.value());
  run.add("gadget", by_file ? plugin.value()->path.string() : token);
  run.add("name", options->name.value_or("")).add("detach", options->detach ? "1" : "0");
  for (const auto& [k, v] : options->params) run.add("param." + k, v);
  auto started = client->request(run);
  if (!started) return fail(started.error().message);

  if (options->detach) {
    std::printf("%s\n", started->get("id").c_str());
    return 0;
  }
  RunPresentation presentation = presentation_of(started.value());
  if (!presentation.default_fields.empty()) {
    formatter = formatter_for_run(description, options->output, options->fields, presentation);
    if (!formatter) return fail(formatter.error().message);
  }
  OutputSink sink(std::move(formatter).value(), STDOUT_FILENO, std::move(filter).value());
  if (!presentation.finishes_by_itself)
    log(LogLevel::Info, "'" + description.name + "' attached as '" + started->get("name") + "'; Ctrl-C to stop");
  sink.write_header();
  return stream_events(client.value(), sink, options->timeout, OnInterrupt::StopInstance);
}

}  // namespace ig::host
