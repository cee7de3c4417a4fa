#include "daemon/connection.h"

#include <sys/socket.h>

#include <boost/asio/write.hpp>

#include "bpf/privileges.h"
#include "common/log.h"
#include "daemon/connection_messages.h"

namespace asio = boost::asio;

namespace ig::host {

using protocol::Message;
using protocol::Type;

namespace {
// A client that falls this far behind loses events (counted and reported) rather
// than growing the daemon's memory without bound.
constexpr std::size_t kMaxPendingBytes = 32 << 20;
constexpr std::size_t kKeptBufferBytes = 1 << 20;
constexpr std::size_t kMaxFrameBytes = 64 << 10;  // room for a typical event frame past the cap
}  // namespace

Connection::Connection(asio::local::stream_protocol::socket socket, InstanceManager& manager)
    : socket_(std::move(socket)), manager_(manager) {}

Connection::~Connection() = default;

void Connection::start() {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (::getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    close();
    return;
  }
  peer_pid_ = cred.pid;
  peer_uid_ = cred.uid;
  if (cred.uid != 0 && cred.uid != ::geteuid()) {
    log(LogLevel::Warning, "refused a client (uid " + std::to_string(cred.uid) + ", pid " + std::to_string(cred.pid) +
                               "): the ig daemon serves root only, ignoring");
    send(error_message("permission denied: the ig daemon serves root only (you are uid " + std::to_string(cred.uid) +
                       "); run ig as root, e.g. with sudo"));
    close_after_flush();
    return;
  }
  read_more();
}

void Connection::read_more() {
  auto self = shared_from_this();
  socket_.async_read_some(asio::buffer(read_buffer_), [this, self](boost::system::error_code ec, std::size_t n) {
    if (closed_) return;
    if (ec) return close();  // EOF: a killed or finished client
    reader_.feed(read_buffer_, n);
    while (!closing_) {
      auto next = reader_.next();
      if (!next) {
        log(LogLevel::Warning, "closing client connection (pid " + std::to_string(peer_pid_) +
                                   "): " + next.error().message);
        send(error_message("bad request: " + next.error().message));
        return close_after_flush();
      }
      if (!next.value()) break;
      handle(*next.value());
    }
    if (!closing_) read_more();
  });
}

void Connection::handle(const Message& request) {
  switch (request.type()) {
    case Type::Ping: {
      Message pong(Type::Pong);
      pong.add("pid", std::to_string(::getpid())).add("version", std::to_string(protocol::kVersion));
      return send(pong);
    }
    case Type::Run: return handle_run(request);
    case Type::Stop:
      if (auto id = std::exchange(foreground_id_, std::nullopt)) manager_.stop_foreground(*id);
      return close_after_flush();
    case Type::List: {
      Message reply(Type::ListReply);
      for (const InstanceInfo& info : manager_.list()) reply.add("instance", list_entry(info).encode_fields());
      return send(reply);
    }
    case Type::Remove: return handle_remove(request);
    case Type::Attach: {
      auto attached = manager_.subscribe(request.get("target"), shared_from_this());
      if (!attached) return send(error_message(attached.error().message));
      attached_id_ = attached->id;
      return send(attached_message(attached.value()));
    }
    default:
      send(error_message(std::string("unexpected '") + protocol::type_name(request.type()) + "' request"));
      return close_after_flush();
  }
}

void Connection::handle_run(const Message& request) {
  if (foreground_id_) return send(error_message("this connection already runs an instance"));
  // A root client may still have dropped capabilities: it gets no more from us.
  if (auto privileged = check_bpf_privileges(peer_pid_); !privileged) {
    log(LogLevel::Warning, "refused a run from a client (uid " + std::to_string(peer_uid_) + ", pid " +
                               std::to_string(peer_pid_) + "): " + privileged.error().message + ", ignoring");
    return send(error_message(privileged.error().message));
  }
  auto run = run_request(request);
  if (!run) return send(error_message(run.error().message));
  holding_ = true;
  auto started = manager_.run(run.value(), run->detach ? nullptr : shared_from_this());
  holding_ = false;
  std::string early = std::exchange(held_, "");
  if (!started) return send(error_message(started.error().message));
  if (!run->detach) foreground_id_ = started->id;
  send(started_message(started.value()));
  pending_ += early;
  flush();
}

void Connection::handle_remove(const Message& request) {
  Message reply(Type::RemoveReply);
  std::vector<std::string> targets = request.get_all("target");
  if (request.get("all") == "1") {
    targets.clear();
    for (const InstanceInfo& info : manager_.list()) targets.push_back(info.spec.id.str());
  }
  for (const std::string& target : targets) {
    auto id = manager_.resolve(target);
    Result<InstanceName> removed = id ? manager_.remove(id.value()) : id.error();
    if (removed)
      reply.add("removed", removed->str());
    else
      reply.add("error", removed.error().message);
  }
  send(reply);
}

void Connection::send(const Message& message) {
  if (closed_ || closing_) return;
  if (holding_) return protocol::append_frame(message, held_);
  protocol::append_frame(message, pending_);
  flush();
}

void Connection::on_lost(std::uint64_t count) { send(lost_message(count)); }

void Connection::on_log(LogLevel level, std::string_view message) { send(log_message(level, message)); }

void Connection::on_finished(const Result<void>& status) {
  if (closed_ || closing_) return;
  send(finished_message(status));
  // The instance is gone (finished, stopped or removed): nothing more will come.
  foreground_id_.reset();
  attached_id_.reset();
  close_after_flush();
}

void Connection::on_event(const void* record, std::size_t size) {
  if (closed_ || closing_) return;
  if (holding_) return protocol::append_event_frame(record, size, held_);
  // What waits and what is being written count alike: that is the memory held.
  if (pending_.size() + in_flight_.size() > kMaxPendingBytes) {
    ++dropped_;
    return;
  }
  if (dropped_ > 0) protocol::append_frame(too_slow_message(std::exchange(dropped_, 0)), pending_);
  // Grown by doubling, a queue near the cap would be copied into one twice its size.
  if (pending_.size() > kKeptBufferBytes && pending_.capacity() < kMaxPendingBytes + kMaxFrameBytes)
    pending_.reserve(kMaxPendingBytes + kMaxFrameBytes);
  protocol::append_event_frame(record, size, pending_);
  // Writes start from the loop, so a burst of events leaves as one large write.
  if (!writing_) flush();
}

void Connection::flush() {
  if (writing_ || closed_ || pending_.empty()) {
    if (!writing_ && closing_ && pending_.empty()) close();
    return;
  }
  writing_ = true;
  in_flight_.swap(pending_);
  pending_.clear();
  auto self = shared_from_this();
  asio::async_write(socket_, asio::buffer(in_flight_), [this, self](boost::system::error_code ec, std::size_t) {
    writing_ = false;
    // A burst's buffer goes back to the allocator: an idle client holds no more.
    if (in_flight_.capacity() > kKeptBufferBytes) std::string().swap(in_flight_);
    in_flight_.clear();
    if (ec) return close();
    // Losses are reported before the next event; when none comes, once caught up.
    if (dropped_ > 0 && !closing_) protocol::append_frame(too_slow_message(std::exchange(dropped_, 0)), pending_);
    flush();
  });
}

void Connection::close_after_flush() {
  closing_ = true;
  flush();
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  socket_.close(ec);
  if (auto id = std::exchange(foreground_id_, std::nullopt)) (void)manager_.remove(*id);
  if (auto id = std::exchange(attached_id_, std::nullopt)) manager_.unsubscribe(*id, this);
}

}  // namespace ig::host
