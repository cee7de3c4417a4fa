// One HTTP request to the metrics endpoint, decided without a socket: the limits its
// parser enforces and the answer it gets. The server's sessions and the fuzz target
// (tests/fuzz/) both go through here, so what is fuzzed is what the daemon reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/beast/http.hpp>

namespace ig::host {

// At most 8 KiB of request line and headers; the read buffer holds twice that, so
// a header too long is refused by the parser's limit, not by a full buffer.
inline constexpr std::uint32_t kMaxMetricsHeaderBytes = 8 * 1024;
inline constexpr std::size_t kMaxMetricsBufferBytes = 16 * 1024;

using MetricsRequest = boost::beast::http::request<boost::beast::http::empty_body>;
using MetricsRequestParser = boost::beast::http::request_parser<boost::beast::http::empty_body>;
using MetricsResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Give a fresh parser the endpoint's limits: the header limit above, and no body
// (a Content-Length over 0 fails the header).
void limit_metrics_request(MetricsRequestParser& parser);

struct MetricsAnswer {
  boost::beast::http::status status = boost::beast::http::status::ok;
  bool scrape = false;  // 200 with the exposition text, which the caller renders
  std::string body;     // every other answer's text
  bool keep_alive = false;
  unsigned version = 11;  // 10 or 11
};

// A request whose header parsed. The endpoint reads headers only (http::read_header),
// never a body: one is refused (400) before a byte of it is parsed, which keeps
// Beast's chunked-body parser, and the assertion in it that a three-byte read of
// "0\r\n\n" reached in Boost 1.74, out of the daemon. Otherwise GET /metrics (any
// query string) is a scrape, another path 404, another method on /metrics 405.
MetricsAnswer answer_metrics_request(const MetricsRequestParser& parser);
// A request that did not parse: 400 naming the parser's complaint, then close.
MetricsAnswer answer_bad_metrics_request(const std::string& reason);

// The response for `answer`; `scrape_body` is the exposition text of a scrape.
void fill_metrics_response(const MetricsAnswer& answer, std::string scrape_body, MetricsResponse& response);

}  // namespace ig::host
