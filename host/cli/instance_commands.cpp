// ig list / remove / attach / daemon: commands about the daemon's instances.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/event_stream.h"
#include "cli/instance_list.h"
#include "client/daemon_client.h"
#include "common/log.h"
#include "daemon/daemon.h"
#include "output/record_formatter.h"

namespace ig::host {
namespace {

bool wants_help(const std::vector<std::string>& args) {
  return std::find(args.begin(), args.end(), "--help") != args.end() ||
         std::find(args.begin(), args.end(), "-h") != args.end();
}

// `-o FORMAT` / `--output FORMAT` anywhere in `args`; the other arguments stay in
// `rest`, in order.
Result<OutputFormat> take_output_option(const std::vector<std::string>& args, std::vector<std::string>& rest) {
  OutputFormat format = OutputFormat::Columns;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "-o" || args[i] == "--output") && i + 1 < args.size()) {
      auto parsed = parse_output_format(args[++i]);
      if (!parsed) return parsed.error();
      format = parsed.value();
    } else {
      rest.push_back(args[i]);
    }
  }
  return format;
}

}  // namespace

int cmd_list(const CliContext& cli, const std::vector<std::string>& args) {
  if (wants_help(args)) {
    std::puts("Usage: ig list [-o columns|json]\n\nThe daemon's instances: ID NAME GADGET STATUS AGE PARAMS.");
    return 0;
  }
  std::vector<std::string> rest;
  auto output = take_output_option(args, rest);
  if (!output) return fail(output.error().message);
  OutputFormat format = output.value();
  if (!rest.empty()) return fail("unexpected argument '" + rest[0] + "'; usage: ig list [-o columns|json]");
  auto client = DaemonClient::connect(cli.config, cli.daemon_command);
  if (!client) return fail(client.error().message);
  auto reply = client->request(protocol::Message(protocol::Type::List));
  if (!reply) return fail(reply.error().message);

  std::vector<protocol::Message> rows;
  for (const std::string& nested : reply->get_all("instance")) {
    auto entry = protocol::Message::decode_fields(protocol::Type::ListReply, nested);
    if (entry) rows.push_back(std::move(entry).value());
  }
  std::string out = format_instance_list(rows, format, std::time(nullptr));
  std::fputs(out.c_str(), stdout);
  return 0;
}

int cmd_remove(const CliContext& cli, const std::vector<std::string>& args) {
  if (wants_help(args)) {
    std::puts("Usage: ig remove NAME|ID|ID-PREFIX... | ig remove --all\n\nStop instances and forget them "
              "(also 'ig delete').");
    return 0;
  }
  bool all = std::find(args.begin(), args.end(), "--all") != args.end();
  if (args.empty()) return fail("no instance given; usage: ig remove NAME|ID... or ig remove --all");
  if (all && args.size() > 1) return fail("give either '--all' or instance names, not both");
  for (const std::string& a : args)
    if (a.starts_with("-") && a != "--all") return fail("unknown option '" + a + "'; usage: ig remove NAME|ID...");
  auto client = DaemonClient::connect(cli.config, cli.daemon_command);
  if (!client) return fail(client.error().message);
  protocol::Message request(protocol::Type::Remove);
  if (all)
    request.add("all", "1");
  else
    for (const std::string& a : args) request.add("target", a);
  auto reply = client->request(request);
  if (!reply) return fail(reply.error().message);
  for (const std::string& name : reply->get_all("removed")) std::printf("%s\n", name.c_str());
  auto errors = reply->get_all("error");
  for (const std::string& e : errors) log(LogLevel::Error, e);
  return errors.empty() ? 0 : 1;
}

int cmd_attach(const CliContext& cli, const std::vector<std::string>& args) {
  if (wants_help(args)) {
    std::puts("Usage: ig attach NAME|ID [-o columns|json]\n\nStream a running instance's events until Ctrl-C; the "
              "instance keeps running.");
    return 0;
  }
  std::vector<std::string> rest;
  auto output = take_output_option(args, rest);
  if (!output) return fail(output.error().message);
  OutputFormat format = output.value();
  if (rest.empty()) return fail("no instance given; usage: ig attach NAME|ID");
  if (rest.size() > 1 || rest[0].starts_with("-"))
    return fail("unexpected argument '" + rest[rest[0].starts_with("-") ? 0 : 1] +
                "'; usage: ig attach NAME|ID [-o columns|json]");
  const std::string& target = rest[0];
  auto client = DaemonClient::connect(cli.config, cli.daemon_command);
  if (!client) return fail(client.error().message);
  protocol::Message request(protocol::Type::Attach);
  request.add("target", target);
  auto started = client->request(request);
  if (!started) return fail(started.error().message);
  auto plugin = load_plugin(started->get("plugin"));
  if (!plugin) return fail(plugin.error().message);
  auto formatter = RecordFormatter::create(plugin.value()->description(), format);
  if (!formatter) return fail(formatter.error().message);
  OutputSink sink(std::move(formatter).value(), STDOUT_FILENO);
  log(LogLevel::Info, "attached to '" + started->get("name") + "' (" + started->get("gadget") +
                          "); Ctrl-C to detach, the instance keeps running");
  sink.write_header();
  return stream_events(client.value(), sink, std::nullopt, OnInterrupt::Detach);
}

int cmd_daemon(CliContext cli, const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::printf("Usage: ig daemon [--enable-bpfstats] [--metrics-listen ADDR:PORT] [-v] [global options]\n\n"
                  "Run the ig daemon in the foreground (systemd, tests). Other commands start one when none "
                  "answers.\n"
                  "  --enable-bpfstats           keep BPF run-time stats on for the daemon's whole life\n"
                  "  --metrics-listen ADDR:PORT  serve Prometheus metrics at http://ADDR:PORT/metrics\n"
                  "                              (e.g. 127.0.0.1:2224; ':PORT' is 127.0.0.1; off by default)\n"
                  "  -v, --verbose               debug logging\n\n%s",
                  kGlobalOptionsHelp);
      return 0;
    }
    if (a == "--metrics-listen" || a.starts_with("--metrics-listen=")) {
      std::string value = a == "--metrics-listen" ? (i + 1 < args.size() ? args[++i] : "") : a.substr(17);
      if (value.empty()) return fail("option '--metrics-listen' needs ADDR:PORT, e.g. --metrics-listen 127.0.0.1:2224");
      cli.config.metrics_listen = value;
    } else if (a == "--enable-bpfstats")
      cli.config.enable_bpfstats = true;
    else if (a == "-v" || a == "--verbose")
      set_log_level(LogLevel::Debug);
    else
      return fail("unknown option '" + a + "' for 'ig daemon'; see 'ig daemon --help'");
  }
  return run_daemon(cli.config);
}

}  // namespace ig::host
