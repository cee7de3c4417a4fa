// `ig run GADGET`: load the plugin, start one instance, stream its events until
// Ctrl-C, --timeout, or the gadget finishes.
#include <signal.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <functional>

#include "bpf/bpf_stats.h"
#include "bpf/kernel_fs.h"
#include "bpf/libbpf_log.h"
#include "bpf/privileges.h"
#include "cli/commands.h"
#include "cli/output_sink.h"
#include "cli/run_options.h"
#include "common/log.h"
#include "loader/plugin_loader.h"
#include "registry/registry.h"
#include "runtime/identity.h"
#include "runtime/instance.h"

namespace asio = boost::asio;

namespace ig::host {
namespace {

constexpr auto kFlushPeriod = std::chrono::milliseconds(100);

const char* kRunUsage =
    "Usage: ig run GADGET [options] [gadget parameters]\n"
    "\n"
    "Run a gadget and stream its events until Ctrl-C. 'ig gadgets' lists them;\n"
    "'ig run GADGET --help' shows a gadget's parameters and columns.\n";

// Re-arm a periodic timer until `keep_going` says stop.
void every(asio::steady_timer& timer, std::chrono::nanoseconds period, std::function<bool()> tick) {
  timer.expires_after(period);
  timer.async_wait([&timer, period, tick](boost::system::error_code ec) {
    if (!ec && tick()) every(timer, period, tick);
  });
}

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  std::string token = find_gadget_token(args);
  if (token.empty()) {
    bool help = std::find(args.begin(), args.end(), "--help") != args.end() ||
                std::find(args.begin(), args.end(), "-h") != args.end();
    if (help) {
      std::fputs(kRunUsage, stdout);
      return 0;
    }
    return fail("no gadget given; usage: ig run GADGET [options] (see 'ig gadgets')");
  }

  PluginCatalog catalog(PluginCatalog::default_dirs());
  auto plugin = catalog.find(token);
  if (!plugin) return fail(plugin.error().message);
  const Description& description = plugin.value()->description();

  auto options = parse_run_options(args, description);
  if (!options) return fail(options.error().message);
  if (options->help) {
    std::fputs(run_help(description).c_str(), stdout);
    return 0;
  }
  if (options->verbose) set_log_level(LogLevel::Debug);
  if (options->detach) return fail("'--detach' needs the ig daemon, which this build does not have yet");
  std::string name = options->name.empty() ? new_instance_name() : options->name;
  if (std::string bad = check_instance_name(name); !bad.empty()) return fail(bad);

  auto formatter = RecordFormatter::create(description, options->output, options->fields);
  if (!formatter) return fail(formatter.error().message);

  if (auto privileged = check_bpf_privileges(); !privileged) return fail(privileged.error().message);
  auto mounted = mount_kernel_filesystems();
  if (!mounted) return fail(mounted.error().message);
  for (const std::string& line : mounted.value()) log(LogLevel::Info, line);
  route_libbpf_logs();
  ::signal(SIGPIPE, SIG_IGN);

  asio::io_context io;
  Registry registry;
  BpfStatsSwitch bpf_stats;
  HostServices services{io, registry, bpf_stats};
  OutputSink sink(std::move(formatter).value(), STDOUT_FILENO);
  sink.set_on_finished([&io] { io.stop(); });
  Instance instance(services, plugin.value(), InstanceSpec{new_instance_id(), name, options->params}, sink);

  sink.write_header();
  if (auto started = instance.start(); !started) return fail(started.error().message);
  log(LogLevel::Info, "'" + description.name + "' attached as '" + name + "'; Ctrl-C to stop");

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](boost::system::error_code, int) { io.stop(); });
  asio::steady_timer timeout(io);
  if (options->timeout) {
    timeout.expires_after(*options->timeout);
    timeout.async_wait([&io](boost::system::error_code ec) {
      if (!ec) io.stop();
    });
  }
  asio::steady_timer flusher(io);
  every(flusher, kFlushPeriod, [&] {
    if (sink.flush()) return true;
    io.stop();  // the reader of our output is gone
    return false;
  });

  io.run();
  instance.drain();
  instance.stop();
  sink.flush();
  if (sink.lost() > 0)
    log(LogLevel::Warning, "lost " + std::to_string(sink.lost()) + " events in total; the reader fell behind");
  if (sink.finished() && !sink.finished_status()) return fail(sink.finished_status().error().message);
  return 0;
}

}  // namespace ig::host
