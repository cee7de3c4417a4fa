// The daemon's Prometheus endpoint: HTTP/1.1 on the daemon's asio loop (Boost.Beast),
// `GET /metrics` only (another path is 404, another method 405), the text exposition
// format 0.0.4. A scrape renders what instances last published plus the daemon's own
// metrics; it never reads the kernel, so it costs microseconds per series and never
// waits for instance work. A request is read within 10 s with at most 8 KiB of header
// and no body; anything else gets 400 and the connection is closed. At most 64
// connections at once: a new one closes the one that has waited longest for a
// request's header, so silent clients can delay a scrape, never lock it out.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <ig/metrics.h>
#include <ig/result.h>

#include "metrics/metrics_registry.h"

namespace ig::host {

// The address the endpoint listens on when enabled without one, and the host an
// address without one (":2224") means. All interfaces are an explicit choice
// ("0.0.0.0:2224", "[::]:2224").
inline constexpr std::string_view kDefaultMetricsListen = "127.0.0.1:2224";

struct ListenAddress {
  std::string host;  // a name or a literal address, without brackets
  std::uint16_t port = 0;
};

// "HOST:PORT", "[V6]:PORT" or ":PORT". No port, port 0 or out of range, and an
// unbracketed IPv6 address are errors naming the fix. Does not resolve.
Result<ListenAddress> parse_listen_address(std::string_view text);

class MetricsServer {
 public:
  // Families the host adds to every scrape (the daemon's own metrics).
  using HostFamilies = std::function<std::vector<MetricFamily>()>;

  // Resolve `address`, bind and listen; errors (bad address, unresolvable host, port
  // in use) are one line naming the address and the fix.
  static Result<std::unique_ptr<MetricsServer>> listen(boost::asio::io_context& io, std::string_view address,
                                                       MetricsRegistry& registry, HostFamilies host_families);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // Where it listens, "127.0.0.1:2224" or "[::1]:2224".
  std::string local_address() const;
  // The body of one `GET /metrics`.
  std::string render();

  struct Impl;

 private:
  explicit MetricsServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace ig::host
