// ig list / remove / attach: commands about the daemon's instances.
#include <unistd.h>

#include <cstdio>
#include <ctime>

#include "cli/cli_context.h"
#include "cli/command_options.h"
#include "cli/commands.h"
#include "cli/event_stream.h"
#include "cli/ig_exclusion.h"
#include "cli/instance_list.h"
#include "client/daemon_client.h"
#include "common/log.h"
#include "cli/run_presentation.h"
#include "output/record_formatter.h"

namespace po = boost::program_options;

namespace ig::host {
namespace {

// The daemon's ListReply entries.
Result<std::vector<protocol::Message>> list_rows(DaemonClient& client) {
  auto reply = client.request(protocol::Message(protocol::Type::List));
  if (!reply) return reply.error();
  std::vector<protocol::Message> rows;
  for (const std::string& nested : reply->get_all("instance")) {
    auto entry = protocol::Message::decode_fields(protocol::Type::ListReply, nested);
    if (entry) rows.push_back(std::move(entry).value());
  }
  return rows;
}

}  // namespace

int cmd_list(const CliContext& cli, const std::vector<std::string>& args) {
  CommandOptions options("list", "ig list [-o columns|json|jsonpretty|yaml] [--no-start]",
                         "The daemon's instances: ID NAME GADGET STATUS AGE PARAMS.");
  add_output_option(options);
  options.add()("no-start", po::bool_switch(),
                "when no daemon runs, list nothing instead of starting one (for scripts and shell completion)");
  ParsedCommand parsed;
  if (auto done = options.parse_or_exit(args, parsed)) return *done;
  auto format = parse_output_format(parsed.options["output"].as<std::string>());
  if (!format) return fail(format.error().message);
  std::optional<DaemonClient> client;
  if (parsed.options["no-start"].as<bool>()) {
    auto running = DaemonClient::connect_if_running(cli.config);
    if (!running) return fail(running.error().message);
    client = std::move(running).value();
  } else {
    auto started = DaemonClient::connect(cli.config, cli.daemon_command);
    if (!started) return fail(started.error().message);
    client = std::move(started).value();
  }
  std::vector<protocol::Message> rows;
  if (client) {
    auto listed = list_rows(*client);
    if (!listed) return fail(listed.error().message);
    rows = std::move(listed).value();
  }
  std::string out = format_instance_list(rows, format.value(), std::time(nullptr));
  std::fputs(out.c_str(), stdout);
  return 0;
}

int cmd_remove(const CliContext& cli, const std::vector<std::string>& args) {
  CommandOptions options("remove", "ig remove NAME|ID|ID-PREFIX... | ig remove --all",
                         "Stop instances and forget them (also 'ig delete').", CommandOptions::kAnyNumber);
  options.add()("all", po::bool_switch(), "every instance");
  ParsedCommand parsed;
  if (auto done = options.parse_or_exit(args, parsed)) return *done;
  bool all = parsed.options["all"].as<bool>();
  if (!all && parsed.operands.empty())
    return fail("no instance given; usage: ig remove NAME|ID... or ig remove --all");
  if (all && !parsed.operands.empty()) return fail("give either '--all' or instance names, not both");
  auto client = DaemonClient::connect(cli.config, cli.daemon_command);
  if (!client) return fail(client.error().message);
  protocol::Message request(protocol::Type::Remove);
  if (all)
    request.add("all", "1");
  else
    for (const std::string& target : parsed.operands) request.add("target", target);
  auto reply = client->request(request);
  if (!reply) return fail(reply.error().message);
  for (const std::string& name : reply->get_all("removed")) std::printf("%s\n", name.c_str());
  auto errors = reply->get_all("error");
  for (const std::string& e : errors) log(LogLevel::Error, e);
  return errors.empty() ? 0 : 1;
}

int cmd_attach(const CliContext& cli, const std::vector<std::string>& args) {
  CommandOptions options("attach", "ig attach NAME|ID [-o columns|json|jsonpretty|yaml] [--filter FILTER]",
                         "Stream a running instance's events until Ctrl-C; the instance keeps running.", 1);
  add_output_option(options);
  options.add()("filter", po::value<std::string>()->default_value("")->value_name("FILTER"),
                std::string(filter_help()).c_str());
  options.add()("include-ig", po::bool_switch(), std::string(include_ig_help()).c_str());
  ParsedCommand parsed;
  if (auto done = options.parse_or_exit(args, parsed)) return *done;
  auto format = parse_output_format(parsed.options["output"].as<std::string>());
  if (!format) return fail(format.error().message);
  if (parsed.operands.empty()) return fail("no instance given; usage: ig attach NAME|ID");
  auto client = DaemonClient::connect(cli.config, cli.daemon_command);
  if (!client) return fail(client.error().message);
  protocol::Message request(protocol::Type::Attach);
  request.add("target", parsed.operands[0]);
  auto started = client->request(request);
  if (!started) return fail(started.error().message);
  auto plugin = load_plugin(started->get("plugin"));
  if (!plugin) return fail(plugin.error().message);
  const Description& description = plugin.value()->description();
  auto formatter = formatter_for_run(description, format.value(), {}, presentation_of(started.value()));
  if (!formatter) return fail(formatter.error().message);
  auto filter = RecordFilter::parse(parsed.options["filter"].as<std::string>(), description);
  if (!filter) return fail(filter.error().message);
  if (!parsed.options["include-ig"].as<bool>()) leave_out_ig(filter.value(), description, client.value());
  OutputSink sink(std::move(formatter).value(), STDOUT_FILENO, std::move(filter).value());
  log(LogLevel::Info, "attached to '" + started->get("name") + "' (" + started->get("gadget") +
                          "); Ctrl-C to detach, the instance keeps running");
  sink.write_header();
  return stream_events(client.value(), sink, std::nullopt, OnInterrupt::Detach);
}

}  // namespace ig::host
