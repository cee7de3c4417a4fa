// A client's connection to the daemon; starts one in the background when none
// answers, the way tmux starts its server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <ig/unique_fd.h>
#include "daemon/config.h"
#include "protocol/message.h"

namespace ig::host {

class DaemonClient {
 public:
  // `daemon_command` is the argv that starts a daemon with this client's settings.
  static Result<DaemonClient> connect(const Config& config, const std::vector<std::string>& daemon_command);
  // The daemon that answers now, or nothing when none runs: never starts one.
  static Result<std::optional<DaemonClient>> connect_if_running(const Config& config);

  Result<void> send(const protocol::Message& message);
  // The next message; nothing when `timeout_ms` passed first (-1 waits forever).
  // The daemon closing the connection is an error.
  Result<std::optional<protocol::Message>> receive(int timeout_ms);
  // Send and wait for the reply; an Error reply becomes an error.
  Result<protocol::Message> request(const protocol::Message& message);

  int fd() const { return fd_.get(); }
  // The daemon's process id, as the kernel saw it at connect (SO_PEERCRED); 0 if unknown.
  int daemon_pid() const;

 private:
  explicit DaemonClient(UniqueFd fd) : fd_(std::move(fd)) {}
  // `err`: 0, a connect -errno, or a positive code when the daemon answered with a refusal.
  static Result<DaemonClient> try_answering(const std::filesystem::path& socket_path, int& err);

  UniqueFd fd_;
  protocol::FrameReader reader_{protocol::kMaxReplyPayload};
};

}  // namespace ig::host
