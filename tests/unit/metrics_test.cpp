// The Prometheus side of the daemon without a network: the text exposition format
// (escaping, values, golden output), the family registry's rules and ownership, the
// listen address, and the [metrics] config table.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "daemon/config.h"
#include "metrics/exposition.h"
#include "metrics/metrics_registry.h"
#include "metrics/metrics_server.h"
#include "daemon/instance_metrics.h"
#include "metrics/self_metrics.h"

using namespace ig;
using namespace ig::host;
namespace fs = std::filesystem;

namespace {

MetricFamily counter(std::string name, std::vector<MetricSample> samples = {}) {
  MetricFamily f;
  f.name = std::move(name);
  f.help = "help";
  f.type = MetricType::Counter;
  f.samples = std::move(samples);
  return f;
}

MetricSample sample(double value, std::vector<MetricLabel> labels = {}, std::string about = {}) {
  return {std::move(labels), value, std::move(about)};
}

std::string render(MetricsRegistry& registry) {
  std::string out;
  registry.render(out);
  return out;
}

}  // namespace

TEST_CASE("label values escape backslash, double quote and newline, and nothing else") {
  CHECK(escape_label_value("plain") == "plain");
  CHECK(escape_label_value(R"(C:\path)") == R"(C:\\path)");
  CHECK(escape_label_value(R"(say "hi")") == R"(say \"hi\")");
  CHECK(escape_label_value("two\nlines") == R"(two\nlines)");
  CHECK(escape_label_value("\\\"\n") == R"(\\\"\n)");
  CHECK(escape_label_value("tab\there, {braces}, = and ,") == "tab\there, {braces}, = and ,");
  CHECK(escape_label_value("") == "");
}

TEST_CASE("HELP escapes backslash and newline but keeps double quotes") {
  CHECK(escape_help(R"(a "quoted" \ help)") == R"(a "quoted" \\ help)");
  CHECK(escape_help("line\nbreak") == R"(line\nbreak)");
}

TEST_CASE("bytes that are not UTF-8 become U+FFFD; valid multi-byte text stays") {
  CHECK(escape_label_value("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x9D") == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x9D");
  CHECK(escape_label_value("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(escape_label_value("\xC3") == "\xEF\xBF\xBD");                   // truncated sequence
  CHECK(escape_label_value("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");   // overlong '/'
  CHECK(escape_label_value("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
}

TEST_CASE("values: integers exactly, fractions round-trip, NaN and infinities by name") {
  CHECK(format_value(0) == "0");
  CHECK(format_value(-3) == "-3");
  CHECK(format_value(1710240) == "1710240");
  CHECK(format_value(9007199254740992.0) == "9007199254740992");
  CHECK(format_value(0.5) == "0.5");
  CHECK(std::stod(format_value(0.1 + 0.2)) == 0.1 + 0.2);
  CHECK(std::stod(format_value(1.8446744073709552e19)) == 1.8446744073709552e19);
  CHECK(format_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(format_value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
}

TEST_CASE("a family renders as HELP, TYPE and one line per sample (golden)") {
  MetricFamily runtime = counter("runtime_total", {sample(95233, {{"gadgetID", "bb95"}, {"progName", "ig_open\"x"}}),
                                                   sample(0.25, {})});
  runtime.help = "Nanoseconds \"run\"\nin total";
  MetricFamily gauge;
  gauge.name = "mapCount";
  gauge.help = "maps";
  std::string out;
  render_families(out, {runtime, gauge});
  CHECK(out ==
        "# HELP runtime_total Nanoseconds \"run\"\\nin total\n"
        "# TYPE runtime_total counter\n"
        "runtime_total{gadgetID=\"bb95\",progName=\"ig_open\\\"x\"} 95233\n"
        "runtime_total 0.25\n"
        "# HELP mapCount maps\n"
        "# TYPE mapCount gauge\n");
}

TEST_CASE("metric and label names follow the exposition format") {
  CHECK(valid_metric_name("runtime_total"));
  CHECK(valid_metric_name("mapMemory"));
  CHECK(valid_metric_name("ns:rule_total"));
  CHECK_FALSE(valid_metric_name(""));
  CHECK_FALSE(valid_metric_name("1abc"));
  CHECK_FALSE(valid_metric_name("a-b"));
  CHECK(valid_label_name("gadgetID"));
  CHECK_FALSE(valid_label_name("a:b"));
  CHECK_FALSE(valid_label_name("__name__"));
  CHECK_FALSE(valid_label_name("9x"));
}

TEST_CASE("check_families refuses bad names, reserved prefixes and double series") {
  CHECK(check_families({counter("ok_total", {sample(1, {{"a", "1"}}), sample(2, {{"a", "2"}})})}) == "");
  CHECK(check_families({counter("bad-name")}).find("invalid metric name 'bad-name'") == 0);
  CHECK(check_families({counter("ig_instances")}).find("is reserved") != std::string::npos);
  CHECK(check_families({counter("process_open_fds")}).find("is reserved") != std::string::npos);
  CHECK(check_families({counter("x"), counter("x")}) == "metric family 'x' is given twice");
  CHECK(check_families({counter("x", {sample(1, {{"__a", "1"}})})}).find("invalid label name '__a'") == 0);
  CHECK(check_families({counter("x", {sample(1, {{"a", "1"}, {"a", "2"}})})}).find("label 'a' is given twice") == 0);
  // The same label set in another order is the same series.
  std::string twice = check_families({counter("x", {sample(1, {{"a", "1"}, {"b", "2"}}), sample(2, {{"b", "2"}, {"a", "1"}})})});
  CHECK(twice.find("metric 'x' has two samples with the same labels") == 0);
  CHECK(check_families({counter("x", {sample(1), sample(2)})}).find("two samples") != std::string::npos);
}

TEST_CASE("one owner per family: a second instance is refused with the owner's name") {
  MetricsRegistry registry;
  REQUIRE(registry.publish("aaaa1111bbbb2222", "mystats", {counter("runtime_total", {sample(1)})}).ok());
  auto refused = registry.publish("cccc3333dddd4444", "other", {counter("mine_total"), counter("runtime_total")});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message ==
        "metric family 'runtime_total' is already published by instance 'mystats' (aaaa1111bbbb); one instance "
        "owns a family: remove 'mystats' first, or run a single collector");
  // Nothing of the refused publish shows.
  CHECK(render(registry).find("mine_total") == std::string::npos);
  CHECK(registry.series() == 1);
  // Once the owner is gone the family is free.
  registry.remove("aaaa1111bbbb2222");
  CHECK(render(registry).empty());
  CHECK(registry.publish("cccc3333dddd4444", "other", {counter("runtime_total", {sample(7)})}).ok());
  CHECK(render(registry).find("runtime_total 7\n") != std::string::npos);
}

TEST_CASE("a publish replaces the instance's whole set; an empty one withdraws it") {
  MetricsRegistry registry;
  REQUIRE(registry.publish("a", "one", {counter("x_total", {sample(1)}), counter("y_total", {sample(2)})}).ok());
  CHECK(render(registry).find("y_total 2") != std::string::npos);
  REQUIRE(registry.publish("a", "one", {counter("x_total", {sample(3)})}).ok());
  std::string out = render(registry);
  CHECK(out.find("x_total 3") != std::string::npos);
  CHECK(out.find("y_total") == std::string::npos);
  // y_total is free again for another instance.
  CHECK(registry.publish("b", "two", {counter("y_total", {sample(4)})}).ok());
  REQUIRE(registry.publish("a", "one", {}).ok());
  CHECK(render(registry).find("x_total") == std::string::npos);
  CHECK(registry.series() == 1);
  // An invalid publish leaves the previous set.
  CHECK_FALSE(registry.publish("b", "two", {counter("bad name")}).ok());
  CHECK(render(registry).find("y_total 4") != std::string::npos);
}

TEST_CASE("the rendered cache follows every publish") {
  MetricsRegistry registry;
  REQUIRE(registry.publish("a", "one", {counter("x_total", {sample(1)})}).ok());
  CHECK(render(registry).find("x_total 1\n") != std::string::npos);
  CHECK(render(registry).find("x_total 1\n") != std::string::npos);
  REQUIRE(registry.publish("a", "one", {counter("x_total", {sample(2)})}).ok());
  CHECK(render(registry).find("x_total 2\n") != std::string::npos);
}

TEST_CASE("listen addresses: ADDR:PORT, [V6]:PORT, :PORT; no port, port 0 and junk are errors") {
  auto ok = [](std::string_view text, std::string host, std::uint16_t port) {
    auto parsed = parse_listen_address(text);
    REQUIRE_MESSAGE(parsed.ok(), text);
    CHECK(parsed->host == host);
    CHECK(parsed->port == port);
  };
  ok("127.0.0.1:2224", "127.0.0.1", 2224);
  ok("localhost:9100", "localhost", 9100);
  ok("[::1]:2224", "::1", 2224);
  ok(":2224", "127.0.0.1", 2224);
  ok("0.0.0.0:65535", "0.0.0.0", 65535);
  auto error = [](std::string_view text) {
    auto parsed = parse_listen_address(text);
    REQUIRE_FALSE_MESSAGE(parsed.ok(), text);
    return parsed.error().message;
  };
  CHECK(error("127.0.0.1") == "invalid metrics address '127.0.0.1': no port; give ADDR:PORT, e.g. 127.0.0.1:2224");
  CHECK(error("127.0.0.1:").find("no port") != std::string::npos);
  CHECK(error("127.0.0.1:0").find("port 0") != std::string::npos);
  CHECK(error("127.0.0.1:65536").find("not a number from 1 to 65535") != std::string::npos);
  CHECK(error("127.0.0.1:99999999999999999999").find("not a number from 1 to 65535") != std::string::npos);
  CHECK(error("127.0.0.1:http").find("not a number") != std::string::npos);
  CHECK(error("::1:2224").find("brackets") != std::string::npos);
  CHECK(error("[::1]").find("no port") != std::string::npos);
  CHECK(error("[::1:2224").find("no closing ']'") != std::string::npos);
  CHECK(error("[]:2224").find("empty address") != std::string::npos);
}

TEST_CASE("daemon self-metrics: instances by status, events and lost per instance") {
  const std::string a(32, 'a'), b(32, 'b');
  auto info = [](const std::string& id, const char* name, const char* gadget, InstanceStatus status,
                 std::optional<InstanceCounters> counters) {
    InstanceSpec spec{InstanceId::parse(id).value(), InstanceName::parse(name).value(), gadget, {}, 0};
    return InstanceInfo{spec, status, "", true, counters};
  };
  std::vector<InstanceInfo> instances = {
      info(a, "web", "trace_open", InstanceStatus::Running, InstanceCounters{10, 2}),
      info(b, "broken", "trace_exec", InstanceStatus::Error, std::nullopt),
  };
  std::string out;
  render_families(out, instance_families(instances));
  CHECK(out.find("ig_instances{status=\"running\"} 1\n") != std::string::npos);
  CHECK(out.find("ig_instances{status=\"error\"} 1\n") != std::string::npos);
  CHECK(out.find("ig_instances{status=\"exited\"} 0\n") != std::string::npos);
  const std::string labels = "{gadget_id=\"" + a + "\",gadget_name=\"web\",gadget_image=\"trace_open\"}";
  CHECK(out.find("ig_instance_events_total" + labels + " 10\n") != std::string::npos);
  CHECK(out.find("ig_instance_lost_events_total" + labels + " 2\n") != std::string::npos);
  CHECK(out.find("gadget_id=\"" + b + "\"") == std::string::npos);
  std::string process;
  render_families(process, process_families());
  for (const char* name : {"process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_open_fds ",
                           "process_start_time_seconds "})
    CHECK_MESSAGE(process.find(std::string("\n") + name) != std::string::npos, name);
}

TEST_CASE("[metrics] in the config: listen, enabled for the default address, wrong types") {
  char tmpl[] = "/tmp/ig-metrics-config.XXXXXX";
  fs::path dir = ::mkdtemp(tmpl);
  auto load = [&](const std::string& text) {
    fs::path file = dir / "config.toml";
    std::ofstream(file) << text;
    return load_config(file);
  };
  auto listen = load("[metrics]\nlisten = \"127.0.0.1:9999\"\n");
  REQUIRE(listen.ok());
  CHECK(listen->metrics_listen == "127.0.0.1:9999");
  auto enabled = load("[metrics]\nenabled = true\n");
  REQUIRE(enabled.ok());
  CHECK(enabled->metrics_listen == "127.0.0.1:2224");
  auto off = load("[metrics]\nenabled = false\nlisten = \"127.0.0.1:9999\"\n");
  REQUIRE(off.ok());
  CHECK(off->metrics_listen.empty());
  auto none = load("socket = \"/tmp/x.sock\"\n");
  REQUIRE(none.ok());
  CHECK(none->metrics_listen.empty());
  auto wrong = load("[metrics]\nlisten = 2224\n");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.find("'metrics.listen' must be") != std::string::npos);
  auto not_table = load("metrics = \"127.0.0.1:2224\"\n");
  REQUIRE_FALSE(not_table.ok());
  CHECK(not_table.error().message.find("'metrics' must be a table") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("removing an instance drops the samples others publish about it, at once") {
  MetricsRegistry registry;
  REQUIRE(registry
              .publish("collector", "mystats",
                       {counter("runtime_total", {sample(5, {{"gadgetName", "web"}}, "web-id"),
                                                  sample(6, {{"gadgetName", "db"}}, "db-id"), sample(7, {})})})
              .ok());
  CHECK(registry.series() == 3);
  CHECK(render(registry).find("gadgetName=\"web\"") != std::string::npos);
  registry.remove("web-id");
  std::string out = render(registry);
  CHECK(out.find("gadgetName=\"web\"") == std::string::npos);
  CHECK(out.find("runtime_total{gadgetName=\"db\"} 6\n") != std::string::npos);
  CHECK(out.find("runtime_total 7\n") != std::string::npos);
  CHECK(registry.series() == 2);
}
