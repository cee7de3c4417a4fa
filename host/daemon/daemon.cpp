#include "daemon/daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/signal_set.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>

#include "bpf/bpf_stats.h"
#include "bpf/kernel_fs.h"
#include "bpf/libbpf_log.h"
#include "bpf/privileges.h"
#include "common/log.h"
#include "daemon/connection.h"
#include "daemon/instance_manager.h"
#include "daemon/sd_notify.h"
#include "daemon/state_store.h"
#include "metrics/metrics_server.h"
#include "daemon/instance_metrics.h"

namespace asio = boost::asio;
namespace fs = std::filesystem;
using asio::local::stream_protocol;

namespace ig::host {
namespace {

// The pid file, locked for the daemon's whole life: a second daemon cannot take it,
// and a file left by a killed daemon is unlocked and simply taken over.
class PidFileLock {
 public:
  ~PidFileLock() {
    if (fd_ >= 0) {
      ::unlink(path_.c_str());
      ::close(fd_);
    }
  }
  Result<void> acquire(const fs::path& path) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return make_error("cannot open pid file '" + path.string() + "': " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      std::ifstream in(path);
      std::string pid;
      in >> pid;
      ::close(fd_);
      fd_ = -1;
      return make_error("another ig daemon (pid " + (pid.empty() ? "?" : pid) + ") already holds '" + path.string() +
                        "'; stop it first or give this one its own --pid-file and --socket");
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
      return make_error("cannot write pid file '" + path.string() + "': " + std::strerror(errno));
    return {};
  }

 private:
  fs::path path_;
  int fd_ = -1;
};

Result<void> make_private_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) return {};
  fs::create_directories(dir, ec);
  if (ec) return make_error("cannot create '" + dir.string() + "': " + ec.message());
  ::chmod(dir.c_str(), 0755);
  return {};
}

// Each instance holds about 17 fds (programs, maps, links, its ring buffer); systemd
// gives services a soft limit of 1024, which stops near 60 instances. The loop is
// epoll, never select(), so the hard limit is safe to take.
void raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  rlim_t was = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) == 0)
    log(LogLevel::Debug, "raised the open file limit from " + std::to_string(was) + " to " +
                             std::to_string(limit.rlim_cur));
}

void accept_loop(stream_protocol::acceptor& acceptor, InstanceManager& manager) {
  acceptor.async_accept([&acceptor, &manager](boost::system::error_code ec, stream_protocol::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) std::make_shared<Connection>(std::move(socket), manager)->start();
    accept_loop(acceptor, manager);
  });
}

}  // namespace

int run_daemon(const Config& config) {
  auto fail = [](const std::string& message) {
    log(LogLevel::Error, message);
    return 1;
  };
  if (::geteuid() != 0) return fail("the ig daemon must run as root (it loads BPF programs); run it with sudo");
  if (auto privileged = check_bpf_privileges(); !privileged) return fail(privileged.error().message);
  for (const fs::path& dir : {config.socket.parent_path(), config.pid_file.parent_path()})
    if (auto made = make_private_dir(dir); !made) return fail(made.error().message);

  PidFileLock pid_lock;
  if (auto locked = pid_lock.acquire(config.pid_file); !locked) return fail(locked.error().message);

  auto mounted = mount_kernel_filesystems();
  if (!mounted) return fail(mounted.error().message);
  for (const std::string& line : mounted.value()) log(LogLevel::Info, line);
  route_libbpf_logs();
  ::signal(SIGPIPE, SIG_IGN);
  raise_fd_limit();

  StateStore store(config.instances_dir());
  if (auto prepared = store.prepare(); !prepared) return fail(prepared.error().message);

  asio::io_context io;
  Registry registry;
  BpfStatsSwitch bpf_stats;
  MetricsRegistry metrics;
  HostServices services{io, registry, bpf_stats, config.metrics_listen.empty() ? nullptr : &metrics};
  std::shared_ptr<void> stats_for_life;
  if (config.enable_bpfstats) {
    auto stats = bpf_stats.acquire();
    if (!stats) return fail(stats.error().message);
    stats_for_life = stats.value();
    log(LogLevel::Info, "BPF run-time stats are on for the daemon's life (" + bpf_stats.mode() + ")");
  }

  PluginCatalog catalog(config.plugin_dirs.empty() ? PluginCatalog::default_dirs() : config.plugin_dirs);
  InstanceManager manager(services, catalog, store);
  // Listen before restoring: a bad address or a taken port fails the start at once.
  std::unique_ptr<MetricsServer> metrics_server;
  if (!config.metrics_listen.empty()) {
    auto server = MetricsServer::listen(io, config.metrics_listen, metrics,
                                        [&manager] { return instance_families(manager.list()); });
    if (!server) return fail(server.error().message);
    metrics_server = std::move(server).value();
    log(LogLevel::Info, "serving metrics on http://" + metrics_server->local_address() + "/metrics");
  }
  manager.restore_all();

  // A socket file left by a killed daemon is stale: we hold the pid lock, so replace it.
  ::unlink(config.socket.c_str());
  stream_protocol::acceptor acceptor(io);
  try {
    acceptor.open(stream_protocol());
    acceptor.bind(stream_protocol::endpoint(config.socket.string()));
    ::chmod(config.socket.c_str(), 0600);
    acceptor.listen();
  } catch (const boost::system::system_error& e) {
    return fail("cannot listen on '" + config.socket.string() + "': " + e.code().message());
  }
  accept_loop(acceptor, manager);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int signo) {
    log(LogLevel::Info, std::string("received ") + (signo == SIGTERM ? "SIGTERM" : "SIGINT") +
                            "; stopping (detached instances stay persisted)");
    boost::system::error_code ec;
    acceptor.close(ec);
    io.stop();
  });

  log(LogLevel::Info, "listening on " + config.socket.string() + " (pid " + std::to_string(::getpid()) + ", " +
                          std::to_string(manager.size()) + " instances)");
  sd_notify_ready();
  io.run();

  sd_notify_stopping();
  manager.stop_all();
  ::unlink(config.socket.c_str());
  return 0;
}

}  // namespace ig::host
