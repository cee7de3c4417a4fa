// The metrics endpoint's HTTP handling as a session does it, without a socket: the
// input is what a client sends, arriving in reads of any size; each request's header
// is read with the server's parser limits into its 16 KiB buffer, answered, and the
// response serialised, repeating while the connection keeps alive. Never a crash; a scrape is
// exactly GET of /metrics; every answer is 200, 400, 404 or 405.
//
// Input: byte 0 sets the read size (1 to 256); the rest is the byte stream.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include "fuzz_check.h"
#include "metrics/metrics_request.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace ig::host;

namespace {

// The client's bytes as a synchronous stream that hands out at most `chunk` at a time.
class ClientBytes {
 public:
  ClientBytes(std::string_view bytes, std::size_t chunk) : bytes_(bytes), chunk_(chunk) {}

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, beast::error_code& ec) {
    if (bytes_.empty()) {
      ec = asio::error::eof;
      return 0;
    }
    ec = {};
    std::size_t n = asio::buffer_copy(buffers, asio::buffer(bytes_.data(), std::min(chunk_, bytes_.size())));
    bytes_.remove_prefix(n);
    return n;
  }
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    beast::error_code ec;
    std::size_t n = read_some(buffers, ec);
    if (ec) throw beast::system_error(ec);
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t chunk_;
};

bool connection_closed(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  ClientBytes client(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), data[0] + 1u);
  beast::flat_buffer buffer(kMaxMetricsBufferBytes);
  for (int requests = 0; requests < 64; ++requests) {
    MetricsRequestParser parser;
    limit_metrics_request(parser);
    beast::error_code ec;
    http::read_header(client, buffer, parser, ec);
    if (connection_closed(ec)) return 0;
    MetricsAnswer answer;
    if (ec) {
      answer = answer_bad_metrics_request(ec.message());
    } else {
      const MetricsRequest& request = parser.get();
      answer = answer_metrics_request(parser);
      std::string_view target(request.target().data(), request.target().size());
      bool is_scrape = parser.is_done() && request.method() == http::verb::get &&
                       target.substr(0, target.find('?')) == "/metrics";
      IG_FUZZ_CHECK(answer.scrape == is_scrape, "a scrape is exactly GET /metrics");
    }
    IG_FUZZ_CHECK(answer.status == http::status::ok || answer.status == http::status::bad_request ||
                      answer.status == http::status::not_found || answer.status == http::status::method_not_allowed,
                  "every answer is 200, 400, 404 or 405");
    IG_FUZZ_CHECK(answer.scrape == (answer.status == http::status::ok), "only a scrape is 200");
    MetricsResponse response;
    fill_metrics_response(answer, "ig_up 1\n", response);
    std::ostringstream wire;
    wire << response;
    IG_FUZZ_CHECK(wire.str().starts_with(answer.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 "), "the answer is HTTP");
    if (ec || !answer.keep_alive) return 0;
  }
  return 0;
}
