#include "client/daemon_client.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "common/log.h"

namespace fs = std::filesystem;

namespace ig::host {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(30);
// try_answering's `err` when a daemon answered, with a refusal (not an errno).
constexpr int kRefusedByDaemon = 1;

// -errno on failure.
int try_connect(const fs::path& socket_path, UniqueFd& out) {
  sockaddr_un addr{};
  if (socket_path.string().size() >= sizeof(addr.sun_path)) return -ENAMETOOLONG;
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return -errno;
  addr.sun_family = AF_UNIX;
  std::strcpy(addr.sun_path, socket_path.c_str());
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return -errno;
  out = std::move(fd);
  return 0;
}

std::string last_line(const fs::path& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

Result<pid_t> spawn_daemon(const Config& config, const std::vector<std::string>& command) {
  std::error_code ec;
  fs::create_directories(config.pid_file.parent_path(), ec);
  fs::path log_path = config.daemon_log();
  // Exec the real path, not /proc/self/exe, so the daemon's comm reads "ig".
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) self = "/proc/self/exe";
  pid_t pid = ::fork();
  if (pid < 0) return make_error(std::string("cannot start the ig daemon: fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::setsid();
    int devnull = ::open("/dev/null", O_RDONLY);
    int logfd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    if (logfd >= 0) {
      ::dup2(logfd, STDOUT_FILENO);
      ::dup2(logfd, STDERR_FILENO);
    }
    std::vector<char*> argv;
    for (const std::string& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(self.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

// A daemon that was just killed may still accept connections while the kernel tears
// it down: only a daemon that answers a ping counts.
Result<DaemonClient> DaemonClient::try_answering(const fs::path& socket_path, int& err) {
  UniqueFd fd;
  err = try_connect(socket_path, fd);
  if (err != 0) return make_error(std::strerror(-err));
  DaemonClient client(std::move(fd));
  // A daemon that refuses us says why at once and closes: our ping may then fail,
  // but its reason is still there to read.
  (void)client.send(protocol::Message(protocol::Type::Ping));
  auto reply = client.receive(-1);
  if (!reply || !reply.value()) {
    err = -ECONNREFUSED;
    return reply ? make_error("no reply") : reply.error();
  }
  // A daemon that answers with a refusal runs: its reason is the error to show.
  if (reply.value()->type() == protocol::Type::Error) {
    err = kRefusedByDaemon;
    return make_error(reply.value()->get("message"));
  }
  return client;
}

Result<std::optional<DaemonClient>> DaemonClient::connect_if_running(const Config& config) {
  int err = 0;
  auto client = try_answering(config.socket, err);
  if (client) return std::optional(std::move(client).value());
  if (err == kRefusedByDaemon) return client.error();
  if (err == -EACCES || err == -EPERM)
    return make_error("permission denied on the ig daemon's socket '" + config.socket.string() +
                      "'; ig needs root: run it with sudo");
  if (err != -ENOENT && err != -ECONNREFUSED)
    return make_error("cannot connect to the ig daemon at '" + config.socket.string() + "': " + std::strerror(-err));
  return std::optional<DaemonClient>();
}

Result<DaemonClient> DaemonClient::connect(const Config& config, const std::vector<std::string>& daemon_command) {
  auto running = connect_if_running(config);
  if (!running) return running.error();
  if (running.value()) return std::move(*running.value());
  int err = 0;
  if (::geteuid() != 0)
    return make_error("no ig daemon answers on '" + config.socket.string() +
                      "' and only root can start one; run ig with sudo");

  // A daemon killed a moment ago may still hold the pid lock while the kernel tears
  // it down: a new one that lost that race is started again, until the deadline.
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::string last_failure;
  int attempts = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    auto child = spawn_daemon(config, daemon_command);
    if (!child) return child.error();
    ++attempts;
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto client = try_answering(config.socket, err)) {
        log(LogLevel::Info, "started the ig daemon on " + config.socket.string() + "; its log: " +
                                config.daemon_log().string());
        return client;
      }
      int status = 0;
      if (::waitpid(child.value(), &status, WNOHANG) == child.value()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    last_failure = last_line(config.daemon_log());
    // Maybe another client's daemon won the race and is about to listen.
    for (int i = 0; i < 20; ++i) {
      if (auto client = try_answering(config.socket, err)) return client;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (last_failure.find("already holds") == std::string::npos || attempts >= 50)
      return make_error("the ig daemon failed to start" + (last_failure.empty() ? std::string() : ": " + last_failure) +
                        "; see " + config.daemon_log().string());
  }
  return make_error("the ig daemon did not answer on '" + config.socket.string() + "' within " +
                    std::to_string(kStartTimeout.count()) + " s; see " + config.daemon_log().string());
}

Result<void> DaemonClient::send(const protocol::Message& message) {
  std::string frame;
  protocol::append_frame(message, frame);
  std::size_t done = 0;
  while (done < frame.size()) {
    ssize_t n = ::send(fd_.get(), frame.data() + done, frame.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(std::string("lost the connection to the ig daemon: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Result<std::optional<protocol::Message>> DaemonClient::receive(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    auto next = reader_.next();
    if (!next) return make_error("bad reply from the ig daemon: " + next.error().message);
    if (next.value()) return next;
    int wait = -1;
    if (timeout_ms >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      wait = static_cast<int>(std::max<std::int64_t>(0, left.count()));  // 0: look once
    }
    pollfd pfd{fd_.get(), POLLIN, 0};
    int ready = ::poll(&pfd, 1, wait);
    if (ready < 0 && errno == EINTR) return std::optional<protocol::Message>();  // let the caller see its signal
    if (ready == 0 && wait >= 0 && std::chrono::steady_clock::now() >= deadline) return std::optional<protocol::Message>();
    if (ready <= 0) continue;
    char buf[64 * 1024];
    ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error("the ig daemon closed the connection (did it stop or crash? see its log)");
    reader_.feed(buf, static_cast<std::size_t>(n));
  }
}

Result<protocol::Message> DaemonClient::request(const protocol::Message& message) {
  if (auto sent = send(message); !sent) return sent.error();
  Result<std::optional<protocol::Message>> reply = std::optional<protocol::Message>();
  do reply = receive(-1);
  while (reply && !reply.value());
  if (!reply) return reply.error();
  protocol::Message m = std::move(*reply.value());
  if (m.type() == protocol::Type::Error) return make_error(m.get("message"));
  return m;
}

int DaemonClient::daemon_pid() const {
  ucred peer{};
  socklen_t len = sizeof(peer);
  if (::getsockopt(fd_.get(), SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0) return 0;
  return peer.pid;
}

}  // namespace ig::host
