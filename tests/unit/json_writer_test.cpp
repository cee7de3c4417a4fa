// The one JSON writer: escaping, separators, nesting.
#include <doctest/doctest.h>

#include <string>

#include "output/json_writer.h"

using namespace std::string_view_literals;
using ig::host::JsonWriter;

TEST_CASE("json_escape passes UTF-8 through and escapes every control character") {
  using ig::host::json_escape;
  CHECK(json_escape("plain") == "plain");
  CHECK(json_escape("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(json_escape("\0\x1f"sv) == "\\u0000\\u001f");
  CHECK(json_escape("\b\f") == "\\u0008\\u000c");
}

TEST_CASE("json writer: members are separated by commas, nested objects and arrays included") {
  std::string out = "prefix ";
  JsonWriter json(out);
  json.begin_object().member("a", "x").raw_member("n", "1").key("o").begin_object().end_object();
  json.key("list").begin_array().string("p").raw("null").begin_object().member("k", "v").end_object().end_array();
  json.end_object();
  CHECK(out == R"(prefix {"a":"x","n":1,"o":{},"list":["p",null,{"k":"v"}]})");
}

TEST_CASE("json writer: keys and strings are escaped, raw text is not") {
  std::string out;
  JsonWriter(out).begin_object().member("q\"k", "a\\b\n").raw_member("r", "[1,2]").end_object();
  CHECK(out == R"({"q\"k":"a\\b\n","r":[1,2]})");
}

TEST_CASE("json writer: empty containers, and values written one after another") {
  std::string out;
  JsonWriter json(out);
  json.begin_array().end_array();
  CHECK(out == "[]");
  out.clear();
  JsonWriter(out).begin_array().string("").string("").end_array();
  CHECK(out == R"(["",""])");
}

TEST_CASE("json writer, pretty: two-space indents, one member a line, empty containers kept short") {
  std::string out;
  JsonWriter json(out, ig::host::JsonStyle::Pretty);
  json.begin_object().member("a", "x").key("o").begin_object().end_object();
  json.key("list").begin_array().string("p").raw("1").begin_object().member("k", "v").end_object().end_array();
  json.key("none").begin_array().end_array().end_object();
  CHECK(out ==
        "{\n"
        "  \"a\": \"x\",\n"
        "  \"o\": {},\n"
        "  \"list\": [\n"
        "    \"p\",\n"
        "    1,\n"
        "    {\n"
        "      \"k\": \"v\"\n"
        "    }\n"
        "  ],\n"
        "  \"none\": []\n"
        "}");
}

TEST_CASE("json writer, pretty: a prepared key gets its space too") {
  std::string out;
  JsonWriter json(out, ig::host::JsonStyle::Pretty);
  json.begin_object().prepared_key(JsonWriter::prepare_key("q\"")).raw("true").end_object();
  CHECK(out == "{\n  \"q\\\"\": true\n}");
}
