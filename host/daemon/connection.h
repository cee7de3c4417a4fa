// One client connection to the daemon: reads framed requests, writes replies and
// streamed events without ever blocking the event loop.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/local/stream_protocol.hpp>

#include "daemon/instance_manager.h"
#include "protocol/message.h"

namespace ig::host {

// Each connection is also the sink of the instance it runs or attaches to: the
// manager hands it typed output, and it alone turns that into frames.
class Connection final : public InstanceSink, public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::local::stream_protocol::socket socket, InstanceManager& manager);
  ~Connection() override;

  void start();

  void on_event(const void* record, std::size_t size) override;
  void on_lost(std::uint64_t count) override;
  void on_log(LogLevel level, std::string_view message) override;
  void on_finished(const Result<void>& status) override;

 private:
  void send(const protocol::Message& message);
  void read_more();
  void handle(const protocol::Message& request);
  void handle_run(const protocol::Message& request);
  void handle_remove(const protocol::Message& request);
  void flush();
  void close_after_flush();
  void close();

  boost::asio::local::stream_protocol::socket socket_;
  InstanceManager& manager_;
  protocol::FrameReader reader_{protocol::kMaxRequestPayload};
  char read_buffer_[16 * 1024];
  std::string pending_;   // queued output
  // While an instance starts for this connection, its early output waits here so
  // that the Started reply is always the first frame the client reads.
  bool holding_ = false;
  std::string held_;
  std::string in_flight_; // being written
  bool writing_ = false;
  bool closing_ = false;
  bool closed_ = false;
  std::optional<InstanceId> foreground_id_;  // the instance this connection runs in the foreground
  std::optional<InstanceId> attached_id_;    // the instance this connection watches
  std::uint64_t dropped_ = 0;  // events dropped because this client reads too slowly
  int peer_pid_ = 0;
  unsigned peer_uid_ = 0;
};

}  // namespace ig::host
