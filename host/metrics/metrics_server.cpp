#include "metrics/metrics_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <list>
#include <optional>

#include "common/log.h"
#include "metrics/exposition.h"
#include "metrics/metrics_request.h"
#include "metrics/self_metrics.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace ig::host {
namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(10);
constexpr auto kWriteTimeout = std::chrono::seconds(10);
constexpr int kMaxSessions = 64;

std::string endpoint_text(const tcp::endpoint& endpoint) {
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
  std::string quoted = "'" + std::string(text) + "'";
  std::string example = "; give ADDR:PORT, e.g. " + std::string(kDefaultMetricsListen);
  ListenAddress out;
  std::string_view port;
  if (text.starts_with("[")) {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) return make_error("invalid metrics address " + quoted + ": no closing ']'" + example);
    out.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.starts_with(":")) return make_error("invalid metrics address " + quoted + ": no port" + example);
    port = rest.substr(1);
    if (out.host.empty()) return make_error("invalid metrics address " + quoted + ": empty address in brackets" + example);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return make_error("invalid metrics address " + quoted + ": no port" + example);
    out.host = std::string(text.substr(0, colon));
    if (out.host.find(':') != std::string::npos)
      return make_error("invalid metrics address " + quoted + ": put an IPv6 address in brackets, e.g. [::1]:2224");
    port = text.substr(colon + 1);
    if (out.host.empty()) out.host = "127.0.0.1";
  }
  if (port.empty()) return make_error("invalid metrics address " + quoted + ": no port" + example);
  unsigned long value = 0;
  for (char c : port) {
    if (c < '0' || c > '9' || value > 65535)
      return make_error("invalid metrics address " + quoted + ": port '" + std::string(port) +
                        "' is not a number from 1 to 65535");
    value = value * 10 + static_cast<unsigned long>(c - '0');
  }
  if (value == 0)
    return make_error("invalid metrics address " + quoted +
                      ": port 0 would pick a random port Prometheus cannot know; give a fixed one, e.g. " +
                      std::string(kDefaultMetricsListen));
  if (value > 65535)
    return make_error("invalid metrics address " + quoted + ": port '" + std::string(port) +
                      "' is not a number from 1 to 65535");
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

namespace {
class Session;
}  // namespace

struct MetricsServer::Impl : std::enable_shared_from_this<MetricsServer::Impl> {
  Impl(asio::io_context& io, MetricsRegistry& r, HostFamilies h)
      : acceptor(io), retry(io), registry(r), host_families(std::move(h)) {}

  tcp::acceptor acceptor;
  asio::steady_timer retry;  // after a failed accept (e.g. out of fds), instead of spinning
  MetricsRegistry& registry;
  HostFamilies host_families;
  int sessions = 0;
  // Sessions waiting for a request's header, the longest-waiting first: when all
  // kMaxSessions are taken, a new connection closes the first of them, so clients
  // that connect and say nothing can delay a scrape but never lock it out.
  std::list<std::weak_ptr<Session>> waiting;
  std::uint64_t evicted = 0;
  std::size_t last_size = 4096;
  bool stopped = false;

  std::string render();
  void accept();
};

namespace {

// One client connection: read a request, answer it, repeat while it keeps alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<MetricsServer::Impl> server)
      : stream_(std::move(socket)), buffer_(kMaxMetricsBufferBytes), server_(std::move(server)) {
    ++server_->sessions;
  }
  ~Session() {
    stop_waiting();
    release_slot();
  }

  void read() {
    parser_.emplace();
    limit_metrics_request(*parser_);
    stream_.expires_after(kRequestTimeout);
    waiting_ = server_->waiting.insert(server_->waiting.end(), weak_from_this());
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_read(ec);
    });
  }

  // Closes the connection and frees its place at once; the pending read then ends,
  // and the session with it.
  void evict() {
    stop_waiting();
    release_slot();
    close();
  }

 private:
  void release_slot() {
    if (counted_) --server_->sessions;
    counted_ = false;
  }

  void stop_waiting() {
    if (waiting_ == server_->waiting.end()) return;
    server_->waiting.erase(waiting_);
    waiting_ = server_->waiting.end();
  }

  void on_read(beast::error_code ec) {
    stop_waiting();
    if (server_->stopped) return close();
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof)
      return close();
    if (ec) {
      log(LogLevel::Debug, "metrics: bad request from " + peer() + ": " + ec.message() + "; closing");
      return answer(answer_bad_metrics_request(ec.message()));
    }
    answer(answer_metrics_request(*parser_));
  }

  void answer(const MetricsAnswer& reply) {
    fill_metrics_response(reply, reply.scrape ? server_->render() : std::string(), response_);
    stream_.expires_after(kWriteTimeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive = reply.keep_alive](beast::error_code ec, std::size_t) {
                        self->response_ = {};
                        if (ec || !keep_alive || self->server_->stopped) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  std::string peer() {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    return ec ? "?" : endpoint_text(endpoint);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<MetricsRequestParser> parser_;
  MetricsResponse response_;
  std::shared_ptr<MetricsServer::Impl> server_;
  std::list<std::weak_ptr<Session>>::iterator waiting_ = server_->waiting.end();
  bool counted_ = true;  // in server_->sessions
};

}  // namespace

void MetricsServer::Impl::accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (self->stopped || ec == asio::error::operation_aborted) return;
    if (ec) {
      log(LogLevel::Debug, "metrics: accept failed: " + ec.message() + "; retrying in 100 ms");
      self->retry.expires_after(std::chrono::milliseconds(100));
      self->retry.async_wait([self](beast::error_code wait_ec) {
        if (!wait_ec && !self->stopped) self->accept();
      });
      return;
    }
    if (self->sessions >= kMaxSessions && !self->waiting.empty()) {
      // Said once, then every 1000th time: a flood of connections must not flood the log.
      if (++self->evicted % 1000 == 1)
        log(LogLevel::Warning, "metrics: " + std::to_string(kMaxSessions) +
                                   " connections are open; closed the longest silent one for a new one (" +
                                   std::to_string(self->evicted) + " so far)");
      if (auto oldest = self->waiting.front().lock())
        oldest->evict();
      else
        self->waiting.pop_front();
    }
    if (self->sessions >= kMaxSessions) {
      beast::error_code ignored;
      socket.close(ignored);  // every session is busy answering: none to close
    } else {
      std::make_shared<Session>(std::move(socket), self)->read();
    }
    self->accept();
  });
}

std::string MetricsServer::Impl::render() {
  auto started = std::chrono::steady_clock::now();
  std::string body;
  body.reserve(last_size + last_size / 8);
  registry.render(body);
  std::vector<MetricFamily> families = host_families ? host_families() : std::vector<MetricFamily>{};
  MetricFamily series;
  series.name = "ig_metrics_published_series";
  series.help = "Series that instances publish right now (cardinality of the plugin metrics).";
  series.samples.push_back({{}, static_cast<double>(registry.series()), {}});
  families.push_back(std::move(series));
  for (MetricFamily& f : process_families()) families.push_back(std::move(f));
  render_families(body, families);
  MetricFamily duration;
  duration.name = "ig_metrics_scrape_duration_seconds";
  duration.help = "Time the daemon took to build this response, in seconds.";
  duration.samples.push_back(
      {{}, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), {}});
  render_family(body, duration);
  last_size = body.size();
  return body;
}

MetricsServer::MetricsServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

MetricsServer::~MetricsServer() {
  impl_->stopped = true;
  beast::error_code ec;
  impl_->acceptor.close(ec);
  impl_->retry.cancel();
}

Result<std::unique_ptr<MetricsServer>> MetricsServer::listen(asio::io_context& io, std::string_view address,
                                                             MetricsRegistry& registry, HostFamilies host_families) {
  auto parsed = parse_listen_address(address);
  if (!parsed) return parsed.error();
  std::string quoted = "'" + std::string(address) + "'";
  tcp::resolver resolver(io);
  beast::error_code ec;
  auto results = resolver.resolve(parsed->host, std::to_string(parsed->port), tcp::resolver::numeric_service, ec);
  if (ec || results.empty())
    return make_error("cannot resolve metrics address " + quoted + ": " + (ec ? ec.message() : "no address") +
                      "; give an IP address or a resolvable host name");
  auto impl = std::make_shared<Impl>(io, registry, std::move(host_families));
  tcp::endpoint endpoint = results.begin()->endpoint();
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::string fix = ec == asio::error::address_in_use
                          ? "; another process holds the port: stop it or pick another --metrics-listen"
                      : ec == boost::system::errc::address_not_available
                          ? "; that address is not on this machine: pick one of its addresses"
                          : "";
    return make_error("cannot listen for metrics on " + quoted + " (" + endpoint_text(endpoint) +
                      "): " + ec.message() + fix);
  }
  impl->accept();
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
}

std::string MetricsServer::local_address() const {
  beast::error_code ec;
  auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? "?" : endpoint_text(endpoint);
}

std::string MetricsServer::render() { return impl_->render(); }

}  // namespace ig::host
