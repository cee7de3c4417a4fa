#include "metrics/metrics_request.h"

#include <string_view>

#include "metrics/exposition.h"

namespace beast = boost::beast;
namespace http = beast::http;

namespace ig::host {

void limit_metrics_request(MetricsRequestParser& parser) {
  parser.header_limit(kMaxMetricsHeaderBytes);
  parser.body_limit(0);
}

MetricsAnswer answer_metrics_request(const MetricsRequestParser& parser) {
  if (!parser.is_done()) return answer_bad_metrics_request("the metrics endpoint takes no request body");
  const MetricsRequest& request = parser.get();
  MetricsAnswer answer;
  answer.keep_alive = request.keep_alive();
  answer.version = request.version() == 10 ? 10 : 11;
  std::string_view target(request.target().data(), request.target().size());
  std::string_view path = target.substr(0, target.find('?'));
  if (path != "/metrics") {
    answer.status = http::status::not_found;
    answer.body = "not found: ig serves its metrics at /metrics\n";
  } else if (request.method() != http::verb::get) {
    answer.status = http::status::method_not_allowed;
    answer.body = "method not allowed: use GET /metrics\n";
  } else {
    answer.scrape = true;
  }
  return answer;
}

MetricsAnswer answer_bad_metrics_request(const std::string& reason) {
  MetricsAnswer answer;
  answer.status = http::status::bad_request;
  answer.body = "bad request: " + reason + "\n";
  return answer;
}

void fill_metrics_response(const MetricsAnswer& answer, std::string scrape_body, MetricsResponse& response) {
  response.version(answer.version);
  response.result(answer.status);
  response.set(http::field::server, "ig");
  if (answer.status == http::status::method_not_allowed) response.set(http::field::allow, "GET");
  if (answer.scrape)
    response.set(http::field::content_type,
                 beast::string_view(kExpositionContentType.data(), kExpositionContentType.size()));
  else
    response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.body() = answer.scrape ? std::move(scrape_body) : answer.body;
  response.keep_alive(answer.keep_alive);
  response.prepare_payload();
}

}  // namespace ig::host
