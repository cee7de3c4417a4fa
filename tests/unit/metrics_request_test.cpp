// The metrics endpoint's request handling without a socket: the bytes of a request
// through the server's own parser limits, then the answer and the response it gets.
#include <doctest/doctest.h>

#include <boost/asio/buffer.hpp>
#include <string>

#include "metrics/metrics_request.h"

using namespace ig::host;
namespace http = boost::beast::http;

namespace {

// Parse `text`'s header as the server does; the answer, or the 400 a parse error gets.
MetricsAnswer answer(const std::string& text) {
  MetricsRequestParser parser;
  limit_metrics_request(parser);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(text), ec);
  if (ec) return answer_bad_metrics_request(ec.message());
  REQUIRE(parser.is_header_done());
  return answer_metrics_request(parser);
}

std::string response_text(const MetricsAnswer& answer, std::string scrape_body = "") {
  MetricsResponse response;
  fill_metrics_response(answer, std::move(scrape_body), response);
  std::string out;
  for (const auto& field : response) out += std::string(field.name_string()) + ": " + std::string(field.value()) + "\n";
  return out + response.body();
}

}  // namespace

TEST_CASE("metrics requests: GET /metrics scrapes, any query ignored; keep-alive follows the version") {
  MetricsAnswer a = answer("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(a.scrape);
  CHECK(a.status == http::status::ok);
  CHECK(a.keep_alive);
  CHECK(a.version == 11);
  CHECK(answer("GET /metrics?name[]=up HTTP/1.1\r\n\r\n").scrape);
  MetricsAnswer old = answer("GET /metrics HTTP/1.0\r\n\r\n");
  CHECK(old.scrape);
  CHECK_FALSE(old.keep_alive);
  CHECK(old.version == 10);
  CHECK_FALSE(answer("GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n").keep_alive);
  CHECK(response_text(a, "up 1\n").find("Content-Type: text/plain; version=0.0.4") != std::string::npos);
}

TEST_CASE("metrics requests: another path is 404, another method 405 with Allow: GET") {
  MetricsAnswer missing = answer("GET /metricsx HTTP/1.1\r\n\r\n");
  CHECK(missing.status == http::status::not_found);
  CHECK_FALSE(missing.scrape);
  MetricsAnswer post = answer("POST /metrics HTTP/1.1\r\n\r\n");
  CHECK(post.status == http::status::method_not_allowed);
  CHECK(response_text(post).find("Allow: GET\n") != std::string::npos);
  CHECK(response_text(post).ends_with("method not allowed: use GET /metrics\n"));
}

TEST_CASE("metrics requests: a chunked body is 400 before any of it is parsed (fuzz_metrics_request)") {
  // Boost 1.74's chunk parser asserted on this final chunk when it came in 3-byte reads.
  MetricsAnswer chunked = answer("GET /metrics HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n");
  CHECK(chunked.status == http::status::bad_request);
  CHECK_FALSE(chunked.keep_alive);
  CHECK(chunked.body == "bad request: the metrics endpoint takes no request body\n");
}

TEST_CASE("metrics requests: a body, a header over 8 KiB and junk are 400, and the connection closes") {
  MetricsAnswer body = answer("GET /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
  CHECK(body.status == http::status::bad_request);
  CHECK_FALSE(body.keep_alive);
  MetricsAnswer big = answer("GET /metrics HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n");
  CHECK(big.status == http::status::bad_request);
  CHECK(answer("\x01\x02 junk\r\n\r\n").status == http::status::bad_request);
  CHECK(response_text(body).find("Content-Type: text/plain; charset=utf-8\n") != std::string::npos);
}
