// `ig list` output, byte for byte: the JSON lines and the columns scripts read.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/instance_list.h"

using ig::host::format_instance_list;
using ig::host::OutputFormat;
using ig::host::protocol::Message;
using ig::host::protocol::Type;

namespace {

constexpr std::int64_t kNow = 1704164705;  // 2024-01-02T03:05:05Z

std::vector<Message> rows() {
  Message running(Type::ListReply);
  running.add("id", "0123456789abcdef0123456789abcdef").add("name", "mytraceopen").add("gadget", "trace_open");
  running.add("status", "running").add("mode", "detached").add("created", "1704164645");
  running.add("param.pid", "42").add("param.comm", "").add("param.failed", "false").add("events", "17").add("lost", "0");
  Message failed(Type::ListReply);
  failed.add("id", "fedcba9876543210fedcba9876543210").add("name", "we\"ird").add("gadget", "trace_exec");
  failed.add("status", "error").add("mode", "detached").add("created", "0").add("param.x\\y", "a\nb");
  failed.add("error", "failed to attach 'x': Operation not permitted");
  Message bare(Type::ListReply);
  bare.add("id", "00").add("name", "n").add("gadget", "g").add("status", "running").add("mode", "foreground");
  bare.add("created", "1704164640");
  return {running, failed, bare};
}

}  // namespace

TEST_CASE("ig list -o json: one object per instance, params nested, counters as numbers") {
  CHECK(format_instance_list(rows(), OutputFormat::Json, kNow) ==
        R"({"id":"0123456789abcdef0123456789abcdef","name":"mytraceopen","gadget":"trace_open","status":"running",)"
        R"("mode":"detached","created":"2024-01-02T03:04:05Z","params":{"pid":"42","comm":"","failed":"false"},)"
        R"("events":17,"lost":0})"
        "\n"
        R"({"id":"fedcba9876543210fedcba9876543210","name":"we\"ird","gadget":"trace_exec","status":"error",)"
        R"("mode":"detached","created":"1970-01-01T00:00:00Z","params":{"x\\y":"a\nb"},)"
        R"("error":"failed to attach 'x': Operation not permitted"})"
        "\n"
        R"({"id":"00","name":"n","gadget":"g","status":"running","mode":"foreground",)"
        R"("created":"2024-01-02T03:04:00Z","params":{}})"
        "\n");
  CHECK(format_instance_list({}, OutputFormat::Json, kNow) == "");
}

TEST_CASE("ig list: aligned columns, set parameters only, the error in place of parameters") {
  CHECK(format_instance_list(rows(), OutputFormat::Columns, kNow) ==
        "ID           NAME        GADGET     STATUS     AGE   PARAMS\n"
        "0123456789ab mytraceopen trace_open running    1m    pid=42\n"
        "fedcba987654 we\"ird      trace_exec error      19724d failed to attach 'x': Operation not permitted\n"
        "00           n           g          running    1m    \n");
}

TEST_CASE("ig list -o jsonpretty and -o yaml: the json objects, indented or as YAML documents") {
  std::vector<Message> one = {rows()[0]};
  CHECK(format_instance_list(one, OutputFormat::JsonPretty, kNow) ==
        "{\n"
        "  \"id\": \"0123456789abcdef0123456789abcdef\",\n"
        "  \"name\": \"mytraceopen\",\n"
        "  \"gadget\": \"trace_open\",\n"
        "  \"status\": \"running\",\n"
        "  \"mode\": \"detached\",\n"
        "  \"created\": \"2024-01-02T03:04:05Z\",\n"
        "  \"params\": {\n"
        "    \"pid\": \"42\",\n"
        "    \"comm\": \"\",\n"
        "    \"failed\": \"false\"\n"
        "  },\n"
        "  \"events\": 17,\n"
        "  \"lost\": 0\n"
        "}\n");
  CHECK(format_instance_list({rows()[0], rows()[2]}, OutputFormat::Yaml, kNow) ==
        "---\n"
        "id: 0123456789abcdef0123456789abcdef\n"
        "name: mytraceopen\n"
        "gadget: trace_open\n"
        "status: running\n"
        "mode: detached\n"
        "created: '2024-01-02T03:04:05Z'\n"
        "params:\n"
        "  pid: '42'\n"
        "  comm: ''\n"
        "  failed: 'false'\n"
        "events: 17\n"
        "lost: 0\n"
        "---\n"
        "id: '00'\n"
        "name: 'n'\n"
        "gadget: g\n"
        "status: running\n"
        "mode: foreground\n"
        "created: '2024-01-02T03:04:00Z'\n"
        "params: {}\n");
  CHECK(format_instance_list({}, OutputFormat::Yaml, kNow) == "");
}
